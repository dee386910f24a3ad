"""The worker's meeting screens, driven through HTTP as each role would."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from forms_builder.models import FormDefinition, FormSubmission
from tests.factories import UserFactory
from workflows import services
from workflows.choices import MeetingState
from workflows.deadlines import add_working_days
from workflows.form_packs import forms_load
from workflows.models import Meeting

from .factories import meeting_type, psm_request, schedule, submit_with_reports

pytestmark = pytest.mark.django_db
PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
TODAY = timezone.localdate()
NEXT_WORKING_DAY = add_working_days(TODAY, 1)


def _date_parts(name: str, day: date) -> dict:
    """A date as the GOV.UK date input posts it: three boxes."""
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _detail(meeting) -> str:
    return reverse("workflows:meeting_detail", args=[meeting.pk])


def _approved(people, county, **kwargs):
    """A PSM approved today, its concern raised today, so the screens can arrange it (not in the past)."""
    kwargs.setdefault("raised", TODAY)
    meeting = submit_with_reports(psm_request(people, county, **kwargs), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


def _schedule_post(meeting, people, chair_user, **overrides) -> dict:
    from workflows.forms import ScheduleForm
    from workflows.participants import eligible_chairs, invitee_suggestions

    form = ScheduleForm(candidates=eligible_chairs(meeting), suggestions=invitee_suggestions(meeting))
    data = {
        **_date_parts("day", NEXT_WORKING_DAY),
        "start": "10:00",
        "venue": "Family centre",
        "chair": str(chair_user.pk),
        "child_invited": "no",
        "child_invite_reason": "She asked not to come; her views are in the report.",
    }
    for i, row in enumerate(form.suggestions):
        data[f"invite_{i}"] = "on"
        data[f"name_{i}"] = row["name"] or row["role_label"]
        data[f"email_{i}"] = row["email"] or f"person{i}@example.org"
    data.update(overrides)
    return data


# --------------------------------------------------------------------------------------------------
# Request
# --------------------------------------------------------------------------------------------------


def test_social_worker_requests_a_psm_and_sees_its_deadline_explained__P1__G2(client, people, county):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_request", args=[child.pk])
    psm = meeting_type(county, "PSM")
    page = client.get(url + f"?type={psm.pk}")
    assert page.status_code == 200 and "Why is the meeting needed?" in page.content.decode()
    response = client.post(
        url,
        {
            "meeting_type_pk": psm.pk,
            "placement": placement.pk,
            "triggers": ["carers_struggling"],
            "support_tried": "Extra supervision visits in February.",
            **_date_parts("concern_raised_on", date(2026, 3, 2)),
            "concern_raised_by": "The carers",
        },
    )
    meeting = Meeting.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == _detail(meeting)
    page = client.get(_detail(meeting)).content.decode()
    assert meeting.deadline_explanation and meeting.deadline_explanation in page
    assert "9 March 2026" in page  # 5 working days after Monday 2 March 2026


def test_choosing_no_meeting_type_says_so__P1(client, people, county):
    child = people.child()
    people.placement(child)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_request", args=[child.pk])
    assert "govuk-error-summary" not in client.get(url).content.decode()
    page = client.get(url + "?step=type").content.decode()
    assert "govuk-error-summary" in page and "Choose the meeting you want to request." in page
    psm = meeting_type(county, "PSM")
    response = client.get(url + f"?step=type&meeting_type={psm.pk}")
    assert response.status_code == 302 and response["Location"].endswith(f"?type={psm.pk}")


def test_request_form_refusal_keeps_every_answer__P1(client, people, county):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    psm = meeting_type(county, "PSM")
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": psm.pk,
            "placement": placement.pk,
            **_date_parts("concern_raised_on", date(2026, 3, 2)),
            "support_tried": "Kept answer about respite",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one reason for the meeting." in body and "(rule P1)" not in body
    assert 'href="#id_triggers">Choose at least one reason' in body  # linked to its field
    assert "Kept answer about respite" in body
    assert not Meeting.objects.exists()


def test_connected_carer_placement_refused_with_the_packs_message__D1(client, people, county):
    child = people.child()
    placement = people.placement(
        child, connected_person=True, end_date=date(2026, 3, 1), is_permanent=True, ended_unplanned=True
    )
    client.force_login(people.social_worker)
    dm = meeting_type(county, "DM")
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": dm.pk,
            "placement": placement.pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "A disruption meeting is not held when a placement with connected carers" in body
    # the rule's ID is for the log, not the worker (a bare "D1" can turn up inside the CSRF token)
    assert "(D1)" not in body and "rule D1" not in body
    assert not Meeting.objects.exists()


def test_requesting_for_a_child_you_cannot_see_is_404__G3(client, people, county):
    child = people.child()
    client.force_login(people.other_manager)
    assert client.get(reverse("workflows:meeting_request", args=[child.pk])).status_code == 404


# --------------------------------------------------------------------------------------------------
# Approval
# --------------------------------------------------------------------------------------------------


def test_manager_sees_the_request_in_the_queue_and_approves_it__P2(client, people, county):
    meeting = submit_with_reports(psm_request(people, county), people)
    client.force_login(people.team_manager)
    assert meeting.reference in client.get(reverse("workflows:approval_queue")).content.decode()
    response = client.post(reverse("workflows:meeting_approve", args=[meeting.pk]), follow=True)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    assert "Your approval has been recorded." in response.content.decode()
    client.force_login(people.other_manager)
    assert meeting.reference not in client.get(reverse("workflows:approval_queue")).content.decode()


def test_decline_needs_a_reason_and_the_requester_reads_it__P2(client, people, county):
    meeting = submit_with_reports(psm_request(people, county), people)
    client.force_login(people.team_manager)
    url = reverse("workflows:meeting_decline", args=[meeting.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Give the reason." in response.content.decode()
    client.post(url, {"reason": "Support through supervision first; request again if it does not help."})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DECLINED
    client.force_login(people.social_worker)
    assert "Support through supervision first" in client.get(_detail(meeting)).content.decode()


def test_second_approval_of_a_decided_request_gets_a_clear_message__P2(client, people, county):
    meeting = _approved(people, county)
    client.force_login(people.team_manager)
    response = client.post(reverse("workflows:meeting_approve", args=[meeting.pk]), follow=True)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() or "already" in response.content.decode().lower()


# --------------------------------------------------------------------------------------------------
# Scheduling, holding, minutes, closing
# --------------------------------------------------------------------------------------------------


def test_chair_picker_offers_eligible_chairs_and_explains_refusals__P4(client, people, county):
    meeting = _approved(people, county)
    client.force_login(people.social_worker)
    page = client.get(reverse("workflows:meeting_schedule", args=[meeting.pk])).content.decode()
    assert f'value="{people.fostering_manager.pk}"' in page
    assert f'name="chair" type="radio" value="{people.team_manager.pk}"' not in page
    assert "Why others can" in page


def test_posting_a_refused_chair_is_an_error_not_a_schedule__P4(client, people, county):
    meeting = _approved(people, county)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_schedule", args=[meeting.pk])
    response = client.post(url, _schedule_post(meeting, people, people.team_manager))
    assert response.status_code == 400
    assert "Choose a chair from those who may chair this meeting." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED


def test_child_not_invited_needs_a_reason__G6(client, people, county):
    meeting = _approved(people, county)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_schedule", args=[meeting.pk])
    response = client.post(
        url, _schedule_post(meeting, people, people.fostering_manager, child_invite_reason="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_child_invite_reason">Record why the child is or is not invited.' in body
    assert 'id="id_child_invite_reason-error"' in body and "(G6)" not in body and "rule G6" not in body
    assert "Family centre" in response.content.decode()  # what was typed is kept


def test_full_psm_flow_through_the_screens__P2__P4__P6__P7(client, people, county):
    forms_load(PACKS / "county")
    meeting = submit_with_reports(psm_request(people, county, raised=TODAY), people)
    client.force_login(people.team_manager)
    client.post(reverse("workflows:meeting_approve", args=[meeting.pk]))
    client.force_login(people.social_worker)
    response = client.post(
        reverse("workflows:meeting_schedule", args=[meeting.pk]),
        _schedule_post(meeting, people, people.fostering_manager),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED and meeting.chair == people.fostering_manager

    chair = people.fostering_manager
    client.force_login(chair)
    held = client.get(reverse("workflows:meeting_held", args=[meeting.pk]))
    assert held.status_code == 200
    post = {
        **_date_parts("held_day", NEXT_WORKING_DAY),
        **{f"attendance_{i.pk}": "present" for i in meeting.invitees.all()},
    }
    post.update(
        {f"attendance_{i.pk}": "not_invited" for i in meeting.invitees.filter(attendance="not_invited")}
    )
    assert client.post(reverse("workflows:meeting_held", args=[meeting.pk]), post).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.minutes_due_on

    page = client.get(_detail(meeting)).content.decode()
    assert f"subject={meeting.reference}" in page and "Write the minutes" in page
    from tests.workflows.test_form_links import _minutes_answers

    definition = FormDefinition.objects.get(key="psm-minutes")
    start = client.get(
        f"/forms/start/psm-minutes/?child={meeting.child_id}&placement={meeting.placement_id}"
        f"&subject={meeting.reference}"
    )
    assert start.status_code == 302
    submission = FormSubmission.objects.get(definition=definition, subject_reference=meeting.reference)
    from forms_builder.services import submission_submit

    result = submission_submit(
        submission=submission,
        data=_minutes_answers(submission, people.ssw.pk),
        expected_version=submission.version,
        by=chair,
    )
    assert result.ok, result.errors
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_DRAFTED

    client.post(reverse("workflows:minutes_approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED, [
        str(m) for m in client.get(_detail(meeting)).context["messages"]
    ]
    client.post(reverse("workflows:minutes_circulate", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CIRCULATED
    close = client.get(reverse("workflows:meeting_close", args=[meeting.pk]))
    assert close.status_code == 200
    answers = {
        name: ("yes" if field.widget.input_type == "radio" else "Recorded for the quarterly review.")
        for name, field in close.context["form"].fields.items()
    }
    response = client.post(reverse("workflows:meeting_close", args=[meeting.pk]), answers)
    assert response.status_code == 302, response.content.decode().split("govuk-error-summary__list")[-1][:600]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    history = client.get(_detail(meeting)).content.decode()
    for label in ("Awaiting approval", "Approved", "Scheduled", "Held", "Minutes drafted", "Closed"):
        assert label in history


def test_cancel_needs_a_reason_from_any_open_state__G8(client, people, county):
    meeting = psm_request(people, county)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_cancel", args=[meeting.pk])
    assert client.post(url, {"reason": " "}).status_code == 400
    client.post(url, {"reason": "The placement has stabilised after the carers' respite."})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert "placement has stabilised" in client.get(_detail(meeting)).content.decode()


def test_every_meeting_screen_shows_the_deadline_explanation__G2(client, people, county):
    meeting = _approved(people, county)
    client.force_login(people.social_worker)
    for name in ("meeting_detail", "meeting_schedule", "meeting_cancel"):
        page = client.get(reverse(f"workflows:{name}", args=[meeting.pk])).content.decode()
        assert meeting.deadline_explanation in page, name


def test_history_shows_who_when_from_to_and_why__G7(client, people, county):
    meeting = submit_with_reports(psm_request(people, county), people)
    services.meeting_decline(meeting=meeting, by=people.team_manager, reason="Not enough evidence yet.")
    client.force_login(people.social_worker)
    page = client.get(_detail(meeting)).content.decode()
    assert "Awaiting approval" in page and "Declined" in page and "Not enough evidence yet." in page
    assert escape(str(people.team_manager)) in page


# --------------------------------------------------------------------------------------------------
# Access, hostile input, query counts
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "meeting_detail",
        "meeting_schedule",
        "meeting_held",
        "meeting_close",
        "meeting_cancel",
        "meeting_decline",
        "meeting_approve",
        "provider_notice",
    ],
)
def test_other_peoples_meetings_are_404__G3(client, people, county, name):
    meeting = psm_request(people, county)
    client.force_login(people.other_manager)
    assert client.get(reverse(f"workflows:{name}", args=[meeting.pk])).status_code == 404
    assert client.post(reverse(f"workflows:{name}", args=[meeting.pk]), {"reason": "x"}).status_code == 404


def test_hostile_input_gets_errors_never_a_server_error(client, people, county):
    meeting = _approved(people, county)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_schedule", args=[meeting.pk])
    for bad in (
        {"day_day": "31", "day_month": "2"},
        {"day_year": "26"},
        {"day_month": "x"},
        {"start": "25:99"},
        {"chair": "999999"},
        {"chair": "<script>"},
    ):
        response = client.post(url, _schedule_post(meeting, people, people.fostering_manager, **bad))
        assert response.status_code == 400
    assert (
        client.get(reverse("workflows:meeting_request", args=[people.child().pk]) + "?type=abc").status_code
        == 200
    )
    assert client.post(reverse("workflows:meeting_submit", args=[meeting.pk])).status_code == 302
    assert client.get("/meetings/999999/").status_code == 404


def test_unknown_user_must_sign_in(client, people, county):
    meeting = psm_request(people, county)
    response = client.get(_detail(meeting))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_meeting_list_query_count_does_not_grow(client, people, county, django_assert_max_num_queries):
    for _ in range(3):
        psm_request(people, county)
    client.force_login(people.team_manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("workflows:meeting_list")).status_code == 200
    for _ in range(15):
        psm_request(people, county)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workflows:meeting_list"))
    assert page.content.decode().count("PSM-") >= 18


def test_my_actions_lists_owned_actions_and_marks_them_complete(client, people, county):
    from .factories import hold_and_minute

    meeting = schedule(
        _approved(people, county), people, chair=people.fostering_manager, day=NEXT_WORKING_DAY
    )
    owner = UserFactory(username="action-owner", role="supervising_social_worker")
    hold_and_minute(
        meeting,
        people,
        actions=[
            {
                "description": "Weekend respite",
                "owner": owner,
                "due_on": date(2026, 3, 27),
                "evaluation": "Carers rested.",
            }
        ],
    )
    client.force_login(owner)
    page = client.get(reverse("workflows:my_actions")).content.decode()
    assert "Weekend respite" in page
    action = meeting.actions.get(description="Weekend respite")
    client.post(
        reverse("workflows:action_update", args=[action.pk]),
        {"status": "done", "done_note": "Booked for two weekends.", "evaluated": "Carers said they rested."},
    )
    action.refresh_from_db()
    assert action.status == "done"
    client.force_login(people.other_manager)
    assert client.post(reverse("workflows:action_update", args=[action.pk])).status_code == 404


def test_meeting_list_filters_by_status_type_and_open_ignoring_unknown_values__G3(client, people, county):
    """Issue 15: the list's filters are a django-filter FilterSet; a value it does not know is dropped."""
    waiting = submit_with_reports(psm_request(people, county), people)
    cancelled = services.meeting_cancel(
        meeting=psm_request(people, county), by=people.social_worker, reason="Settled."
    )
    client.force_login(people.team_manager)
    url = reverse("workflows:meeting_list")

    def listed(query: str) -> set[str]:
        page = client.get(url + query).content.decode()
        return {ref for ref in (waiting.reference, cancelled.reference) if ref in page}

    assert listed("?state=awaiting_approval") == {waiting.reference}
    assert listed("?state=cancelled") == {cancelled.reference}
    assert listed("?open=1") == {waiting.reference}
    assert listed("?type=PSM") == {waiting.reference, cancelled.reference}
    assert listed("?type=NOPE") == {waiting.reference, cancelled.reference}
    assert listed("?state=<script>&type=PSM") == {waiting.reference, cancelled.reference}


