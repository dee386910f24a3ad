"""The fact catalogue and the fact snapshot (issue 10): expected values are worked by hand below."""

from __future__ import annotations

import json
from datetime import date

import pytest

from portal.choices import LegalStatus, Role
from tests.factories import CarerHouseholdFactory, ChildFactory, PlacementFactory, UserFactory
from workflows.fact_snapshot import RequestFacts, blank_snapshot, fact_snapshot
from workflows.facts import FACTS, VOCABULARIES, FactType, fact_path, parse_fact_path

ANCHOR = date(2026, 3, 1)


def test_catalogue_holds_every_fact_issue_10_names():
    wanted = {
        "placement.type",
        "placement.type_code",
        "placement.purpose",
        "placement.is_permanent",
        "placement.ratified_permanent_on",
        "placement.start_date",
        "placement.end_date",
        "placement.length_days",
        "placement.length_months",
        "placement.length_years",
        "placement.ended_unplanned",
        "placement.is_agency",
        "placement.is_connected_person",
        "placement.out_of_area",
        "placement.legal_order",
        "placement.legal_order_date",
        "child.age_years",
        "child.legal_status",
        "history.child_moves",
        "history.child_unplanned_endings",
        "history.child_disruptions",
        "history.carer_unplanned_endings",
        "request.raised_by_kind",
        "request.requester_role",
        "request.flags",
        "meeting.requested_late",
        "meeting.stage",
    }
    assert wanted <= set(FACTS)


@pytest.mark.parametrize("fact", list(FACTS.values()), ids=list(FACTS))
def test_every_fact_has_a_label_help_words_and_what_its_type_needs(fact):
    assert fact.label and fact.help.endswith(".") and fact.words
    if fact.type == FactType.BOOL:
        assert fact.false_words
    if fact.type == FactType.DURATION:
        assert fact.unit in {"days", "months", "years"}
    if fact.type in {FactType.CHOICE, FactType.PERSON_KIND, FactType.FLAGS}:
        assert fact.vocabulary in VOCABULARIES
    if not fact.recorded:
        assert "Not recorded yet" in fact.help


def test_history_fact_paths_carry_their_window():
    assert fact_path("history.child_moves", 12) == "history.child_moves.last_12_months"
    assert parse_fact_path("history.child_moves.last_12_months") == (FACTS["history.child_moves"], 12)
    assert parse_fact_path("placement.type") == (FACTS["placement.type"], None)
    assert parse_fact_path("placement.type.last_12_months") is None
    assert parse_fact_path("history.child_moves.last_twelve_months") is None


@pytest.mark.django_db
def test_placement_length_and_ending_facts_worked_by_hand():
    # 31 Jan 2022 to 28 Feb 2025: 3 years and 1 month (a month after 31 Jan ends on 28 Feb);
    # 1096 days to 31 Jan 2025, + 28 = 1124 days.
    placement = PlacementFactory(
        start_date=date(2022, 1, 31),
        end_date=date(2025, 2, 28),
        ended_unplanned=True,
        reason_for_change="CREQB",
        is_permanent=True,
        ratified_permanent_on=date(2023, 5, 15),
    )
    facts = fact_snapshot(child=placement.child, placement=placement, anchor_on=ANCHOR)["placement"]
    assert facts["length_days"] == 1124
    assert facts["length_months"] == 37
    assert facts["length_years"] == 3
    assert facts["months_since_ratified"] == 21  # 15 May 2023 to 28 Feb 2025: 1 year 9 months 13 days
    assert facts["has_ended"] is True
    assert facts["ended_unplanned"] is True
    assert facts["end_date"] == "2025-02-28"
    assert facts["ratified_permanent_on"] == "2023-05-15"
    assert facts["purpose"] == "permanent"
    assert facts["reason_for_change"] == "CREQB"
    assert facts["type"] == "in_house_fostering" and facts["type_code"] == "U6"
    assert facts["is_agency"] is False and facts["is_connected_person"] is False


@pytest.mark.django_db
def test_month_end_rule_a_month_after_31_january_ends_on_28_february():
    placement = PlacementFactory(start_date=date(2025, 1, 31))

    def months(day: date) -> int:
        snapshot = fact_snapshot(child=placement.child, placement=placement, anchor_on=day)
        return snapshot["placement"]["length_months"]

    assert months(date(2025, 2, 27)) == 0
    assert months(date(2025, 2, 28)) == 1
    assert months(date(2025, 3, 30)) == 1
    assert months(date(2025, 3, 31)) == 2


