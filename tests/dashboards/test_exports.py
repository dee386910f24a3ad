"""Exports read exactly the exported columns (no model rows, no related objects) and write them as
the page shows them (issue 12)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.workflows.factories import GOOD_ACTION, hold_and_minute, psm_request, schedule, submit_with_reports
from workflows import services

pytestmark = pytest.mark.django_db

MEETINGS = reverse("dashboards:meetings")
ACTIONS = reverse("dashboards:actions")


def _export(client, url: str) -> tuple[list[tuple], list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content)
    rows = list(load_workbook(BytesIO(body)).active.iter_rows(values_only=True))
    return rows, [q["sql"] for q in queries]


@pytest.fixture
def minuted(people, county):
    meeting = submit_with_reports(psm_request(people, county), people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5))
    return hold_and_minute(meeting, people)


def test_meeting_export_reads_only_its_columns_and_writes_each__G3(client, people, minuted):
    client.force_login(people.team_manager)
    rows, sql = _export(client, MEETINGS + "?format=xlsx")
    child, chair = minuted.child, people.fostering_manager
    assert rows[1][:8] == (
        minuted.reference,
        "PSM",
        f"{child.first_name} {child.last_name}",
        child.local_reference,
        people.cs_team.name,
        child.area,
        minuted.get_state_display(),
        rows[1][7],
    )
    assert rows[1][8].date() == minuted.due_on and rows[1][11] == chair.get_full_name()
    export_sql = [s for s in sql if '"workflows_meeting"."reference"' in s and "portal_child" in s]
    assert export_sql, "the export reads meetings with their child in one query"
    wide = (
        '"workflows_meetingtype"."gates"',
        '"workflows_meeting"."minutes_text"',
        '"portal_child"."iro_id"',
    )
    assert not any(column in s for s in export_sql for column in wide)


def test_action_export_writes_owner_and_status__G3(client, people, minuted):
    client.force_login(people.auditor)
    rows, _sql = _export(client, ACTIONS + "?format=xlsx")
    row = next(r for r in rows[1:] if r[0] == GOOD_ACTION["description"])
    assert row[2] == minuted.reference and row[6] == "Open" and row[7] in {"Yes", "No"}
    assert row[3] == "Supervising social worker"  # no owner account: the role named in the minutes


def test_every_dashboard_export_says_who_when_and_which_filters_on_a_second_sheet__G7(
    client, people, minuted
):
    """Issue 14: the header is frozen and filtered, and an "About this export" sheet names the exporter,
    the time and the filters chosen (here the state filter), so a return can be traced."""
    client.force_login(people.team_manager)
    response = client.get(MEETINGS + "?format=xlsx&state=minutes_drafted")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width >= 12
    about = dict(book["About this export"].iter_rows(values_only=True))
    assert people.team_manager.username in about["Exported by"]
    assert about["Filter: state"] == "minutes_drafted"
    assert about["Exported at"]


def test_meeting_export_requested_on_is_the_day_in_london__G3(client, people, minuted):
    """The database works out "Requested on" (no per-row conversion in Python): 23:30 UTC on 30 June
    2026 is 00:30 on 1 July in London (BST), so the sheet says 1 July; 23:30 UTC on 30 January is
    still 30 January (GMT)."""
    from datetime import UTC, datetime

    from workflows.models import Meeting

    client.force_login(people.team_manager)
    for moment, day in (
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 1, 30, 23, 30, tzinfo=UTC), date(2026, 1, 30)),
    ):
        Meeting.objects.filter(pk=minuted.pk).update(requested_at=moment)
        rows, _sql = _export(client, MEETINGS + "?format=xlsx")
        assert rows[1][0] == minuted.reference and rows[1][7].date() == day
