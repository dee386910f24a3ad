"""What dashboards list, always inside what the user may see (meetings_for_user).

Overdue is read from the deadlines stored on each meeting and action when their anchor event was
recorded (G2); nothing is recomputed per row, so the lists stay one query per page at any size.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from portal.choices import DASHBOARD_ROLES
from portal.models import User
from workflows.choices import ACTIVE_ACTION_STATUSES, MeetingState
from workflows.models import Action, Meeting
from workflows.selectors import actions_for_user_scope, meetings_for_user

BEFORE_MEETING = [
    MeetingState.REQUESTED,
    MeetingState.AWAITING_APPROVAL,
    MeetingState.APPROVED,
    MeetingState.SCHEDULED,
]
MINUTES_PENDING = [MeetingState.HELD, MeetingState.MINUTES_DRAFTED]


def may_use_dashboards(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in DASHBOARD_ROLES)


def meeting_overdue_q(today: date) -> Q:
    """Not held by its deadline, or minutes not done by theirs (P3, P8, D2, B1)."""
    return Q(state__in=BEFORE_MEETING, due_on__lt=today) | Q(
        state__in=MINUTES_PENDING, minutes_due_on__lt=today
    )


def meetings_dashboard(user: User, *, today: date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return (
        meetings_for_user(user)
        .select_related("child__team", "meeting_type", "chair")
        .annotate(
            is_overdue=Case(
                When(meeting_overdue_q(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("due_on", "pk")
    )


def actions_dashboard(user: User, *, today: date | None = None) -> QuerySet[Action]:
    """Actions of meetings the user may see, their own, and (IROs) their children's to track (D11)."""
    today = today or timezone.localdate()
    actions = actions_for_user_scope(user, today=today)
    return (
        actions.select_related("meeting__meeting_type", "child", "owner")
        .annotate(
            is_overdue=Case(
                When(status__in=ACTIVE_ACTION_STATUSES, due_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("due_on", "pk")
    )
