from datetime import date, timedelta

from workflows import services
from workflows.choices import MeetingState

from .factories import at, meeting_type


def test_psm_happy_path(county, people, django_capture_on_commit_callbacks, mailoutbox):
    child = people.child()
    placement = people.placement(child)
    psm = meeting_type(county, "PSM")
    raised = date(2026, 3, 2)
    m = services.meeting_request(
        meeting_type=psm,
        child=child,
        placement=placement,
        by=people.social_worker,
        concern_raised_on=raised,
        triggers=["allegation"],
        support_tried="Informal meeting with carers on 1 March",
        requested_at=at(raised),
    )
    assert m.reference.startswith("PSM-")
    assert m.due_on == date(2026, 3, 9), m.deadline_explanation
    report = m.reports.get()
    services.report_attach(report=report, by=people.ssw, submission_id=None)
    with django_capture_on_commit_callbacks(execute=True):
        m = services.meeting_submit(meeting=m, by=people.social_worker)
    assert m.state == MeetingState.AWAITING_APPROVAL
    m = services.meeting_approve(meeting=m, by=people.team_manager)
    assert m.state == MeetingState.APPROVED
    m = services.meeting_schedule(
        meeting=m,
        by=people.social_worker,
        chair=people.fostering_manager,
        scheduled_for=at(raised + timedelta(days=3)),
        venue="Room 1",
        child_invited=False,
        child_invite_reason="Too upset; views gathered by social worker",
        invitees=people.invitees(m),
        arranged_at=at(raised),  # the 2026 dates stand in for "now"
    )
    assert m.state == MeetingState.SCHEDULED
    m = services.meeting_record_held(meeting=m, by=people.fostering_manager)
    m = services.minutes_record(
        meeting=m,
        by=people.fostering_manager,
        key_issues="x",
        wishes_and_feelings="wants to stay",
        decisions=["Keep placement"],
        actions=[
            {"description": "Respite", "owner": people.ssw, "due_on": date(2026, 3, 20), "evaluation": "e"}
        ],
    )
    m = services.minutes_approve(meeting=m, by=people.fostering_manager)
    with django_capture_on_commit_callbacks(execute=True):
        m = services.minutes_circulate(meeting=m, by=people.fostering_manager)
        m = services.meeting_close(meeting=m, by=people.fostering_manager)
    assert m.state == MeetingState.CLOSED
    assert child.case_notes.filter(note_type="Placement stability meeting").exists()
    assert list(m.history.values_list("target", flat=True))[-1] == "closed"
