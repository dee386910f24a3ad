"""The minutes journey: attendance carried from "held" into the minutes (G3), submitted minutes opened
rather than restarted, and the child's view found wherever it was recorded (G6)."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from forms_builder.models import FormDefinition, FormSubmission
from forms_builder.services import submission_start, submission_submit
from tests.forms_builder.helpers import complete_answers
from workflows import services
from workflows.choices import Attendance, MeetingState
from workflows.form_packs import forms_load
from workflows.forms import HeldForm

from .factories import psm_request, schedule, submit_with_reports

pytestmark = pytest.mark.django_db

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


@pytest.fixture
def scheduled_psm(people, county):
    forms_load(PACKS / "county")
    meeting = psm_request(people, county)
    meeting = submit_with_reports(meeting, people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    return schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 6))


def _start(client, meeting, key="psm-minutes"):
    url = reverse("forms_builder:start", args=[key])
    return client.get(
        f"{url}?child={meeting.child_id}&placement={meeting.placement_id}&subject={meeting.reference}"
        f"&next=/meetings/{meeting.pk}/"
    )


def test_did_not_attend_is_an_attendance_option_when_the_meeting_is_held__G3(scheduled_psm):
    form = HeldForm(invitees=scheduled_psm.invitees.all())
    first = next(f for key, f in form.fields.items() if key != "held_day")
    assert ("did_not_attend", "Did not attend") in list(first.choices)
    minutes = FormDefinition.objects.get(key="psm-minutes")
    column = next(c for c in minutes.spec.field_map()["attendees"].columns if c.key == "attendance")
    assert "Did not attend" in column.options


def test_attendance_recorded_at_held_is_carried_into_the_minutes__G3(client, scheduled_psm, people):
    invitees = list(scheduled_psm.invitees.exclude(attendance=Attendance.NOT_INVITED).order_by("pk"))
    assert len(invitees) >= 3
    recorded = {invitees[0].pk: "present", invitees[1].pk: "apologies", invitees[2].pk: "did_not_attend"}
    meeting = services.meeting_record_held(
        meeting=scheduled_psm, by=people.fostering_manager, attendance=recorded
    )
    client.force_login(people.fostering_manager)
    assert _start(client, meeting).status_code == 302
    rows = FormSubmission.objects.get().data["attendees"]
    by_name = {row["name"]: row for row in rows}
    assert by_name[invitees[0].name]["attendance"] == "Present"
    assert by_name[invitees[1].name]["attendance"] == "Apologies"
    assert by_name[invitees[2].name]["attendance"] == "Did not attend"
    assert by_name[invitees[0].name]["role"] == invitees[0].get_role_display()


def test_open_the_minutes_after_submitting_opens_them_and_revising_starts_from_them__P6(
    client, scheduled_psm, people
):
    chair = people.fostering_manager
    meeting = services.meeting_record_held(meeting=scheduled_psm, by=chair)
    submission = submission_start(
        definition=FormDefinition.objects.get(key="psm-minutes"),
        child=meeting.child,
        placement=meeting.placement,
        by=chair,
        subject_reference=meeting.reference,
        return_url=f"/meetings/{meeting.pk}/",
    )
    answers = complete_answers(submission.spec, people.ssw.pk)
    answers["summary"] = "Night-time behaviour; carers exhausted."
    assert submission_submit(
        submission=submission, data=answers, expected_version=submission.version, by=chair
    ).ok
    client.force_login(chair)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    opened = page.split("Open the minutes", 1)[0].rsplit("href=", 1)[1]
    assert reverse("forms_builder:view", args=[submission.pk]) in opened
    view = client.get(reverse("forms_builder:view", args=[submission.pk])).content.decode()
    assert "Night-time behaviour; carers exhausted." in view
    assert "Revise the minutes" in view
    # Revising starts a draft from the submitted answers, not a blank form.
    assert _start(client, meeting).status_code == 302
    draft = FormSubmission.objects.filter(status="draft").get()
    assert draft.data["summary"] == "Night-time behaviour; carers exhausted."
    assert draft.data["actions"] == submission.data["actions"]
    # Someone who may not write the minutes is offered no revision.
    client.force_login(people.social_worker)
    assert (
        "Revise the minutes"
        not in client.get(reverse("forms_builder:view", args=[submission.pk])).content.decode()
    )


def test_childs_view_in_a_received_report_is_not_flagged_as_missing__G6(scheduled_psm, people):
    from workflows.policy import meeting_flags

    chair = people.fostering_manager
    meeting = services.meeting_record_held(meeting=scheduled_psm, by=chair)
    assert meeting.lacks_wishes_and_feelings
    definition = FormDefinition.objects.get(key="psm-report")
    report = meeting.reports.get(form_key="psm-report")
    report.received_at = None
    report.save()
    submission = submission_start(
        definition=definition,
        child=meeting.child,
        placement=meeting.placement,
        by=people.ssw,
        subject_reference=meeting.reference,
    )
    answers = complete_answers(submission.spec, people.ssw.pk)
    answers["child_view"] = "She says she wants to stay but misses her brother."
    assert submission_submit(
        submission=submission, data=answers, expected_version=submission.version, by=people.ssw
    ).ok
    meeting.refresh_from_db()
    report.refresh_from_db()
    assert report.submission_id == submission.pk
    assert meeting.state == MeetingState.HELD
    assert not meeting.lacks_wishes_and_feelings
    assert not any(f.rule == "G6" for f in meeting_flags(meeting))


def test_re_recorded_minutes_keep_earlier_decisions_and_actions_marked_superseded__G7(scheduled_psm, people):
    from workflows.models import Action, Decision
    from workflows.selectors import actions_for_user

    from .factories import hold_and_minute

    chair = people.fostering_manager
    first_action = {
        "description": "Arrange weekend respite",
        "owner": people.ssw,
        "due_on": date(2026, 3, 27),
        "evaluation": "Carers feel supported.",
    }
    meeting = hold_and_minute(scheduled_psm, people, actions=[first_action])
    earlier_action = meeting.actions.get()
    earlier_decision = meeting.decisions.get()
    meeting = services.minutes_record(
        meeting=meeting,
        by=chair,
        key_issues="Revised.",
        wishes_and_feelings="Wants to stay.",
        decisions=["Placement continues; review in six weeks."],
        actions=[{**first_action, "description": "Arrange two respite weekends"}],
    )
    kept = Action.all_objects.get(pk=earlier_action.pk)
    assert kept.superseded_at is not None and kept.superseded_by == chair
    assert Decision.all_objects.get(pk=earlier_decision.pk).superseded_by == chair
    assert [a.description for a in meeting.actions.all()] == ["Arrange two respite weekends"]
    assert [d.text for d in meeting.decisions.all()] == ["Placement continues; review in six weeks."]
    assert [a.description for a in actions_for_user(people.ssw)] == ["Arrange two respite weekends"]
    assert Action.all_objects.filter(meeting=meeting).count() == 2


def test_request_free_text_has_a_documented_maximum_and_a_message__P1(client, people, county):
    from workflows.forms import REQUEST_TEXT_MAX

    from .factories import meeting_type

    child = people.child()
    placement = people.placement(child)
    psm = meeting_type(county, "PSM")
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_request", args=[child.pk]) + f"?type={psm.pk}"
    too_long = "y" * (REQUEST_TEXT_MAX + 1)
    response = client.post(
        url,
        {
            "meeting_type": psm.pk,
            "placement": placement.pk,
            "triggers": ["carers_struggling"],
            "support_tried": too_long,
            "concern_raised_on": "2026-03-02",
            "request_details": "Short.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"can be at most {REQUEST_TEXT_MAX:,} characters; it has {REQUEST_TEXT_MAX + 1}" in page
    assert too_long in page  # what was typed is kept
    assert f"Up to {REQUEST_TEXT_MAX:,} characters." in page
    assert not child.meetings.exists()
