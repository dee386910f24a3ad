"""My children and the child page: what a worker reads (G1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.choices import InvolvementRole, Role
from portal.models import CaseNote
from portal.selectors import child_timeline
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    PlacementFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_team(db):
    """A team manager whose team has 60 children, each with a past and a current placement."""
    today = timezone.localdate()
    team = TeamFactory(name="Big team")
    manager = UserFactory(username="big-tm", role=Role.TEAM_MANAGER, team=team)
    team.manager = manager
    team.save()
    worker = UserFactory(username="big-sw", role=Role.SOCIAL_WORKER, team=team)
    for n in range(60):
        child = ChildFactory(team=team, social_worker=worker, first_name=f"Kid{n:02d}", last_name="Bigteam")
        PlacementFactory(
            child=child,
            start_date=today - timedelta(days=700),
            end_date=today - timedelta(days=300),
            ended_unplanned=False,
        )
        PlacementFactory(child=child, start_date=today - timedelta(days=300))
        InvolvementFactory(child=child, user=UserFactory(role=Role.SUPERVISING_SOCIAL_WORKER))
    return manager


def test_my_children_is_paginated_25_a_page_with_bounded_queries(
    client, big_team, django_assert_max_num_queries
):
    client.force_login(big_team)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("my_children"))
    page = response.context["page"]
    assert page.paginator.count == 60
    assert len(response.context["rows"]) == 25
    assert page.paginator.num_pages == 3
    html = response.content.decode()
    assert "60 children, page 1 of 3" in html
    assert 'aria-current="page"' in html
    with django_assert_max_num_queries(8):
        last = client.get(reverse("my_children"), {"page": 3})
    assert len(last.context["rows"]) == 10


def test_my_children_search_by_name_surname_or_reference_keeps_the_search_in_page_links(client, big_team):
    client.force_login(big_team)
    response = client.get(reverse("my_children"), {"q": "kid0"})
    assert {r["child"].first_name for r in response.context["rows"]} == {f"Kid0{n}" for n in range(10)}
    response = client.get(reverse("my_children"), {"q": "Kid05 Bigteam"})
    assert [r["child"].first_name for r in response.context["rows"]] == ["Kid05"]
    ref = response.context["rows"][0]["child"].local_reference
    response = client.get(reverse("my_children"), {"q": ref.lower()})
    assert [r["child"].local_reference for r in response.context["rows"]] == [ref]
    response = client.get(reverse("my_children"), {"q": "Bigteam"})
    assert "?q=Bigteam&amp;page=2" in response.content.decode()
    response = client.get(reverse("my_children"), {"q": "nobody-like-this"})
    assert "No children match" in response.content.decode()


def test_my_children_search_cannot_reach_other_childrens_records(client, big_team):
    outsider = ChildFactory(first_name="Hidden", last_name="Bigteam")
    client.force_login(big_team)
    response = client.get(reverse("my_children"), {"q": outsider.local_reference})
    assert response.context["rows"] == []


def test_my_children_row_shows_current_placement_words_and_since_date__G1(client, world):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    html = client.get(reverse("my_children")).content.decode()
    today = timezone.localdate()
    since = today - timedelta(days=400)
    assert "In-house fostering with The Fosters, since" in html
    assert f'<time datetime="{since:%Y-%m-%d}">' in html
    assert "Full care order" in html  # legal status in words
    assert "<caption" in html


def test_child_timeline_lists_placements_in_order_with_words__G1(world):
    timeline = child_timeline(world.children["allocated"])
    first, second = timeline.placements
    assert first.start_date < second.start_date
    assert first.type_label == "Placement with other foster carer: not long-term or FFA"
    assert first.reason_for_change_label == "Change to or implementation of the care plan"
    assert not first.ended_unplanned and not first.is_current
    assert second.is_current and timeline.current == second
    assert second.placed_with == "The Fosters"


def test_child_page_shows_the_placement_timeline_with_tags__G1(client, world):
    today = timezone.localdate()
    child = world.children["disrupted"]
    PlacementFactory(
        child=child,
        agency_fostering=True,
        start_date=today - timedelta(days=29),
        notice_period_days=14,
        has_contingency_plan=False,
    )
    client.force_login(world.users[Role.AUDITOR])
    response = client.get(reverse("child_detail", args=[child.pk]))
    html = response.content.decode()
    assert '<ol class="portal-timeline" reversed' in html
    assert "Ended unplanned" in html
    assert "Permanent" in html
    assert "Carer requests placement end due to child&#x27;s behaviour" in html
    assert "Agency fostering (IFA)" in html
    assert "14 days" in html and "Under 28 days" in html
    assert "No contingency plan" in html
    assert f'<time datetime="{today - timedelta(days=30):%Y-%m-%d}">' in html
    assert "Current" in html
    # heading order: h1 then h2 sections then h3 placements
    assert html.index("<h1") < html.index('id="placements"') < html.index("<h3")


def test_child_page_lists_people_involved_and_case_notes(client, world):
    child = world.children["allocated"]
    CaseNote.objects.create(
        child=child, note_type="Placement stability meeting", body="Agreed extra respite."
    )
    client.force_login(world.users[Role.SOCIAL_WORKER])
    html = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert "Supervising social worker" in html
    assert str(world.users[Role.SUPERVISING_SOCIAL_WORKER]) in html
    assert "Placement stability meeting" in html and "Agreed extra respite." in html


def test_child_page_queries_are_bounded(client, world, django_assert_max_num_queries):
    child = world.children["allocated"]
    for n in range(10):
        InvolvementFactory(child=child, user=UserFactory(), role=InvolvementRole.OTHER)
        CaseNote.objects.create(child=child, note_type=f"Note {n}", body="x")
    client.force_login(world.users[Role.SOCIAL_WORKER])
    # the case record (8), the meeting types and this child's meetings (workflows.selectors), and the
    # pack's own words for the page (issue 10): the same however many involvements and notes there are
    with django_assert_max_num_queries(11):
        assert client.get(reverse("child_detail", args=[child.pk])).status_code == 200


def test_child_page_for_a_non_numeric_or_missing_child_is_404(client, world):
    client.force_login(world.users[Role.AUDITOR])
    assert client.get("/children/999999/").status_code == 404
    assert client.get("/children/abc/").status_code == 404
