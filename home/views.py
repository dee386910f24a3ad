"""The start page (issue 12: a bounded number of indexed queries, whatever the user's scope)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
