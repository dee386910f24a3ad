"""Working-day maths (rule G2), checked by brute force and against the official GOV.UK feed."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.deadlines import (
    CALENDARS,
    Deadline,
    add_working_days,
    bank_holidays,
    deadline_compute,
    is_working_day,
    working_days_between,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
FEED_NAMES = ("govuk-bank-holidays.json", "govuk-bank-holidays-2018-2026.json")
DIVISION_CALENDARS = {
    "england-and-wales": ("ENG", "WLS"),
    "scotland": ("SCT",),
    "northern-ireland": ("NIR",),
}


def _feed_path(name: str) -> Path:
    """Prefer the copy in fixtures/reference/, else the shared reference beside the clone."""
    for folder in (REPO_ROOT / "fixtures" / "reference", REPO_ROOT.parent / "shared" / "reference"):
        if (folder / name).exists():
            return folder / name
    pytest.fail(f"GOV.UK bank-holiday feed {name} not found in fixtures/reference/ or ../shared/reference/")


def _feed_cases():
    for name in FEED_NAMES:
        feed = json.loads(_feed_path(name).read_text(encoding="utf-8"))
        for division, calendars in DIVISION_CALENDARS.items():
            dates = {date.fromisoformat(event["date"]) for event in feed[division]["events"]}
            for calendar in calendars:
                yield pytest.param(calendar, dates, name, id=f"{name}-{division}-{calendar}")


# --- brute force, independent of the module: day by day with the package's holidays ---------------


def _brute_holiday_dates(calendar: str, first_year: int, last_year: int) -> set[date]:
    return set(holidays.UK(subdiv=calendar, years=range(first_year, last_year + 1)).keys())


_BRUTE_CACHE: dict[str, set[date]] = {}


def _brute_is_working(d: date, calendar: str) -> bool:
    if calendar not in _BRUTE_CACHE:
        _BRUTE_CACHE[calendar] = _brute_holiday_dates(calendar, 1995, 2045)
    return d.weekday() not in (5, 6) and d not in _BRUTE_CACHE[calendar]


def _brute_add(start: date, n: int, calendar: str) -> date:
    d, found = start, 0
    while found < abs(n):
        d = d + timedelta(days=1 if n > 0 else -1)
        if _brute_is_working(d, calendar):
            found += 1
    return d


def _brute_between(start: date, end: date, calendar: str) -> int:
    count, d = 0, start
    if end >= start:
        while d < end:
            d += timedelta(days=1)
            count += _brute_is_working(d, calendar)
        return count
    while d > end:
        d -= timedelta(days=1)
        count += _brute_is_working(d, calendar)
    return -count


dates_2000_2040 = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
calendars = st.sampled_from(sorted(CALENDARS))


@settings(max_examples=300, deadline=None)
@given(start=dates_2000_2040, n=st.integers(min_value=-60, max_value=60), calendar=calendars)
def test_add_working_days_matches_day_by_day_count__G2(start, n, calendar):
    assert add_working_days(start, n, calendar) == _brute_add(start, n, calendar)


@settings(max_examples=300, deadline=None)
@given(start=dates_2000_2040, end=dates_2000_2040, calendar=calendars)
def test_working_days_between_matches_day_by_day_count__G2(start, end, calendar):
    assert working_days_between(start, end, calendar) == _brute_between(start, end, calendar)


@settings(max_examples=300, deadline=None)
@given(start=dates_2000_2040, n=st.integers(min_value=-400, max_value=400), calendar=calendars)
def test_between_is_inverse_of_add__G2(start, n, calendar):
    due = add_working_days(start, n, calendar)
    assert working_days_between(start, due, calendar) == n
    if n:
        assert is_working_day(due, calendar)


@settings(max_examples=300, deadline=None)
@given(day=dates_2000_2040, calendar=calendars)
def test_is_working_day_matches_brute_force__G2(day, calendar):
    assert is_working_day(day, calendar) == _brute_is_working(day, calendar)


@settings(max_examples=200, deadline=None)
@given(
    anchor=dates_2000_2040,
    days=st.integers(min_value=0, max_value=60),
    direction=st.sampled_from(["after", "before"]),
    calendar=calendars,
)
def test_deadline_skipped_lists_exactly_the_weekday_holidays_passed__G2(anchor, days, direction, calendar):
    deadline = deadline_compute(
        anchor=anchor, days=days, unit="working", direction=direction, calendar=calendar
    )
    signed = days if direction == "after" else -days
    assert deadline.due == _brute_add(anchor, signed, calendar)
    low, high = sorted([anchor, deadline.due])
    expected = [
        d
        for d in (low + timedelta(days=i) for i in range((high - low).days + 1))
        if d != anchor and d.weekday() < 5 and not _brute_is_working(d, calendar)
    ]
    assert [d for d, _ in deadline.skipped] == expected
    assert all(d.weekday() < 5 for d, _ in deadline.skipped)


# --- explanations -------------------------------------------------------------------------------


def test_explains_christmas_2025_example__G2():
    deadline = deadline_compute(anchor=date(2025, 12, 19), days=5, unit="working")
    # Mon 22, Tue 23, Wed 24, (Thu 25, Fri 26 bank holidays, weekend), Mon 29, Tue 30.
    assert deadline.due == date(2025, 12, 30)
    assert deadline.skipped == ((date(2025, 12, 25), "Christmas Day"), (date(2025, 12, 26), "Boxing Day"))
    assert deadline.explain() == (
        "5 working days after Fri 19 Dec 2025 (England), skipping weekends and the bank holidays "
        "Thu 25 Dec 2025 (Christmas Day) and Fri 26 Dec 2025 (Boxing Day): Tue 30 Dec 2025."
    )


def test_explanation_names_substitute_weekday_not_weekend_date__G2():
    # 26 Dec 2026 is a Saturday; the substitute bank holiday is Mon 28 Dec 2026.
    assert date(2026, 12, 26) in bank_holidays("ENG", 2026)  # the package lists the weekend date too
    deadline = deadline_compute(anchor=date(2026, 12, 23), days=3, unit="working")
    assert deadline.due == date(2026, 12, 30)
    text = deadline.explain()
    assert "Mon 28 Dec 2026" in text
    assert "Fri 25 Dec 2026 (Christmas Day)" in text
    assert "Sat 26 Dec 2026" not in text
    assert [d for d, _ in deadline.skipped] == [date(2026, 12, 25), date(2026, 12, 28)]
    assert text.endswith(": Wed 30 Dec 2026.")


def test_calendar_days_say_so__G2():
    deadline = deadline_compute(anchor=date(2026, 1, 5), days=28, unit="calendar")
    assert deadline.due == date(2026, 2, 2)
    assert deadline.skipped == ()
    assert deadline.explain() == (
        "28 calendar days after Mon 5 Jan 2026: Mon 2 Feb 2026 "
        "(calendar days: weekends and bank holidays count)."
    )


def test_calendar_days_count_over_christmas__G2():
    deadline = deadline_compute(anchor=date(2025, 12, 20), days=42, unit="calendar")
    assert deadline.due == date(2026, 1, 31)


def test_before_direction_for_reports_due_before_meeting__G2():
    # D8: reports due 10 working days before a meeting on Mon 5 Jan 2026.
    deadline = deadline_compute(anchor=date(2026, 1, 5), days=10, unit="working", direction="before")
    assert deadline.due == date(2025, 12, 17)
    assert deadline.explain().startswith("10 working days before Mon 5 Jan 2026 (England)")
    assert "Thu 1 Jan 2026 (New Year's Day)" in deadline.explain()


def test_explanation_without_holidays_mentions_weekends_only__G2():
    deadline = deadline_compute(anchor=date(2026, 3, 6), days=5, unit="working")
    assert deadline.due == date(2026, 3, 13)
    assert deadline.explain() == (
        "5 working days after Fri 6 Mar 2026 (England), skipping weekends (no bank holidays in between): "
        "Fri 13 Mar 2026."
    )


def test_singular_day_and_single_holiday__G2():
    deadline = deadline_compute(anchor=date(2026, 6, 12), days=1, unit="working", calendar="SCT")
    assert deadline.due == date(2026, 6, 16)
    assert deadline.explain().startswith(
        "1 working day after Fri 12 Jun 2026 (Scotland), skipping weekends and the bank holiday "
        "Mon 15 Jun 2026"
    )


@pytest.mark.parametrize(
    ("calendar", "anchor", "due"),
    [
        ("ENG", date(2026, 4, 2), date(2026, 4, 7)),  # Good Friday and Easter Monday
        ("WLS", date(2026, 4, 2), date(2026, 4, 7)),
        ("SCT", date(2026, 4, 2), date(2026, 4, 6)),  # no Easter Monday in Scotland
        ("NIR", date(2026, 3, 16), date(2026, 3, 18)),  # St Patrick's Day
        ("ENG", date(2026, 3, 16), date(2026, 3, 17)),
        ("SCT", date(2026, 6, 12), date(2026, 6, 16)),  # one-off holiday 15 Jun 2026
        ("ENG", date(2026, 6, 12), date(2026, 6, 15)),
    ],
)
def test_nation_calendars_differ__G2(calendar, anchor, due):
    assert add_working_days(anchor, 1, calendar) == due


def test_zero_days_is_the_anchor__G2():
    assert add_working_days(date(2026, 12, 26), 0) == date(2026, 12, 26)
    deadline = deadline_compute(anchor=date(2026, 12, 26), days=0, unit="working")
    assert deadline.due == date(2026, 12, 26)
    assert deadline.skipped == ()


def test_working_days_between_convention__G2():
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Fri -> Mon
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1  # Mon -> Fri
    assert working_days_between(date(2026, 3, 7), date(2026, 3, 8)) == 0  # Sat -> Sun
    assert working_days_between(date(2026, 3, 8), date(2026, 3, 6)) == -1  # Sun -> Fri
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"anchor": "2026-01-05", "days": 5, "unit": "working"}, "must be a date"),
        ({"anchor": datetime(2026, 1, 5, 9), "days": 5, "unit": "working"}, "must be a date"),
        ({"anchor": date(2026, 1, 5), "days": -1, "unit": "working"}, "cannot be negative"),
        ({"anchor": date(2026, 1, 5), "days": 2.5, "unit": "working"}, "whole number"),
        ({"anchor": date(2026, 1, 5), "days": True, "unit": "working"}, "whole number"),
        ({"anchor": date(2026, 1, 5), "days": 5, "unit": "weeks"}, "'working' or 'calendar'"),
        (
            {"anchor": date(2026, 1, 5), "days": 5, "unit": "working", "direction": "within"},
            "'after' or 'before'",
        ),
        (
            {"anchor": date(2026, 1, 5), "days": 5, "unit": "working", "calendar": "UK"},
            "Unknown bank-holiday",
        ),
    ],
)
def test_deadline_compute_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        deadline_compute(**kwargs)


def test_text_choices_arguments_become_plain_strings__G2():
    from django.db import models

    class Unit(models.TextChoices):
        WORKING = "working", "Working days"

    deadline = deadline_compute(anchor=date(2026, 1, 5), days=5, unit=Unit.WORKING)
    assert type(deadline.unit) is str
    assert deadline.explain().startswith("5 working days after Mon 5 Jan 2026 (England)")


def test_deadline_is_frozen():
    deadline = deadline_compute(anchor=date(2026, 1, 5), days=5, unit="working")
    assert isinstance(deadline, Deadline)
    with pytest.raises(AttributeError):
        deadline.due = date(2026, 1, 1)  # type: ignore[misc]


# --- official GOV.UK feed -----------------------------------------------------------------------


@pytest.mark.parametrize(("calendar", "feed_dates", "feed_name"), list(_feed_cases()))
def test_every_feed_date_is_a_non_working_day__G2(calendar, feed_dates, feed_name):
    for day in feed_dates:
        assert not is_working_day(day, calendar), f"{day} should not be a working day in {calendar}"


# The early-2024 feed predates the announcement of Scotland's one-off holiday on 15 Jun 2026.
ANNOUNCED_AFTER_FEED = {"govuk-bank-holidays-2018-2026.json": {"SCT": {date(2026, 6, 15)}}}


@pytest.mark.parametrize(("calendar", "feed_dates", "feed_name"), list(_feed_cases()))
def test_package_weekday_holidays_equal_feed__G2(calendar, feed_dates, feed_name):
    feed_dates = feed_dates | ANNOUNCED_AFTER_FEED.get(feed_name, {}).get(calendar, set())
    years = sorted({d.year for d in feed_dates})
    package_weekdays = {d for d in bank_holidays(calendar, years) if d.weekday() < 5}
    assert package_weekdays == feed_dates
    # And every other weekday in those years is a working day.
    day = date(years[0], 1, 1)
    while day.year <= years[-1]:
        assert is_working_day(day, calendar) == (day.weekday() < 5 and day not in feed_dates)
        day += timedelta(days=1)


def test_feed_includes_scotland_one_off_holiday__G2():
    feed = json.loads(_feed_path("govuk-bank-holidays.json").read_text(encoding="utf-8"))
    scotland = {event["date"] for event in feed["scotland"]["events"]}
    assert "2026-06-15" in scotland
    assert not is_working_day(date(2026, 6, 15), "SCT")
    assert is_working_day(date(2026, 6, 15), "ENG")
