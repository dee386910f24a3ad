"""The oversight pages: who may open them, what they show, charts that need no script or inline style."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.workflows.factories import psm_request
from workflows.choices import MeetingState
from workflows.models import Meeting

pytestmark = pytest.mark.django_db

PAGES = ["due_soon", "compliance", "stability", "export_log"]


@pytest.mark.parametrize(
    "role", ["social_worker", "supervising_social_worker", "policy_owner", "minute_taker"]
)
def test_oversight_pages_refuse_roles_that_do_not_manage__G3(client, role):
    client.force_login(UserFactory(username=f"refused-{role}", role=role))
    for name in PAGES:
        assert client.get(reverse(f"dashboards:{name}")).status_code == 403, name
    assert client.get(reverse("dashboards:return", args=["iro_actions"])).status_code == 403


def test_export_log_is_for_auditors_not_managers(client, people):
    client.force_login(people.team_manager)
    assert client.get(reverse("dashboards:export_log")).status_code == 403
    assert "Export log" not in client.get(reverse("dashboards:due_soon")).content.decode()
    client.force_login(people.auditor)
    assert client.get(reverse("dashboards:export_log")).status_code == 200


def test_every_dashboard_is_in_the_dashboards_navigation(client, people, county):
    client.force_login(people.auditor)
    page = client.get(reverse("dashboards:meetings")).content.decode()
    for name in ["due_soon", "compliance", "stability", "disruptions", "export_log"]:
        assert reverse(f"dashboards:{name}") in page, name


def test_due_soon_page_lists_and_explains__G2(client, people, county):
    meeting = psm_request(people, county, raised=date.today())
    client.force_login(people.team_manager)
    page = client.get(reverse("dashboards:due_soon")).content.decode()
    assert meeting.reference in page and meeting.deadline_explanation.split(":")[0] in page
    client.force_login(people.other_manager)
    assert meeting.reference not in client.get(reverse("dashboards:due_soon")).content.decode()


def test_due_soon_bad_number_of_days_gets_a_plain_message(client, people):
    client.force_login(people.auditor)
    response = client.get(reverse("dashboards:due_soon") + "?days=lots")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the number of working days as a whole number, like 5." in page
    assert 'value="lots"' in page  # what was typed is kept


def test_compliance_figure_links_to_a_list_of_the_same_length(client, people, county):
    meeting = psm_request(people, county)  # due 9 Mar 2026, never held: a missed case in March 2026
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.SCHEDULED)
    client.force_login(people.auditor)
    query = "first=2026-03-01&last=2026-03-31"
    page = client.get(reverse("dashboards:compliance") + "?" + query).content.decode()
    slug = f"held_in_window-{meeting.meeting_type_id}"
    row = re.search(rf'id="measure-{slug}">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</a>", row) == ["1", "0", "1"]
    cases = client.get(reverse("dashboards:compliance_cases", args=[slug]) + "?" + query + "&outcome=missed")
    assert meeting.reference in cases.content.decode()
    assert "<strong>1</strong>" in cases.content.decode()


def test_compliance_period_the_wrong_way_round_is_refused_in_plain_english(client, people):
    client.force_login(people.auditor)
    response = client.get(reverse("dashboards:compliance") + "?first=2026-03-31&last=2026-03-01")
    assert response.status_code == 400
    assert "The end of the period must be on or after its start." in response.content.decode()


def test_stability_page_shows_figures_trend_and_drill_down(client, people):
    from tests.factories import PlacementFactory

    child = people.child(first_name="Robin", last_name="Hood", date_of_birth=date(2014, 1, 1))
    PlacementFactory(child=child, start_date=date(2020, 1, 1))
    client.force_login(people.team_manager)
    page = client.get(reverse("dashboards:stability") + "?on=2026-03-31&figure=long_term_stable")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Robin Hood" in text and 'id="stability-trend"' in text
    client.force_login(people.other_manager)
    text = client.get(reverse("dashboards:stability") + "?on=2026-03-31&figure=looked_after").content.decode()
    assert "Robin Hood" not in text


def test_charts_are_accessible_svg_without_inline_style_or_script(client, people):
    client.force_login(people.auditor)
    text = client.get(reverse("dashboards:stability") + "?on=2026-03-31").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", text, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "style=" not in svg and "<script" not in svg


def test_due_soon_sorts_and_its_queries_do_not_grow_with_rows(
    client, people, county, django_assert_max_num_queries
):
    first = psm_request(people, county, raised=date.today(), child=people.child(last_name="Zephyr"))
    second = psm_request(people, county, raised=date.today(), child=people.child(last_name="Abbott"))
    client.force_login(people.auditor)
    url = reverse("dashboards:due_soon") + "?kind=meeting"
    by_child = client.get(url + "&sort=child_last").content.decode()
    assert by_child.index(second.reference) < by_child.index(first.reference)
    by_child_desc = client.get(url + "&sort=-child_last").content.decode()
    assert by_child_desc.index(first.reference) < by_child_desc.index(second.reference)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(10):
        psm_request(people, county, raised=date.today())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_compliance_page_queries_do_not_grow_with_rows(client, people, county, django_assert_max_num_queries):
    client.force_login(people.auditor)
    url = reverse("dashboards:compliance") + "?first=2026-03-01&last=2026-03-31"
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(10):
        psm_request(people, county)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_dashboard_dates_are_govuk_date_inputs_and_a_link_may_give_one_iso_date(client, people, county):
    """Issue 9: dates are typed as day, month and year (never the browser's mm/dd/yyyy picker); the
    drill-down links that carry one ISO date keep working."""
    client.force_login(people.team_manager)
    page = client.get(reverse("dashboards:compliance")).content.decode()
    assert 'name="first_day"' in page and 'name="last_year"' in page and 'type="date"' not in page
    typed = client.get(
        reverse("dashboards:compliance"),
        {
            "first_day": "1",
            "first_month": "2",
            "first_year": "2026",
            "last_day": "28",
            "last_month": "2",
            "last_year": "2026",
        },
    )
    assert typed.context["form"].chosen()["first"] == date(2026, 2, 1)
    linked = client.get(reverse("dashboards:stability"), {"on": "2026-03-31"})
    assert linked.context["form"].chosen()["on"] == date(2026, 3, 31)
    wrong = client.get(reverse("dashboards:stability"), {"on_day": "31", "on_month": "2", "on_year": "2026"})
    assert "Cut-off date must be a real date" in wrong.content.decode()
