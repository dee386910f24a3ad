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
from dateutil.relativedelta import relativedelta

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
    rolled_from: date | None = None  # a calendar bound on a weekend or bank holiday, before rolling

    def explain(self) -> str:
        if self.unit in {"weeks", "months"}:
            word = self.unit[:-1] if self.days == 1 else self.unit
            word = "calendar " + word if self.unit == "months" else word
            head = f"{self.days} {word} {self.direction} {format_day(self.anchor)}"
            if self.unit == "months" and self.anchor.day >= 29:
                head += " (a month from the 29th, 30th or 31st ends on the last day of a shorter month)"
            return f"{head}: {self._landing()}."
        day_word = "day" if self.days == 1 else "days"
        head = f"{self.days} {self.unit} {day_word} {self.direction} {format_day(self.anchor)}"
        if self.unit == "calendar":
            if self.rolled_from:
                return f"{head} (calendar days): {self._landing()}."
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

    def _landing(self) -> str:
        if not self.rolled_from:
            return format_day(self.due)
        name = _bank_holiday_name(self.rolled_from, self.calendar)
        why = f"the bank holiday {_holiday_label(name)}" if name else "a weekend"
        if self.rolled_from.weekday() >= 5:
            why = "a weekend"
        moved = "next" if self.due > self.rolled_from else "previous"
        return (
            f"{format_day(self.rolled_from)} is {why} ({CALENDARS[self.calendar]}), so the {moved} "
            f"working day, {format_day(self.due)}"
        )

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


BOUND_UNITS = ("working", "calendar", "weeks", "months")
ROLLS = ("none", "next_working_day", "previous_working_day")


def bound_deadline(
    anchor: date, n: int, unit: str, *, calendar: str = "ENG", direction: str = "after", roll: str = "none"
) -> Deadline:
    """One bound of a timing rule (issue 10), able to explain itself.

    working: ``n`` working days (as :func:`add_working_days`); calendar: ``n`` days; weeks: ``7 * n``
    days; months: ``n`` calendar months with the month-end rule (python-dateutil's relativedelta:
    31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year). ``direction="before"`` counts back from a
    future date. ``roll`` moves a calendar, week or month bound that lands on a weekend or bank holiday
    to the next (or previous) working day; a working-day bound is always a working day already.
    """
    if unit == "working" or unit == "calendar":
        base = deadline_compute(anchor=anchor, days=n, unit=unit, direction=direction, calendar=calendar)
    else:
        if unit not in BOUND_UNITS:
            raise ValueError(f"The unit must be one of {', '.join(BOUND_UNITS)}; got {unit!r}.")
        if direction not in DIRECTIONS:
            raise ValueError(f"The direction must be 'after' or 'before'; got {direction!r}.")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"The number must be a whole number, 0 or more; got {n!r}.")
        _check_calendar(calendar)
        sign = 1 if direction == "after" else -1
        delta = timedelta(weeks=sign * n) if unit == "weeks" else relativedelta(months=sign * n)
        base = Deadline(anchor, n, str(unit), str(direction), str(calendar), anchor + delta, ())
    if roll not in ROLLS:
        raise ValueError(f"The roll must be one of {', '.join(ROLLS)}; got {roll!r}.")
    if roll == "none" or unit == "working" or is_working_day(base.due, calendar):
        return base
    step = 1 if roll == "next_working_day" else -1
    due = add_working_days(base.due, step, calendar)
    return Deadline(anchor, n, base.unit, base.direction, base.calendar, due, (), rolled_from=base.due)


def bound_compute(
    anchor: date, n: int, unit: str, *, calendar: str = "ENG", direction: str = "after", roll: str = "none"
) -> date:
    """The date of one bound of a timing rule; see :func:`bound_deadline` for its explanation."""
    return bound_deadline(anchor, n, unit, calendar=calendar, direction=direction, roll=roll).due
