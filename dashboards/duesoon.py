"""What falls due in the next N working days: meetings, approvals, reports and minutes (G2).

"Due soon" is workflows.lateness's one definition: a deadline from today up to and including the N-th
working day after today, on the calendar of the meeting's pack (or its meeting type's own calendar),
not yet met.
Deadlines already past are "overdue" (workflows.lateness), not due soon. The window itself is
workflows.lateness.due_soon_q; this module adds what is due (meetings, approvals, reports, minutes).
Each item keeps the sentence its deadline was stored with, which explains how it was worked out.
"""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, F, QuerySet, Value
from django.utils import timezone

from portal.models import User
from workflows.choices import FINISHED_STATES, MeetingState
from workflows.lateness import MINUTES_PENDING, due_soon_end, due_soon_q
from workflows.models import Meeting, MeetingReport, MeetingType
from workflows.selectors import meetings_for_user, sees_all_meetings

DEFAULT_DAYS = 5
MAX_DAYS = 60

KIND_MEETING = "meeting"
KIND_APPROVAL = "approval"
KIND_REPORT = "report"
KIND_MINUTES = "minutes"
KINDS = [
    (KIND_MEETING, "Meeting to be held"),
    (KIND_APPROVAL, "Request to be decided"),
    (KIND_REPORT, "Report to be written"),
    (KIND_MINUTES, "Minutes to be approved"),
]
KIND_LABELS = dict(KINDS)

# A meeting still to be held, once approved; before that the approval is what is due.
TO_BE_HELD = [MeetingState.REQUESTED, MeetingState.APPROVED, MeetingState.SCHEDULED]
FIELDS = (
    "kind",
    "meeting_pk",
    "ref",
    "what",
    "child_pk",
    "child_first",
    "child_last",
    "team_name",
    "type_code",
    "due",
    "why",
)


def horizons(today: date, days: int) -> dict[int, date]:
    """Meeting type id -> the last day that counts as due soon on that type's calendar."""
    by_calendar: dict[str, date] = {}
    result = {}
    for meeting_type in MeetingType.objects.select_related("pack").only(
        "pk", "calendar", "pack__default_calendar"
    ):
        calendar = meeting_type.effective_calendar
        if calendar not in by_calendar:
            by_calendar[calendar] = due_soon_end(today, days, calendar)
        result[meeting_type.pk] = by_calendar[calendar]
    return result


def meetings_in_scope(user: User) -> QuerySet[Meeting]:
    if sees_all_meetings(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(pk__in=meetings_for_user(user).values("pk"))


def _meeting_branch(meetings: QuerySet[Meeting], kind: str, what: str, due: str, why: str) -> QuerySet:
    return (
        meetings.order_by()
        .annotate(
            kind=Value(kind, output_field=CharField()),
            meeting_pk=F("pk"),
            ref=F("reference"),
            what=Value(what, output_field=CharField()),
            child_pk=F("child_id"),
            child_first=F("child__first_name"),
            child_last=F("child__last_name"),
            team_name=F("child__team__name"),
            type_code=F("meeting_type__code"),
            due=F(due),
            why=F(why),
        )
        .values(*FIELDS)
    )


def due_soon(
    user: User,
    *,
    days: int = DEFAULT_DAYS,
    today: date | None = None,
    kinds: list[str] | None = None,
    team_id: int | None = None,
    meeting_type_id: int | None = None,
) -> QuerySet:
    """Everything the user may see that falls due in the next ``days`` working days, as one queryset
    (a UNION of one branch per kind) of dicts with the keys in FIELDS, sortable and countable."""
    today = today or timezone.localdate()
    kinds = kinds or [k for k, _label in KINDS]
    ends = horizons(today, days)
    meetings = meetings_in_scope(user)
    if team_id:
        meetings = meetings.filter(child__team_id=team_id)
    if meeting_type_id:
        meetings = meetings.filter(meeting_type_id=meeting_type_id)
    branches = []
    if KIND_MEETING in kinds:
        held = meetings.filter(due_soon_q("due_on", today, ends), state__in=TO_BE_HELD)
        branches.append(_meeting_branch(held, KIND_MEETING, "Meeting", "due_on", "deadline_explanation"))
    if KIND_APPROVAL in kinds:
        waiting = meetings.filter(due_soon_q("due_on", today, ends), state=MeetingState.AWAITING_APPROVAL)
        branches.append(
            _meeting_branch(
                waiting, KIND_APPROVAL, "Decision on the request", "due_on", "deadline_explanation"
            )
        )
    if KIND_MINUTES in kinds:
        minutes = meetings.filter(due_soon_q("minutes_due_on", today, ends), state__in=MINUTES_PENDING)
        branches.append(
            _meeting_branch(minutes, KIND_MINUTES, "Minutes", "minutes_due_on", "minutes_due_explanation")
        )
    if KIND_REPORT in kinds:
        reports = (
            MeetingReport.objects.filter(
                due_soon_q("due_on", today, ends, "meeting__meeting_type_id"),
                meeting__in=meetings.values("pk"),
                received_at__isnull=True,
            )
            .exclude(meeting__state__in=FINISHED_STATES)
            .order_by()
            .annotate(
                kind=Value(KIND_REPORT, output_field=CharField()),
                meeting_pk=F("meeting_id"),
                ref=F("meeting__reference"),
                what=F("label"),
                child_pk=F("meeting__child_id"),
                child_first=F("meeting__child__first_name"),
                child_last=F("meeting__child__last_name"),
                team_name=F("meeting__child__team__name"),
                type_code=F("meeting__meeting_type__code"),
                due=F("due_on"),
                why=F("due_explanation"),
            )
            .values(*FIELDS)
        )
        branches.append(reports)
    if not branches:
        return Meeting.objects.none().values()
    first, *rest = branches
    return (
        first.union(*rest, all=True).order_by("due", "ref", "kind") if rest else first.order_by("due", "ref")
    )
