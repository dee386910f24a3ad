"""The policy's "not held" path (issue 10): who may decide it, a required reason, a required document; it
ends the requirement with a recorded decision, distinct from cancelling, finished and never overdue."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from workflows import services
from workflows.choices import FINISHED_STATES, OPEN_STATES, MeetingState
from workflows.lateness import meeting_overdue_q
from workflows.models import Meeting
from workflows.paths import meeting_not_held
from workflows.rules import RuleRefusal

from .decisions import not_held, set_decision
from .factories import psm_request, submit_with_reports


@pytest.fixture
def awaiting(people, county):
    meeting = submit_with_reports(psm_request(people, county), people)
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    return set_decision(meeting, not_held=not_held())


def test_the_childs_team_manager_records_not_held_with_a_reason__issue10(awaiting, people):
    """Issue 10: the decider named by the path ends the meeting with a recorded decision: the state, the
    reason and the history row (who, from, to, why)."""
    meeting = meeting_not_held(
        meeting=awaiting, by=people.team_manager, reason="The carers gave notice; a planned move is agreed."
    )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOT_HELD
    assert meeting.not_held_reason == "The carers gave notice; a planned move is agreed."
    last = meeting.history.order_by("-at", "-pk").first()
    assert (last.name, last.source, last.target, last.by) == (
        "record_not_held",
        MeetingState.AWAITING_APPROVAL,
        MeetingState.NOT_HELD,
        people.team_manager,
    )
    assert last.reason == "The carers gave notice; a planned move is agreed."


def test_not_held_is_finished_and_never_overdue__issue10(awaiting, people):
    """Issue 10: a not-held meeting counts as finished, not open, and is not overdue even past its date."""
    meeting_not_held(meeting=awaiting, by=people.team_manager, reason="Not needed: placement stabilised.")
    Meeting.objects.filter(pk=awaiting.pk).update(due_on=date(2026, 3, 5))
    assert MeetingState.NOT_HELD in FINISHED_STATES and MeetingState.NOT_HELD not in OPEN_STATES
    assert not Meeting.objects.filter(pk=awaiting.pk).filter(meeting_overdue_q(date(2026, 6, 1))).exists()
    # An open meeting with the same date is overdue, so the check above can fail.
    other = psm_request(people, awaiting.meeting_type.pack)
    Meeting.objects.filter(pk=other.pk).update(due_on=date(2026, 3, 5))
    assert Meeting.objects.filter(pk=other.pk).filter(meeting_overdue_q(date(2026, 6, 1))).exists()


def test_not_held_is_not_a_cancellation__issue10(awaiting, people):
    """Issue 10: distinct from cancel: the meeting is not cancelled, and cannot be cancelled afterwards."""
    meeting = meeting_not_held(meeting=awaiting, by=people.team_manager, reason="Placement ended as planned.")
    assert meeting.cancel_reason == ""
    with pytest.raises(RuleRefusal):
        services.meeting_cancel(meeting=meeting, by=people.team_manager, reason="Changed my mind")
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.NOT_HELD


def test_refused_without_a_path__issue10(people, county):
    """Issue 10: where the policy gives no not-held path for the case, a plain sentence refuses it."""
    meeting = set_decision(psm_request(people, county), not_held=None)
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=meeting, by=people.team_manager, reason="No need")
    assert "gives no way to decide" in refused.value.message
    assert "cancel it with the reason" in refused.value.message
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.REQUESTED


def test_refused_for_other_roles_and_other_teams__issue10(awaiting, people):
    """Issue 10: only the path's roles, and only one who works with the child (like approvers)."""
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=awaiting, by=people.social_worker, reason="No need")
    assert refused.value.message == "Only the team manager can decide that this meeting will not be held."
    assert refused.value.rule == "NH1"
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=awaiting, by=people.other_manager, reason="No need")
    assert "who works with" in refused.value.message
    with pytest.raises(RuleRefusal):
        meeting_not_held(meeting=awaiting, by=people.auditor, reason="No need")
    assert Meeting.objects.get(pk=awaiting.pk).state == MeetingState.AWAITING_APPROVAL


def test_reason_required_when_the_path_says_so__issue10(awaiting, people):
    """Issue 10: a path with reason_required refuses an empty reason; one without accepts it."""
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=awaiting, by=people.team_manager, reason="  ")
    assert refused.value.message == "Give the reason the meeting will not be held."
    assert refused.value.field == "reason"
    set_decision(awaiting, not_held=not_held(reason_required=False))
    assert meeting_not_held(meeting=awaiting, by=people.team_manager).state == MeetingState.NOT_HELD


