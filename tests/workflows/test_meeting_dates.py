"""Dates that make sense (P3, D2): anchors in the past, meetings on or after the anchor and not in the
past, a late meeting booked only with its reason and still counted late. And nobody approves their own
request or fills two approval gates (P2, D3).

Hand-worked dates. PSM: concern raised Wed 23 Dec 2026; 5 working days in England skip Fri 25 Dec
(Christmas Day), Mon 28 Dec (Boxing Day, substitute for Sat 26 Dec) and Fri 1 Jan 2027 (New Year's Day):
Thu 24, Tue 29, Wed 30, Thu 31 Dec, Mon 4 Jan 2027, so the meeting is due by Mon 4 Jan 2027.
DM: placement ended Mon 2 Mar 2026; day 28 is Mon 30 Mar 2026, day 42 is Mon 13 Apr 2026 (calendar days).
"""

from datetime import date

import pytest

from workflows import services
from workflows.choices import ApprovalGate, MeetingState
from workflows.lateness import meeting_overdue_q
from workflows.models import Meeting
from workflows.packs import pack_load
from workflows.rules import RuleRefusal, RuleRefusals

from .factories import (
    at,
    format_2,
    legacy_pack_data,
    meeting_type,
    psm_request,
    schedule,
    submit_with_reports,
)
from .test_dm import dm_request, ended_placement

RAISED = date(2026, 12, 23)
DUE = date(2027, 1, 4)


def _approved_psm(people, county):
    meeting = submit_with_reports(psm_request(people, county, raised=RAISED), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


# --------------------------------------------------------------------------------------------------
# Anchor dates
# --------------------------------------------------------------------------------------------------


def test_deadline_skips_christmas_and_new_year__P3(county, people):
    meeting = psm_request(people, county, raised=RAISED)
    assert meeting.due_on == DUE
    assert "Fri 25 Dec 2026 (Christmas Day)" in meeting.deadline_explanation


def test_concern_raised_seven_months_in_the_future_is_refused__P3(county, people):
    with pytest.raises(RuleRefusal) as refused:
        psm_request(people, county, raised=date(2027, 7, 23), requested_at=at(RAISED))
    assert refused.value.rule == "P3" and refused.value.field == "concern_raised_on"
    assert refused.value.message == "The date the concern was raised must be today or in the past."
    assert "P3" not in str(refused.value)  # the worker reads the sentence only
    assert not Meeting.objects.exists()
    # the same day is fine
    assert psm_request(people, county, raised=RAISED, requested_at=at(RAISED, 16)).due_on == DUE


def test_placement_ending_in_the_future_is_refused__D2(county, people):
    placement = ended_placement(people, end_date=date(2026, 3, 20))
    with pytest.raises(RuleRefusal) as refused:
        dm_request(people, county, placement, requested_on=date(2026, 3, 4))
    assert refused.value.rule == "D2" and refused.value.field == "placement"
    assert "The placement's end date (Fri 20 Mar 2026) is in the future" in refused.value.message


def test_every_problem_with_a_request_is_reported_at_once__P1__P3(county, people):
    child = people.child()
    with pytest.raises(RuleRefusals) as refused:
        services.meeting_request(
            meeting_type=meeting_type(county, "PSM"),
            child=child,
            placement=None,
            by=people.social_worker,
            concern_raised_on=date(2027, 7, 23),
            triggers=[],
            support_tried="",
            requested_at=at(RAISED),
        )
    fields = [r.field for r in refused.value.refusals]
    assert fields == ["placement", "triggers", "support_tried", "concern_raised_on"]


# --------------------------------------------------------------------------------------------------
# Meeting dates
# --------------------------------------------------------------------------------------------------


def test_meeting_before_the_concern_was_raised_is_refused__P3(county, people):
    meeting = _approved_psm(people, county)
    with pytest.raises(RuleRefusal) as refused:
        # arranged (in this test's world) on Mon 21 Dec, for Tue 22 Dec: not past, but before the concern
        schedule(
            meeting,
            people,
            chair=people.fostering_manager,
            day=date(2026, 12, 22),
            arranged_at=at(date(2026, 12, 21)),
        )
    assert refused.value.rule == "P3" and refused.value.field == "day"
    assert refused.value.message == (
        "The meeting date must be on or after the date the concern was raised (Wed 23 Dec 2026)."
    )
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED


def test_meeting_in_the_past_is_refused_when_arranging__P3(county, people):
    meeting = _approved_psm(people, county)
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting,
            people,
            chair=people.fostering_manager,
            day=date(2026, 12, 24),
            arranged_at=at(date(2026, 12, 29)),
        )
    assert refused.value.field == "day"
    assert refused.value.message == "The date of the meeting must be today or in the future."
    # the same day as it is arranged is fine
    meeting = schedule(
        meeting,
        people,
        chair=people.fostering_manager,
        day=date(2026, 12, 29),
        arranged_at=at(date(2026, 12, 29), 8),
    )
    assert meeting.state == MeetingState.SCHEDULED and not meeting.after_deadline


