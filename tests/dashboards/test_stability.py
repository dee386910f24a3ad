"""Placement stability indicators (DfE) against hand-computed figures on seeded placement histories.

Cut-off 31 March 2026; the 12 months before it run from 31 March 2025 (a placement that ended that
day was left that day). Expected figures, worked by hand (README, "Placement stability indicators"):

child   age  looked after since  placements in year      long-term cohort  stable
alice   13   2021-01-10          1                       yes               yes (5 years with one carer)
ben     11   2025-01-01          3 (moves Jun, Oct)      no (< 2.5 years)  no
cara    12   2022-01-01          1 (T0 break, same carer)yes               yes
dan     16   2020-01-01          1                       no (16 on the day) no
dina    15   2020-01-01          1                       yes               yes
eve     12   2020-05-01          2 (moved on the day)    yes               no (new home that day)
finn     7   2023-01-01          2                       yes               yes (adoption: 609 + 576 days)
gus     10   2023-06-01          2                       yes               no (adoption: 243 + 303 days)
hal      9   2025-02-01          2 DfE / 3 every record  no                no
kim     11   2025-06-01          1 (back in care)        no                no
ivy: left care in January; jo: short-break legal status (V3): neither is counted.
"""

from datetime import date

import pytest

from dashboards.stability import (
    READING_DFE,
    READING_EVERY_RECORD,
    default_cut_off,
    quarter_ends,
    stability_figures,
    stability_on,
)
from portal.models import Child
from tests.factories import CarerHouseholdFactory, ChildFactory, HomeFactory, PlacementFactory

CUT_OFF = date(2026, 3, 31)


def _child(name: str, dob: date, **kw) -> Child:
    return ChildFactory(first_name=name.capitalize(), last_name="Test", date_of_birth=dob, **kw)


def _place(child, start, end=None, *, type_="U6", carers=None, home=None, reason="OTHER") -> None:
    PlacementFactory(
        child=child,
        placement_type=type_,
        carer_household=carers if home is None else None,
        home=home,
        start_date=start,
        end_date=end,
        reason_for_change=reason if end else "",
        ended_unplanned=False if end else None,
    )


@pytest.fixture
def histories(db):
    c = {}
    hh = {k: CarerHouseholdFactory() for k in "ABCDEFGHIJKLMNOP"}
    c["alice"] = _child("alice", date(2012, 6, 1))
    _place(c["alice"], date(2021, 1, 10), carers=hh["A"])

    c["ben"] = _child("ben", date(2014, 5, 5))
    _place(c["ben"], date(2025, 1, 1), date(2025, 6, 1), carers=hh["B"])
    _place(c["ben"], date(2025, 6, 1), date(2025, 10, 1), carers=hh["C"])
    _place(c["ben"], date(2025, 10, 1), type_="K2", home=HomeFactory())

    # A short break (T0, temporary placement of seven days or less) and back to the same carers.
    c["cara"] = _child("cara", date(2014, 2, 2))
    _place(c["cara"], date(2022, 1, 1), date(2025, 8, 1), carers=hh["D"])
    _place(c["cara"], date(2025, 8, 1), date(2025, 8, 5), type_="T0", carers=hh["E"])
    _place(c["cara"], date(2025, 8, 5), carers=hh["D"])

    c["dan"] = _child("dan", date(2010, 3, 31))  # 16 on the cut-off date
    _place(c["dan"], date(2020, 1, 1), carers=hh["F"])
    c["dina"] = _child("dina", date(2010, 4, 1))  # 15 on the cut-off date, 16 the day after
    _place(c["dina"], date(2020, 1, 1), carers=hh["G"])

    c["eve"] = _child("eve", date(2013, 9, 9))  # moves on the cut-off date itself
    _place(c["eve"], date(2020, 5, 1), CUT_OFF, carers=hh["H"])
    _place(c["eve"], CUT_OFF, type_="K2", home=HomeFactory())

    c["finn"] = _child("finn", date(2019, 1, 1))  # placed for adoption: 609 days before + 576 since
    _place(c["finn"], date(2023, 1, 1), date(2024, 9, 1), carers=hh["I"], reason="CARPL")
    _place(c["finn"], date(2024, 9, 1), type_="A4", carers=hh["J"])

    c["gus"] = _child("gus", date(2015, 7, 7))  # placed for adoption: 243 days before + 303 since
    _place(c["gus"], date(2023, 6, 1), date(2024, 10, 1), carers=hh["K"])
    _place(c["gus"], date(2024, 10, 1), date(2025, 6, 1), carers=hh["L"], reason="CARPL")
    _place(c["gus"], date(2025, 6, 1), type_="A6", carers=hh["M"])

    # Same carers, change of placement type only (PLACE): one placement under the DfE reading.
    c["hal"] = _child("hal", date(2016, 8, 8))
    _place(c["hal"], date(2025, 2, 1), date(2025, 7, 1), carers=hh["N"], reason="PLACE")
    _place(c["hal"], date(2025, 7, 1), date(2025, 11, 1), type_="U5", carers=hh["N"], reason="CARPL")
    _place(c["hal"], date(2025, 11, 1), carers=hh["O"])

    c["kim"] = _child("kim", date(2014, 11, 11))  # left care, came back: the period restarts
    _place(c["kim"], date(2019, 1, 1), date(2025, 1, 1), carers=hh["P"])
    _place(c["kim"], date(2025, 6, 1), carers=hh["P"])

    c["ivy"] = _child("ivy", date(2012, 1, 1))  # not looked after on the date
    _place(c["ivy"], date(2020, 1, 1), date(2026, 1, 1), carers=hh["A"])
    c["jo"] = _child("jo", date(2012, 1, 1), legal_status="V3")  # short-term breaks: out of scope
    _place(c["jo"], date(2020, 1, 1), carers=hh["B"])
    return c


