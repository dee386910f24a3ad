"""Issue 15: "overdue" has one meaning (workflows.lateness), so the home page's count, the meeting list,
the meetings dashboard and its Excel export name the same meetings (P3, P8).

The one meaning: a deadline the procedure set has passed and what it was for is not done, the meeting
not held by its due date or its minutes not approved by theirs. Late minutes count everywhere (the
home page used to count only meetings not held).
"""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.workflows.factories import RAISED, psm_request, schedule, submit_with_reports
from workflows import services
from workflows.deadlines import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(people, county):
    """Four meetings of the manager's team, two of them overdue in different ways."""
    # P3 (county pack): held within 5 working days of the concern; still only requested.
    not_held = psm_request(people, county)
    assert not_held.due_on == add_working_days(RAISED, 5)
    # P8: held on 5 Mar 2026 with minutes due 5 working days later, never written.
    approved = services.meeting_approve(
        meeting=submit_with_reports(psm_request(people, county), people), by=people.team_manager
    )
    held = services.meeting_record_held(
        meeting=schedule(approved, people, chair=people.fostering_manager, day=RAISED.replace(day=5)),
        by=people.fostering_manager,
    )
    assert held.minutes_due_on < timezone.localdate()
    # Past its date but cancelled: nothing is owed, so not overdue.
    cancelled = services.meeting_cancel(
        meeting=psm_request(people, county), by=people.social_worker, reason="The placement settled."
    )
    # A concern raised today: due in five working days, not overdue yet.
    today = timezone.localdate()
    on_time = psm_request(people, county, raised=today)
    assert on_time.due_on > today
    return {"overdue": {not_held.reference, held.reference}, "not": {cancelled.reference, on_time.reference}}


def _references(html: str) -> set[str]:
    return set(re.findall(r"PSM-[\w-]+", html))


def test_home_list_dashboard_and_export_agree_on_what_is_overdue__P3_P8(client, people, seeded):
    client.force_login(people.team_manager)

    home = client.get(reverse("home")).content.decode()
    count = re.search(r"(\d+) overdue</strong>", home)
    assert count and int(count.group(1)) == len(seeded["overdue"])

    listed = client.get(reverse("workflows:meeting_list")).content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', listed, flags=re.S)
    flagged = {ref for row in rows if ">Overdue<" in row for ref in _references(row)}
    assert flagged == seeded["overdue"]

    dashboard = client.get(reverse("dashboards:meetings") + "?overdue=yes").content.decode()
    on_dashboard = _references(dashboard)
    assert seeded["overdue"] <= on_dashboard and not (seeded["not"] & on_dashboard)

    response = client.get(reverse("dashboards:meetings") + "?format=xlsx")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = header.index("Overdue")
    assert {r[0] for r in rows if r[column] == "Yes"} == seeded["overdue"]
    assert {r[0] for r in rows if r[column] == "No"} == seeded["not"]