def test_meeting_list_filters_are_govuk_selects_keeping_what_applied__G3(client, people, county):
    """Issue 15: the filters are drawn by the one GOV.UK field template; the form shows what was applied,
    and a value it does not know is dropped without an error message."""
    psm_request(people, county)
    client.force_login(people.team_manager)
    page = client.get(reverse("workflows:meeting_list") + "?state=cancelled&type=NOPE").content.decode()
    assert '<label class="govuk-label" for="id_state">Status</label>' in page
    assert '<option value="cancelled" selected>' in page
    assert '<select class="govuk-select" id="id_state" name="state"' in page
    assert "govuk-error-message" not in page and "NOPE" not in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/meetings/", "//evil.example/", "javascript:alert(1)"]
)
def test_next_and_back_addresses_off_this_site_are_ignored(client, people, county, target):
    """Issue 15: a redirect taken from the request is checked with url_has_allowed_host_and_scheme."""
    from .factories import hold_and_minute

    meeting = schedule(
        _approved(people, county), people, chair=people.fostering_manager, day=NEXT_WORKING_DAY
    )
    hold_and_minute(meeting, people)
    action = meeting.actions.get()
    client.force_login(people.fostering_manager)
    update = reverse("workflows:action_update", args=[action.pk])
    step = {"status": "in_progress", "progress_note": "Started."}
    done = client.post(update, {**step, "next": target})
    assert done.status_code == 302 and done["Location"] == meeting.get_absolute_url()
    here = _detail(meeting)
    kept = client.post(update, {"status": "done", "done_note": "Done.", "evaluated": "Helped.", "next": here})
    assert kept["Location"] == here

    waiting = submit_with_reports(psm_request(people, county, raised=TODAY), people)
    client.force_login(people.team_manager)
    approve = reverse("workflows:meeting_approve", args=[waiting.pk])
    assert target not in client.get(approve, {"back": target}).content.decode()
    assert f'href="{here}"' in client.get(approve, {"back": here}).content.decode()


