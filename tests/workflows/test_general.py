"""G rules: every meeting type."""

from datetime import date

import pytest

from workflows import services
from workflows.choices import Attendance, MeetingState
from workflows.models import MeetingTransition
from workflows.rules import RuleRefusal

from .factories import (
    at,
    hold_and_minute,
    meeting_type,
    psm_request,
    schedule,
    submit_with_reports,
)


def approved_psm(people, county, **kwargs):
    meeting = submit_with_reports(psm_request(people, county, **kwargs), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


def scheduled_psm(people, county, **kwargs):
    return schedule(
        approved_psm(people, county, **kwargs), people, chair=people.fostering_manager, day=date(2026, 3, 5)
    )


def test_every_placement_type_is_recognised_and_other_placements_refused__G1(county, people):
    child = people.child()
    for trait in (
        {},
        {"agency_fostering": True},
        {"connected_person": True},
        {"in_house_residential": True},
        {"agency_residential": True},
    ):
        meeting = psm_request(people, county, child=child, placement=people.placement(child, **trait))
        assert meeting.state == MeetingState.REQUESTED
    other = people.placement(child, placement_type="P2", carer_household=None)
    with pytest.raises(RuleRefusal) as refused:
        psm_request(people, county, child=child, placement=other)
    assert refused.value.rule == "P1"
    assert (
        refused.value.message
        == "A placement stability meeting is not held for this type of placement (other placement)."
    )


def test_working_day_deadline_skips_bank_holidays_and_explains_itself__G2(county, people):
    meeting = psm_request(people, county, raised=date(2025, 12, 19))
    assert meeting.due_on == date(2025, 12, 30)
    assert "25 Dec" in meeting.deadline_explanation and "26 Dec" in meeting.deadline_explanation
    assert "working days" in meeting.deadline_explanation


def test_calendar_day_timescale_says_so__G2(county, people):
    child = people.child()
    placement = people.placement(
        child,
        is_permanent=True,
        ratified_permanent_on=date(2024, 1, 10),
        end_date=date(2026, 3, 2),
        ended_unplanned=True,
    )
    meeting = services.meeting_request(
        meeting_type=meeting_type(county, "DM"),
        child=child,
        placement=placement,
        by=people.social_worker,
        requested_at=at(date(2026, 3, 4)),
    )
    assert "calendar days" in meeting.deadline_explanation
    assert meeting.earliest_on == date(2026, 3, 30) and meeting.due_on == date(2026, 4, 13)


def test_meeting_records_people_place_time_and_attendance__G3(county, people):
    meeting = scheduled_psm(people, county)
    assert meeting.requested_by == people.social_worker and meeting.concern_raised_on == date(2026, 3, 2)
    assert meeting.chair == people.fostering_manager and meeting.venue and meeting.scheduled_for
    roles = set(meeting.invitees.values_list("role", flat=True))
    assert {"foster_carer", "supervising_social_worker", "social_worker", "social_worker_manager"} <= roles
    child_row = meeting.invitees.get(role="child")
    assert child_row.attendance == Attendance.NOT_INVITED and child_row.not_invited_reason
    ssw = meeting.invitees.get(role="supervising_social_worker")
    meeting = services.meeting_record_held(
        meeting=meeting, by=meeting.chair, attendance={ssw.pk: Attendance.APOLOGIES}
    )
    assert meeting.invitees.get(pk=ssw.pk).attendance == Attendance.APOLOGIES


def test_not_invited_needs_a_reason__G3(county, people):
    meeting = approved_psm(people, county)
    invitees = people.invitees(meeting)
    invitees[0]["attendance"] = Attendance.NOT_INVITED
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5), invitees=invitees)
    assert refused.value.rule == "G3" and "not invited" in refused.value.message


