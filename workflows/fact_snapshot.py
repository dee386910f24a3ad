"""The fact snapshot: every catalogue fact's value for one case, as plain JSON (issue 10).

One function, `fact_snapshot`, reads a child, a placement, optionally a request and a meeting, and an
anchor date, and returns a nested dict keyed as the catalogue's paths (`placement.length_years` is
`snapshot["placement"]["length_years"]`). Dates are ISO strings (`"2025-12-19"`), so the snapshot can be
stored beside a decision and evaluated by any JsonLogic implementation; unknown values are None.

History facts are counted over windows of N months before the anchor date; the snapshot computes the
windows its conditions reference (plus any asked for), from two queries whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from portal.choices import CONNECTED_PERSON_CODES, PlacementCategory
from portal.models import Placement as PlacementModel

from .conditions import referenced_windows
from .facts import FACTS, MAX_MONTHS, window_key

if TYPE_CHECKING:
    from portal.models import Child, Placement, User

    from .models import Meeting, ProcedurePack

LONG_TERM_CODES = frozenset({"U1", "U4"})
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})


@dataclass(frozen=True)
class RequestFacts:
    """What a request says about itself before (or without) a meeting row: the request form's answers."""

    raised_by_kind: str | None = None
    requester: User | None = None
    requester_role: str | None = None
    flags: tuple[str, ...] | None = None
    triggers: tuple[str, ...] | None = None
    requested_late: bool | None = None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _months_between(start: date, end: date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def _window_start(anchor_on: date, months: int) -> date:
    """The first day *outside* a window of N months ending on the anchor date (month ends clamp)."""
    return anchor_on - relativedelta(months=months)


def _in_window(day: date | None, anchor_on: date, months: int) -> bool:
    return day is not None and _window_start(anchor_on, months) < day <= anchor_on


def _out_of_area(placement: Placement, council_la_code: str) -> bool | None:
    """Whether the placement's local authority (SSDA903 PL_LA) is another council's; None when unknown."""
    placement_la = (placement.placement_la or "").strip().upper()
    own = (council_la_code or "").strip().upper()
    if not placement_la or not own:
        return None
    return placement_la != own


def _placement_facts(
    placement: Placement, child: Child, anchor_on: date, council_la_code: str = ""
) -> dict[str, Any]:
    ended = placement.end_date is not None and placement.end_date <= anchor_on
    until = placement.end_date if ended else anchor_on
    started = placement.start_date <= until
    if placement.purpose:
        purpose = placement.purpose
    elif placement.is_permanent:
        purpose = "permanent"
    elif placement.placement_type in LONG_TERM_CODES:
        purpose = "long_term"
    elif child.legal_status in SHORT_BREAK_STATUSES:
        purpose = "respite"
    else:
        purpose = None
    ratified = placement.ratified_permanent_on if placement.is_permanent else None
    agency = placement.is_agency
    return {
        "type": placement.category or None,
        "type_code": placement.placement_type or None,
        "provider_code": placement.provider_code or None,
        "purpose": purpose,
        "is_permanent": bool(placement.is_permanent),
        "ratified_permanent_on": _iso(ratified),
        "start_date": _iso(placement.start_date),
        "end_date": _iso(placement.end_date if ended else None),
        "has_ended": ended,
        "length_days": (until - placement.start_date).days if started else None,
        "length_months": _months_between(placement.start_date, until) if started else None,
        "length_years": relativedelta(until, placement.start_date).years if started else None,
        "months_since_ratified": (
            _months_between(ratified, until) if ratified and ratified <= until else None
        ),
        "ended_unplanned": placement.ended_unplanned if ended else None,
        "reason_for_change": (placement.reason_for_change or None) if ended else None,
        "is_agency": agency,
        "is_connected_person": placement.placement_type in CONNECTED_PERSON_CODES
        or placement.category == PlacementCategory.CONNECTED_PERSON,
        "out_of_area": _out_of_area(placement, council_la_code),
        "legal_order": placement.legal_order or None,
        "legal_order_date": _iso(placement.legal_order_on),
        "notice_period_days": placement.notice_period_days,
        "has_contingency_plan": placement.has_contingency_plan,
    }


def _history_facts(
    child: Child, placement: Placement, anchor_on: date, windows: set[int]
) -> dict[str, dict[str, int | None]]:
    """Counts per window from one query of the child's placements and one of the carers' endings."""
    history: dict[str, dict[str, int | None]] = {
        "child_moves": {},
        "child_unplanned_endings": {},
        "child_disruptions": {},
        "carer_unplanned_endings": {},
    }
    if not windows:
        return history
    widest = _window_start(anchor_on, max(windows))
    rows = list(
        PlacementModel.objects.filter(child_id=child.pk, start_date__lte=anchor_on)
        .order_by("start_date", "pk")
        .values_list("pk", "start_date", "end_date", "ended_unplanned", "is_permanent")
    )
    first_pk = rows[0][0] if rows else None
    carer_endings: list[date] = []
    if placement.carer_household_id:
        carer_endings = list(
            PlacementModel.objects.filter(
                carer_household_id=placement.carer_household_id,
                ended_unplanned=True,
                end_date__gt=widest,
                end_date__lte=anchor_on,
            ).values_list("end_date", flat=True)
        )
    for months in sorted(windows):
        key = window_key(months)
        history["child_moves"][key] = sum(
            1 for pk, start, *_ in rows if pk != first_pk and _in_window(start, anchor_on, months)
        )
        unplanned = [row for row in rows if row[3] and _in_window(row[2], anchor_on, months)]
        history["child_unplanned_endings"][key] = len(unplanned)
        history["child_disruptions"][key] = sum(1 for row in unplanned if row[4])
        history["carer_unplanned_endings"][key] = (
            sum(1 for day in carer_endings if _in_window(day, anchor_on, months))
            if placement.carer_household_id
            else None
        )
    return history


def _request_facts(request: RequestFacts | None, meeting: Meeting | None) -> dict[str, Any]:
    request = request or RequestFacts()
    requester = request.requester
    if requester is None and meeting is not None:
        requester = meeting.requested_by
    role = request.requester_role or (getattr(requester, "role", "") or None)
    council_role = getattr(requester, "council_role", "") or None
    triggers = request.triggers
    if triggers is None and meeting is not None:
        triggers = tuple(meeting.triggers or ())
    flags = request.flags
    if flags is None and meeting is not None:
        flags = tuple(meeting.request_flags or ())
    raised_by_kind = request.raised_by_kind
    if raised_by_kind is None and meeting is not None:
        raised_by_kind = meeting.concern_raised_by_kind or None
    return {
        "raised_by_kind": raised_by_kind,
        "requester_role": role,
        "requester_council_role": council_role,
        "flags": list(flags) if flags is not None else [],
        "triggers": list(triggers) if triggers is not None else [],
    }


def _meeting_facts(request: RequestFacts | None, meeting: Meeting | None) -> dict[str, Any]:
    late = request.requested_late if request is not None else None
    if late is None and meeting is not None:
        late = meeting.is_late
    return {"requested_late": late, "stage": meeting.state if meeting is not None else None}


def fact_snapshot(
    *,
    child: Child,
    placement: Placement,
    anchor_on: date,
    request: RequestFacts | None = None,
    meeting: Meeting | None = None,
    conditions: Iterable[Any] = (),
    history_months: Iterable[int] = (),
    pack: ProcedurePack | None = None,
) -> dict[str, Any]:
    """Every catalogue fact for this case on `anchor_on`, as JSON-ready nested dicts.

    `pack` gives the council's own settings the facts need (`council_la_code` for
    `placement.out_of_area`); without it, the meeting's pack when a meeting is given.

    History facts are computed for each window in `history_months` and each window any of `conditions`
    names. Queries: at most two for the history (none without windows), plus the requester when a
    meeting is given without `requested_by` already loaded.
    """
    windows = {m for m in history_months if isinstance(m, int) and 0 < m <= MAX_MONTHS}
    for condition in conditions:
        windows |= {months for _key, months in referenced_windows(condition) if 0 < months <= MAX_MONTHS}
    if pack is None and meeting is not None and meeting.meeting_type_id:
        pack = meeting.meeting_type.pack
    council_la_code = pack.setting("council_la_code") if pack is not None else ""
    return {
        "placement": _placement_facts(placement, child, anchor_on, council_la_code),
        "child": {"age_years": child.age_on(anchor_on), "legal_status": child.legal_status or None},
        "history": _history_facts(child, placement, anchor_on, windows),
        "request": _request_facts(request, meeting),
        "meeting": _meeting_facts(request, meeting),
    }


def blank_snapshot(history_months: Iterable[int] = ()) -> dict[str, Any]:
    """A snapshot with every fact unknown: the start of a synthetic case for the policy check."""
    snapshot: dict[str, Any] = {}
    for fact in FACTS.values():
        group, name = fact.key.split(".", 1)
        if fact.per_months:
            value: Any = {window_key(m): None for m in history_months}
        else:
            value = [] if fact.type == "flags" else None
        snapshot.setdefault(group, {})[name] = value
    return snapshot
