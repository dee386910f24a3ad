"""In Chromium: the chair of a held PSM writes the minutes with two owned, timed actions (P6, issue 9).

The meeting is set up with the services; the minutes are filled in, and submitted, in the browser.
The Owner list offers the people involved with the child and the invitees; the actions then appear on
the meeting page and in each owner's "My actions".
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from tests.workflows.factories import People, load_pack, psm_request, schedule, submit_with_reports
from workflows import services
from workflows.choices import MeetingState
from workflows.form_packs import forms_load

pytestmark = pytest.mark.django_db(transaction=True)

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


def _held_psm(people: People):
    county = load_pack("county")
    forms_load(PACKS / "county")
    meeting = submit_with_reports(psm_request(people, county), people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 6))
    attendance = {i.pk: "present" for i in meeting.invitees.exclude(attendance="not_invited")}
    return services.meeting_record_held(meeting=meeting, by=people.fostering_manager, attendance=attendance)


def _fill_action(page, row: int, text: str, owner, due: str, evaluation: str) -> None:
    page.locator(f"#id_actions-{row}-action").fill(text)
    page.locator(f"#id_actions-{row}-owner").select_option(str(owner.pk))
    page.locator(f"#id_actions-{row}-due_on").fill(due)
    page.locator(f"#id_actions-{row}-evaluation").fill(evaluation)


def test_chair_records_minutes_with_two_actions_in_the_browser__P6(page, login_as):
    people = People()
    meeting = _held_psm(people)

    login_as(people.fostering_manager)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Write the minutes").click()
    page.locator("#id_purpose").wait_for()
    # Attendance recorded at "held" is already in the minutes (G3).
    assert page.locator("#id_attendees-0-attendance").input_value() == "Present"
    page.locator("#id_purpose").fill("To agree how to support the carers through night-time behaviour.")
    page.locator("#id_matching_meeting_held-2").check()  # No
    page.locator("#id_risk_of_harm-2").check()  # No
    page.locator("#id_child_view").fill("She wants to stay with her carers.")
    page.locator("#id_summary").fill("Night-time behaviour; carers exhausted.")
    page.locator("#id_placement_plan").fill("Placement continues with respite and a sleep plan.")
    owners = page.locator("#id_actions-0-owner option").all_inner_texts()
    assert people.ssw.get_full_name() in owners and people.social_worker.get_full_name() in owners
    _fill_action(
        page, 0, "Arrange weekend respite", people.ssw, "2026-03-27", "Carers say they feel supported."
    )
    page.get_by_role("button", name="Add another row to Actions").click()
    page.locator("#id_actions-1-action").wait_for()
    _fill_action(
        page,
        1,
        "Refer to CAMHS for a sleep assessment",
        people.social_worker,
        "2026-04-10",
        "Referral accepted.",
    )
    page.get_by_role("button", name="Submit", exact=True).click()
    page.get_by_text("has been submitted").wait_for()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_DRAFTED
    actions = page.get_by_role("table", name=re.compile("^Actions agreed")).inner_text()
    assert "Refer to CAMHS for a sleep assessment" in actions
    assert people.ssw.get_full_name() in actions and people.social_worker.get_full_name() in actions

    login_as(people.ssw)
    page.goto("/meetings/actions/")
    mine = page.locator("main").inner_text()
    assert "Arrange weekend respite" in mine and "Refer to CAMHS" not in mine
    login_as(people.social_worker)
    page.goto("/meetings/actions/")
    assert "Refer to CAMHS for a sleep assessment" in page.locator("main").inner_text()
