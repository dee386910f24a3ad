"""CMS reports and listings show scoped roles only their children (issue 11, item 4).

A team manager gets 404 on another team's child on the worker site; the CMS must not name that child
either: not in the site-history report, not in any case-record listing or a record's history.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.log_actions import log

from portal.choices import Role
from tests.factories import (
    CarerHouseholdFactory,
    ChildFactory,
    HomeFactory,
    PlacementFactory,
    ProviderFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LISTINGS = [
    "case-records/children",
    "case-records/placements",
    "case-records/involvements",
    "case-records/case-notes",
    "case-records/carer-households",
    "case-records/homes",
    "case-records/providers",
    "case-records/teams",
]


@pytest.fixture
def two_teams():
    ours, theirs = TeamFactory(name="Northfield children's team"), TeamFactory(name="Zedbury children's team")
    manager = UserFactory(username="tm-north", role=Role.TEAM_MANAGER, team=ours)
    ours.manager = manager
    ours.save()
    mine = ChildFactory(first_name="Amberly", last_name="Ownteam", team=ours)
    other = ChildFactory(first_name="Quentessa", last_name="Otherteam", team=theirs)
    provider = ProviderFactory(name="Farshore Fostering Ltd")
    PlacementFactory(child=mine, carer_household=CarerHouseholdFactory(name="Nearby household"))
    PlacementFactory(
        child=other,
        carer_household=CarerHouseholdFactory(name="Faraway household", provider=provider),
        provider=provider,
    )
    PlacementFactory(child=other, carer_household=None, home=HomeFactory(name="Distant House"))
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    for child in (mine, other):
        log(instance=child, action="wagtail.edit", user=admin)
        log(instance=child.placements.first(), action="wagtail.edit", user=admin)
    return {"manager": manager, "mine": mine, "other": other}


HIDDEN = ("Quentessa", "Otherteam", "Faraway household", "Distant House", "Farshore Fostering", "Zedbury")


def test_site_history_report_leaves_out_another_teams_child_for_a_team_manager(client, two_teams):
    client.force_login(two_teams["manager"])
    for url in ("/cms/reports/site-history/", "/cms/reports/site-history/results/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Amberly" in html
        assert "Quentessa" not in html and "Otherteam" not in html


def test_an_auditor_sees_every_child_in_the_site_history_report(client, two_teams):
    client.force_login(UserFactory(username="auditor", role=Role.AUDITOR))
    html = client.get("/cms/reports/site-history/").content.decode()
    assert "Amberly" in html and "Quentessa" in html


@pytest.mark.parametrize("listing", LISTINGS)
def test_no_cms_listing_names_another_teams_child_or_their_carers(client, two_teams, listing):
    client.force_login(two_teams["manager"])
    response = client.get(f"/cms/{listing}/")
    assert response.status_code == 200
    html = response.content.decode()
    for hidden in HIDDEN:
        assert hidden not in html, (listing, hidden)


@pytest.mark.parametrize("listing", LISTINGS)
def test_an_auditor_sees_every_cms_listing_in_full(client, two_teams, listing):
    client.force_login(UserFactory(username="auditor", role=Role.AUDITOR))
    response = client.get(f"/cms/{listing}/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = {
        "case-records/children": "Quentessa",
        "case-records/placements": "Quentessa",
        "case-records/carer-households": "Faraway household",
        "case-records/homes": "Distant House",
        "case-records/providers": "Farshore Fostering",
        "case-records/teams": "Zedbury",
    }.get(listing)
    if expected:
        assert expected in html


def test_another_teams_childs_history_and_usage_are_404_for_a_team_manager(client, two_teams):
    client.force_login(two_teams["manager"])
    for view in ("history", "usage"):
        response = client.get(reverse(f"case_children:{view}", args=[two_teams["other"].pk]))
        assert response.status_code == 404
        assert "Quentessa" not in response.content.decode()
