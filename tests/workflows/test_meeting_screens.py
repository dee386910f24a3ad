"""The worker's meeting screens, GOV.UK patterns: every error at once beside its field, dates as three
boxes, one submit per step, eligibility before the form, prefilled re-arrangements, confirmation before
approving, links only where the user may go, no rule IDs on screen (P1, P2, P3, D1, D2, G3)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from workflows import services
from workflows.choices import MeetingState
from workflows.deadlines import add_working_days
from workflows.models import Meeting
from workflows.procedures.packs import procedures_load

from .factories import at, meeting_type, psm_request, schedule, submit_with_reports

pytestmark = pytest.mark.django_db
PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
TODAY = timezone.localdate()


def _parts(name: str, day: date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _summary_links(body: str) -> list[tuple[str, str]]:
    summary = body.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def _approved_today(people, county, **kwargs):
    meeting = submit_with_reports(psm_request(people, county, raised=TODAY, **kwargs), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


def _schedule_data(meeting, chair, day: date, **overrides) -> dict:
    from workflows.forms import ScheduleForm
    from workflows.participants import eligible_chairs, invitee_suggestions

    form = ScheduleForm(candidates=eligible_chairs(meeting), suggestions=invitee_suggestions(meeting))
    data = {
        **_parts("day", day),
        "start": "10:30",
        "venue": "Family centre",
        "chair": str(chair.pk),
        "child_invited": "no",
        "child_invite_reason": "She asked not to come; her views are in the report.",
    }
    for i, row in enumerate(form.suggestions):
        data[f"invite_{i}"] = "on"
        data[f"name_{i}"] = row["name"] or row["role_label"]
        data[f"email_{i}"] = row["email"] or f"person{i}@example.org"
    return {**data, **overrides}


# --------------------------------------------------------------------------------------------------
# The request form
# --------------------------------------------------------------------------------------------------


def test_request_form_reports_every_error_at_once_each_linked_to_its_field__P1(client, people, county):
    child = people.child()
    people.placement(child)
    client.force_login(people.social_worker)
    psm = meeting_type(county, "PSM")
    url = reverse("workflows:meeting_request", args=[child.pk])
    response = client.post(
        url, {"meeting_type_pk": psm.pk, "concern_raised_on_day": "31", "concern_raised_on_month": "2"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert _summary_links(body) == [
        ("id_placement", "Choose the placement this meeting is about."),
        ("id_triggers", "Choose at least one reason for the meeting."),
        (
            "id_support_tried",
            "What less formal support was tried first (for example informal meetings between workers and "
            "carers) and what happened: this must be recorded before you can request.",
        ),
        ("concern_raised_on-year", "The date the concern was raised must include a year"),
    ]
    for field_id in ("id_placement", "id_triggers", "id_support_tried", "concern_raised_on"):
        assert f'id="{field_id}-error"' in body, field_id  # the message beside the field
    assert not re.search(r"\((rule )?[PDBG]\d+\)", body)  # no rule ID on screen
    assert 'name="concern_raised_on_day" type="text" inputmode="numeric" value="31"' in body  # kept
    assert 'type="date"' not in body
    assert 'id="id_triggers" name="triggers" type="checkbox"' in body  # several reasons, not one
    assert "Why is the meeting needed? (optional)" not in body
    # Who raised the concern: a kind from the pack's list, then their name (issue 10); both optional.
    assert "Who raised the concern? (optional)" in body and "Their name or role (optional)" in body
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "31", "month": "2", "year": "2026"}, "The date the concern was raised must be a real date"),
        ({"day": "3", "month": "x", "year": "2026"}, "The date the concern was raised must be a real date"),
        ({"day": "3", "month": "2", "year": "26"}, "Year must include 4 numbers"),
        (
            {"day": "", "month": "2", "year": ""},
            "The date the concern was raised must include a day and year",
        ),
    ],
)
def test_impossible_dates_get_govuk_messages_beside_the_field(client, people, county, parts, message):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": meeting_type(county, "PSM").pk,
            "placement": placement.pk,
            "triggers": ["carers_struggling"],
            "support_tried": "Respite.",
            **{f"concern_raised_on_{k}": v for k, v in parts.items()},
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body.split('id="concern_raised_on-error"', 1)[1].split("</p>", 1)[0]


def test_future_concern_date_is_refused_beside_the_field__P3(client, people, county):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": meeting_type(county, "PSM").pk,
            "placement": placement.pk,
            "triggers": ["carers_struggling"],
            "support_tried": "Respite.",
            **_parts("concern_raised_on", TODAY + timedelta(days=213)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ("concern_raised_on-day", "The date the concern was raised must be today or in the past.") in (
        _summary_links(body)
    )
    assert "(P3)" not in body and "rule P3" not in body and not Meeting.objects.exists()


def test_one_submit_sends_the_request_for_approval__P2(client, people, regional):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    bpm = meeting_type(regional, "BPM")
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": bpm.pk,
            "placement": placement.pk,
            "triggers": ["risk_of_breakdown"],
            "support_tried": "Team around the child meeting agreed extra contact support.",
            **_parts("notified_on", TODAY),
        },
        follow=True,
    )
    meeting = Meeting.objects.get(child=child)
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    assert list(meeting.history.values_list("name", "by")) == [
        ("request", people.social_worker.pk),
        ("submit", people.social_worker.pk),
    ]
    body = response.content.decode()
    assert f"Meeting requested and sent for approval: {meeting.reference}." in body
    assert "Send for approval" not in body


def test_request_waiting_for_its_report_says_what_to_attach_next__P2(client, people, county):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    response = client.post(
        reverse("workflows:meeting_request", args=[child.pk]),
        {
            "meeting_type_pk": meeting_type(county, "PSM").pk,
            "placement": placement.pk,
            "triggers": ["carers_struggling"],
            "support_tried": "Respite.",
            **_parts("concern_raised_on", TODAY),
        },
        follow=True,
    )
    meeting = Meeting.objects.get(child=child)
    assert meeting.state == MeetingState.REQUESTED
    body = response.content.decode()
    assert "This request has not been sent for approval yet." in body
    assert "Attach the Placement stability meeting report" in body
    assert body.count(">Send for approval</button>") == 1


def test_choose_page_says_which_meetings_the_placements_qualify_for__D1(client, people, county):
    child = people.child()
    people.placement(child, connected_person=True)
    client.force_login(people.social_worker)
    body = client.get(reverse("workflows:meeting_request", args=[child.pk])).content.decode()
    psm, dm = meeting_type(county, "PSM"), meeting_type(county, "DM")
    assert f'value="{psm.pk}"' in body and f'value="{dm.pk}"' not in body
    not_eligible = body.split('id="not-eligible-list"', 1)[1].split("</dl>", 1)[0]
    assert "Placement disruption meeting" in not_eligible
    assert "A disruption meeting is not held when a placement with connected carers" in not_eligible
    # choosing an ineligible type by hand is still refused by the form
    response = client.get(
        reverse("workflows:meeting_request", args=[child.pk]) + f"?step=type&meeting_type={dm.pk}"
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


# --------------------------------------------------------------------------------------------------
# Arranging
# --------------------------------------------------------------------------------------------------


def test_arranging_in_the_past_is_refused_beside_the_date__P3(client, people, county):
    meeting = _approved_today(people, county)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_schedule", args=[meeting.pk])
    response = client.post(url, _schedule_data(meeting, people.fostering_manager, TODAY - timedelta(days=1)))
    body = response.content.decode()
    assert response.status_code == 400
    assert ("day-day", "The date of the meeting must be today or in the future.") in _summary_links(body)
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED


def test_late_meeting_is_booked_with_its_reason_shown_on_the_page__P3(client, people, county):
    meeting = _approved_today(people, county)
    late_day = add_working_days(meeting.due_on, 1)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_schedule", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'id="id_late_reason"' in page and "why is it late?" in page
    response = client.post(url, _schedule_data(meeting, people.fostering_manager, late_day))
    body = response.content.decode()
    assert response.status_code == 400
    [(href, text)] = _summary_links(body)
    assert href == "id_late_reason" and text.startswith("The meeting must be held by")
    reason = "The foster carers are away until then and must attend."
    response = client.post(
        url, _schedule_data(meeting, people.fostering_manager, late_day, late_reason=reason)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.after_deadline and meeting.late_reason == reason
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert body.count(reason) >= 2  # on the meeting and in its history
    assert 'id="late-meeting"' in body
    listing = client.get(reverse("workflows:meeting_list")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in listing


def test_change_the_arrangements_comes_back_prefilled(client, people, county):
    meeting = _approved_today(people, county)
    day = add_working_days(TODAY, 2)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_schedule", args=[meeting.pk])
    data = _schedule_data(meeting, people.fostering_manager, day, venue="Civic centre, room 4")
    carer_email = next(v for k, v in data.items() if k.startswith("email_") and v.startswith("person"))
    assert client.post(url, data).status_code == 302
    body = client.get(url).content.decode()
    assert f'name="day_day" type="text" inputmode="numeric" value="{day.day}"' in body
    assert f'name="day_month" type="text" inputmode="numeric" value="{day.month}"' in body
    assert f'name="day_year" type="text" inputmode="numeric" value="{day.year}"' in body
    assert 'name="start" type="time" value="10:30"' in body
    assert 'value="Civic centre, room 4"' in body
    assert f'value="{carer_email}"' in body


def test_step_pages_start_with_a_back_link(client, people, county):
    meeting = _approved_today(people, county)
    client.force_login(people.social_worker)
    for name in ("meeting_schedule", "meeting_cancel"):
        body = client.get(reverse(f"workflows:{name}", args=[meeting.pk])).content.decode()
        main = body.split('id="main-content"', 1)[0]
        assert f'<a href="/meetings/{meeting.pk}/" class="govuk-back-link"' in main, name
    body = client.get(reverse("workflows:meeting_request", args=[meeting.child_id])).content.decode()
    assert 'class="govuk-back-link"' in body.split('id="main-content"', 1)[0]


# --------------------------------------------------------------------------------------------------
# Approving, the meeting page
# --------------------------------------------------------------------------------------------------


def test_approving_from_the_queue_asks_for_confirmation_first__P2(client, people, county):
    meeting = submit_with_reports(psm_request(people, county, raised=TODAY), people)
    client.force_login(people.team_manager)
    queue = client.get(reverse("workflows:approval_queue")).content.decode()
    approve_url = reverse("workflows:meeting_approve", args=[meeting.pk])
    assert f'action="{approve_url}"' not in queue  # no one-click approval in the list
    assert f'href="{approve_url}?back=' in queue
    confirm = client.get(approve_url)
    assert confirm.status_code == 200 and "Approve the request" in confirm.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.AWAITING_APPROVAL
    client.post(approve_url, {"note": "Agreed"})
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED


def test_child_name_links_only_where_the_user_may_go__G3(client, people, regional):
    child = people.child()
    meeting = services.meeting_request(
        meeting_type=meeting_type(regional, "BPM"),
        child=child,
        placement=people.placement(child),  # in-house: the buyers see it only through the meeting
        by=people.social_worker,
        notified_on=TODAY,
        triggers=["risk_of_breakdown"],
        support_tried="Team around the child meeting.",
        send=True,
    )
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    child_url = child.get_absolute_url()
    client.force_login(people.buyer)  # may approve the meeting, may not open the child's record
    assert client.get(child_url).status_code == 404
    pages = (
        meeting.get_absolute_url(),
        reverse("workflows:meeting_list"),
        reverse("workflows:approval_queue"),
        reverse("workflows:meeting_approve", args=[meeting.pk]),
        reverse("dashboards:meetings"),
    )
    for url in pages:
        body = client.get(url).content.decode()
        assert child.full_name in body and f'href="{child_url}"' not in body, url
    client.force_login(people.social_worker)
    for url in pages[:2]:
        assert f'href="{child_url}"' in client.get(url).content.decode(), url
    client.force_login(people.team_manager)  # the child's team manager may open the record
    assert f'href="{child_url}"' in client.get(reverse("dashboards:meetings")).content.decode()


def test_meeting_page_says_what_the_procedure_says_once(client, people, county):
    procedures_load(PACKS / "county")
    meeting = _approved_today(people, county)
    client.force_login(people.social_worker)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert body.count("What the procedure says") == 1
    assert "Who chairs it" in body and "Who is invited" in body


def test_status_tags_are_the_same_colour_everywhere(client, people, county):
    from dashboards.tables import MeetingTable

    meeting = schedule(
        _approved_today(people, county),
        people,
        chair=people.fostering_manager,
        day=add_working_days(TODAY, 1),
        arranged_at=at(TODAY),
    )
    tag = '<strong class="govuk-tag govuk-tag--blue">Scheduled</strong>'
    client.force_login(people.social_worker)
    assert tag in client.get(meeting.get_absolute_url()).content.decode()
    assert tag in client.get(reverse("workflows:meeting_list")).content.decode()
    assert tag in client.get(meeting.child.get_absolute_url()).content.decode()
    assert MeetingTable([meeting]).render_state(meeting) == tag
