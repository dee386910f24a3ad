"""Forms submitted for a meeting feed it: minutes become decisions and actions; reports are received."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from forms_builder.models import FormDefinition
from forms_builder.services import submission_start, submission_submit
from workflows.choices import MeetingState
from workflows.form_links import meeting_for_subject
from workflows.form_packs import forms_load

from .factories import psm_request, schedule, submit_with_reports

pytestmark = pytest.mark.django_db

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


def _minutes_answers(submission, owner_pk: int) -> dict:
    """Every question answered, with known decisions, actions and the child's view."""
    from tests.forms_builder.helpers import complete_answers

    answers = complete_answers(submission.spec, owner_pk)
    answers.update(
        {
            "summary": "Night-time behaviour; carers exhausted.",
            "child_view": "Wants to stay with the carers.",
            "decisions": [{"decision": "The placement continues with extra support.", "made_by": "Chair"}],
            "actions": [
                {
                    "action": "Arrange weekend respite",
                    "owner": str(owner_pk),
                    "due_on": "2026-03-27",
                    "evaluation": "Carers say they feel supported.",
                }
            ],
        }
    )
    return answers


@pytest.fixture
def held_psm(people, county):
    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    meeting = submit_with_reports(meeting, people)
    from workflows import services

    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 6))
    return services.meeting_record_held(meeting=meeting, by=people.fostering_manager)


def _start_minutes(meeting, by):
    definition = FormDefinition.objects.get(key="psm-minutes")
    return submission_start(
        definition=definition,
        child=meeting.child,
        placement=meeting.placement,
        by=by,
        subject_reference=meeting.reference,
    )


def test_submitted_minutes_form_records_decisions_and_owned_timed_actions__P6(held_psm, people):
    submission = _start_minutes(held_psm, people.fostering_manager)
    result = submission_submit(
        submission=submission,
        data=_minutes_answers(submission, people.ssw.pk),
        expected_version=submission.version,
        by=people.fostering_manager,
    )
    assert result.ok, result.errors
    held_psm.refresh_from_db()
    assert held_psm.state == MeetingState.MINUTES_DRAFTED
    assert held_psm.minutes_submission_id == submission.pk
    action = held_psm.actions.get(follow_up_key="")
    assert (action.owner, action.due_on) == (people.ssw, date(2026, 3, 27))
    assert action.evaluation == "Carers say they feel supported."
    assert list(held_psm.decisions.values_list("text", flat=True)) == [
        "The placement continues with extra support. - Chair"
    ]


def test_minutes_wishes_and_feelings_section_is_recorded_on_the_meeting__G6(held_psm, people):
    submission = _start_minutes(held_psm, people.fostering_manager)
    submission_submit(
        submission=submission,
        data=_minutes_answers(submission, people.ssw.pk),
        expected_version=submission.version,
        by=people.fostering_manager,
    )
    held_psm.refresh_from_db()
    assert "Wants to stay with the carers." in held_psm.wishes_and_feelings
    assert held_psm.wishes_and_feelings_recorded


def test_minutes_the_meeting_refuses_are_kept_as_draft__G7(held_psm, people):
    submission = _start_minutes(held_psm, people.fostering_manager)
    from workflows import services

    services.meeting_cancel(meeting=held_psm, by=people.fostering_manager, reason="The child moved home.")
    result = submission_submit(
        submission=submission,
        data=_minutes_answers(submission, people.ssw.pk),
        expected_version=submission.version,
        by=people.fostering_manager,
    )
    assert not result.ok
    message = result.errors[0][1]
    assert "the meeting refused it" in message
    assert "(G" not in message and "(P" not in message  # no rule ID on screen
    submission.refresh_from_db()
    assert submission.is_draft
    assert submission.data["summary"] == "Night-time behaviour; carers exhausted."
    held_psm.refresh_from_db()
    assert held_psm.actions.count() == 0


def test_required_report_form_submitted_by_its_author_is_received__P2(people, county):
    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    report = meeting.reports.get(form_key="psm-report")
    assert not report.is_received
    definition = FormDefinition.objects.get(key="psm-report")
    submission = submission_start(
        definition=definition,
        child=meeting.child,
        placement=meeting.placement,
        by=people.ssw,
        subject_reference=meeting.reference,
    )
    from tests.forms_builder.helpers import complete_answers

    result = submission_submit(
        submission=submission,
        data=complete_answers(submission.spec, people.ssw.pk),
        expected_version=submission.version,
        by=people.ssw,
    )
    assert result.ok, result.errors
    report.refresh_from_db()
    assert report.is_received and report.submission_id == submission.pk
    assert report.received_by == people.ssw


def test_subject_resolver_only_finds_meetings_the_user_may_see__G3(people, county):
    meeting = psm_request(people, county)
    assert meeting_for_subject(reference=meeting.reference, user=people.social_worker) == meeting
    assert meeting_for_subject(reference=meeting.reference, user=people.other_manager) is None
