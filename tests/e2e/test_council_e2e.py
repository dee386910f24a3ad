"""In Chromium: a council written purely as pack files (issue 10, "Done when": at least one through the
browser). A social worker in Ashbourne Vale (tests/councils/ashbourne_vale) requests its ending review
meeting for a long-term placement that lasted over a year and ended unplanned, and sees that council's
own deadline (25 working days from the end, its AV2 default entry) with its explanation."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from tests.workflows.factories import People
from workflows.choices import MeetingState
from workflows.deadlines import add_working_days, format_day
from workflows.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)

ASHBOURNE = Path(__file__).parents[1] / "councils" / "ashbourne_vale"


def test_a_worker_requests_a_meeting_in_ashbourne_vale_and_sees_its_deadline_explained(
    page, login_as, tmp_path
):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "ashbourne_vale").symlink_to(ASHBOURNE)
    call_command("load_packs", "--dir", str(packs), stdout=StringIO())
    people = People()
    child = people.child()
    ended = date.today() - relativedelta(days=3)
    placement = people.placement(
        child,
        start_date=ended - relativedelta(months=14),
        end_date=ended,
        ended_unplanned=True,
        purpose="long_term",
    )

    login_as(people.social_worker)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Request a meeting").click()
    page.get_by_label("Ending review meeting").check()
    page.get_by_role("button", name="Continue").click()
    page.locator(f"input[name=placement][value='{placement.pk}']").check()
    page.get_by_role("button", name="Request the meeting").click()
    page.locator("#deadline").wait_for()

    meeting = Meeting.objects.get(child=child)
    assert meeting.meeting_type.code == "AVDM" and meeting.state in (
        MeetingState.REQUESTED,
        MeetingState.AWAITING_APPROVAL,
    )
    due = add_working_days(ended, 25)
    assert meeting.due_on == due
    deadline = page.locator("#deadline").inner_text()
    assert format_day(due) in deadline
    assert "A long-term placement's ending is reviewed within 25 working days of the end." in deadline
