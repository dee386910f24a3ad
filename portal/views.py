"""Worker site: thin views over selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import lockout, selectors
from .forms import ChildSearchForm

CHILDREN_PER_PAGE = 25


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Load balancers call this: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
def my_children(request: HttpRequest) -> HttpResponse:
    """The children this worker may see, searchable by name or reference, 25 to a page."""
    form = ChildSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    children = selectors.my_children(request.user, search=search)
    page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "child": child,
            "age": child.age_on(today),
            "placement": child.current_placements[0] if child.current_placements else None,
        }
        for child in page.object_list
    ]
    return render(
        request,
        "portal/my_children.html",
        {
            "form": form,
            "search": search,
            "page": page,
            "rows": rows,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


@login_required
def locked_accounts(request: HttpRequest) -> HttpResponse:
    """Managers see the sign-in lockouts of their teams' people and unlock them (portal.lockout)."""
    if not lockout.may_unlock_anyone(request.user):
        raise PermissionDenied("Only team managers can unlock accounts.")
    return render(
        request, "portal/locked_accounts.html", {"accounts": lockout.locked_accounts_for(request.user)}
    )


@login_required
@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlock one person's sign-in; 404 for anyone the manager may not see, 403 for anyone not theirs."""
    person = get_object_or_404(lockout.unlockable_users(request.user), pk=pk)
    lockout.user_unlock(user=person, by=request.user)
    messages.success(request, f"{person.get_full_name() or person.username} can sign in again.")
    return redirect("locked_accounts")
