"""Alternative paths in the browser at 390 px (issue 10): a team manager records that a meeting will not
be held, and decides a "consider a meeting" task from the home page, as the real screens do it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import CarerHouseholdFactory
from tests.workflows.decisions import council
from tests.workflows.factories import People, psm_request, submit_with_reports
from workflows.case_triggers import case_triggers_sweep
from workflows.choices import ConsiderDecision, MeetingState
from workflows.models import CaseTrigger, ConsiderMeetingTask, Meeting, MeetingType

NOT_HELD = {
    "when": None,
    "rule": "NH1",
    "decided_by_roles": ["team_manager"],
    "reason_required": True,
    "document_form_key": "",
    "explanation": "The team manager may decide the meeting is no longer needed.",
}


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_team_manager_records_not_held_and_decides_a_task__issue10(transactional_db, phone, login_as):
    """Issue 10: the meeting page's link, the form's error for a missing reason, the decision shown; the
    home panel's task, "do not hold" with its reason, recorded with who."""
    people = People()
    pack = council("pathshire", {"PSM": {"not_held": [NOT_HELD]}})
    meeting = submit_with_reports(psm_request(people, pack), people)

    page = login_as(people.team_manager)
    page.goto(f"/meetings/{meeting.pk}/")
    page.click("#not-held-link")
    page.get_by_role("button", name="Record that the meeting will not be held").click()
    assert (
        "Give the reason the meeting will not be held." in page.locator(".govuk-error-summary").inner_text()
    )
    page.fill(
        "textarea[name=reason]", "The carers and the child agreed a planned move; no meeting is needed."
    )
    page.get_by_role("button", name="Record that the meeting will not be held").click()
    assert "Not held" in page.locator("#not-held-decision").inner_text()
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.NOT_HELD

    people.fostering.manager = people.fostering_manager
    people.fostering.save()
    household = CarerHouseholdFactory(name="The Ashworth household", supervising_social_worker=people.ssw)
    for start, end in ((date(2025, 3, 1), date(2026, 1, 10)), (date(2026, 2, 1), date(2026, 6, 1))):
        people.placement(
            people.child(), carer_household=household, start_date=start, end_date=end, ended_unplanned=True
        )
    CaseTrigger.objects.create(
        pack=pack,
        meeting_type=MeetingType.objects.get(pack=pack, code="PSM"),
        name="Two unplanned endings with one household in a year",
        subject="carer_household",
        when=[
            {
                "type": "condition",
                "value": {"and": [{">=": [{"var": "history.carer_unplanned_endings.last_12_months"}, 2]}]},
            }
        ],
        task_role="team_manager",
        task_relationship="carers_supervising_team_manager",
        due_days=10,
    )
    assert case_triggers_sweep(today=date(2026, 6, 3)) == 1

    page = login_as(people.fostering_manager)
    page.goto("/")
    page.locator("#consider-tasks a").first.click()
    page.check("input[value=do_not_hold]")
    page.fill(
        "textarea[name=reason]", "Both endings were planned in all but name; extra support is in place."
    )
    page.get_by_role("button", name="Record the decision").click()
    task = ConsiderMeetingTask.objects.get()
    assert (task.decision, task.decided_by) == (ConsiderDecision.DO_NOT_HOLD, people.fostering_manager)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
