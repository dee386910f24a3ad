"""When a meeting may be held (G2, P3, D2, D3, B1): the anchor date, the window, lateness, the meeting
date and the reports' due dates, each able to explain itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..choices import Anchor, DayUnit, ReportTiming
from ..deadlines import bound_deadline, deadline_compute
from ..rules import G3, RuleRefusal
from .decision import _default_timing, _fmt, _timing

if TYPE_CHECKING:
    from portal.models import Placement

    from ..models import Meeting, MeetingType


@dataclass(frozen=True)
class Window:
    anchor_on: date | None
    earliest_on: date | None
    due_on: date | None
    explanation: str


ANCHOR_FIELDS = {
    Anchor.CONCERN_RAISED: ("concern_raised_on", "The date the concern was raised"),
    Anchor.NOTIFICATION: ("notified_on", "The date the risk was notified"),
    Anchor.PLACEMENT_ENDED: ("placement", "The date the placement ended"),
}
ANCHOR_LABELS = {
    "concern_raised": "The date the concern was raised",
    "notification": "The date the risk was notified",
    "placement_ended": "The date the placement ended",
    "requested": "The date the meeting was requested",
    "decision_made": "The date the decision was recorded",
    "order_made": "The date the legal order was made",
    "future_event": "The date of the event",
}


def anchor_date(
    policy: MeetingType,
    *,
    placement: Placement | None,
    concern_raised_on: date | None,
    notified_on: date | None,
    requested_on: date,
    timing: dict | None = None,
) -> tuple[date | None, RuleRefusal | None]:
    """The date the meeting's timescale counts from (G2), or why it cannot be used.

    An anchor is something that has happened: a date after the request (the concern "raised" seven
    months from now, a placement that "ended" next week) is refused, so it can never move the deadline
    (P3, D2, B1). `timing` is the timing entry that applies (the policy's default entry if not given).
    """
    timing = timing if timing is not None else (_default_timing(policy) or {})
    anchor = timing.get("anchor") or Anchor.REQUESTED
    timing_rule = timing.get("rule") or ""
    rule = timing_rule or G3
    if anchor == Anchor.CONCERN_RAISED:
        if not concern_raised_on:
            return None, RuleRefusal(G3, "Enter the date the concern was raised.", field="concern_raised_on")
        value = concern_raised_on
    elif anchor == Anchor.NOTIFICATION:
        if not notified_on:
            return None, RuleRefusal(
                timing_rule, "Enter the date the risk of breakdown was notified.", field="notified_on"
            )
        value = notified_on
    elif anchor == Anchor.PLACEMENT_ENDED:
        if placement is None:
            return None, None  # the placement itself is missing: reported on its own
        if not placement.end_date:
            return None, RuleRefusal(
                timing_rule, "Record the date the placement ended first.", field="placement"
            )
        value = placement.end_date
    elif anchor == "order_made":
        if placement is None:
            return None, None
        if not getattr(placement, "legal_order_on", None):
            return None, RuleRefusal(
                timing_rule, "Record the date of the legal order first.", field="placement"
            )
        value = placement.legal_order_on
    else:
        return requested_on, None
    if value > requested_on:
        field, label = ANCHOR_FIELDS.get(anchor, ("placement", ANCHOR_LABELS.get(anchor, "The date")))
        if anchor == Anchor.PLACEMENT_ENDED:
            message = (
                f"The placement's end date ({_fmt(value)}) is in the future. A meeting about a placement "
                "ending is requested once it has ended."
            )
        else:
            message = f"{label} must be today or in the past."
        return None, RuleRefusal(rule, message, field=field)
    return value, None


def _bound(anchor: date, n: int, timing: dict, calendar: str):

    return bound_deadline(
        anchor,
        int(n),
        timing.get("unit") or "working",
        calendar=calendar,
        direction=timing.get("direction") or "after",
        roll=timing.get("roll") or "none",
    )


UNIT_WORDS = {
    "working": "working days",
    "calendar": "calendar days",
    "weeks": "weeks",
    "months": "calendar months",
}


def timing_window(timing: dict | None, anchor_on: date, *, calendar: str, is_late: bool = False) -> Window:
    """The dates the meeting may be held on under one timing entry, each able to explain itself (G2)."""
    timing = timing or {}
    anchor_label = (
        ANCHOR_LABELS.get(timing.get("anchor") or "", "the anchor date").lower().removeprefix("the ")
    )
    if is_late:
        return Window(
            anchor_on,
            None,
            None,
            f"Requested after day {timing.get('late_after')} from {anchor_label} ({_fmt(anchor_on)}): "
            "no window applies; the late-request approvers agreed to go ahead.",
        )
    parts = []
    earliest = due = None
    if timing.get("earliest") is not None:
        d = _bound(anchor_on, timing["earliest"], timing, calendar)
        earliest = d.due
        parts.append(f"Earliest: {d.explain()}")
    if timing.get("latest") is not None:
        d = _bound(anchor_on, timing["latest"], timing, calendar)
        due = d.due
        parts.append(f"Latest: {d.explain()}" if earliest else d.explain())
    header = f"Counted in {UNIT_WORDS.get(timing.get('unit') or 'working', 'days')} from {anchor_label}."
    if (timing.get("direction") or "after") == "before":
        header = (
            f"Counted in {UNIT_WORDS.get(timing.get('unit') or 'working', 'days')} back from {anchor_label}."
        )
    if timing.get("explanation"):
        parts.append(timing["explanation"])
    return Window(anchor_on, earliest, due, " ".join([header, *parts]))


def meeting_window(
    policy: MeetingType, anchor_on: date, *, is_late: bool = False, timing: dict | None = None
) -> Window:
    """The dates the meeting may be held on, each able to explain itself (G2)."""
    timing = timing if timing is not None else _default_timing(policy)
    return timing_window(timing, anchor_on, calendar=policy.effective_calendar, is_late=is_late)


def timing_is_late(timing: dict | None, anchor_on: date | None, requested_on: date, calendar: str) -> bool:
    if not timing or timing.get("late_after") is None or anchor_on is None:
        return False
    return requested_on > _bound(anchor_on, timing["late_after"], timing, calendar).due


def request_is_late(
    policy: MeetingType, anchor_on: date, requested_on: date, *, timing: dict | None = None
) -> bool:
    """D3: a request made after the policy's late day needs the late-request approvers."""
    timing = timing if timing is not None else _default_timing(policy)
    return timing_is_late(timing, anchor_on, requested_on, policy.effective_calendar)


def meeting_date_refusal(meeting: Meeting, day: date, *, late_reason: str = "") -> RuleRefusal | None:
    """Whether the meeting may be held on `day` (P3, D2, B1).

    Never before the event the timescale counts from, nor before the earliest day the procedure
    allows: those are refusals. After the latest allowed day it may go ahead only with the reason it is
    late, which is recorded; the deadline itself never moves, so the meeting still counts as late.
    """
    timing = _timing(meeting)
    timing_rule = timing.get("rule") or ""
    if meeting.anchor_on and day < meeting.anchor_on and (timing.get("direction") or "after") == "after":
        anchor_label = ANCHOR_LABELS.get(timing.get("anchor") or "", "The anchor date")
        return RuleRefusal(
            timing_rule,
            f"The meeting date must be on or after {anchor_label[0].lower()}{anchor_label[1:]} "
            f"({_fmt(meeting.anchor_on)}).",
            field="day",
        )
    if meeting.earliest_on and day < meeting.earliest_on:
        return RuleRefusal(
            timing_rule,
            f"The meeting cannot be held before {_fmt(meeting.earliest_on)}. {meeting.deadline_explanation}",
            field="day",
        )
    if meeting.due_on and day > meeting.due_on and timing.get("hard"):
        return RuleRefusal(
            timing_rule,
            f"The meeting must be held by {_fmt(meeting.due_on)}: the procedure allows no later date.",
            field="day",
        )
    if meeting.due_on and day > meeting.due_on and not late_reason.strip():
        return RuleRefusal(
            timing_rule,
            f"The meeting must be held by {_fmt(meeting.due_on)}. To hold it later, say why it is late.",
            field="late_reason",
        )
    return None


def report_due(policy: MeetingType, report: dict, *, requested_on: date, meeting_on: date | None):
    """(due date, explanation) of a required report, or (None, '') until the meeting date is known."""

    timing = report["timing"]
    days = report.get("days") or 0
    cal = policy.effective_calendar
    if timing == ReportTiming.WITH_REQUEST:
        return requested_on, "Attached to the request."
    if meeting_on is None:
        return None, ""
    direction = "before" if timing == ReportTiming.BEFORE_MEETING else "after"
    d = deadline_compute(
        anchor=meeting_on, days=days, unit=DayUnit.WORKING, direction=direction, calendar=cal
    )
    return d.due, d.explain()
