"""Forms that belong to a meeting work for the people who should use them, and only for them.

Minutes: written by the meeting's chair or minute taker (P6, D9); a required report: by its author
role (P2, D8, B6). The check is in the form services (start, save, submit), so a crafted
/forms/start/ link or a POST changes nothing. A person question offers the people involved with the
child and the meeting's invitees, so every action can have an owner (P6).
"""

import html
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from forms_builder.models import FormDefinition, FormSubmission
from forms_builder.rendering import sections_for
from forms_builder.services import (
    submission_form,
    submission_save_draft,
    submission_start,
    submission_submit,
)
from forms_builder.signals import SubmissionForbidden
from portal.choices import Role
from tests.factories import InvolvementFactory, UserFactory
from workflows import services
from workflows.choices import MeetingState, ParticipantRole
from workflows.form_links import meeting_form_refusal
from workflows.form_packs import forms_load
from workflows.models import Invitee

from .factories import psm_request, schedule, submit_with_reports

pytestmark = pytest.mark.django_db

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


@pytest.fixture
def held_psm(people, county):
    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    meeting = submit_with_reports(meeting, people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 6))
    return services.meeting_record_held(meeting=meeting, by=people.fostering_manager)


@pytest.fixture
def buyer_who_sees_the_child(people, held_psm):
    """A buyer who can see the child (involved with them) but has no part in the meeting's forms."""
    InvolvementFactory(child=held_psm.child, user=people.buyer, role="other")
    return people.buyer


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _start_url(meeting, key: str) -> str:
    return (
        reverse("forms_builder:start", args=[key])
        + f"?child={meeting.child_id}&placement={meeting.placement_id}&subject={meeting.reference}"
    )


def _minutes_answers(submission, owner: str) -> dict:
    from tests.forms_builder.helpers import complete_answers

    answers = complete_answers(submission.spec, int(owner) if owner.isdigit() else 0)
    answers["actions"] = [
        {
            "action": "Arrange weekend respite",
            "owner": owner,
            "due_on": "2026-03-27",
            "evaluation": "Carers say they feel supported.",
        }
    ]
    return answers


# Who a person question offers (P6) -----------------------------------------------------------------