def _names(rows) -> set[str]:
    return {r.name.split()[0].lower() for r in rows}


def test_looked_after_on_the_date_excludes_leavers_and_short_break_children(histories) -> None:
    figures = stability_on(Child.objects.all(), CUT_OFF)
    assert _names(figures.rows("looked_after")) == {
        "alice", "ben", "cara", "dan", "dina", "eve", "finn", "gus", "hal", "kim",
    }  # fmt: skip
    assert figures.looked_after == 10


def test_three_or_more_placements_in_the_year_short_break_is_not_a_move(histories) -> None:
    figures = stability_on(Child.objects.all(), CUT_OFF)
    by_name = {r.name.split()[0].lower(): r for r in figures.children}
    assert by_name["ben"].placements_in_year == 3
    assert by_name["cara"].placements_in_year == 1  # T0 and back to the same carers
    assert by_name["eve"].placements_in_year == 2  # the new home from the cut-off day counts
    assert by_name["hal"].placements_in_year == 2  # same carers, status change only
    assert _names(figures.rows("three_or_more")) == {"ben"}
    assert figures.three_or_more == 1
    assert figures.three_or_more_percent == 10.0


def test_every_record_reading_counts_a_change_with_the_same_carers(histories) -> None:
    figures = stability_on(Child.objects.all(), CUT_OFF, reading=READING_EVERY_RECORD)
    assert _names(figures.rows("three_or_more")) == {"ben", "hal"}
    by_name = {r.name.split()[0].lower(): r for r in figures.children}
    assert by_name["cara"].placements_in_year == 1  # a short break is never a move


def test_long_term_cohort_and_stability_edge_cases(histories) -> None:
    figures = stability_on(Child.objects.all(), CUT_OFF, reading=READING_DFE)
    # dan turns 16 on the cut-off date: not under 16; dina is 15; ben, hal and kim < 2.5 years.
    assert _names(figures.rows("long_term_cohort")) == {"alice", "cara", "dina", "eve", "finn", "gus"}
    # eve moved on the cut-off date; gus's adoption placement and previous one total 546 days.
    assert _names(figures.rows("long_term_stable")) == {"alice", "cara", "dina", "finn"}
    assert figures.long_term_percent == round(100 * 4 / 6, 1)


def test_the_day_before_the_move_eve_is_still_stable(histories) -> None:
    figures = stability_on(Child.objects.all(), date(2026, 3, 30))
    by_name = {r.name.split()[0].lower(): r for r in figures.children}
    assert by_name["eve"].long_term_stable
    assert by_name["eve"].placements_in_year == 1


def test_trend_over_quarters_is_two_queries(histories, django_assert_num_queries) -> None:
    ends = quarter_ends(date(2026, 5, 10))
    assert ends[0] == date(2024, 6, 30) and ends[-1] == CUT_OFF and len(ends) == 8
    with django_assert_num_queries(2):
        trend = stability_figures(Child.objects.all(), ends)
    assert trend[CUT_OFF].looked_after == 10
    # 30 June 2024: alice, cara, dan, dina, eve, finn, gus (U6), kim, ivy, jo(excluded).
    assert _names(trend[date(2024, 6, 30)].children) == {
        "alice", "cara", "dan", "dina", "eve", "finn", "gus", "kim", "ivy",
    }  # fmt: skip


def test_scoped_children_only(histories) -> None:
    only = Child.objects.filter(pk__in=[histories["ben"].pk, histories["ivy"].pk])
    figures = stability_on(only, CUT_OFF)
    assert _names(figures.children) == {"ben"}


def test_default_cut_off_is_the_last_31_march() -> None:
    assert default_cut_off(date(2026, 3, 30)) == date(2025, 3, 31)
    assert default_cut_off(date(2026, 3, 31)) == CUT_OFF
    assert quarter_ends(date(2026, 3, 31), 2) == [date(2025, 12, 31), CUT_OFF]
