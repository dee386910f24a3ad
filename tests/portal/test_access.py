"""Who sees which child, for every role (SPEC Roles): the selector, My children, the child page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from portal.choices import Role
from portal.selectors import child_get_for_user, children_for_user
from tests.factories import UserFactory

from .conftest import EXPECTED

pytestmark = pytest.mark.django_db

ALL_ROLES = [role.value for role in Role]


def test_every_role_has_an_expectation():
    assert set(EXPECTED) | {Role.AUDITOR} == set(Role)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_children_for_user_follows_the_role_rule__Roles(world, role):
    user = world.users[role]
    expected = set(world.children) if role == Role.AUDITOR else EXPECTED[role]
    seen = {c.pk for c in children_for_user(user)}
    assert seen == {world.children[key].pk for key in expected}


def test_superuser_sees_every_child__Roles(world):
    assert children_for_user(world.users["admin"]).count() == len(world.children)


def test_children_for_user_is_one_query_without_duplicates__Roles(world, django_assert_num_queries):
    # the team manager's rule joins involvements and placements; Exists keeps one row per child
    with django_assert_num_queries(1):
        rows = list(children_for_user(world.users[Role.TEAM_MANAGER]))
    assert len(rows) == len({c.pk for c in rows})


def test_inactive_or_anonymous_users_see_nothing__Roles(world):
    from django.contrib.auth.models import AnonymousUser

    sw = world.users[Role.SOCIAL_WORKER]
    sw.is_active = False
    assert not children_for_user(sw).exists()
    assert not children_for_user(AnonymousUser()).exists()


def test_policy_owner_allocated_to_a_child_sees_that_child__Roles(world):
    owner = world.users[Role.POLICY_OWNER]
    child = world.children["south"]
    child.iro = owner
    child.save()
    assert list(children_for_user(owner)) == [child]


def test_involvement_counts_from_its_start_to_its_end_day_inclusive__Roles(world):
    sw = world.users[Role.SOCIAL_WORKER]
    # sw_involved ends today: still seen; involvement_ended ended yesterday: not seen
    assert world.children["sw_involved"] in children_for_user(sw)
    assert world.children["involvement_ended"] not in children_for_user(sw)
    # the IRO's involvement starts tomorrow: not yet
    assert world.children["involvement_ended"] not in children_for_user(world.users[Role.IRO])


def test_child_get_for_user_raises_404_for_someone_elses_child__Roles(world):
    from django.http import Http404

    sw = world.users[Role.SOCIAL_WORKER]
    assert child_get_for_user(user=sw, pk=world.children["allocated"].pk) == world.children["allocated"]
    with pytest.raises(Http404):
        child_get_for_user(user=sw, pk=world.children["south"].pk)
    with pytest.raises(Http404):
        child_get_for_user(user=sw, pk=999_999)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_my_children_lists_exactly_the_roles_children__Roles(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("my_children"))
    assert response.status_code == 200
    expected = set(world.children) if role == Role.AUDITOR else EXPECTED[role]
    listed = {row["child"].full_name for row in response.context["rows"]}
    assert listed == world.names(*expected)
    html = response.content.decode()
    for key, child in world.children.items():
        assert (f'href="{child.get_absolute_url()}"' in html) == (key in expected)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_child_page_200_for_own_children_404_for_others__Roles(client, world, role):
    client.force_login(world.users[role])
    expected = set(world.children) if role == Role.AUDITOR else EXPECTED[role]
    for key, child in world.children.items():
        response = client.get(reverse("child_detail", args=[child.pk]))
        assert response.status_code == (200 if key in expected else 404), key


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_page_greets_the_role_and_counts_their_children__Roles(client, world, role):
    user = world.users[role]
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    expected = len(world.children) if role == Role.AUDITOR else len(EXPECTED[role])
    assert response.context["children_count"] == expected
    html = response.content.decode()
    assert escape(Role(role).label) in html
    if expected:
        assert reverse("my_children") in html


def test_pages_need_sign_in(client, world):
    for url in (
        reverse("home"),
        reverse("my_children"),
        reverse("child_detail", args=[world.children["allocated"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_new_worker_with_no_children_sees_a_clear_message(client, db):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    response = client.get(reverse("my_children"))
    assert "You have no children" in response.content.decode()