def test_minutes_action_owner_list_offers_people_involved_and_invitees__P6(held_psm, people):
    child = held_psm.child
    health = UserFactory(role=Role.SOCIAL_WORKER, first_name="Hana", last_name="Health")
    InvolvementFactory(child=child, user=health, role="health")
    invited = UserFactory(role=Role.RESIDENTIAL_WORKER, first_name="Ina", last_name="Invited")
    Invitee.objects.create(meeting=held_psm, user=invited, name="Ina Invited", role="other_professional")
    Invitee.objects.create(meeting=held_psm, name="Carol Carer", role=ParticipantRole.FOSTER_CARER)
    submission = submission_start(
        definition=FormDefinition.objects.get(key="psm-minutes"),
        child=child,
        placement=held_psm.placement,
        by=people.fostering_manager,
        subject_reference=held_psm.reference,
    )
    form = submission_form(submission=submission)
    actions = next(q for s in sections_for(form) for q in s.questions if q.name == "actions")
    offered = dict(actions.person_options)
    expected_users = {
        people.social_worker,  # the child's social worker
        people.iro,  # the child's IRO
        people.team_manager,  # the social worker's team manager
        people.ssw,  # the carers' supervising social worker
        people.fostering_manager,  # the chair
        health,  # involved with the child
        invited,  # invited staff
    }
    assert {str(u.pk) for u in expected_users} <= set(offered)
    assert "name:Carol Carer (foster carers)" in offered
    assert str(people.buyer.pk) not in offered

    # The edit page lists them in each row's Owner list (not only "Choose a person").
    from django.test import Client

    client = Client()
    client.force_login(people.fostering_manager)
    page = client.get(reverse("forms_builder:edit", args=[submission.pk])).content.decode()
    owner_select = page.split('id="id_actions-0-owner"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{people.ssw.pk}">' in owner_select
    assert f'<option value="{invited.pk}">' in owner_select
    assert "Carol Carer (foster carers)" in owner_select


def test_minutes_action_owned_by_an_invitee_without_an_account_is_recorded_by_name__P6(held_psm, people):
    Invitee.objects.create(meeting=held_psm, name="Carol Carer", role=ParticipantRole.FOSTER_CARER)
    submission = submission_start(
        definition=FormDefinition.objects.get(key="psm-minutes"),
        child=held_psm.child,
        placement=held_psm.placement,
        by=people.fostering_manager,
        subject_reference=held_psm.reference,
    )
    result = submission_submit(
        submission=submission,
        data=_minutes_answers(submission, "name:Carol Carer (foster carers)"),
        expected_version=submission.version,
        by=people.fostering_manager,
    )
    assert result.ok, result.errors
    action = held_psm.actions.get(follow_up_key="")
    assert action.owner is None and action.owner_name == "Carol Carer (foster carers)"
    assert action.missing == []


# Who may write the minutes (P6, D9) ---------------------------------------------------------------


def test_buyer_who_sees_the_child_cannot_start_the_minutes__P6(client, held_psm, buyer_who_sees_the_child):
    client.force_login(buyer_who_sees_the_child)
    response = client.get(_start_url(held_psm, "psm-minutes"))
    assert response.status_code == 403
    assert "Only the chair or the minute taker of this meeting can write its minutes." in _text(response)
    assert not FormSubmission.objects.exists()


def test_buyer_cannot_save_or_submit_minutes_over_the_chairs__P6(
    client, held_psm, people, buyer_who_sees_the_child
):
    chair = people.fostering_manager
    chairs = submission_start(
        definition=FormDefinition.objects.get(key="psm-minutes"),
        child=held_psm.child,
        placement=held_psm.placement,
        by=chair,
        subject_reference=held_psm.reference,
    )
    assert submission_submit(
        submission=chairs,
        data=_minutes_answers(chairs, str(people.ssw.pk)),
        expected_version=chairs.version,
        by=chair,
    ).ok
    held_psm.refresh_from_db()
    chairs_action = held_psm.actions.get(follow_up_key="")
    # A draft the buyer made before this check existed (or any draft of theirs) cannot be saved or submitted.
    buyers = FormSubmission.objects.create(
        definition=chairs.definition,
        revision=chairs.revision,
        child=held_psm.child,
        placement=held_psm.placement,
        subject_reference=held_psm.reference,
        author=buyer_who_sees_the_child,
        data={},
    )
    answers = _minutes_answers(buyers, str(people.ssw.pk))
    with pytest.raises(SubmissionForbidden):
        submission_save_draft(
            submission=buyers, data=answers, expected_version=buyers.version, by=buyer_who_sees_the_child
        )
    with pytest.raises(SubmissionForbidden):
        submission_submit(
            submission=buyers, data=answers, expected_version=buyers.version, by=buyer_who_sees_the_child
        )
    client.force_login(buyer_who_sees_the_child)
    assert client.get(reverse("forms_builder:edit", args=[buyers.pk])).status_code == 403
    response = client.post(
        reverse("forms_builder:autosave", args=[buyers.pk]), {"version": buyers.version, "summary": "Mine"}
    )
    assert response.status_code == 403 and response.json()["ok"] is False
    response = client.post(
        reverse("forms_builder:edit", args=[buyers.pk]), {"version": buyers.version, "submit": "1"}
    )
    assert response.status_code == 403
    buyers.refresh_from_db()
    assert buyers.data == {} and buyers.is_draft
    held_psm.refresh_from_db()
    assert held_psm.minutes_submission_id == chairs.pk
    assert list(held_psm.actions.filter(follow_up_key="")) == [chairs_action]


def test_chair_and_the_meetings_minute_taker_may_write_the_minutes__P6(held_psm, people):
    minute_taker = UserFactory(role=Role.MINUTE_TAKER)
    Invitee.objects.create(meeting=held_psm, user=minute_taker, name="M T", role=ParticipantRole.MINUTE_TAKER)
    other_minute_taker = UserFactory(role=Role.MINUTE_TAKER)
    check = {
        user: meeting_form_refusal(meeting=held_psm, form_key="psm-minutes", user=user)
        for user in (people.fostering_manager, minute_taker, other_minute_taker, people.social_worker)
    }
    assert check[people.fostering_manager] is None
    assert check[minute_taker] is None
    assert check[other_minute_taker] and check[people.social_worker]
    submission = submission_start(
        definition=FormDefinition.objects.get(key="psm-minutes"),
        child=held_psm.child,
        placement=held_psm.placement,
        by=minute_taker,
        subject_reference=held_psm.reference,
    )
    assert submission.author == minute_taker


def test_minutes_cannot_be_started_before_the_meeting_is_held__P6(people, county):
    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    meeting = submit_with_reports(meeting, people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 6))
    assert meeting.state == MeetingState.SCHEDULED
    with pytest.raises(SubmissionForbidden, match="once the meeting has been recorded as held"):
        submission_start(
            definition=FormDefinition.objects.get(key="psm-minutes"),
            child=meeting.child,
            placement=meeting.placement,
            by=people.fostering_manager,
            subject_reference=meeting.reference,
        )
    assert not FormSubmission.objects.exists()


