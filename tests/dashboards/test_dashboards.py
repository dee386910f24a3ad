"""Dashboards: scoped to what each user may see, overdue read from stored deadlines, Excel exports safe."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.exports import xlsx_write
from tests.factories import UserFactory
from tests.workflows.factories import GOOD_ACTION, hold_and_minute, psm_request, schedule, submit_with_reports
from workflows import services

pytestmark = pytest.mark.django_db

MEETINGS = reverse("dashboards:meetings")
ACTIONS = reverse("dashboards:actions")


def _approved(people, county, **kwargs):
    meeting = submit_with_reports(psm_request(people, county, **kwargs), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


@pytest.mark.parametrize(
    "role", ["social_worker", "supervising_social_worker", "policy_owner", "minute_taker"]
)
def test_dashboards_refuse_roles_that_do_not_manage__G3(client, role):
    client.force_login(UserFactory(username=f"refused-{role}", role=role))
    assert client.get(MEETINGS).status_code == 403
    assert client.get(ACTIONS).status_code == 403
    assert client.get(MEETINGS + "?format=xlsx").status_code == 403


def test_dashboards_need_a_login(client):
    response = client.get(MEETINGS)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_manager_sees_own_teams_meetings_only__G3(client, people, county):
    meeting = psm_request(people, county)
    client.force_login(people.team_manager)
    assert meeting.reference in client.get(MEETINGS).content.decode()
    client.force_login(people.other_manager)
    assert meeting.reference not in client.get(MEETINGS).content.decode()


def test_meeting_past_its_stored_deadline_is_flagged_and_filtered__P3(client, people, county):
    late = psm_request(people, county)  # concern raised 2 Mar 2026: due 9 Mar 2026
    assert late.due_on == date(2026, 3, 9)
    client.force_login(people.auditor)
    page = client.get(MEETINGS + "?overdue=yes").content.decode()
    assert late.reference in page and "Overdue" in page
    assert late.reference not in client.get(MEETINGS + "?overdue=no").content.decode()


def test_minutes_past_their_deadline_count_as_overdue__P8(client, people, county):
    meeting = schedule(
        _approved(people, county), people, chair=people.fostering_manager, day=date(2026, 3, 5)
    )
    meeting = services.meeting_record_held(meeting=meeting, by=people.fostering_manager)
    assert meeting.minutes_due_on and meeting.minutes_due_on < date(2026, 11, 24)
    client.force_login(people.auditor)
    assert meeting.reference in client.get(MEETINGS + "?overdue=yes&state=held").content.decode()


def test_meetings_dashboard_query_count_does_not_grow_with_rows(
    client, people, county, django_assert_max_num_queries
):
    for _ in range(3):
        psm_request(people, county)
    client.force_login(people.auditor)
    with django_assert_max_num_queries(12):
        assert client.get(MEETINGS).status_code == 200
    for _ in range(20):
        psm_request(people, county)
    with django_assert_max_num_queries(12):
        assert client.get(MEETINGS).status_code == 200


def test_iro_tracks_actions_of_their_children_only__D11(client, people, county):
    meeting = schedule(
        _approved(people, county), people, chair=people.fostering_manager, day=date(2026, 3, 5)
    )
    hold_and_minute(meeting, people)
    client.force_login(people.iro)
    page = client.get(ACTIONS).content.decode()
    assert GOOD_ACTION["description"] in page
    client.force_login(people.independent_iro)
    assert GOOD_ACTION["description"] not in client.get(ACTIONS).content.decode()


def test_overdue_open_actions_are_flagged__P6(client, people, county):
    meeting = schedule(
        _approved(people, county), people, chair=people.fostering_manager, day=date(2026, 3, 5)
    )
    hold_and_minute(meeting, people)  # action due 27 Mar 2026
    client.force_login(people.auditor)
    page = client.get(ACTIONS + "?overdue=yes").content.decode()
    assert GOOD_ACTION["description"] in page and "Overdue" in page


def test_meeting_export_streams_the_filtered_rows_with_formulas_as_text__G3(client, people, county):
    child = people.child(first_name='=HYPERLINK("http://evil")', last_name="+Smith")
    meeting = psm_request(people, county, child=child)
    south_worker = UserFactory(username="sw-south", role="social_worker", team=people.other_team)
    south_child = people.child(team=people.other_team, social_worker=south_worker)
    psm_request(people, county, child=south_child, by=south_worker)
    client.force_login(people.team_manager)
    response = client.get(MEETINGS + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="meetings-')
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Meeting"
    assert [r[0] for r in rows[1:]] == [meeting.reference]  # the other team's meeting is not exported
    name_cell = sheet.cell(row=2, column=3)
    assert name_cell.value == '=HYPERLINK("http://evil") +Smith'
    assert name_cell.data_type == "s"


def test_xlsx_writer_keeps_every_dangerous_prefix_as_text():
    buffer = BytesIO()
    values = ["=1+1", "+44 7700 900000", "-5 days", "@SUM(A1)", "plain"]
    xlsx_write(buffer, title="T", headers=["v"], rows=([v] for v in values))
    sheet = load_workbook(BytesIO(buffer.getvalue())).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == values
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells[:4])


def test_every_export_is_logged_with_its_filters_and_row_count__G3(client, people, county):
    from dashboards.models import ExportLog

    psm_request(people, county)
    client.force_login(people.auditor)
    response = client.get(MEETINGS + "?overdue=yes&format=xlsx")
    b"".join(response.streaming_content)
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.filters, log.rows) == (people.auditor, "meetings", {"overdue": "yes"}, 1)


def test_export_log_is_readable_in_the_cms_and_never_editable(client, people):
    from django.contrib.auth.models import Permission

    from dashboards.models import ExportLog

    log = ExportLog.objects.create(user=people.auditor, kind="meetings", rows=3)
    people.auditor.is_staff = True
    people.auditor.save()
    people.auditor.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_exportlog")
    )
    client.force_login(people.auditor)
    assert client.get("/cms/export_log/").status_code == 200
    assert client.get(f"/cms/export_log/inspect/{log.pk}/").status_code == 200
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get(f"/cms/export_log/edit/{log.pk}/").status_code in {302, 403}
    assert client.post(f"/cms/export_log/delete/{log.pk}/").status_code in {302, 403}
    assert ExportLog.objects.filter(pk=log.pk).exists()
