"""Working-day and calendar-day deadlines (rule G2).

A *working day* is Monday to Friday, except the bank holidays of the chosen nation's calendar
(England by default; Wales, Scotland and Northern Ireland are selectable). Bank holidays come from the
``holidays`` package (``holidays.UK(subdiv=...)``), checked in the tests against the official GOV.UK
feed. The package lists a holiday on its weekend date as well as on the substitute weekday (e.g. both
Sat 26 Dec 2026 and Mon 28 Dec 2026): only weekday holidays change any count, and only those are named
in explanations.

Counting convention, used by every function here: the start date itself never counts; the count moves
one day at a time towards the end and includes the end date. ``add_working_days(d, 5)`` is the fifth
working day after ``d``; ``add_working_days(d, -10)`` is the tenth working day before ``d``; and
``working_days_between(start, add_working_days(start, n)) == n`` for every ``n``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays

from portal import dates

CALENDARS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
UNITS = ("working", "calendar")
DIRECTIONS = ("after", "before")

_ONE_DAY = timedelta(days=1)


def _check_calendar(calendar: str) -> None:
    if calendar not in CALENDARS:
        known = ", ".join(f"{code} ({name})" for code, name in CALENDARS.items())
        raise ValueError(f"Unknown bank-holiday calendar {calendar!r}: use one of {known}.")


@functools.lru_cache(maxsize=512)
def _holidays_for_year(calendar: str, year: int) -> tuple[tuple[date, str], ...]:
    """All bank holidays of one calendar and year, sorted (weekend dates included)."""
    _check_calendar(calendar)
    found = holidays.UK(subdiv=calendar, years=year)
    return tuple(sorted((day, name) for day, name in found.items() if day.year == year))


@functools.lru_cache(maxsize=512)
def _weekday_holidays_for_year(calendar: str, year: int) -> dict[date, str]:
    return {day: name for day, name in _holidays_for_year(calendar, year) if day.weekday() < 5}


def bank_holidays(calendar: str, years: int | Iterable[int]) -> dict[date, str]:
    """Bank holidays of ``calendar`` ("ENG", "WLS", "SCT", "NIR") in ``years`` (an int or iterable).

    Includes the holiday's own date even when it falls at a weekend (the package's behaviour); use
    :func:`is_working_day` to know whether a date counts.
    """
    _check_calendar(calendar)
    year_list = [years] if isinstance(years, int) else list(years)
    result: dict[date, str] = {}
    for year in year_list:
        result.update(_holidays_for_year(calendar, int(year)))
    return dict(sorted(result.items()))


def _bank_holiday_name(d: date, calendar: str) -> str | None:
    """Name of the weekday bank holiday on ``d``, or None."""
    return _weekday_holidays_for_year(calendar, d.year).get(d)


def is_working_day(d: date, calendar: str = "ENG") -> bool:
    """Monday to Friday and not a bank holiday of ``calendar``."""
    _check_calendar(calendar)
    return d.weekday() < 5 and _bank_holiday_name(d, calendar) is None


def add_working_days(start: date, n: int, calendar: str = "ENG") -> date:
    """The ``n``-th working day after ``start`` (``n`` > 0), before it (``n`` < 0), or ``start`` (0).

    ``start`` itself never counts, so the result for ``n`` != 0 is always a working day.
    """
    _check_calendar(calendar)
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    current = start
    while remaining:
        current += step
        if is_working_day(current, calendar):
            remaining -= 1
    return current


def _weekdays_up_to(d: date) -> int:
    """Number of Mondays-to-Fridays from 1 Jan 0001 (a Monday) up to and including ``d``."""
    ordinal = d.toordinal()
    return (ordinal // 7) * 5 + min(ordinal % 7, 5)


def _weekday_holidays_in(first: date, last: date, calendar: str) -> list[tuple[date, str]]:
    """Weekday bank holidays with ``first`` <= date <= ``last``, sorted."""
    found: list[tuple[date, str]] = []
    for year in range(first.year, last.year + 1):
        for day, name in sorted(_weekday_holidays_for_year(calendar, year).items()):
            if first <= day <= last:
                found.append((day, name))
    return found


def working_days_between(start: date, end: date, calendar: str = "ENG") -> int:
    """Working days from ``start`` to ``end``, not counting ``start`` but counting ``end``.

    For ``end`` >= ``start`` this is the number of working days in (start, end]. For ``end`` < ``start``
    it is minus the number of working days in [end, start). So it is the inverse of
    :func:`add_working_days`: ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    _check_calendar(calendar)
    if end == start:
        return 0
    if end > start:
        first, last, sign = start + _ONE_DAY, end, 1
    else:
        first, last, sign = end, start - _ONE_DAY, -1
    weekdays = _weekdays_up_to(last) - _weekdays_up_to(first - _ONE_DAY)
    return sign * (weekdays - len(_weekday_holidays_in(first, last, calendar)))


