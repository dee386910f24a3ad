"""B rules: breakdown prevention meetings (regional pack)."""

from datetime import date

import pytest

from workflows import services
from workflows.choices import MeetingState
from workflows.participants import eligible_chairs
from workflows.policy import meeting_flags
from workflows.rules import RuleRefusal
from workflows.selectors import approval_queue_for_user, meetings_for_user

from .factories import at, hold_and_minute, meeting_type, schedule

NOTIFIED = date(2026, 3, 2)


def bpm_request(people, regional, placement=None, **kwargs):
    if placement is None:
        placement = people.placement(people.child())
    args = {
        "meeting_type": meeting_type(regional, "BPM"),
        "child": placement.child,
        "placement": placement,
        "by": people.social_worker,
        "notified_on": NOTIFIED,
        "triggers": ["risk_of_breakdown"],
        "support_tried": "Team around the child meeting on 27 Feb agreed extra contact support.",
        "requested_at": at(NOTIFIED),
    }
    return services.meeting_request(**{**args, **kwargs})


def bpm_approved(people, regional, placement=None):
    meeting = services.meeting_submit(
        meeting=bpm_request(people, regional, placement), by=people.social_worker
    )
    return services.meeting_approve(meeting=meeting, by=people.buyer)


def bpm_circulated(people, regional, placement=None):
    meeting = schedule(
        bpm_approved(people, regional, placement), people, chair=people.team_manager, day=date(2026, 3, 6)
    )
    meeting = services.minutes_approve(meeting=hold_and_minute(meeting, people), by=people.team_manager)
    return services.minutes_circulate(meeting=meeting, by=people.team_manager)


def test_applies_to_fostering_connected_and_residential_placements__B1(regional, people):
    child = people.child()
    for trait in (
        {},
        {"connected_person": True},
        {"agency_fostering": True},
        {"in_house_residential": True},
        {"agency_residential": True},
    ):
        assert bpm_request(people, regional, people.placement(child, **trait)).state == MeetingState.REQUESTED
    with pytest.raises(RuleRefusal) as refused:
        bpm_request(people, regional, people.placement(child, placement_type="P2", carer_household=None))
    assert refused.value.rule == "B1"


def test_team_around_the_child_meeting_recorded_first__B1(regional, people):
    with pytest.raises(RuleRefusal) as refused:
        bpm_request(people, regional, support_tried="")
    assert refused.value.rule == "B1" and "team-around-the-child" in refused.value.message


def test_buyers_agree_the_risk_and_meeting_within_5_working_days_of_notification__B1(regional, people):
    meeting = services.meeting_submit(meeting=bpm_request(people, regional), by=people.social_worker)
    assert meeting.state == MeetingState.AWAITING_APPROVAL and meeting.due_on == date(2026, 3, 9)
    assert (
        approval_queue_for_user(people.buyer) == [meeting]
        and approval_queue_for_user(people.team_manager) == []
    )
    assert meeting in meetings_for_user(people.buyer)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert refused.value.rule == "B1" and "children's services buyer" in refused.value.message
    meeting = services.meeting_approve(meeting=meeting, by=people.buyer)
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 10))
    assert refused.value.rule == "B1"
    assert (
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 9)).state
        == MeetingState.SCHEDULED
    )


def test_notification_date_is_needed__B1(regional, people):
    with pytest.raises(RuleRefusal) as refused:
        bpm_request(people, regional, notified_on=None)
    assert refused.value.rule == "B1" and "notified" in refused.value.message


