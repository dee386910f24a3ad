"""How well the service keeps its own timescales, for a period and a team.

Each measure is a list of cases (a queryset) and a rule for "met". A figure is always the count of its
list, and its trend by month groups the same list by month, so a figure, its list, its trend and its
export cannot disagree. Cases whose deadline is still ahead and not yet met are left out until the
deadline passes (they are neither met nor missed yet). Counting rules are documented in the README
("Compliance dashboard").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncMonth

from portal.models import User
from workflows.choices import ActionStatus, MeetingState
from workflows.deadlines import add_working_days
from workflows.models import Meeting, MeetingReport, MeetingTransition, MeetingType
from workflows.policy_engine import rule_lists

from .duesoon import meetings_in_scope
from .selectors import actions_dashboard
from .stability import add_months

NOT_HAPPENING = [MeetingState.DECLINED, MeetingState.CANCELLED, MeetingState.NOT_HELD]
# Pack setting that gives a timescale for deciding requests, in working days; else the site setting.
DECISION_SETTING = "request_decision_working_days"


def decision_working_days(meeting_type: MeetingType) -> int:
    raw = meeting_type.pack.setting(DECISION_SETTING) if meeting_type.pack_id else ""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return int(getattr(settings, "COMPLIANCE_DECISION_WORKING_DAYS", 2))


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    day_label: str  # what the period applies to, in words
    met_label: str
    meeting_type_id: int | None = None
    meeting_type_name: str = ""

    @property
    def slug(self) -> str:
        return f"{self.key}-{self.meeting_type_id}" if self.meeting_type_id else self.key

    @property
    def heading(self) -> str:
        return f"{self.title}: {self.meeting_type_name}" if self.meeting_type_name else self.title


def measures() -> list[Measure]:
    """One 'held within its window' measure per meeting type, then the service-wide measures."""
    held = [
        Measure(
            "held_in_window",
            "Meetings held within their window",
            "meetings whose deadline fell in the period",
            "held within the window",
            mt.pk,
            mt.name,
        )
        for mt in MeetingType.objects.order_by("pack__name", "name")
    ]
    return [
        *held,
        Measure(
            "reports_on_time",
            "Reports received on time",
            "reports due in the period",
            "received by the due date",
        ),
        Measure(
            "minutes_on_time",
            "Minutes approved on time",
            "minutes due in the period",
            "approved by the due date",
        ),
        Measure(
            "requests_decided",
            "Requests decided within their timescale",
            "requests made in the period",
            "decided in time",
        ),
        Measure(
            "views_recorded",
            "Meetings where the child's views were recorded",
            "meetings held in the period",
            "child's views recorded",
        ),
        Measure(
            "actions_on_time",
            "Actions completed by their date",
            "actions due in the period",
            "completed by the date",
        ),
    ]


def measure_by_slug(slug: str) -> Measure | None:
    return next((m for m in measures() if m.slug == slug), None)


def _decision_q(meeting_types: list[MeetingType], first: date, last: date, today: date) -> tuple[Q, Q]:
    """(decided in time, deadline passed) for requests made from ``first`` to ``last``: the deadline is
    a number of working days after the request, on each type's calendar, so one term per date."""
    in_time, passed = Q(pk__in=[]), Q(pk__in=[])
    groups: dict[tuple[str, int], list[int]] = {}
    for mt in meeting_types:
        groups.setdefault((mt.effective_calendar, decision_working_days(mt)), []).append(mt.pk)
    for (calendar, days), type_ids in groups.items():
        day = first
        while day <= last:
            deadline = add_working_days(day, days, calendar)
            on_day = Q(meeting_type_id__in=type_ids, requested_on=day)
            in_time |= on_day & Q(decided_on__lte=deadline)
            if deadline < today:
                passed |= on_day
            day += timedelta(days=1)
    return in_time, passed