def format_day(d: date) -> str:
    """GOV.UK-style short date with weekday, e.g. "Fri 19 Dec 2025"."""
    return dates.day_with_weekday(d)


def _holiday_label(name: str) -> str:
    return name.replace(" (observed)", ", substitute day")


def _and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Deadline:
    """A computed deadline that can say how it was worked out."""

    anchor: date
    days: int
    unit: str  # "working" | "calendar"
    direction: str  # "after" | "before"
    calendar: str
    due: date
    skipped: tuple[tuple[date, str], ...] = ()  # weekday bank holidays skipped (never weekends)

    def explain(self) -> str:
        day_word = "day" if self.days == 1 else "days"
        head = f"{self.days} {self.unit} {day_word} {self.direction} {format_day(self.anchor)}"
        if self.unit == "calendar":
            return f"{head}: {format_day(self.due)} (calendar days: weekends and bank holidays count)."
        head += f" ({CALENDARS[self.calendar]})"
        if self.days == 0:
            return f"{head}: {format_day(self.due)}."
        if self.skipped:
            names = [f"{format_day(day)} ({_holiday_label(name)})" for day, name in self.skipped]
            noun = "bank holiday" if len(names) == 1 else "bank holidays"
            skipping = f"skipping weekends and the {noun} {_and_join(names)}"
        else:
            skipping = "skipping weekends (no bank holidays in between)"
        return f"{head}, {skipping}: {format_day(self.due)}."

    def __str__(self) -> str:
        return self.explain()


def deadline_compute(
    *, anchor: date, days: int, unit: str, direction: str = "after", calendar: str = "ENG"
) -> Deadline:
    """Compute a deadline ``days`` working or calendar days ``direction`` ``anchor`` (rule G2).

    Raises ValueError with a readable message on bad arguments.
    """
    if isinstance(anchor, datetime) or not isinstance(anchor, date):
        raise ValueError(f"The anchor must be a date (not a date-time); got {anchor!r}.")
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValueError(f"The number of days must be a whole number; got {days!r}.")
    if days < 0:
        raise ValueError(f"The number of days cannot be negative ({days}); use direction='before'.")
    if unit not in UNITS:
        raise ValueError(f"The unit must be 'working' or 'calendar'; got {unit!r}.")
    if direction not in DIRECTIONS:
        raise ValueError(f"The direction must be 'after' or 'before'; got {direction!r}.")
    _check_calendar(calendar)
    # Plain strings even when given Django TextChoices members, so a Deadline compares and prints simply.
    unit, direction, calendar = str(unit), str(direction), str(calendar)

    signed = days if direction == "after" else -days
    if unit == "calendar":
        return Deadline(anchor, days, unit, direction, calendar, anchor + timedelta(days=signed), ())

    due = add_working_days(anchor, signed, calendar)
    if due == anchor:
        skipped: list[tuple[date, str]] = []
    elif due > anchor:
        skipped = _weekday_holidays_in(anchor + _ONE_DAY, due, calendar)
    else:
        skipped = _weekday_holidays_in(due, anchor - _ONE_DAY, calendar)
    return Deadline(anchor, days, unit, direction, calendar, due, tuple(skipped))
