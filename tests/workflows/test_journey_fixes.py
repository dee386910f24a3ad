"""Defects the whole-journey browser tests exposed (tests/e2e/test_journeys_e2e.py), one test each.

1. A disruption meeting's people who no longer see the child on the worker site (the supervising
   social worker of the placement that ended, the independent IRO who chairs, D5) could not start
   the report or minutes the meeting page linked them to: /forms/start/ answered 404 (D8, D9).
2. Sending a request that the policy approves at once (a DM in time, D3) said "sent for approval".
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from forms_builder.models import FormSubmission
from portal.choices import Role
from portal.selectors import children_for_user
from tests.factories import UserFactory
from workflows import services
from workflows.choices import MeetingState, ReportTiming
from workflows.form_packs import forms_load
from workflows.views.meeting_page import _form_link

from .test_dm import dm_request, dm_scheduled

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


@pytest.fixture
def county_forms(county):
    forms_load(PACKS / "county")
    return county


def _sees_child(user, meeting) -> bool:
    return children_for_user(user).filter(pk=meeting.child_id).exists()


def test_ssw_of_the_ended_placement_starts_their_dm_report_from_the_meeting__D8(client, people, county_forms):
    meeting = dm_scheduled(people, county_forms)
    assert not _sees_child(people.ssw, meeting)  # the placement has ended
    client.force_login(people.ssw)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    link = _form_link(meeting, "dm-report-supervising-social-worker")
    assert link.replace("&", "&amp;") in page

    response = client.get(link)

    assert response.status_code == 302
    submission = FormSubmission.objects.get(author=people.ssw)
    assert submission.subject_reference == meeting.reference
    assert submission.child_id == meeting.child_id
    assert client.get(reverse("forms_builder:edit", args=[submission.pk])).status_code == 200
    # The chair, who does not see the child either, may read it from the meeting.
    client.force_login(people.independent_iro)
    assert client.get(reverse("forms_builder:view", args=[submission.pk])).status_code == 200


def test_independent_chair_starts_the_dm_minutes__D5__D9(client, people, county_forms):
    meeting = dm_scheduled(people, county_forms)
    meeting = services.meeting_record_held(meeting=meeting, by=people.independent_iro)
    assert not _sees_child(people.independent_iro, meeting)
    client.force_login(people.independent_iro)

    response = client.get(_form_link(meeting, "dm-minutes"))

    assert response.status_code == 302
    assert FormSubmission.objects.filter(author=people.independent_iro, definition__key="dm-minutes").exists()


def test_the_meeting_opens_no_other_child_and_strangers_still_get_404__D8(client, people, county_forms):
    meeting = dm_scheduled(people, county_forms)
    other_child = people.child()
    client.force_login(people.ssw)
    # Without the meeting, or naming another child with it, the child stays hidden.
    bare = f"/forms/start/dm-report-supervising-social-worker/?child={meeting.child_id}"
    assert client.get(bare).status_code == 404
    wrong = _form_link(meeting, "dm-report-supervising-social-worker").replace(
        f"child={meeting.child_id}", f"child={other_child.pk}"
    )
    assert client.get(wrong).status_code == 404
    # Someone with no part in the meeting gets 404 even with its reference.
    stranger = UserFactory(username="iro3", role=Role.IRO, team=people.iro_team)
    client.force_login(stranger)
    assert client.get(_form_link(meeting, "dm-report-supervising-social-worker")).status_code == 404
    assert not FormSubmission.objects.exists()


def test_sending_a_request_approved_at_once_says_so__D3(client, people, county_forms):
    meeting = dm_request(people, county_forms)
    for report in meeting.reports.filter(timing=ReportTiming.WITH_REQUEST):
        services.report_attach(report=report, by=people.social_worker)
    client.force_login(people.social_worker)

    response = client.post(reverse("workflows:meeting_submit", args=[meeting.pk]), follow=True)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    body = response.content.decode()
    assert "The request has been sent. It needs no approval and can be arranged now." in body
    assert "sent for approval" not in body