def _cases(
    measure: Measure, *, user: User, first: date, last: date, today: date, team_id: int | None
) -> QuerySet:
    """The list behind the figure, each case annotated with ``met`` (True or False) and ``day``."""
    meetings = meetings_in_scope(user)
    if team_id:
        meetings = meetings.filter(child__team_id=team_id)
    period = {"day__gte": first, "day__lte": last}
    key = measure.key
    if key == "held_in_window":
        qs = (
            meetings.filter(meeting_type_id=measure.meeting_type_id)
            .exclude(state__in=NOT_HAPPENING)
            .annotate(day=F("due_on"), held_on=TruncDate("held_at"))
            .filter(**period)
            .filter(Q(held_at__isnull=False) | Q(due_on__lt=today))
        )
        met = Q(held_on__lte=F("due_on")) & (Q(earliest_on__isnull=True) | Q(held_on__gte=F("earliest_on")))
    elif key == "minutes_on_time":
        qs = (
            meetings.exclude(state=MeetingState.CANCELLED)
            .annotate(day=F("minutes_due_on"), approved_on=TruncDate("minutes_approved_at"))
            .filter(**period)
            .filter(Q(minutes_approved_at__isnull=False) | Q(minutes_due_on__lt=today))
        )
        met = Q(approved_on__lte=F("minutes_due_on"))
    elif key == "views_recorded":
        # Held meetings: the ones Meeting.lacks_wishes_and_feelings looks at (G6).
        qs = (
            meetings.exclude(state=MeetingState.CANCELLED).annotate(day=TruncDate("held_at")).filter(**period)
        )
        met = Q(wishes_and_feelings_recorded=True)
    elif key == "requests_decided":
        # Types whose requests always go through an approval gate (one that applies in every case).
        types = [
            t
            for t in MeetingType.objects.select_related("pack")
            if any(not g.get("when") for g in rule_lists(t)["gates"])
        ]
        decided = MeetingTransition.objects.filter(
            meeting=OuterRef("pk"), source=MeetingState.AWAITING_APPROVAL
        ).order_by("at", "pk")
        qs = (
            meetings.filter(meeting_type__in=[t.pk for t in types])
            .exclude(state__in=[MeetingState.REQUESTED])
            .annotate(
                day=TruncDate("requested_at"),
                requested_on=TruncDate("requested_at"),
                decided_on=TruncDate(Subquery(decided.values("at")[:1], output_field=DateTimeField())),
            )
            .filter(**period)
        )
        met, passed = _decision_q(types, first, last, today)
        qs = qs.filter(Q(decided_on__isnull=False) | passed).exclude(
            state=MeetingState.CANCELLED, decided_on__isnull=True
        )
    elif key == "reports_on_time":
        qs = (
            MeetingReport.objects.filter(meeting__in=meetings.values("pk"))
            .exclude(meeting__state__in=NOT_HAPPENING)
            .annotate(day=F("due_on"), received_on=TruncDate("received_at"))
            .filter(**period)
            .filter(Q(received_at__isnull=False) | Q(due_on__lt=today))
            .select_related("meeting__child")
        )
        met = Q(received_on__lte=F("due_on"))
    elif key == "actions_on_time":
        actions = actions_dashboard(user, today=today)
        if team_id:
            actions = actions.filter(child__team_id=team_id)
        qs = (
            actions.exclude(status=ActionStatus.DROPPED)
            .annotate(day=F("due_on"), completed_on=TruncDate("completed_at"))
            .filter(**period)
            .filter(Q(status=ActionStatus.DONE) | Q(due_on__lt=today))
        )
        met = Q(status=ActionStatus.DONE, completed_on__lte=F("due_on"))
    else:
        raise ValueError(f"Unknown measure {key!r}.")
    return qs.annotate(
        met=Case(When(met, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def cases(
    measure: Measure,
    *,
    user: User,
    first: date,
    last: date,
    today: date,
    team_id: int | None = None,
    outcome: str = "",
) -> QuerySet:
    """The cases behind a figure: all of them, or only those met (outcome="met") or missed ("missed")."""
    qs = _cases(measure, user=user, first=first, last=last, today=today, team_id=team_id)
    if outcome == "met":
        qs = qs.filter(met=True)
    elif outcome == "missed":
        qs = qs.filter(met=False)
    model = qs.model
    if model is Meeting:
        qs = qs.select_related("child", "meeting_type")
    return qs.order_by("day", "pk")


@dataclass
class Figure:
    measure: Measure
    total: int
    met: int

    @property
    def missed(self) -> int:
        return self.total - self.met

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.total, 1) if self.total else None


def figures(*, user: User, first: date, last: date, today: date, team_id: int | None = None) -> list[Figure]:
    """Every measure's figure for the period: the count of its list, and of the met part of it."""
    result = []
    for measure in measures():
        qs = _cases(measure, user=user, first=first, last=last, today=today, team_id=team_id).order_by()
        result.append(Figure(measure, qs.count(), qs.filter(met=True).count()))
    return result


def month_starts(last: date, months: int = 12) -> list[date]:
    first = date(last.year, last.month, 1)
    return [add_months(first, -i) for i in range(months - 1, -1, -1)]


def trend(
    measure: Measure, *, user: User, today: date, months: int = 12, team_id: int | None = None
) -> list[tuple[date, Figure]]:
    """The measure month by month (the last ``months`` months to today): two grouped queries."""
    starts = month_starts(today, months)
    first, last = starts[0], today
    qs = _cases(measure, user=user, first=first, last=last, today=today, team_id=team_id).order_by()

    def by_month(cases: QuerySet) -> dict[date, int]:
        grouped = cases.annotate(month=TruncMonth("day")).values("month").annotate(n=Count("pk")).order_by()
        return {date(row["month"].year, row["month"].month, 1): row["n"] for row in grouped}

    totals, met = by_month(qs), by_month(qs.filter(met=True))
    return [(start, Figure(measure, totals.get(start, 0), met.get(start, 0))) for start in starts]
