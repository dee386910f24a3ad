"""Auditors read every record and change none (SPEC Roles): the worker site refuses their changes.

One guard (portal.middleware.ReadOnlyRolesMiddleware) refuses every change an auditor sends; the
screens hide the buttons and links that would start one. Each refusal leaves the records as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from forms_builder.models import FormSubmission
from workflows.choices import MeetingState
from workflows.form_packs import forms_load
from workflows.models import Meeting, MeetingTransition

from .factories import meeting_type, psm_request, submit_with_reports

pytestmark = pytest.mark.django_db
PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


@pytest.fixture
def awaiting(people, county):
    return submit_with_reports(psm_request(people, county), people)


def _changes(meeting: Meeting) -> tuple:
    meeting.refresh_from_db()
    return (
        meeting.state,
        MeetingTransition.objects.count(),
        Meeting.objects.count(),
        FormSubmission.objects.count(),
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("workflows:meeting_approve", {}),
        ("workflows:meeting_decline", {"reason": "Auditors cannot decide."}),
        ("workflows:meeting_cancel", {"reason": "Auditors cannot cancel."}),
        ("workflows:meeting_submit", {}),
        ("workflows:provider_notice", {"notice_given_on": "2026-03-03"}),
    ],
)
def test_auditor_changes_to_a_meeting_are_refused_and_change_nothing__Roles(
    client, people, awaiting, name, data
):
    before = _changes(awaiting)
    client.force_login(people.auditor)
    response = client.post(reverse(name, args=[awaiting.pk]), data)
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
    assert "can read every record but not change any" in response.content.decode()
    assert _changes(awaiting) == before
    assert awaiting.state == MeetingState.AWAITING_APPROVAL


def test_auditor_cannot_request_a_meeting_or_start_a_form__Roles(client, people, county):
    forms_load(PACKS / "county")
    child = people.child()
    placement = people.placement(child)
    psm = meeting_type(county, "PSM")
    client.force_login(people.auditor)
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": psm.pk,
            "placement": placement.pk,
            "triggers": ["carers_struggling"],
            "support_tried": "x",
            "concern_raised_on": "2026-03-02",
            "concern_raised_by": "Carers",
        },
    )
    assert response.status_code == 403 and not Meeting.objects.exists()
    response = client.get(f"/forms/start/psm-report/?child={child.pk}&placement={placement.pk}")
    assert response.status_code == 403 and not FormSubmission.objects.exists()


def test_auditor_reads_the_meeting_page_without_buttons_or_form_links__Roles(client, people, awaiting):
    client.force_login(people.auditor)
    page = client.get(reverse("workflows:meeting_detail", args=[awaiting.pk])).content.decode()
    assert str(awaiting.reference) in page
    for hidden in (
        "Approve</button>",
        "Cancel the meeting",
        "/forms/start/",
        'method="post" action="/meetings/',
    ):
        assert hidden not in page, hidden
    child_page = client.get(reverse("child_detail", args=[awaiting.child_id])).content.decode()
    assert "Request a meeting" not in child_page and awaiting.reference in child_page


def test_the_same_screens_still_offer_workers_their_steps__Roles(client, people, awaiting):
    client.force_login(people.team_manager)
    page = client.get(reverse("workflows:meeting_detail", args=[awaiting.pk])).content.decode()
    assert ">Approve</a>" in page and "Cancel the meeting" in page
    response = client.post(reverse("workflows:meeting_approve", args=[awaiting.pk]))
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.state == MeetingState.APPROVED


def test_auditor_may_still_sign_out__Roles(client, people):
    client.force_login(people.auditor)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
