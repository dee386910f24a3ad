"""What the start page shows, read with a fixed number of indexed queries at any size (issue 12).

- Every count stops at `portal.paging.COUNT_CAP` ("10,000+") and all of them are read in ONE query
  (one scalar subquery each, each over the same UNION ALL of indexed id branches the lists use).
- Requests waiting for the user's decision: the rule (workflows.policy.approver_refusal) decides each
  request in Python, so the page reads only the oldest APPROVALS_READ requests the user did not make
  and says "20+" when it finds more than 20 to decide.

A page of panels: children (portal), meetings and actions (workflows), overdue as the dashboards
define it (dashboards.selectors). This module may depend on every app; none depends on it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from portal.choices import Role
from portal.models import User
from portal.paging import COUNT_CAP, count_label
from portal.selectors import children_for_user, user_is_read_only
from workflows.choices import OPEN_STATES
from workflows.selectors import actions_for_iro, actions_for_user, approval_queue_for_user, meetings_for_user

APPROVALS_READ = 21  # decide at most this many requests for the count: "20+" beyond that


def capped_counts(querysets: dict[str, QuerySet], cap: int = COUNT_CAP) -> dict[str, int]:
    """Each queryset's row count, counting no further than cap + 1, all in one query."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        try:
            sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        except EmptyResultSet:  # .none(): nothing to count
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 - Django's own SQL
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, (int(n) for n in row), strict=True))


def _count(n: int, cap: int) -> dict:
    return {"n": min(n, cap), "label": count_label(min(n, cap), n > cap)}


def approvals_waiting(user: User, meetings: QuerySet | None = None) -> dict:
    """How many requests wait for this user's decision: exact up to 20, then "20+"."""
    if user_is_read_only(user):
        return _count(0, 0)
    decidable = approval_queue_for_user(user, limit=APPROVALS_READ, meetings=meetings)
    return _count(len(decidable), APPROVALS_READ - 1)


def home_panels(user: User, *, today: date | None = None) -> dict:
    """The start page's figures: children, decisions, open and overdue meetings, actions."""
    today = today or timezone.localdate()
    visible = meetings_for_user(user)  # built once: it reads the meeting types' approver roles
    open_meetings = visible.filter(state__in=OPEN_STATES)
    counted = {
        "children": children_for_user(user, today=today),
        "open_meetings": open_meetings,
        "overdue_meetings": open_meetings.overdue(today),  # workflows.lateness, as every list
        "actions": actions_for_user(user),
    }
    if user.role == Role.IRO:
        counted["tracked"] = actions_for_iro(user)
    counts = {name: _count(n, COUNT_CAP) for name, n in capped_counts(counted, COUNT_CAP).items()}
    return {
        "children_count": counts["children"]["n"],
        "children_label": counts["children"]["label"],
        "approvals": approvals_waiting(user, visible),
        "open_meetings": counts["open_meetings"],
        "overdue_meetings": counts["overdue_meetings"],
        "actions": counts["actions"],
        "tracked": counts.get("tracked"),
    }
