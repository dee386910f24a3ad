"""The notifications list and opening one (which marks it read)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.redirects import safe_next

from . import services
from .selectors import notifications_for_user

PER_PAGE = 25


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reminders/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of your notifications read and go to the thing it is about (403 for anyone else's)."""
    notification = services.notification_mark_read(notification_id=pk, by=request.user)
    link = safe_next(request, notification.link)
    return HttpResponseRedirect(link) if link else redirect("reminders:notification_list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(by=request.user)
    return redirect("reminders:notification_list")
