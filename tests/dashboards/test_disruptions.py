"""The quarterly disruption themes (D12): a quarter's disruption meetings, counted by the themes the
divisional meeting looks at, scoped to what the user may see, downloadable as a logged Excel return."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.disruptions import disruption_themes
from dashboards.models import ExportLog
from tests.factories import UserFactory
from tests.workflows.factories import hold_and_minute
from tests.workflows.test_dm import dm_scheduled, ended_placement
from workflows import services

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:disruptions")


@pytest.fixture
def disrupted(people, county):
    """Two disruptions: a twelve-year-old in Lakeside after a year with an agency, and a formula-like area."""
    child = people.child(date_of_birth=date(2014, 3, 2), area="Lakeside")
    first = ended_placement(people, child, agency_fostering=True, start_date=date(2025, 3, 2))
    other = people.child(date_of_birth=date(2020, 1, 1), area='=HYPERLINK("http://x")')
    second = ended_placement(people, other, start_date=date(2025, 12, 2), ratified_permanent_on=None)
    meetings = []
    for placement in (first, second):
        meeting = hold_and_minute(dm_scheduled(people, county, placement), people)
        meetings.append(services.minutes_approve(meeting=meeting, by=meeting.chair))
    approved = meetings[0].minutes_approved_at.date()
    return {"meetings": meetings, "year": approved.year, "quarter": (approved.month - 1) // 3 + 1}


def _query(disrupted: dict, **extra: str) -> dict:
    return {"year": disrupted["year"], "quarter": disrupted["quarter"], **extra}


def test_practice_development_manager_reads_the_quarters_themes__D12(client, people, disrupted):
    client.force_login(people.pdm)
    response = client.get(URL, _query(disrupted))
    page = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert {row["reference"] for row in report["meetings"]} == {m.reference for m in disrupted["meetings"]}
    assert f"for the divisional meeting in <strong>{report['divisional_meeting']:%B %Y}</strong>" in page
    themes = {theme["title"]: dict(theme["counts"]) for theme in report["themes"]}
    assert themes["Age of the child when the placement ended"] == {"5 to 9": 1, "10 to 15": 1}
    assert themes["Time in the home"] == {"Under 6 months": 1, "1 to 2 years": 1}
    assert themes["Time from ratification as permanent to the disruption"] == {
        "1 to 2 years": 1,
        "Not recorded": 1,
    }
    assert themes["Area"]["Lakeside"] == 1
    assert disrupted["meetings"][0].placement.provider.name in themes["Fostering agency or provider"]
    other_quarter = disrupted["quarter"] % 4 + 1
    empty = client.get(URL, {"year": disrupted["year"], "quarter": other_quarter})
    assert empty.context["report"]["meetings"] == []
    # The meeting type's own name, not a fixed phrase (issue 10).
    name = disrupted["meetings"][0].meeting_type.name
    assert f"No {name.lower()} you may see" in empty.content.decode()


def test_the_collation_counts_only_meetings_the_user_may_see__D12__G3(client, people, disrupted):
    client.force_login(people.other_manager)  # another team's manager: none of these children
    response = client.get(URL, _query(disrupted))
    assert response.status_code == 200 and response.context["report"]["meetings"] == []
    client.force_login(people.social_worker)  # workers have no dashboards at all
    assert client.get(URL, _query(disrupted)).status_code == 403
    client.force_login(people.auditor)
    assert len(client.get(URL, _query(disrupted)).context["report"]["meetings"]) == 2


def test_the_quarter_downloads_as_a_logged_spreadsheet_with_text_kept_as_text__D12(client, people, disrupted):
    client.force_login(people.auditor)
    response = client.get(URL, _query(disrupted, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'disruptions-{disrupted["year"]}-q{disrupted["quarter"]}.xlsx"'
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Meeting" and len(rows) == 3
    areas = {row[3] for row in rows[1:]}
    assert "Lakeside" in areas and '=HYPERLINK("http://x")' in areas
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == '=HYPERLINK("http://x")']
    assert cells and all(cell.data_type == "s" for cell in cells)
    log = ExportLog.objects.get(kind="disruptions")
    assert log.user == people.auditor and log.rows == 2
    assert log.filters == {"year": str(disrupted["year"]), "quarter": str(disrupted["quarter"])}


@pytest.mark.parametrize(
    "query, message",
    [
        ({"year": "twenty", "quarter": "1"}, "Enter the year as a number, like 2026."),
        ({"year": "2026", "quarter": "5"}, "Choose a quarter."),
        ({"year": "1999", "quarter": "1"}, "The year must be 2000 or later."),
        ({"year": "9999", "quarter": "1"}, "or earlier."),
    ],
)
def test_a_wrong_quarter_is_explained_and_the_current_one_shown(client, people, query, message):
    client.force_login(people.pdm)
    response = client.get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert response.context["report"]["year"] <= date.today().year
    assert client.get(URL, {**query, "format": "xlsx"}).status_code == 400  # no export of a wrong choice
    assert not ExportLog.objects.exists()


def test_themes_band_every_row_and_count_missing_values():
    rows = [
        {
            "age_at_disruption": 4,
            "area": "",
            "placement_type": "Residential",
            "provider": "In-house",
            "days_in_home": 182,
            "days_from_ratification": None,
        },
        {
            "age_at_disruption": 16,
            "area": "North",
            "placement_type": "Residential",
            "provider": "In-house",
            "days_in_home": 730,
            "days_from_ratification": 365,
        },
        {
            "age_at_disruption": None,
            "area": "North",
            "placement_type": "Agency fostering",
            "provider": "Acme",
            "days_in_home": None,
            "days_from_ratification": 364,
        },
    ]
    themes = {theme["title"]: theme["counts"] for theme in disruption_themes(rows)}
    assert themes["Age of the child when the placement ended"] == [
        ("Under 5", 1),
        ("16 and over", 1),
        ("Not recorded", 1),
    ]
    assert themes["Area"] == [("North", 2), ("Not recorded", 1)]
    assert themes["Placement type"] == [("Residential", 2), ("Agency fostering", 1)]
    assert themes["Time in the home"] == [("Under 6 months", 1), ("Over 2 years", 1), ("Not recorded", 1)]
    assert themes["Time from ratification as permanent to the disruption"] == [
        ("6 to 12 months", 1),
        ("1 to 2 years", 1),
        ("Not recorded", 1),
    ]
    assert all(sum(n for _label, n in counts) == 3 for counts in themes.values())


def test_dashboard_tabs_link_to_the_disruption_themes(client, people):
    client.force_login(UserFactory(role="team_manager"))
    assert URL in client.get(reverse("dashboards:meetings")).content.decode()