@pytest.mark.django_db
def test_a_placement_going_on_is_measured_to_the_anchor_date_and_has_no_ending():
    # Ends after the anchor date: on the anchor date it is still going on.
    placement = PlacementFactory(start_date=date(2025, 3, 1), end_date=date(2026, 6, 1), ended_unplanned=True)
    facts = fact_snapshot(child=placement.child, placement=placement, anchor_on=ANCHOR)["placement"]
    assert facts["has_ended"] is False
    assert facts["ended_unplanned"] is None and facts["end_date"] is None
    assert (facts["length_days"], facts["length_months"], facts["length_years"]) == (365, 12, 1)


@pytest.mark.django_db
def test_agency_and_connected_person_facts():
    agency = PlacementFactory(agency_fostering=True)
    facts = fact_snapshot(child=agency.child, placement=agency, anchor_on=ANCHOR)["placement"]
    assert facts["type"] == "agency_fostering" and facts["type_code"] == "U4"
    assert facts["is_agency"] is True and facts["provider_code"] == "PR4"
    assert facts["notice_period_days"] == 28 and facts["has_contingency_plan"] is True
    assert facts["purpose"] == "long_term"  # U4 is long-term fostering in SSDA903
    connected = PlacementFactory(connected_person=True)
    facts = fact_snapshot(child=connected.child, placement=connected, anchor_on=ANCHOR)["placement"]
    assert facts["is_connected_person"] is True and facts["is_agency"] is False
    assert facts["purpose"] is None  # U3: not long-term, not permanent: not recorded


@pytest.mark.django_db
def test_facts_the_case_record_does_not_hold_yet_are_unknown():
    placement = PlacementFactory()
    facts = fact_snapshot(child=placement.child, placement=placement, anchor_on=ANCHOR)["placement"]
    assert facts["out_of_area"] is None
    assert facts["legal_order"] is None and facts["legal_order_date"] is None


@pytest.mark.django_db
def test_short_breaks_make_the_purpose_respite():
    child = ChildFactory(legal_status=LegalStatus.V3)
    placement = PlacementFactory(child=child)
    snapshot = fact_snapshot(child=child, placement=placement, anchor_on=ANCHOR)
    assert snapshot["placement"]["purpose"] == "respite"


@pytest.mark.django_db
def test_child_age_on_the_anchor_date():
    child = ChildFactory(date_of_birth=date(2014, 3, 2))
    placement = PlacementFactory(child=child)

    def child_facts(day: date) -> dict:
        return fact_snapshot(child=child, placement=placement, anchor_on=day)["child"]

    assert child_facts(date(2026, 3, 1)) == {"age_years": 11, "legal_status": "C2"}
    assert child_facts(date(2026, 3, 2))["age_years"] == 12


@pytest.fixture
def history(db):
    """A child with four placements and carers with three other children's endings.

    Child: P1 10 Jan 2023 - 30 Jun 2024 permanent, unplanned (a disruption); P2 1 Jul 2024 - 15 Sep 2025
    unplanned; P3 16 Sep 2025 - 31 Jan 2026 planned; P4 from 1 Feb 2026 with household H.
    H's other placements: ended unplanned 1 Dec 2025, unplanned 1 Mar 2025 (the 12-month window's
    first day outside, for an anchor of 1 Mar 2026), unplanned 5 Jan 2024, planned 10 Jan 2026.
    """
    child = ChildFactory()
    household = CarerHouseholdFactory()
    PlacementFactory(
        child=child,
        start_date=date(2023, 1, 10),
        end_date=date(2024, 6, 30),
        ended_unplanned=True,
        is_permanent=True,
        ratified_permanent_on=date(2023, 6, 1),
    )
    for start, end, unplanned in [
        (date(2024, 7, 1), date(2025, 9, 15), True),
        (date(2025, 9, 16), date(2026, 1, 31), False),
    ]:
        PlacementFactory(child=child, start_date=start, end_date=end, ended_unplanned=unplanned)
    current = PlacementFactory(child=child, start_date=date(2026, 2, 1), carer_household=household)
    for ended, unplanned in [
        (date(2025, 12, 1), True),
        (date(2025, 3, 1), True),
        (date(2024, 1, 5), True),
        (date(2026, 1, 10), False),
    ]:
        PlacementFactory(
            carer_household=household,
            start_date=date(2023, 1, 1),
            end_date=ended,
            ended_unplanned=unplanned,
        )
    return child, current