def test_minutes_carry_the_packs_confidentiality_statement__G4(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = hold_and_minute(scheduled_psm(people, county), people)
    statement = meeting.meeting_type.confidentiality_statement
    assert statement and meeting.confidentiality_statement == statement
    meeting = services.minutes_approve(meeting=meeting, by=meeting.chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(meeting=meeting, by=meeting.chair)
    assert mailoutbox and mailoutbox[-1].body.startswith(statement)


def test_closing_adds_case_note_of_pack_type_and_files_documents__G5(
    county, people, django_capture_on_commit_callbacks
):
    meeting = hold_and_minute(scheduled_psm(people, county), people)
    meeting = services.minutes_approve(meeting=meeting, by=meeting.chair)
    meeting = services.minutes_circulate(meeting=meeting, by=meeting.chair)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_close(meeting=meeting, by=meeting.chair)
    note = meeting.child.case_notes.get()
    assert note.note_type == "Placement stability meeting" and note.source_reference == meeting.reference
    titles = list(meeting.child.documents.values_list("title", "kind"))
    assert any("minutes" in t and "Documentum" in k for t, k in titles)
    assert any("Placement stability meeting report" in t for t, _ in titles)


def test_child_invitation_must_be_decided_with_a_reason__G6(county, people):
    meeting = approved_psm(people, county)
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting,
            people,
            chair=people.fostering_manager,
            day=date(2026, 3, 5),
            child_invited=None,
            child_invite_reason="",
        )
    assert refused.value.rule == "G6"
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting,
            people,
            chair=people.fostering_manager,
            day=date(2026, 3, 5),
            child_invited=True,
            child_invite_reason=" ",
        )
    assert refused.value.rule == "G6"
    meeting = schedule(
        meeting,
        people,
        chair=people.fostering_manager,
        day=date(2026, 3, 5),
        child_invited=True,
        child_invite_reason="Old enough and wants to come.",
    )
    assert meeting.invitees.get(role="child").attendance == Attendance.INVITED


def test_minutes_without_wishes_and_feelings_are_flagged__G6(county, people):
    from workflows.policy import meeting_flags

    meeting = hold_and_minute(scheduled_psm(people, county), people, wishes="")
    assert meeting.lacks_wishes_and_feelings
    assert any(f.rule == "G6" for f in meeting_flags(meeting))
    meeting = hold_and_minute(scheduled_psm(people, county), people)
    assert not meeting.lacks_wishes_and_feelings


def test_every_state_change_is_recorded_and_history_cannot_change__G7(county, people):
    meeting = services.meeting_decline(
        meeting=submit_with_reports(psm_request(people, county), people),
        by=people.team_manager,
        reason="Not yet: try a network meeting first.",
    )
    rows = list(meeting.history.values_list("name", "source", "target", "by__username", "reason"))
    assert rows == [
        ("request", "", "requested", "sw", ""),
        ("submit", "requested", "awaiting_approval", "sw", ""),
        ("decline", "awaiting_approval", "declined", "tm", "Not yet: try a network meeting first."),
    ]
    row = meeting.history.last()
    assert row.at is not None
    row.reason = "changed"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        MeetingTransition.objects.filter(meeting=meeting).update(reason="x")
    with pytest.raises(PermissionError):
        MeetingTransition.objects.filter(meeting=meeting).delete()


def test_state_field_cannot_be_set_directly__G7(county, people):
    meeting = psm_request(people, county)
    with pytest.raises(AttributeError):
        meeting.state = MeetingState.CLOSED


def test_cancel_needs_a_reason_from_any_open_state__G8(county, people):
    meeting = scheduled_psm(people, county)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_cancel(meeting=meeting, by=people.social_worker, reason="  ")
    assert refused.value.rule == "G8"
    meeting = services.meeting_cancel(
        meeting=meeting, by=people.social_worker, reason="The placement has stabilised."
    )
    assert (
        meeting.state == MeetingState.CANCELLED and meeting.cancel_reason == "The placement has stabilised."
    )
    assert meeting.history.last().reason == "The placement has stabilised."
    for make in (
        lambda: psm_request(people, county),
        lambda: submit_with_reports(psm_request(people, county), people),
    ):
        m = services.meeting_cancel(
            meeting=make(), by=people.social_worker, reason="Child moved for safeguarding reasons."
        )
        assert m.state == MeetingState.CANCELLED
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_cancel(meeting=meeting, by=people.social_worker, reason="again")
    assert "cancelled" in refused.value.message
