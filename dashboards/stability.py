"""Placement stability indicators as the DfE measures them, computed from placement history.

Two indicators, counted on a cut-off date (31 March by default, any date may be chosen):

* **Short-term**: children looked after on the date with three or more placements in the 12 months up
  to and including it.
* **Long-term**: of the children under 16 on the date who have been looked after continuously for at
  least two and a half years, those in the same placement for at least two years, or placed for
  adoption with their time in that placement and the previous one together two years or more.

The counting rules (which records are a placement, short breaks, temporary absences, the two readings
of "same carers") are documented in the README ("Placement stability indicators"). The computation is
one query over the placements of the children concerned, then Python, so it is bounded whatever the
size of the council and however many cut-off dates (a trend) are asked for.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from portal.models import Child, Placement

# SSDA903 placement types for a child placed for adoption.
ADOPTION_CODES = frozenset({"A3", "A4", "A5", "A6"})
# T0: a temporary placement of seven days or less, after which the child returns: a temporary
# absence, not a placement of its own (and not a move, going or coming back).
TEMPORARY_CODES = frozenset({"T0"})
# Legal statuses of a child looked after under an agreed series of short-term breaks: the DfE leaves
# these children out of the stability indicators altogether.
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})
# SSDA903 reason for placement change "change in the status of placement only": same carers.
STATUS_ONLY_CHANGE = "PLACE"

READING_DFE = "dfe"
READING_EVERY_RECORD = "every_record"
READINGS = [
    (READING_DFE, "A change of placement type or legal status with the same carers is not a move (DfE)"),
    (READING_EVERY_RECORD, "Every new placement record is a move, even with the same carers"),
]

FIGURES = {
    "looked_after": "Children looked after on the date",
    "three_or_more": "With three or more placements in the previous 12 months",
    "long_term_cohort": "Under 16, looked after for at least two and a half years",
    "long_term_stable": "Of those, in the same placement for at least two years (or placed for adoption)",
}


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (or earlier); 29-31 fall back to the month's last day."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def default_cut_off(today: date) -> date:
    """The latest 31 March on or before ``today`` (the DfE's year end)."""
    year = today.year if (today.month, today.day) >= (3, 31) else today.year - 1
    return date(year, 3, 31)


def quarter_ends(today: date, count: int = 8) -> list[date]:
    """The last ``count`` quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) on or before today, oldest first."""
    month = ((today.month - 1) // 3 + 1) * 3
    end = date(today.year, month, calendar.monthrange(today.year, month)[1])
    if end > today:
        end = date(today.year, month - 2, 1) - timedelta(days=1)
    ends = []
    while len(ends) < count:
        ends.append(end)
        end = date(end.year, end.month - 2, 1) - timedelta(days=1)
    return sorted(ends)


@dataclass
class _Row:
    """One placement record, as the computation needs it."""

    start: date
    end: date | None
    placement_type: str
    carers: tuple | None
    reason_for_change: str

    def covers(self, on: date) -> bool:
        """In this placement on ``on``: the end date is the day of the change, spent in the next one."""
        return self.start <= on and (self.end is None or self.end > on)


@dataclass
class _Spell:
    """One placement as the indicators count it: one or more records with the same carers (DfE)."""

    start: date
    end: date | None
    last: _Row


@dataclass
class ChildStability:
    """One child's indicator columns on the cut-off date (the drill-down and the return)."""

    child_id: int
    name: str
    local_reference: str
    date_of_birth: date
    team: str
    age: int
    looked_after_since: date
    placements_in_year: int
    current_placement_since: date
    current_placement_type: str
    placed_for_adoption: bool
    three_or_more: bool
    long_term_cohort: bool
    long_term_stable: bool


@dataclass
class StabilityFigures:
    on: date
    reading: str
    children: list[ChildStability] = field(default_factory=list)

    def rows(self, figure: str) -> list[ChildStability]:
        """The children behind one figure; the figure is always the length of this list."""
        if figure == "looked_after":
            return list(self.children)
        if figure not in FIGURES:
            raise ValueError(f"Unknown figure {figure!r}.")
        return [c for c in self.children if getattr(c, figure)]

    def count(self, figure: str) -> int:
        return len(self.rows(figure))

    @property
    def looked_after(self) -> int:
        return self.count("looked_after")

    @property
    def three_or_more(self) -> int:
        return self.count("three_or_more")

    @property
    def long_term_cohort(self) -> int:
        return self.count("long_term_cohort")

    @property
    def long_term_stable(self) -> int:
        return self.count("long_term_stable")

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def three_or_more_percent(self) -> float | None:
        return self._percent(self.three_or_more, self.looked_after)

    @property
    def long_term_percent(self) -> float | None:
        return self._percent(self.long_term_stable, self.long_term_cohort)


def _carers(p: dict) -> tuple | None:
    if p["carer_household_id"] or p["home_id"]:
        return (p["carer_household_id"], p["home_id"])
    return None


def _spells(rows: list[_Row], reading: str) -> list[_Spell]:
    """Placements as counted.

    Temporary placements (T0) are absences: dropped, and a return to the same carers after one is the
    same placement under either reading. Under the DfE reading, consecutive records with the same
    carers, or whose change was of status only (reason PLACE), are also one placement.
    """
    spells: list[_Spell] = []
    absent_until: date | None = None
    for row in rows:
        if row.placement_type in TEMPORARY_CODES:
            if spells:
                absent_until = row.end or date.max - timedelta(days=1)
            continue
        if spells:
            prev = spells[-1]
            day = timedelta(days=1)
            contiguous = prev.end is not None and row.start <= prev.end + day
            back_from_absence = absent_until is not None and row.start <= absent_until + day
            same_carers = prev.last.carers is not None and prev.last.carers == row.carers
            status_only = prev.last.reason_for_change == STATUS_ONLY_CHANGE
            if (back_from_absence and same_carers) or (
                reading == READING_DFE and contiguous and (same_carers or status_only)
            ):
                prev.end, prev.last = row.end, row
                absent_until = None
                continue
        spells.append(_Spell(row.start, row.end, row))
        absent_until = None
    return spells


def _looked_after_since(rows: list[_Row], on: date) -> date | None:
    """Start of the continuous period of care that includes ``on`` (a gap of more than a day ends it)."""
    if not any(r.covers(on) for r in rows):
        return None
    since: date | None = None
    reach: date | None = date.min
    for row in rows:  # sorted by start
        if row.start > on:
            break
        if since is None or (reach is not None and row.start > reach + timedelta(days=1)):
            since = row.start
            reach = row.end
        elif reach is not None:
            reach = None if row.end is None else max(reach, row.end)
    return since


@dataclass(frozen=True)
class _Limits:
    """The dates each rule compares with, worked out once per cut-off date."""

    on: date
    year_before: date  # placements ending after this are in the 12 months
    cohort_since: date  # looked after since this date or earlier: two and a half years
    stable_since: date  # in the placement since this date or earlier: two years

    @classmethod
    def for_date(cls, on: date) -> _Limits:
        return cls(on, add_months(on, -12), add_months(on, -30), add_months(on, -24))


def _child_on(child: dict, rows: list[_Row], spells: list[_Spell], limits: _Limits) -> ChildStability | None:
    on = limits.on
    since = _looked_after_since(rows, on)
    if since is None:
        return None
    window_start = limits.year_before
    in_year = [s for s in spells if s.start <= on and (s.end is None or s.end > window_start)]
    started = [s for s in spells if s.start <= on]
    if not started:  # only a temporary placement so far
        return None
    current = started[-1]
    current_row = next(
        (r for r in reversed(rows) if r.covers(on) and r.placement_type not in TEMPORARY_CODES), current.last
    )
    age = _age_on(child["date_of_birth"], on)
    cohort = age < 16 and since <= limits.cohort_since
    adoption = current_row.placement_type in ADOPTION_CODES
    effective_start = current.start
    if adoption and len(started) >= 2:
        previous = started[-2]
        previous_days = ((previous.end or current.start) - previous.start).days
        effective_start = current.start - timedelta(days=previous_days)
    stable = cohort and effective_start <= limits.stable_since
    return ChildStability(
        child_id=child["id"],
        name=f"{child['first_name']} {child['last_name']}",
        local_reference=child["local_reference"],
        date_of_birth=child["date_of_birth"],
        team=child["team__name"] or "",
        age=age,
        looked_after_since=since,
        placements_in_year=len(in_year),
        current_placement_since=current.start,
        current_placement_type=current_row.placement_type,
        placed_for_adoption=adoption,
        three_or_more=len(in_year) >= 3,
        long_term_cohort=cohort,
        long_term_stable=stable,
    )


def _age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def stability_figures(
    children: QuerySet[Child], cut_offs: Iterable[date], *, reading: str = READING_DFE
) -> dict[date, StabilityFigures]:
    """The indicators on each cut-off date for ``children`` (already scoped to the user).

    Two queries whatever the number of dates: the children looked after on any of the dates, and all
    their placements.
    """
    if reading not in dict(READINGS):
        raise ValueError(f"Unknown reading {reading!r}.")
    cut_offs = sorted(set(cut_offs))
    result = {on: StabilityFigures(on=on, reading=reading) for on in cut_offs}
    if not cut_offs:
        return result
    covering = Q()
    for on in cut_offs:
        covering |= Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    candidates = (
        children.exclude(legal_status__in=SHORT_BREAK_STATUSES)
        .filter(pk__in=Placement.objects.filter(covering).values("child_id"))
        .values("id", "first_name", "last_name", "local_reference", "date_of_birth", "team__name")
    )
    people = {c["id"]: c for c in candidates}
    if not people:
        return result
    by_child: dict[int, list[_Row]] = defaultdict(list)
    placements = (
        Placement.objects.filter(child__in=candidates.values("id"))
        .order_by("child_id", "start_date", "pk")
        .values(
            "child_id",
            "start_date",
            "end_date",
            "placement_type",
            "carer_household_id",
            "home_id",
            "reason_for_change",
        )
    )
    for p in placements:
        by_child[p["child_id"]].append(
            _Row(p["start_date"], p["end_date"], p["placement_type"], _carers(p), p["reason_for_change"])
        )
    limits = [_Limits.for_date(on) for on in cut_offs]
    for child_id, rows in by_child.items():
        spells = _spells(rows, reading)
        for limit in limits:
            row = _child_on(people[child_id], rows, spells, limit)
            if row is not None:
                result[limit.on].children.append(row)
    for figures in result.values():
        figures.children.sort(
            key=lambda c: (people[c.child_id]["last_name"], people[c.child_id]["first_name"], c.child_id)
        )
    return result


def stability_on(children: QuerySet[Child], on: date, *, reading: str = READING_DFE) -> StabilityFigures:
    return stability_figures(children, [on], reading=reading)[on]
