"""The pages that gather panels from every app: the start page (issue 12: a bounded number of indexed
queries, whatever the user's scope) and a child's page (the case record with the child's meetings)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.selectors import child_get_for_user, child_timeline
from reminders.selectors import notifications_for_user

from .panels import home_panels

HOME_NOTIFICATIONS = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Role-aware start page: who you are, how many children you work with, where to go next."""
    return render(
        request,
        "home/home.html",
        {
            **home_panels(request.user),
            # lazy: read only when the header's unread count says there is something to list
            "waiting": notifications_for_user(request.user).filter(read_at__isnull=True)[:HOME_NOTIFICATIONS],
        },
    )


@login_required
@require_GET
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One child's summary and placement history (G1) from the case record, with the child's meetings,
    review pack and filed documents from the meetings app; 404 when the child isn't the worker's."""
    child = child_get_for_user(user=request.user, pk=pk)
    timeline = child_timeline(child)
    today = timezone.localdate()
    return render(
        request,
        "home/child_detail.html",
        {"child": child, "age": child.age_on(today), "timeline": timeline, "today": today},
    )
