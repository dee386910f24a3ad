"""P rules: placement stability meetings (county pack)."""

from datetime import date

import pytest

from workflows import services
from workflows.choices import MeetingState
from workflows.models import MeetingApproval
from workflows.participants import eligible_chairs
from workflows.rules import RuleRefusal
from workflows.selectors import approval_queue_for_user

from .factories import (
    GOOD_ACTION,
    hold_and_minute,
    load_pack,
    pack_data,
    psm_request,
    schedule,
    submit_with_reports,
)


def approved(people, county, **kwargs):
    meeting = submit_with_reports(psm_request(people, county, **kwargs), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


def test_only_the_childs_social_worker_makes_the_request__P1(county, people):
    with pytest.raises(RuleRefusal) as refused:
        psm_request(people, county, by=people.ssw)
    assert refused.value.rule == "P1"
    assert "Only the child's social worker can make this request" in refused.value.message


def test_request_names_triggers_from_the_procedure__P1(county, people):
    with pytest.raises(RuleRefusal) as refused:
        psm_request(people, county, triggers=[])
    assert (refused.value.rule, refused.value.message) == (
        "P1",
        "Choose at least one reason for the meeting.",
    )
    with pytest.raises(RuleRefusal) as refused:
        psm_request(people, county, triggers=["made_up"])
    assert "made_up" in refused.value.message
    meeting = psm_request(
        people, county, triggers=["allegation", "absconding"], concern_raised_by="Health visitor"
    )
    assert meeting.triggers == ["allegation", "absconding"] and meeting.concern_raised_by == "Health visitor"


def test_request_records_less_formal_support_tried_first__P1(county, people):
    with pytest.raises(RuleRefusal) as refused:
        psm_request(people, county, support_tried="")
    assert refused.value.rule == "P1" and "less formal support" in refused.value.message


def test_request_needs_the_psm_report_attached__P2(county, people):
    meeting = psm_request(people, county)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_submit(meeting=meeting, by=people.social_worker)
    assert refused.value.rule == "P2" and "Placement stability meeting report" in refused.value.message
    meeting = submit_with_reports(meeting, people)
    assert meeting.state == MeetingState.AWAITING_APPROVAL


def test_team_manager_approves_and_others_cannot__P2(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    assert approval_queue_for_user(people.team_manager) == [meeting]
    assert approval_queue_for_user(people.other_manager) == []
    for outsider in (people.other_manager, people.ssw, people.buyer):
        with pytest.raises(RuleRefusal) as refused:
            services.meeting_approve(meeting=meeting, by=outsider)
        assert refused.value.rule == "P2"
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager, note="Go ahead")
    assert meeting.state == MeetingState.APPROVED
    assert MeetingApproval.objects.get(meeting=meeting).by == people.team_manager


def test_decline_needs_a_reason_which_the_requester_sees__P2(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = submit_with_reports(psm_request(people, county), people)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_decline(meeting=meeting, by=people.team_manager, reason="")
    assert refused.value.rule == "P2" and "reason" in refused.value.message
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_decline(
            meeting=meeting, by=people.team_manager, reason="Try a network meeting first."
        )
    assert meeting.state == MeetingState.DECLINED and meeting.decline_reason == "Try a network meeting first."
    mail = mailoutbox[-1]
    assert mail.to == [people.social_worker.email] and "Try a network meeting first." in mail.body


def test_meeting_within_5_working_days_of_the_concern__P3(county, people):
    meeting = approved(people, county)
    assert meeting.due_on == date(2026, 3, 9)
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 10))
    assert refused.value.rule == "P3" and "must be held by Mon 9 Mar 2026" in refused.value.message
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 9))
    assert meeting.state == MeetingState.SCHEDULED


def test_in_house_chair_is_a_fostering_or_residential_team_manager__P4(county, people):
    meeting = approved(people, county)
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 5))
    assert refused.value.rule == "P4"
    assert (
        refused.value.message == "For an in-house placement the chair must be a team manager "
        "from the fostering or residential service."
    )
    assert (
        schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5)).chair
        == people.fostering_manager
    )
    child = people.child()
    home = approved(people, county, child=child, placement=people.placement(child, in_house_residential=True))
    assert (
        schedule(home, people, chair=people.residential_manager, day=date(2026, 3, 5)).state
        == MeetingState.SCHEDULED
    )


def test_agency_chair_is_the_social_workers_team_manager__P4(county, people):
    child = people.child()
    meeting = approved(people, county, child=child, placement=people.placement(child, agency_fostering=True))
    for wrong in (people.fostering_manager, people.other_manager):
        with pytest.raises(RuleRefusal) as refused:
            schedule(meeting, people, chair=wrong, day=date(2026, 3, 5))
        assert (
            refused.value.message
            == "For an agency placement the chair must be the social worker's team manager."
        )
    choices = {c.user: c for c in eligible_chairs(meeting)}
    assert choices[people.team_manager].eligible and not choices[people.fostering_manager].eligible
    assert (
        schedule(meeting, people, chair=people.team_manager, day=date(2026, 3, 5)).chair
        == people.team_manager
    )


