"""The start page's panels (issue 12: bounded, indexed queries; issue 15: outside portal).

Expected figures come from the selectors and rules the other pages use (the approval queue, the
meetings the user may see, the dashboards' overdue rule), on requests made by the test."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from dashboards.selectors import meetings_dashboard
from home import panels
from tests.workflows.factories import RAISED, psm_request, submit_with_reports
from workflows.choices import OPEN_STATES
from workflows.selectors import approval_queue_for_user, meetings_for_user

pytestmark = pytest.mark.django_db


def _submitted(people, county, n: int) -> list:
    return [submit_with_reports(psm_request(people, county), people) for _ in range(n)]


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_the_start_page_lives_outside_the_case_records__issue15():
    assert resolve("/").func.__module__ == "home.views"
    import portal.views
    import workflows.templatetags.meeting_tags as tags

    assert not hasattr(portal.views, "home") and not hasattr(tags, "home_meetings")


def test_manager_home_counts_what_the_queue_list_and_dashboard_count__issue12(client, people, county):
    _submitted(people, county, 3)  # three requests by the social worker, for the team manager to decide
    psm_request(people, county)  # one still being written (requested, open, nothing to decide)
    today = RAISED  # the requests' deadlines count from this day: none is overdue on it
    response = _home(client, people.team_manager)
    context = response.context
    manager = people.team_manager
    assert context["approvals"]["n"] == len(approval_queue_for_user(manager)) == 3
    visible = meetings_for_user(manager)
    assert context["open_meetings"]["n"] == visible.filter(state__in=OPEN_STATES).count() == 4
    html = response.content.decode()
    assert "3 requests waiting for your decision" in html and "4 open meetings" in html
    later = today.replace(year=today.year + 1)  # a year on: every open meeting is late
    figures = panels.home_panels(manager, today=later)
    overdue = [m for m in meetings_dashboard(manager, today=later) if m.is_overdue]
    assert figures["overdue_meetings"]["n"] == len(overdue) == 4


def test_requesters_have_nothing_to_decide__P2(client, people, county):
    _submitted(people, county, 2)
    context = _home(client, people.social_worker).context
    assert context["approvals"]["n"] == 0 and approval_queue_for_user(people.social_worker) == []
    assert context["open_meetings"]["n"] == 2


def test_the_decisions_count_stops_at_its_cap__issue12(client, people, county, monkeypatch):
    monkeypatch.setattr(panels, "APPROVALS_READ", 3)  # read 3 requests at most: "2+" beyond 2
    _submitted(people, county, 4)
    html = _home(client, people.team_manager).content.decode()
    assert "2+ requests waiting for your decision" in html


def test_counts_stop_at_the_cap__issue12(client, people, county, monkeypatch):
    monkeypatch.setattr(panels, "COUNT_CAP", 2)
    _submitted(people, county, 3)
    html = _home(client, people.team_manager).content.decode()
    assert "2+ open meetings" in html
    assert ">2+</strong> children" in html  # three children, counted no further than the cap


def test_home_reads_a_fixed_number_of_queries_whatever_the_data__issue12(client, people, county):
    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    _submitted(people, county, 2)
    queries(people.team_manager)  # a process reads each published revision once (policies_attach)
    few = {u.username: queries(u) for u in (people.team_manager, people.iro, people.social_worker)}
    _submitted(people, county, 12)
    many = {u.username: queries(u) for u in (people.team_manager, people.iro, people.social_worker)}
    assert few == many
    # session, user, meeting types (approver roles), every count in one query, the oldest requests to
    # decide with their approvals, unread notifications, the user's team; the pack's words for the
    # navigation (issue 10) and the "meetings to consider" tasks waiting (issue 10)
    assert max(many.values()) <= 10, many


def test_capped_counts_read_nothing_for_an_empty_scope__issue12(people, county, django_assert_num_queries):
    from portal.models import Child

    psm_request(people, county)
    with django_assert_num_queries(1):
        counts = panels.capped_counts({"none": Child.objects.none(), "all": Child.objects.all()}, cap=10)
    assert counts == {"none": 0, "all": Child.objects.count()}


def test_a_published_revision_is_parsed_once_per_process__issue12(people, county, django_assert_num_queries):
    from workflows import revisions
    from workflows.selectors import meeting_for_user

    meeting = psm_request(people, county)
    revisions._parsed.clear()
    first = meeting_for_user(people.social_worker, meeting.pk)
    with django_assert_num_queries(2):  # meeting types (the direct links), then the meeting
        again = meeting_for_user(people.social_worker, meeting.pk)
    assert again.policy is first.policy and again.policy.code == "PSM"