def test_updated_request_for_placement_goes_to_buyers_and_fostering_duty__B2(
    regional, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_submit(meeting=bpm_request(people, regional), by=people.social_worker)
    sent = {tuple(m.to): m.body for m in mailoutbox}
    assert set(sent) == {("buyers@region.example.org",), ("fostering.duty@region.example.org",)}
    assert all("updated request for placement" in body for body in sent.values())


def test_provider_cannot_give_notice_before_the_meeting__B3(regional, people):
    child = people.child()
    meeting = bpm_approved(people, regional, people.placement(child, agency_fostering=True))
    with pytest.raises(RuleRefusal) as refused:
        services.provider_notice_record(meeting=meeting, by=people.social_worker, given_on=date(2026, 3, 3))
    assert refused.value.rule == "B3"
    assert "Team Leader, Children's Services Buyers" in refused.value.message
    assert "fostering agency category specialist" in refused.value.message
    with pytest.raises(RuleRefusal):
        services.provider_notice_record(
            meeting=meeting,
            by=people.social_worker,
            given_on=date(2026, 3, 3),
            immediate_safeguarding_move=True,
        )
    meeting = services.provider_notice_record(
        meeting=meeting,
        by=people.social_worker,
        given_on=date(2026, 3, 3),
        immediate_safeguarding_move=True,
        note="Police protection, child moved tonight.",
    )
    assert meeting.immediate_safeguarding_move and meeting.provider_notice_given_on == date(2026, 3, 3)
    assert meeting.history.last().reason.startswith("Immediate safeguarding move.")


def test_provider_notice_after_the_meeting_is_recorded__B3(regional, people):
    child = people.child()
    meeting = schedule(
        bpm_approved(people, regional, people.placement(child, agency_residential=True)),
        people,
        chair=people.team_manager,
        day=date(2026, 3, 6),
    )
    with pytest.raises(RuleRefusal) as refused:
        services.provider_notice_record(meeting=meeting, by=people.social_worker, given_on=date(2026, 3, 5))
    assert "children's homes category specialist" in refused.value.message
    meeting = services.meeting_record_held(meeting=meeting, by=people.team_manager)
    meeting = services.provider_notice_record(
        meeting=meeting, by=people.social_worker, given_on=date(2026, 3, 9)
    )
    assert meeting.provider_notice_given_on == date(2026, 3, 9)


def test_meeting_records_needs_risk_drivers_and_the_plan__B4(regional, people):
    meeting = bpm_circulated(people, regional)
    answers = {"placement_plan_revised": "yes", "care_plan_amended": "no"}
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_close(meeting=meeting, by=people.team_manager, outcome_answers=answers)
    assert (
        refused.value.rule == "B7"
        and "support to keep the placement, or a planned move" in refused.value.message
    )
    answers |= {
        "plan": "Support: extra respite and CAMHS consultation.",
        "risk_drivers": "Sleep and school exclusion.",
    }
    assert (
        services.meeting_close(meeting=meeting, by=people.team_manager, outcome_answers=answers).state
        == MeetingState.CLOSED
    )


def test_chair_is_a_manager_preferably_from_the_childs_team__B5(regional, people):
    meeting = bpm_approved(people, regional)
    candidates = eligible_chairs(meeting)
    assert candidates[0].user == people.team_manager and candidates[0].preferred
    by_user = {c.user: c for c in candidates}
    assert by_user[people.atm].eligible and not by_user[people.atm].preferred
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.ssw, day=date(2026, 3, 6))
    assert (
        refused.value.rule == "B5"
        and "team manager or a supervising assistant team manager" in refused.value.message
    )
    assert schedule(meeting, people, chair=people.atm, day=date(2026, 3, 6)).chair == people.atm


def test_revised_assessments_from_social_worker_and_service__B6(regional, people):
    child = people.child()
    reports = bpm_request(people, regional, people.placement(child)).reports.values_list(
        "form_key", "author_role"
    )
    assert set(reports) == {("bpm-report", "social_worker"), ("bpm-carer-assessment", "service_manager")}
    connected = bpm_request(people, regional, people.placement(child, connected_person=True))
    assert set(connected.reports.values_list("author_role", flat=True)) == {
        "social_worker",
        "supervising_social_worker",
    }


def test_placement_plan_and_care_plan_revision_recorded__B7(regional, people):
    meeting = bpm_circulated(people, regional)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_close(
            meeting=meeting,
            by=people.team_manager,
            outcome_answers={"plan": "p", "risk_drivers": "r", "care_plan_amended": "no"},
        )
    assert refused.value.rule == "B7" and "placement plan" in refused.value.message


def test_buyers_invited_and_iro_only_notified__B8(
    regional, people, django_capture_on_commit_callbacks, mailoutbox
):
    from workflows.participants import invitee_suggestions

    meeting = bpm_approved(people, regional)
    suggested = {s["role"]: s["requirement"] for s in invitee_suggestions(meeting)}
    assert suggested["buyer"] == "required" and suggested["iro"] == "notify"
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting,
            people,
            chair=people.team_manager,
            day=date(2026, 3, 6),
            invitees=people.invitees(meeting, skip=("buyer",)),
        )
    assert refused.value.rule == "B8" and "children's services buyers" in refused.value.message
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(
            meeting,
            people,
            chair=people.team_manager,
            day=date(2026, 3, 6),
            invitees=people.invitees(meeting, skip=("iro",)),
        )
    assert meeting.state == MeetingState.SCHEDULED
    iro = meeting.invitees.get(role="iro")
    assert (iro.user, iro.requirement) == (people.iro, "notify")
    assert people.iro.email in {a for m in mailoutbox for a in m.to}


def test_agency_contract_notice_and_contingency_flagged__B9(regional, people):
    child = people.child()
    weak = people.placement(child, agency_fostering=True, notice_period_days=14, has_contingency_plan=False)
    flags = [f.log_text for f in meeting_flags(bpm_request(people, regional, weak))]
    assert "The contract's notice period (14 days) is below the 28 days the procedure expects. (B9)" in flags
    assert "The contract has no contingency plan recorded. (B9)" in flags
    good = people.placement(child, agency_fostering=True)
    assert not [f for f in meeting_flags(bpm_request(people, regional, good)) if f.rule == "B9"]
