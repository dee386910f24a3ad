"""Issue 10 through the services: rule lists with conditions, stored at the request and enforced.

Larkshire (a fictional council, data only) changes the county pack:
- PSM timing: an urgent request (request flag "urgent") is held within 2 working days of the concern,
  otherwise 5 (first match). Concern raised Mon 2 Mar 2026: +2 working days = Wed 4 Mar 2026,
  +5 = Mon 9 Mar 2026.
- PSM approval: one gate needing 2 of team manager / assistant team manager / quality and review
  manager, different people.
- DM chair: an IRO who is not the child's own IRO; DM timing a hard limit (day 42 refused outright).
"""

from __future__ import annotations

import copy
from datetime import date

import pytest

from workflows import services
from workflows.choices import MeetingState
from workflows.packs import pack_load
from workflows.rules import RuleRefusal

from .factories import pack_data, psm_request, schedule, submit_with_reports
from .test_dm import dm_request

URGENT = {"and": [{"in": ["urgent", {"var": "request.flags"}]}]}


def larkshire_pack() -> dict:
    data = copy.deepcopy(pack_data("county"))
    data |= {"slug": "larkshire", "name": "Larkshire meetings", "council_name": "Larkshire Council"}
    psm = next(t for t in data["meeting_types"] if t["code"] == "PSM")
    usual = psm["timing"][0]
    psm["timing"] = [{**usual, "when": URGENT, "rule": "LK-3a", "latest": 2}, {**usual, "rule": "LK-3"}]
    psm["gates"] = [
        {
            "when": None,
            "rule": "LK-2",
            "name": "Request approval",
            "approvers": [
                {"role": "team_manager", "relationship": "any"},
                {"role": "assistant_team_manager", "relationship": "any"},
                {"role": "quality_review_manager", "relationship": "any"},
            ],
            "need": "count",
            "count": 2,
            "different_people": True,
            "decline_needs_reason": True,
        }
    ]
    dm = next(t for t in data["meeting_types"] if t["code"] == "DM")
    dm["chairs"] = [
        {
            "when": None,
            "rule": "LK-5",
            "roles": ["iro"],
            "exclude": ["not_childs_iro"],
            "explanation": "An IRO chairs, never the child's own.",
        }
    ]
    dm["timing"][0] |= {"hard": True, "rule": "LK-4"}
    return data


@pytest.fixture
def larkshire(db):
    return pack_load(larkshire_pack())


def test_urgent_request_gets_the_first_matching_timescale_and_stores_why__issue10_P3(larkshire, people):
    urgent = psm_request(people, larkshire, request_flags=["urgent"])
    usual = psm_request(people, larkshire)
    assert (urgent.due_on, usual.due_on) == (date(2026, 3, 4), date(2026, 3, 9))
    assert urgent.facts["request"]["flags"] == ["urgent"]
    assert urgent.decision["timing"]["rule"] == "LK-3a"
    assert urgent.decision["timing"]["because"] == "when the request is marked urgent"
    assert usual.decision["timing"]["rule"] == "LK-3" and usual.decision["timing"]["because"] == ""


def test_a_gate_needing_two_of_three_roles_needs_two_different_people__issue10_P2(larkshire, people):
    meeting = submit_with_reports(psm_request(people, larkshire), people)
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert refused.value.rule == "LK-2" and "already approved" in refused.value.message
    meeting = services.meeting_approve(meeting=meeting, by=people.qr_manager)
    assert meeting.state == MeetingState.APPROVED


def test_chair_exclusion_refuses_the_childs_own_iro_with_a_sentence__issue10_D5(larkshire, people):
    meeting = submit_with_reports(dm_request(people, larkshire), people)
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.iro, day=date(2026, 3, 30))
    assert refused.value.rule == "LK-5" and "the child's own IRO" in refused.value.message
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 30))
    assert refused.value.message == "An IRO chairs, never the child's own."
    assert schedule(meeting, people, chair=people.independent_iro, day=date(2026, 3, 30)).state == "scheduled"


def test_a_hard_latest_day_is_refused_even_with_a_reason__issue10_D2(larkshire, people):
    meeting = submit_with_reports(dm_request(people, larkshire), people)
    assert meeting.due_on == date(2026, 4, 13)
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting, people, chair=people.independent_iro, day=date(2026, 4, 14), late_reason="Chair on leave"
        )
    assert refused.value.rule == "LK-4" and "allows no later date" in refused.value.message


def test_the_stored_decision_is_what_screens_read_not_a_later_edit__issue10(larkshire, people):
    meeting = psm_request(people, larkshire, request_flags=["urgent"])
    stored = copy.deepcopy(meeting.decision)
    from workflows.policy import meeting_decision

    assert meeting_decision(meeting).as_json() == stored
    assert stored["version"] == 1 and [g["need"] for g in stored["gates"]] == ["count"]


def test_an_approver_must_hold_the_relationship_the_gate_names__issue10_P2(db, people):
    """Fenwick: a team manager of the carers' supervising team (the fostering service) approves."""
    data = larkshire_pack() | {"slug": "fenwick", "name": "Fenwick meetings", "council_name": "Fenwick"}
    psm = next(t for t in data["meeting_types"] if t["code"] == "PSM")
    psm["gates"][0] |= {
        "approvers": [{"role": "team_manager", "relationship": "carers_supervising_team_manager"}],
        "need": "any",
        "count": 1,
        "rule": "FW-2",
    }
    pack = pack_load(data)
    meeting = submit_with_reports(psm_request(people, pack), people)
    assert meeting.placement.carer_household.supervising_social_worker == people.ssw
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert refused.value.rule == "FW-2"
    assert refused.value.message == "Only a manager of the carers' supervising team can decide this request."
    assert (
        services.meeting_approve(meeting=meeting, by=people.fostering_manager).state == MeetingState.APPROVED
    )