def test_meeting_after_the_deadline_needs_a_reason_and_stays_late__P3(county, people):
    meeting = _approved_psm(people, county)
    after = date(2027, 1, 5)  # the working day after Mon 4 Jan 2027
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.fostering_manager, day=after)
    assert refused.value.rule == "P3" and refused.value.field == "late_reason"
    assert refused.value.message.startswith("The meeting must be held by Mon 4 Jan 2027.")
    with pytest.raises(RuleRefusal):
        schedule(meeting, people, chair=people.fostering_manager, day=after, late_reason="   ")

    on_time = schedule(meeting, people, chair=people.fostering_manager, day=DUE)
    assert not on_time.after_deadline and on_time.late_reason == ""

    reason = "The carers are in hospital until 5 January; they must attend."
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=after, late_reason=reason)
    assert meeting.state == MeetingState.SCHEDULED
    assert meeting.after_deadline and meeting.late_reason == reason
    assert meeting.due_on == DUE  # the deadline never moves
    last = meeting.history.order_by("-pk").first()
    assert reason in last.reason and "Mon 4 Jan 2027, P3" in last.reason
    assert Meeting.objects.filter(meeting_overdue_q(after), pk=meeting.pk).exists()

    meeting = services.meeting_record_held(meeting=meeting, by=meeting.chair)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.after_deadline and meeting.late_reason == reason


def test_meeting_held_after_its_deadline_is_flagged_late__P3(county, people):
    meeting = schedule(_approved_psm(people, county), people, chair=people.fostering_manager, day=DUE)
    meeting = services.meeting_record_held(meeting=meeting, by=meeting.chair, held_at=at(date(2027, 1, 6)))
    assert Meeting.objects.get(pk=meeting.pk).after_deadline


def test_late_disruption_meeting_goes_ahead_with_a_reason_but_day_28_stays_a_refusal__D2(county, people):
    meeting = submit_with_reports(dm_request(people, county), people)
    assert (meeting.earliest_on, meeting.due_on) == (date(2026, 3, 30), date(2026, 4, 13))
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting, people, chair=people.independent_iro, day=date(2026, 3, 27), late_reason="Chair on leave"
        )
    assert refused.value.rule == "D2" and "cannot be held before Mon 30 Mar 2026" in refused.value.message
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.independent_iro, day=date(2026, 4, 14))
    assert refused.value.rule == "D2" and refused.value.field == "late_reason"
    meeting = schedule(
        meeting,
        people,
        chair=people.independent_iro,
        day=date(2026, 4, 14),
        late_reason="The birth parents can only attend after the Easter holidays.",
    )
    assert meeting.after_deadline and meeting.due_on == date(2026, 4, 13)


# --------------------------------------------------------------------------------------------------
# Approvals: not your own request, one gate per person
# --------------------------------------------------------------------------------------------------


def _late_dm_by_team_manager(people, county):
    meeting = dm_request(people, county, requested_on=date(2026, 4, 20), by=people.team_manager)
    assert meeting.is_late
    for report in meeting.reports.filter(timing="with_request"):
        services.report_attach(report=report, by=people.team_manager)
    return services.meeting_submit(meeting=meeting, by=people.team_manager)


def test_team_manager_cannot_approve_the_late_request_they_made__D3(county, people):
    meeting = _late_dm_by_team_manager(people, county)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert refused.value.rule == "D3"
    assert refused.value.message == "You made this request, so someone else must decide it."
    with pytest.raises(RuleRefusal):
        services.meeting_decline(meeting=meeting, by=people.team_manager, reason="Changed my mind")
    assert not meeting.approvals.exists()
    from workflows.selectors import approval_queue_for_user

    assert approval_queue_for_user(people.team_manager) == []
    meeting = services.meeting_approve(meeting=meeting, by=people.qr_manager)
    meeting = services.meeting_approve(meeting=meeting, by=people.other_manager)
    assert meeting.state == MeetingState.APPROVED


def test_requester_cannot_approve_their_own_request__P2(county, people):
    child = people.child(social_worker=people.team_manager)  # the manager is also the child's worker
    meeting = psm_request(people, county, child=child, by=people.team_manager)
    for report in meeting.reports.filter(timing="with_request"):
        services.report_attach(report=report, by=people.team_manager)
    meeting = services.meeting_submit(meeting=meeting, by=people.team_manager)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert refused.value.rule == "P2"


def test_one_person_never_fills_two_gates__P2__D3(db, people):
    data = legacy_pack_data("county")
    data |= {"slug": "twogates", "name": "Two gates", "council_name": "Two Gates Council"}
    dm = next(t for t in data["meeting_types"] if t["code"] == "DM")
    dm |= {"approval_required": True, "approver_roles": ["team_manager"], "approval_rule": "TG-2"}
    data["meeting_types"] = [dm]
    pack = pack_load(format_2(data))
    meeting = dm_request(people, pack, requested_on=date(2026, 4, 20))
    meeting = submit_with_reports(meeting, people)
    assert meeting.is_late and meeting.state == MeetingState.AWAITING_APPROVAL

    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert list(meeting.approvals.values_list("gate", "by__username")) == [(ApprovalGate.REQUEST, "tm")]
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert "already approved" in refused.value.message and "must be someone else" in refused.value.message
    meeting = services.meeting_approve(meeting=meeting, by=people.qr_manager)
    assert meeting.state == MeetingState.AWAITING_APPROVAL  # the late gate still needs a team manager
    meeting = services.meeting_approve(meeting=meeting, by=people.other_manager)
    assert meeting.state == MeetingState.APPROVED
    people_per_gate = set(meeting.approvals.values_list("gate", "by__username"))
    assert people_per_gate == {
        (ApprovalGate.REQUEST, "tm"),
        (ApprovalGate.LATE_REQUEST, "qr"),
        (ApprovalGate.LATE_REQUEST, "tm2"),
    }
