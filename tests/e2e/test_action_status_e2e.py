"""In Chromium: an action's owner moves it on from My actions (issue 13). Choosing a status reveals
only the text that status needs (GOV.UK conditional radios, no inline script); a missing answer is
shown beside its field with what was typed kept; then the action is done with who and when recorded.
"""

from datetime import date

import pytest

from tests.workflows.factories import (
    People,
    hold_and_minute,
    load_pack,
    psm_request,
    schedule,
    submit_with_reports,
)
from workflows import services
from workflows.models import Action

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_marks_an_action_done_with_the_conditional_radios__issue13(page, login_as):
    people = People()
    county = load_pack("county")
    meeting = services.meeting_approve(
        meeting=submit_with_reports(psm_request(people, county), people), by=people.team_manager
    )
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 6))
    action_spec = {
        "description": "Arrange weekend respite",
        "owner": people.ssw,
        "due_on": date(2026, 3, 27),
        "evaluation": "Carers say they feel supported.",
    }
    hold_and_minute(meeting, people, actions=[action_spec])
    login_as(people.ssw)
    page.goto("/meetings/actions/")
    page.get_by_role("link", name="Update the action: Arrange weekend respite").click()
    done_note = page.get_by_label("What was done")
    assert not done_note.is_visible()  # hidden until "Done" is chosen
    page.get_by_label("Done", exact=True).check()
    assert done_note.is_visible() and not page.get_by_label("Why the action is dropped").is_visible()
    done_note.fill("Two weekends of respite taken.")
    page.get_by_role("button", name="Save the status").click()
    assert "Say how the outcome was evaluated." in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("What was done").input_value() == "Two weekends of respite taken."
    page.get_by_label("How the outcome was evaluated").fill("Carers said they felt rested.")
    page.get_by_role("button", name="Save the status").click()
    page.wait_for_load_state()
    assert "You have no open actions." in page.locator("main").inner_text()
    action = Action.objects.get(description="Arrange weekend respite")
    change = action.status_changes.last()
    assert (action.status, change.by, change.evaluated) == (
        "done",
        people.ssw,
        "Carers said they felt rested.",
    )