def test_document_required_before_deciding__issue10(people, county):
    """Issue 10: a path naming a form refuses until that form is submitted for this meeting."""
    from forms_builder.models import FormDefinition, FormSubmission
    from workflows.form_packs import forms_load

    from .factories import PACKS

    forms_load(PACKS / "county")
    meeting = set_decision(
        psm_request(people, county), not_held=not_held(document_form_key="psm-report", rule="NH2")
    )
    definition = FormDefinition.objects.get(key="psm-report")
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=meeting, by=people.team_manager, reason="Stable now")
    assert refused.value.rule == "NH2"
    assert refused.value.message.startswith(f"Submit the {definition.title} for this meeting first")
    draft = FormSubmission.objects.create(
        definition=definition,
        revision=definition.live_revision,
        child=meeting.child,
        placement=meeting.placement,
        subject_reference=meeting.reference,
        author=people.social_worker,
        data={},
    )
    with pytest.raises(RuleRefusal):  # a draft is not enough
        meeting_not_held(meeting=meeting, by=people.team_manager, reason="Stable now")
    FormSubmission.objects.filter(pk=draft.pk).update(status="submitted")
    meeting = meeting_not_held(meeting=meeting, by=people.team_manager, reason="Stable now")
    assert meeting.state == MeetingState.NOT_HELD
    assert meeting.not_held_submission_id == draft.pk


def test_not_held_after_the_meeting_is_refused__issue10(people, county):
    """Issue 10: only before the meeting takes place (requested .. scheduled)."""
    meeting = set_decision(psm_request(people, county), not_held=not_held())
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    with pytest.raises(RuleRefusal) as refused:
        meeting_not_held(meeting=meeting, by=people.team_manager, reason="Too late")
    assert "cannot be recorded as not held" in refused.value.message


def test_the_screen_records_it_and_refuses_with_a_sentence__issue10(client, awaiting, people):
    """Issue 10: the meeting page links to the screen for a decider only; the screen refuses others with
    the sentence and no form; a posted empty reason keeps the page with the error; a reason records it."""
    url = reverse("workflows:meeting_not_held", args=[awaiting.pk])
    detail = reverse("workflows:meeting_detail", args=[awaiting.pk])
    client.force_login(people.social_worker)
    assert "not-held-link" not in client.get(detail).content.decode()
    page = client.get(url).content.decode()
    assert "Only the team manager can decide that this meeting will not be held." in page
    assert "<textarea" not in page
    assert client.post(url, {"reason": "No need"}).status_code == 400
    assert Meeting.objects.get(pk=awaiting.pk).state == MeetingState.AWAITING_APPROVAL

    client.force_login(people.team_manager)
    assert "not-held-link" in client.get(detail).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason the meeting will not be held." in response.content.decode()
    response = client.post(url, {"reason": "The placement ended in a planned way."})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=awaiting.pk).state == MeetingState.NOT_HELD
    page = client.get(detail).content.decode()
    assert "The placement ended in a planned way." in page
    assert "Not held (decided)" in page


def test_the_not_held_document_is_written_by_the_social_worker_or_a_decider__issue10(people, county):
    """Issue 10: the form the path asks for can be started for the meeting by the child's social worker or
    a decider (it is not one of the meeting's reports); anyone else is refused with a sentence."""
    from forms_builder.models import FormDefinition
    from forms_builder.services import submission_start
    from forms_builder.signals import SubmissionForbidden
    from workflows.form_packs import forms_load

    from .factories import PACKS

    forms_load(PACKS / "county")
    definition = FormDefinition.objects.get(key="dm-request")
    meeting = set_decision(psm_request(people, county), not_held=not_held(document_form_key="dm-request"))
    for author in (people.social_worker, people.team_manager):
        draft = submission_start(
            definition=definition, child=meeting.child, by=author, subject_reference=meeting.reference
        )
        assert draft.author == author
    with pytest.raises(SubmissionForbidden) as refused:
        submission_start(
            definition=definition, child=meeting.child, by=people.ssw, subject_reference=meeting.reference
        )
    assert str(refused.value) == (
        "Only the child's social worker or the team manager can write the "
        f"{definition.title} for this meeting."
    )
