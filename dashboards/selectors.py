"""What dashboards list, always inside what the user may see (meetings_for_user).

Overdue is workflows.lateness's one definition, read from the deadlines stored on each meeting and action
when their anchor event was recorded (G2); nothing is recomputed per row, so the lists stay one query per
page at any size.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from portal.choices import DASHBOARD_ROLES
from portal.models import User
from workflows.models import Action, Meeting
from workflows.selectors import actions_for_user_scope, meeting_type_rules_deferred, meetings_for_user


def may_use_dashboards(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in DASHBOARD_ROLES)


def meetings_dashboard(user: User, *, today: date | None = None) -> QuerySet[Meeting]:
    """Meetings the user may see, each with is_overdue as workflows.lateness defines it: not held by the
    deadline (P3, D2, B1) or minutes not approved by theirs (P8)."""
    today = today or timezone.localdate()
    return (
        meetings_for_user(user)
        .select_related("child__team", "meeting_type", "chair")
        .defer(*meeting_type_rules_deferred("meeting_type__"))
        .with_overdue(today)
        .order_by("due_on", "pk")
    )


def actions_dashboard(user: User, *, today: date | None = None) -> QuerySet[Action]:
    """Actions of meetings the user may see, their own, and (IROs) their children's to track (D11)."""
    today = today or timezone.localdate()
    actions = actions_for_user_scope(user, today=today)
    return (
        actions.select_related("meeting__meeting_type", "child", "owner")
        .defer(*meeting_type_rules_deferred("meeting__meeting_type__"))
        .with_overdue(today)
        .order_by("due_on", "pk")
    )
