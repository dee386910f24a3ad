"""What "overdue" and "due soon" mean, defined once (G2, P3, P8, D2, B1, D11; issue 15).

Every page, count, export and reminder reads these definitions: the meeting queryset
(``Meeting.objects.overdue()``, ``.with_overdue()``), the action queryset (the same names), the one
meeting's page (``meeting_overdue_parts``) and the sweep (``is_due_soon``).

- A meeting is **overdue** when a deadline the procedure set has passed and what it was for is not done:
  the meeting not held by ``due_on`` (still requested, awaiting approval, approved or arranged), or its
  minutes not approved by ``minutes_due_on`` (held, or minutes drafted). Late minutes count: a meeting
  whose minutes are late is overdue on the home page, the list, the dashboard and the export alike.
- An action is **overdue** when it is still open or in progress after its due date.
- A deadline is **due soon** from today up to and including the N-th working day after today, on the
  calendar of the meeting type (weekends and that calendar's bank holidays skipped). A deadline already
  past is overdue, not due soon.

Deadlines are the ones stored on the meeting when its anchor event was recorded; nothing is recomputed.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, Q, Value, When

from .choices import ACTIVE_ACTION_STATUSES, MeetingState
from .deadlines import add_working_days

# A meeting still to be held: its deadline is ``due_on``.
BEFORE_MEETING = (
    MeetingState.REQUESTED,
    MeetingState.AWAITING_APPROVAL,
    MeetingState.APPROVED,
    MeetingState.SCHEDULED,
)
# A meeting held whose minutes are not yet approved: its deadline is ``minutes_due_on``.
MINUTES_PENDING = (MeetingState.HELD, MeetingState.MINUTES_DRAFTED)

# The two deadlines of a meeting: (name, states in which it is still to be met, date field).
MEETING_DEADLINES = (
    ("meeting", BEFORE_MEETING, "due_on"),
    ("minutes", MINUTES_PENDING, "minutes_due_on"),
)


def meeting_overdue_q(today: date, *, prefix: str = "") -> Q:
    """Meetings with a passed deadline not met (either of MEETING_DEADLINES)."""
    q = Q(pk__in=[])
    for _name, states, field in MEETING_DEADLINES:
        q |= Q(**{f"{prefix}state__in": states, f"{prefix}{field}__lt": today})
    return q


def meeting_overdue_parts(meeting, today: date) -> set[str]:
    """Which of one meeting's deadlines have passed unmet ("meeting", "minutes"): the same table as
    meeting_overdue_q, read from the object the page already holds."""
    return {
        name
        for name, states, field in MEETING_DEADLINES
        if meeting.state in states and getattr(meeting, field) is not None and getattr(meeting, field) < today
    }


def action_overdue_q(today: date) -> Q:
    return Q(status__in=ACTIVE_ACTION_STATUSES, due_on__lt=today)


def overdue_annotation(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def due_soon_end(today: date, days: int, calendar: str) -> date:
    """The last day that counts as due soon: the ``days``-th working day after today."""
    return add_working_days(today, days, calendar)


def is_due_soon(due_on: date | None, today: date, days: int, calendar: str) -> bool:
    """A deadline from today up to and including the ``days``-th working day after it."""
    return due_on is not None and today <= due_on <= due_soon_end(today, days, calendar)


def due_soon_q(field: str, today: date, ends: dict[int, date], type_field: str = "meeting_type_id") -> Q:
    """``field`` due soon, where ``ends`` maps each meeting type id to its last due-soon day
    (see dashboards.duesoon.horizons); grouped by end date so the query has few terms."""
    by_end: dict[date, list[int]] = {}
    for type_id, end in ends.items():
        by_end.setdefault(end, []).append(type_id)
    q = Q(pk__in=[])
    for end, type_ids in by_end.items():
        q |= Q(**{f"{type_field}__in": type_ids, f"{field}__gte": today, f"{field}__lte": end})
    return q
