"""Named Excel returns: opened with openpyxl, checked for headers, typed cells, row counts, the filters
sheet and hostile text; big ones built in the background (django-q2 sync in tests), logged, expired."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.models import ExportJob, ExportLog
from dashboards.returns import (
    COMPLIANCE_COLUMNS,
    DISRUPTION_COLUMNS,
    DUE_SOON_COLUMNS,
    IRO_ACTION_COLUMNS,
    STABILITY_COLUMNS,
    exports_expire,
)
from tests.dashboards.test_disruptions import disrupted as disrupted_fixture
from tests.factories import PlacementFactory
from tests.workflows.factories import psm_request
from workflows.choices import ActionStatus, MeetingState
from workflows.models import Action, Meeting, MeetingType

pytestmark = pytest.mark.django_db
disrupted = disrupted_fixture
HOSTILE = '=HYPERLINK("http://x")'


def _open(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(BytesIO(body))


def _check_layout(book, columns, rows: int, filters: dict) -> list:
    data, about = book.worksheets
    assert about.title == "About this export"
    assert [c.value for c in data[1]] == [c.header for c in columns]
    assert all(c.font.bold for c in data[1])
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == f"A1:{data.cell(1, len(columns)).column_letter}{rows + 1}"
    assert data.max_row == rows + 1
    facts = {r[0].value: r[1].value for r in about.iter_rows(min_row=2) if r[0].value}
    assert facts["Exported by"] and isinstance(facts["Exported at"], datetime)
    assert facts["Rows"] == rows
    for key, value in filters.items():
        assert facts[key] == value, key
    return list(data.iter_rows(min_row=2))


def test_placement_stability_return(client, people):
    child = people.child(first_name=HOSTILE, last_name="Smith", date_of_birth=date(2014, 1, 1))
    PlacementFactory(child=child, start_date=date(2020, 1, 1))
    client.force_login(people.auditor)
    response = client.get(reverse("dashboards:stability") + "?on=2026-03-31&format=xlsx")
    rows = _check_layout(_open(response), STABILITY_COLUMNS, 1, {"Cut-off date": datetime(2026, 3, 31)})
    cells = rows[0]
    assert cells[0].value == f"{HOSTILE} Smith" and cells[0].data_type == "s"
    assert cells[3].value == datetime(2014, 1, 1) and cells[3].is_date  # date of birth: a real date
    assert cells[4].value == 12 and cells[6].value == 1
    assert [c.value for c in cells[11:]] == ["Yes", "Yes"]
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.rows, log.filters["on"]) == (
        people.auditor,
        "placement_stability",
        1,
        "2026-03-31",
    )


def test_iro_actions_return_keeps_hostile_text_as_text__D11(client, people, county):
    meeting = psm_request(people, county)
    Action.objects.create(
        meeting=meeting,
        child=meeting.child,
        description="-1+2",
        evaluation="@SUM(A1)",
        due_on=date(2026, 3, 27),
    )
    Action.objects.create(
        meeting=meeting,
        child=meeting.child,
        description="Done",
        due_on=date(2026, 3, 20),
        status=ActionStatus.DONE,
    )
    client.force_login(people.iro)
    response = client.get(reverse("dashboards:return", args=["iro_actions"]))
    rows = _check_layout(_open(response), IRO_ACTION_COLUMNS, 2, {"Status": "Any"})
    first = {c.column_letter: c for c in rows[0]}
    assert first["A"].value == "Done" or first["A"].value == "-1+2"
    hostile = next(r for r in rows if r[0].value == "-1+2")
    assert hostile[0].data_type == "s" and hostile[8].value == "@SUM(A1)" and hostile[8].data_type == "s"
    assert hostile[7].is_date and hostile[7].value == datetime(2026, 3, 27)
    assert hostile[3].value == people.iro.get_full_name()
    client.force_login(people.other_manager)
    response = client.get(reverse("dashboards:return", args=["iro_actions"]))
    _check_layout(_open(response), IRO_ACTION_COLUMNS, 0, {})


def test_compliance_return(client, people, county):
    meeting = psm_request(people, county)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.SCHEDULED)
    client.force_login(people.auditor)
    response = client.get(reverse("dashboards:compliance") + "?first=2026-03-01&last=2026-03-31&format=xlsx")
    measures = MeetingType.objects.count() + 5
    rows = _check_layout(
        _open(response),
        COMPLIANCE_COLUMNS,
        measures,
        {"From": datetime(2026, 3, 1), "To": datetime(2026, 3, 31)},
    )
    psm = next(r for r in rows if r[1].value == meeting.meeting_type.name)
    assert [c.value for c in psm[3:6]] == [1, 0, 1]


def test_quarterly_disruption_return_has_one_row_per_disruption_meeting__D12(client, people, disrupted):
    client.force_login(people.auditor)
    query = f"?year={disrupted['year']}&quarter={disrupted['quarter']}"
    response = client.get(reverse("dashboards:return", args=["disruptions_quarterly"]) + query)
    rows = _check_layout(
        _open(response), DISRUPTION_COLUMNS, 2, {"Year": disrupted["year"], "Quarter": disrupted["quarter"]}
    )
    assert {r[0].value for r in rows} == {m.reference for m in disrupted["meetings"]}
    assert all(r[6].is_date for r in rows)  # placement ended: a real date
    hostile = next(r for r in rows if r[2].value.startswith("="))
    assert hostile[2].data_type == "s"


def test_due_soon_return(client, people, county):
    psm_request(people, county, raised=date.today())
    client.force_login(people.auditor)
    response = client.get(reverse("dashboards:due_soon") + "?days=10&format=xlsx")
    rows = _check_layout(_open(response), DUE_SOON_COLUMNS, 2, {"Working days ahead": 10})
    # the request's own report (due today, attached with the request) and the meeting (5 working days)
    assert [r[2].value for r in rows] == ["Report to be written", "Meeting to be held"]
    assert rows[1][0].is_date and "5 working days after" in rows[1][7].value


def test_big_export_runs_in_the_background_with_progress_download_and_expiry(
    client, people, settings, tmp_path
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    for n in range(3):
        PlacementFactory(child=people.child(first_name=f"C{n}"), start_date=date(2020, 1, 1))
    client.force_login(people.auditor)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        response = client.get(reverse("dashboards:stability") + "?on=2026-03-31&format=xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "dashboards:export_status", args=[job.pk]
    )
    assert (job.status, job.rows_expected, job.rows_written) == ("ready", 3, 3)
    status = client.get(response["Location"]).content.decode()
    assert "Your spreadsheet is ready" in status and 'http-equiv="refresh"' not in status
    download = client.get(reverse("dashboards:export_download", args=[job.pk]))
    _check_layout(_open(download), STABILITY_COLUMNS, 3, {})
    assert ExportLog.objects.get().rows == 3
    client.force_login(people.team_manager)  # someone else's export: not found
    assert client.get(reverse("dashboards:export_download", args=[job.pk])).status_code == 404
    assert exports_expire(timezone.now() + timedelta(days=2)) == 1
    job.refresh_from_db()
    assert job.status == "expired" and not job.file


def test_running_export_page_refreshes_itself_without_script(client, people):
    job = ExportJob.objects.create(
        user=people.auditor, return_key="iro_actions", rows_expected=10, rows_written=4
    )
    client.force_login(people.auditor)
    page = client.get(reverse("dashboards:export_status", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page and "4 of 10 rows written (40%)" in page


def test_export_log_page_shows_every_export(client, people):
    ExportLog.objects.create(
        user=people.team_manager, kind="compliance", filters={"first": "2026-03-01"}, rows=7
    )
    client.force_login(people.auditor)
    page = client.get(reverse("dashboards:export_log")).content.decode()
    assert "compliance" in page and "first: 2026-03-01" in page and ">7<" in page


@pytest.mark.parametrize(
    ("key", "dashboard"),
    [
        ("disruptions_quarterly", "dashboards:disruptions"),
        ("placement_stability", "dashboards:stability"),
        ("compliance", "dashboards:compliance"),
    ],
)
def test_a_return_asked_for_without_its_period_is_sent_to_choose_one__D12(
    client, people, county, key, dashboard
):
    """A hand-made address with no period never fails with a server error: it goes to the dashboard
    where the period is chosen, with a sentence."""
    client.force_login(people.team_manager)
    response = client.get(reverse("dashboards:return", args=[key]), {"year": "not a year"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(dashboard)
    assert "then download it" in response.content.decode()


def test_a_big_dashboard_export_is_built_in_the_background_with_the_same_scope_and_filters__G3(
    client, people, county, settings, tmp_path
):
    """Issue 14: the meetings dashboard's own export, over the threshold, becomes a background job whose
    file holds the rows the user may see under the filters they chose, with the About sheet."""
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    mine = [psm_request(people, county) for _ in range(2)]
    other_child = people.child(team=people.other_team, social_worker=None)
    PlacementFactory(child=other_child)
    client.force_login(people.team_manager)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        response = client.get(reverse("dashboards:meetings") + "?format=xlsx&state=requested")
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("dashboards:export_status", args=[job.pk])
    assert (job.return_key, job.status, job.params) == ("dashboard_meetings", "ready", {"state": "requested"})
    book = _open(client.get(reverse("dashboards:export_download", args=[job.pk])))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Meeting" and sorted(r[0] for r in rows[1:]) == sorted(m.reference for m in mine)
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Filter: state"] == "requested"


def test_a_small_dashboard_export_downloads_at_once(client, people, county):
    psm_request(people, county)
    client.force_login(people.team_manager)
    response = client.get(reverse("dashboards:meetings") + "?format=xlsx")
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_a_finished_background_export_notifies_only_its_requester_with_the_link__issue13(
    client, people, settings, tmp_path
):
    """Issue 13: a finished background export reaches its requester through the outbox (so as an in-app
    notification) with the link to its status/download page; nobody else is told, and the link stays
    the requester's own (another user gets 404 from the download)."""
    from outbox.models import OutboxMessage
    from reminders.models import Notification

    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    people.auditor.email = people.auditor.email or "auditor@example.org"
    people.auditor.save()
    for n in range(2):
        PlacementFactory(child=people.child(first_name=f"C{n}"), start_date=date(2020, 1, 1))
    client.force_login(people.auditor)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        client.get(reverse("dashboards:stability") + "?on=2026-03-31&format=xlsx")
    job = ExportJob.objects.get()
    assert job.status == "ready"
    link = reverse("dashboards:export_status", args=[job.pk])
    message = OutboxMessage.objects.get(topic="dashboards.export_ready")
    assert message.recipient == people.auditor.email and message.recipient_user == people.auditor
    assert link in message.body
    note = Notification.objects.get(message=message)
    assert note.user == people.auditor and note.link == link
    assert not Notification.objects.exclude(user=people.auditor).filter(message__topic=message.topic)
    client.force_login(people.team_manager)
    assert client.get(reverse("dashboards:export_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(("threshold", "background"), [(4, False), (3, True), (2, True)])
def test_the_threshold_decides_past_the_first_chunk_too(
    client, people, county, settings, tmp_path, monkeypatch, threshold, background
):
    """Issue 12: the export reads its first chunk before writing (no count query for a small one);
    past the chunk (here 2 rows) the capped count decides. 4 meetings: a threshold of 4 downloads at
    once with every row; 3 (counted past the chunk) and 2 (within it) go to the background."""
    settings.EXPORT_BACKGROUND_ROWS = threshold
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("dashboards.views.EXPORT_CHUNK", 2)
    mine = [psm_request(people, county) for _ in range(4)]
    client.force_login(people.team_manager)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        response = client.get(reverse("dashboards:meetings") + "?format=xlsx")
    assert ExportJob.objects.exists() == background
    if not background:
        rows = list(_open(response).worksheets[0].iter_rows(values_only=True))
        assert sorted(r[0] for r in rows[1:]) == sorted(m.reference for m in mine)