def test_required_invitees_must_be_invited_iro_only_where_helpful__P5(county, people):
    meeting = approved(people, county)
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting,
            people,
            chair=people.fostering_manager,
            day=date(2026, 3, 5),
            invitees=people.invitees(meeting, skip=("foster_carer",)),
        )
    assert refused.value.rule == "P5" and "foster carers" in refused.value.message
    meeting = schedule(
        meeting,
        people,
        chair=people.fostering_manager,
        day=date(2026, 3, 5),
        invitees=people.invitees(meeting, skip=("iro", "other_professional")),
    )
    assert not meeting.invitees.filter(role="iro").exists()


def test_minutes_with_incomplete_action_cannot_be_approved__P6(county, people):
    meeting = schedule(approved(people, county), people, chair=people.fostering_manager, day=date(2026, 3, 5))
    for missing, words in (
        ("owner_name", "a named owner"),
        ("due_on", "a timescale"),
        ("evaluation", "how its outcome will be evaluated"),
    ):
        action = {**GOOD_ACTION, missing: None if missing == "due_on" else ""}
        if meeting.state == MeetingState.SCHEDULED:
            meeting = hold_and_minute(meeting, people, actions=[action])
        else:
            meeting = services.minutes_record(
                meeting=meeting, by=meeting.chair, wishes_and_feelings="x", actions=[action]
            )
        with pytest.raises(RuleRefusal) as refused:
            services.minutes_approve(meeting=meeting, by=meeting.chair)
        assert refused.value.rule == "P6" and words in refused.value.message
    meeting = services.minutes_record(
        meeting=meeting, by=meeting.chair, wishes_and_feelings="x", actions=[GOOD_ACTION]
    )
    assert services.minutes_approve(meeting=meeting, by=meeting.chair).state == MeetingState.MINUTES_APPROVED


def test_minutes_always_go_to_foster_carer_and_supervising_social_worker__P7(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = approved(people, county)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5))
    meeting.invitees.filter(role="supervising_social_worker").delete()
    meeting = services.minutes_approve(meeting=hold_and_minute(meeting, people), by=meeting.chair)
    with pytest.raises(RuleRefusal) as refused:
        services.minutes_circulate(meeting=meeting, by=meeting.chair)
    assert refused.value.rule == "P7" and "supervising social worker" in refused.value.message
    meeting.invitees.create(name="Sam SSW", role="supervising_social_worker", email="ssw@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.minutes_circulate(
            meeting=meeting, by=meeting.chair, extra_recipients=["school@example.org"]
        )
    carer_email = meeting.invitees.get(role="foster_carer").email
    assert {"ssw@example.org", carer_email, "school@example.org"} <= {a for m in mailoutbox for a in m.to}


def test_residential_minutes_always_go_to_residential_workers__P7(county, people):
    child = people.child()
    meeting = approved(
        people, county, child=child, placement=people.placement(child, in_house_residential=True)
    )
    meeting = schedule(meeting, people, chair=people.residential_manager, day=date(2026, 3, 5))
    assert meeting.invitees.filter(role="residential_key_worker").exists()
    meeting.invitees.filter(role="residential_key_worker").delete()
    meeting = services.minutes_approve(meeting=hold_and_minute(meeting, people), by=meeting.chair)
    with pytest.raises(RuleRefusal) as refused:
        services.minutes_circulate(meeting=meeting, by=meeting.chair)
    assert "residential key worker" in refused.value.message


def test_chairs_report_due_5_working_days_after_the_meeting__P8(county, people):
    meeting = schedule(approved(people, county), people, chair=people.fostering_manager, day=date(2026, 3, 5))
    meeting = services.meeting_record_held(meeting=meeting, by=meeting.chair)
    assert meeting.minutes_due_on == date(2026, 3, 12)
    assert meeting.minutes_due_explanation


def test_pack_requires_the_psm_report_and_minutes_forms__P9():
    psm = next(t for t in pack_data("county")["meeting_types"] if t["code"] == "PSM")
    assert psm["minutes_form_key"] == "psm-minutes"
    report = psm["reports"][0]
    assert (report["form_key"], report["author_role"]) == ("psm-report", "supervising_social_worker")


def test_pack_form_keys_reach_meetings__P9(county, people):
    meeting = psm_request(people, county)
    assert list(meeting.reports.values_list("form_key", flat=True)) == ["psm-report"]
    assert meeting.policy.minutes_form_key == "psm-minutes"
    assert load_pack("county").pk == county.pk
