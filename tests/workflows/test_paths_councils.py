"""The alternative paths driven end to end from pack data (issue 10): fictional councils whose meeting
types carry not-held, linked-meeting and recurrence entries with conditions; the request evaluates them
with the one evaluator and stores the decision, and the services read it. No council needs code."""

from __future__ import annotations

from datetime import date

import pytest

from workflows import services
from workflows.choices import MeetingState
from workflows.models import Meeting
from workflows.paths import RECURRENCE_KEY, meeting_not_held
from workflows.rules import RuleRefusal

from .decisions import council
from .factories import hold_and_minute, psm_request, schedule, submit_with_reports

AGENCY = {"and": [{"===": [{"var": "placement.is_agency"}, True]}]}
NOT_HELD_FOR_AGENCY = {
    "when": AGENCY,
    "rule": "NH1",
    "decided_by_roles": ["team_manager"],
    "reason_required": True,
    "document_form_key": "",
    "explanation": "For an agency placement the team manager may decide the provider's own review is enough.",
}


def test_not_held_path_only_where_its_condition_holds__issue10(people, db):
    """Issue 10: "Agencyshire" lets the team manager decide an agency placement's PSM will not be held;
    for an in-house placement the same council gives no such path."""
    pack = council("agencyshire", {"PSM": {"not_held": [NOT_HELD_FOR_AGENCY]}})
    child = people.child()
    agency = psm_request(people, pack, child=child, placement=people.placement(child, agency_fostering=True))
    assert agency.decision["not_held"]["because"] == "when the placement is with an agency"
    meeting = meeting_not_held(
        meeting=agency, by=people.team_manager, reason="The provider's review covers it."
    )
    assert meeting.state == MeetingState.NOT_HELD
    in_house = psm_request(people, pack)
    assert in_house.decision["not_held"] is None
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=in_house, by=people.team_manager, reason="Not needed")
    assert "gives no way to decide" in refused.value.message


def test_linked_two_stage_meeting_from_pack_data__issue10(people, db, django_capture_on_commit_callbacks):
    """Issue 10: "Twostageshire" starts its placement review (REV, a second type in the pack) when a PSM is
    requested; the review's own rules apply (it waits for its report); a review cannot start itself again."""
    link = {"when": None, "rule": "L1", "meeting_type_code": "REV", "on_event": "requested", "note": ""}
    loop = {"when": None, "rule": "L2", "meeting_type_code": "REV", "on_event": "requested", "note": ""}
    pack = council(
        "twostageshire",
        {"PSM": {"linked_meetings": [link]}},
        copies={"REV": ("PSM", "Placement review meeting", {"linked_meetings": [loop]})},
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = psm_request(people, pack)
    review = Meeting.objects.get(linked_from=first)
    assert review.meeting_type.code == "REV"
    assert review.requested_by == people.social_worker and review.placement == first.placement
    assert review.state == MeetingState.REQUESTED  # its own with-request report is still to attach
    assert not Meeting.objects.filter(linked_from=review).exists()
    assert "already in this chain" in review.history.get(name="link_refused").reason


def test_recurrence_from_pack_data__issue10(people, db):
    """Issue 10: "Reviewshire" reviews long placements again every 3 calendar months: held Thu 5 Mar 2026
    + 3 months = Fri 5 Jun 2026."""
    every = {"when": None, "rule": "R1", "every": 3, "unit": "months", "note": "At the carers' review."}
    pack = council("reviewshire", {"PSM": {"recurrence": [every]}})
    meeting = submit_with_reports(psm_request(people, pack), people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5))
    meeting = services.minutes_approve(meeting=hold_and_minute(meeting, people), by=meeting.chair)
    meeting = services.minutes_circulate(meeting=meeting, by=meeting.chair)
    meeting = services.meeting_close(meeting=meeting, by=meeting.chair, outcome_answers={})
    review = meeting.actions.get(follow_up_key=RECURRENCE_KEY)
    assert review.due_on == date(2026, 6, 5)
    assert "every 3 months" in review.description and "At the carers' review." in review.description