# Who may write a required report (P2, D8, B6) ------------------------------------------------------


def test_report_is_started_only_by_its_author_role__P2(client, people, county):
    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    InvolvementFactory(child=meeting.child, user=people.buyer, role="other")
    url = _start_url(meeting, "psm-report")
    for outsider in (people.social_worker, people.buyer):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 403
        assert "Only the supervising social worker can write the" in _text(response)
    assert not FormSubmission.objects.exists()
    client.force_login(people.ssw)
    assert client.get(url).status_code == 302
    assert FormSubmission.objects.get().author == people.ssw


def test_report_filed_by_someone_without_its_author_role_is_not_received__P2(people, county):
    """Even past the services, the meeting receives a report only from a holder of its author role."""
    from forms_builder.signals import SubmissionRefused
    from workflows.form_links import submission_link_to_meeting

    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    definition = FormDefinition.objects.get(key="psm-report")
    submission = FormSubmission.objects.create(
        definition=definition,
        revision=definition.live_revision,
        child=meeting.child,
        placement=meeting.placement,
        subject_reference=meeting.reference,
        author=people.social_worker,
        data={},
    )
    with pytest.raises(SubmissionForbidden):
        submission_submit(
            submission=submission, data={}, expected_version=submission.version, by=people.social_worker
        )
    with pytest.raises(SubmissionRefused):
        submission_link_to_meeting(submission=submission, by=people.social_worker)
    report = meeting.reports.get(form_key="psm-report")
    assert not report.is_received


def test_minute_taker_cannot_start_the_social_workers_report_and_sees_no_link__D8(client, people, county):
    from workflows.models import MeetingReport

    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    # The county DM asks for a report by the child's social worker; the same rule on this meeting:
    MeetingReport.objects.create(
        meeting=meeting,
        form_key="dm-report-social-worker",
        label="Report by the child's social worker",
        author_role=ParticipantRole.SOCIAL_WORKER,
        timing="before_meeting",
    )
    minute_taker = UserFactory(role=Role.MINUTE_TAKER)
    InvolvementFactory(child=meeting.child, user=minute_taker, role="other")
    client.force_login(minute_taker)
    response = client.get(_start_url(meeting, "dm-report-social-worker"))
    assert response.status_code == 403
    assert "Only the child's social worker can write the report by the child" in _text(response)
    assert not FormSubmission.objects.exists()
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert "/forms/start/dm-report-social-worker/" not in page
    assert "/forms/start/psm-report/" not in page
    client.force_login(people.social_worker)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert "/forms/start/dm-report-social-worker/" in page
    assert "/forms/start/psm-report/" not in page
    client.force_login(people.ssw)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert "/forms/start/psm-report/" in page
