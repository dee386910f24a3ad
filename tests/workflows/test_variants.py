"""Two further councils describe their own variants purely as data; the engine enforces each unchanged."""

import copy
from datetime import date

import pytest

from workflows import services
from workflows.choices import MeetingState
from workflows.packs import pack_load
from workflows.rules import RuleRefusal

from .factories import (
    at,
    format_2,
    legacy_pack_data,
    meeting_type,
    pack_data,
    psm_request,
    schedule,
    submit_with_reports,
)


def riverside_pack() -> dict:
    """A Welsh council: stability meetings counted from the request in calendar days, chaired by any IRO,
    approved by an assistant team manager too, on the Welsh bank-holiday calendar."""
    data = legacy_pack_data("county")
    data |= {
        "slug": "riverside",
        "name": "Riverside stability meetings",
        "council_name": "Riverside Council",
        "default_calendar": "WLS",
    }
    psm = next(t for t in data["meeting_types"] if t["code"] == "PSM")
    psm |= {
        "name": "Placement support meeting",
        "anchor": "requested",
        "latest_days": 10,
        "unit": "calendar",
        "timing_rule": "RV-3",
        "chair_rule": "RV-4",
        "chair_rules": [
            {
                "categories": [],
                "roles": ["iro"],
                "team_scope": "any",
                "explanation": "In Riverside an IRO chairs every support meeting.",
            }
        ],
        "approver_roles": ["team_manager", "assistant_team_manager"],
        "approver_from_child_team": False,
    }
    data["meeting_types"] = [psm]
    return format_2(data)


def northshire_pack() -> dict:
    """A council that holds disruption meetings for connected carers too, 10 to 20 working days after the
    end, chaired by the child's own team manager (no independence rule)."""
    data = legacy_pack_data("county")
    data |= {
        "slug": "northshire",
        "name": "Northshire disruption meetings",
        "council_name": "Northshire County Council",
    }
    dm = next(t for t in data["meeting_types"] if t["code"] == "DM")
    dm |= {
        "eligibility_rule": "NS-1",
        "eligible_categories": [
            "in_house_fostering",
            "agency_fostering",
            "in_house_residential",
            "connected_person",
        ],
        "exclusions": [
            {
                "category": "agency_residential",
                "message": "Agency homes run their own learning reviews in Northshire.",
            }
        ],
        "earliest_days": 10,
        "latest_days": 20,
        "unit": "working",
        "timing_rule": "NS-2",
        "late_after_days": 20,
        "chair_rule": "NS-5",
        "chair_rules": [
            {
                "categories": [],
                "roles": ["team_manager"],
                "team_scope": "child_team",
                "explanation": "The child's own team manager chairs.",
            }
        ],
        "chair_must_be_independent": False,
        "independence_rule": "",
    }
    data["meeting_types"] = [dm]
    return format_2(data)


@pytest.fixture
def riverside(db):
    return pack_load(riverside_pack())


@pytest.fixture
def northshire(db):
    return pack_load(northshire_pack())


def test_variant_timing_anchor_unit_and_calendar_apply(riverside, people):
    meeting = psm_request(people, riverside, raised=date(2026, 3, 2), requested_at=at(date(2026, 3, 4)))
    assert meeting.anchor_on == date(2026, 3, 4) and meeting.due_on == date(2026, 3, 14)
    assert "calendar days" in meeting.deadline_explanation
    meeting = services.meeting_approve(meeting=submit_with_reports(meeting, people), by=people.atm)
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.independent_iro, day=date(2026, 3, 16))
    assert refused.value.rule == "RV-3"


def test_variant_chair_rule_applies(riverside, people):
    meeting = services.meeting_approve(
        meeting=submit_with_reports(psm_request(people, riverside), people), by=people.atm
    )
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5))
    assert (refused.value.rule, refused.value.message) == (
        "RV-4",
        "In Riverside an IRO chairs every support meeting.",
    )
    assert schedule(meeting, people, chair=people.iro, day=date(2026, 3, 5)).state == MeetingState.SCHEDULED


def test_variant_uses_its_nations_bank_holidays(county, people):
    data = copy.deepcopy(pack_data("county")) | {
        "slug": "highland",
        "council_name": "Highland Council",
        "default_calendar": "SCT",
    }
    highland = pack_load(data)
    scottish = psm_request(people, highland, raised=date(2026, 11, 27))
    english = psm_request(people, county, raised=date(2026, 11, 27))
    assert (english.due_on, scottish.due_on) == (date(2026, 12, 4), date(2026, 12, 7))
    assert "30 Nov" in scottish.deadline_explanation and "30 Nov" not in english.deadline_explanation


def ended(people, child=None, **kwargs):
    child = child or people.child()
    values = {
        "is_permanent": True,
        "ratified_permanent_on": date(2024, 5, 1),
        "end_date": date(2026, 3, 2),
        "ended_unplanned": True,
    }
    return people.placement(child, **(values | kwargs))


def dm_request(people, pack, placement):
    return services.meeting_request(
        meeting_type=meeting_type(pack, "DM"),
        child=placement.child,
        placement=placement,
        by=people.social_worker,
        requested_at=at(date(2026, 3, 4)),
    )


def test_variant_eligibility_rule_applies(northshire, county, people):
    connected = ended(people, connected_person=True)
    assert dm_request(people, northshire, connected).state == MeetingState.REQUESTED
    with pytest.raises(RuleRefusal) as refused:
        dm_request(people, county, connected)
    assert refused.value.rule == "D1"
    with pytest.raises(RuleRefusal) as refused:
        dm_request(people, northshire, ended(people, agency_residential=True))
    assert (refused.value.rule, refused.value.message) == (
        "NS-1",
        "Agency homes run their own learning reviews in Northshire.",
    )


def test_variant_working_day_window_and_chair_without_independence(northshire, people):
    meeting = submit_with_reports(dm_request(people, northshire, ended(people)), people)
    assert (meeting.earliest_on, meeting.due_on) == (date(2026, 3, 16), date(2026, 3, 30))
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 13))
    assert refused.value.rule == "NS-2"
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.independent_iro, day=date(2026, 3, 20))
    assert refused.value.rule == "NS-5"
    assert (
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 20)).chair
        == people.team_manager
    )