def test_my_actions_pages_both_lists_in_date_order__D11(
    client, people, county, django_assert_max_num_queries
):
    """Issue 12: an IRO at a large council tracks thousands of open actions; both lists are paged (25),
    every action reached once, soonest first, at the same cost on every page."""
    from workflows.models import Action

    meeting = submit_with_reports(psm_request(people, county), people)  # the child's IRO is people.iro
    Action.objects.bulk_create(
        [
            Action(meeting=meeting, child=meeting.child, description=f"Tracked {n:02d}",
                   owner=people.ssw, due_on=date(2026, 4, 1) + timedelta(days=n % 3))  # ties on the date
            for n in range(30)
        ]
        + [
            Action(meeting=meeting, child=meeting.child, description=f"Own {n:02d}",
                   owner=people.iro, due_on=date(2026, 4, 1))
            for n in range(27)
        ]
    )  # fmt: skip
    client.force_login(people.iro)
    url = reverse("workflows:my_actions")
    seen_own, seen_tracked = [], []
    for query in ["", "?page=2&tracked=2"]:
        with django_assert_max_num_queries(16):
            page = client.get(url + query).content.decode()
        seen_own.append(set(re.findall(r"Own \d\d", page)))  # each is named twice in its row
        seen_tracked.append(set(re.findall(r"Tracked \d\d", page)))
    assert [len(s) for s in seen_own] == [25, 2] and [len(s) for s in seen_tracked] == [25, 5]
    assert seen_own[0] | seen_own[1] == {f"Own {n:02d}" for n in range(27)}
    assert seen_tracked[0] | seen_tracked[1] == {f"Tracked {n:02d}" for n in range(30)}