def test_history_counts_per_window_worked_by_hand(history):
    child, current = history
    snapshot = fact_snapshot(child=child, placement=current, anchor_on=ANCHOR, history_months=[6, 12, 24, 36])
    h = snapshot["history"]
    # 12 months: after 1 Mar 2025 up to 1 Mar 2026.
    assert h["child_moves"]["last_12_months"] == 2  # P3, P4
    assert h["child_unplanned_endings"]["last_12_months"] == 1  # P2
    assert h["child_disruptions"]["last_12_months"] == 0
    assert h["carer_unplanned_endings"]["last_12_months"] == 1  # 1 Dec 2025; 1 Mar 2025 is outside
    # 24 months: after 1 Mar 2024.
    assert h["child_moves"]["last_24_months"] == 3  # P2, P3, P4 (P1 was the first placement)
    assert h["child_unplanned_endings"]["last_24_months"] == 2  # P1, P2
    assert h["child_disruptions"]["last_24_months"] == 1  # P1
    assert h["carer_unplanned_endings"]["last_24_months"] == 2
    assert h["carer_unplanned_endings"]["last_36_months"] == 3
    assert h["child_moves"]["last_6_months"] == 2


def test_snapshot_computes_the_windows_its_conditions_name(history):
    child, current = history
    condition = {">=": [{"var": "history.carer_unplanned_endings.last_24_months"}, 2]}
    snapshot = fact_snapshot(child=child, placement=current, anchor_on=ANCHOR, conditions=[condition])
    assert snapshot["history"]["carer_unplanned_endings"] == {"last_24_months": 2}
    assert snapshot["history"]["child_moves"] == {"last_24_months": 3}


def test_snapshot_queries_stay_bounded_whatever_the_windows(history, django_assert_max_num_queries):
    child, current = history
    with django_assert_max_num_queries(2):
        fact_snapshot(child=child, placement=current, anchor_on=ANCHOR, history_months=range(1, 61))
    with django_assert_max_num_queries(0):
        fact_snapshot(child=child, placement=current, anchor_on=ANCHOR)


def test_a_home_placement_has_no_carer_household_history(db):
    placement = PlacementFactory(in_house_residential=True)
    snapshot = fact_snapshot(
        child=placement.child, placement=placement, anchor_on=ANCHOR, history_months=[12]
    )
    assert snapshot["history"]["carer_unplanned_endings"] == {"last_12_months": None}
    assert snapshot["history"]["child_moves"] == {"last_12_months": 0}


@pytest.mark.django_db
def test_request_facts_come_from_the_request():
    placement = PlacementFactory()
    manager = UserFactory(role=Role.TEAM_MANAGER)
    request = RequestFacts(
        raised_by_kind="teacher",
        requester=manager,
        flags=("complex",),
        triggers=("allegation",),
        requested_late=True,
    )
    snapshot = fact_snapshot(child=placement.child, placement=placement, anchor_on=ANCHOR, request=request)
    assert snapshot["request"] == {
        "raised_by_kind": "teacher",
        "requester_role": "team_manager",
        "requester_council_role": None,  # no council role of their own (issue 10)
        "flags": ["complex"],
        "triggers": ["allegation"],
    }
    assert snapshot["meeting"] == {"requested_late": True, "stage": None}


def test_meeting_facts_come_from_the_meeting(people, county):
    from tests.workflows.factories import psm_request

    meeting = psm_request(people, county)
    snapshot = fact_snapshot(
        child=meeting.child, placement=meeting.placement, anchor_on=meeting.anchor_on, meeting=meeting
    )
    assert snapshot["meeting"] == {"requested_late": False, "stage": meeting.state}
    assert snapshot["request"]["requester_role"] == "social_worker"
    assert snapshot["request"]["triggers"] == ["carers_struggling"]
    assert snapshot["request"]["raised_by_kind"] is None


@pytest.mark.django_db
def test_snapshot_is_plain_json_and_holds_every_catalogue_fact():
    placement = PlacementFactory()
    snapshot = fact_snapshot(
        child=placement.child, placement=placement, anchor_on=ANCHOR, history_months=[12]
    )
    assert json.loads(json.dumps(snapshot)) == snapshot
    blank = blank_snapshot([12])
    for key, fact in FACTS.items():
        group, name = key.split(".", 1)
        assert name in snapshot[group], key
        assert name in blank[group], key
        if fact.per_months:
            assert "last_12_months" in snapshot[group][name]


def test_docs_facts_md_matches_the_catalogue():
    from workflows.management.commands.fact_catalogue import doc_path, render

    assert doc_path().read_text(encoding="utf-8") == render(), "Run manage.py fact_catalogue --write."
