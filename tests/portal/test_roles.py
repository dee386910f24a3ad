"""Role groups, user_set_role, and what each role may do in the CMS (SPEC Roles)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.choices import Role
from portal.services import CMS_ROLES, role_groups_ensure, user_set_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"


def _perms(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_migrate_made_one_group_per_role_named_by_its_label__Roles():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.label for role in Role} <= names


def test_role_groups_ensure_is_idempotent_and_keeps_hand_made_permissions__Roles():
    from django.contrib.auth.models import Permission

    extra = Permission.objects.get(codename="view_site")
    Group.objects.get(name="Social worker").permissions.add(extra)
    before = {g.name: _perms(g.name) for g in Group.objects.all()}
    role_groups_ensure()
    role_groups_ensure()
    assert {g.name: _perms(g.name) for g in Group.objects.all()} == before
    assert Group.objects.filter(name="Policy owner").count() == 1


def test_policy_owner_group_edits_procedures_meeting_types_packs_and_forms__Roles():
    perms = _perms("Policy owner")
    assert {
        "wagtailadmin.access_admin",
        "workflows.change_meetingtype",
        "workflows.change_procedurepack",
        "forms_builder.change_formdefinition",
        "procedures.change_procedurepage",
    } <= perms
    # Publishing goes through the approval workflow only (a second policy owner approves).
    assert not {"workflows.publish_meetingtype", "forms_builder.publish_formdefinition"} & perms
    assert "portal.view_child" not in perms


def test_auditor_group_views_everything_and_changes_nothing__Roles():
    perms = _perms("Auditor")
    assert {
        "wagtailadmin.access_admin",
        "portal.view_child",
        "portal.view_placement",
        "workflows.view_meeting",
    } <= perms
    assert all(p.split(".")[1].startswith("view_") for p in perms - {"wagtailadmin.access_admin"})


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER])
def test_manager_groups_view_case_records_only__Roles(role):
    perms = _perms(Role(role).label)
    assert {"wagtailadmin.access_admin", "portal.view_child", "portal.view_involvement"} <= perms
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in perms)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.IRO, Role.BUYER, Role.MINUTE_TAKER])
def test_worker_site_roles_have_no_cms_permissions__Roles(role):
    assert _perms(Role(role).label) == set()


def test_policy_owner_group_gets_page_permissions_on_procedure_indexes__Roles():
    from wagtail.models import GroupPagePermission

    from workflows.procedures.models import ProcedureIndexPage
    from workflows.procedures.packs import procedures_load

    procedures_load(PACKS / "county")
    GroupPagePermission.objects.all().delete()
    role_groups_ensure()
    index = ProcedureIndexPage.objects.get(pack_slug="county")
    granted = set(
        GroupPagePermission.objects.filter(group__name="Policy owner", page=index).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"add_page", "change_page"}  # no publish_page: a second policy owner approves


def test_user_set_role_moves_the_person_between_role_groups_and_sets_cms_access__Roles():
    other = Group.objects.create(name="Fostering panel members")
    user = UserFactory(role=Role.SOCIAL_WORKER)
    user.groups.add(other)
    assert set(user.groups.values_list("name", flat=True)) == {"Social worker", "Fostering panel members"}
    assert not user.is_staff

    user = user_set_role(user=user, role=Role.AUDITOR)
    assert user.role == Role.AUDITOR and user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {"Auditor", "Fostering panel members"}

    user = user_set_role(user=user, role=Role.IRO)
    assert not user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {
        "Independent reviewing officer",
        "Fostering panel members",
    }


def test_user_set_role_refuses_an_unknown_role__Roles():
    with pytest.raises(ValueError):
        user_set_role(user=UserFactory(), role="wizard")


def test_saving_a_role_another_way_still_syncs_the_group__Roles():
    user = UserFactory(role=Role.TEAM_MANAGER)
    assert list(user.groups.values_list("name", flat=True)) == ["Team manager"]
    assert user.is_staff
    user.role = Role.BUYER
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == ["Children's services buyer"]


# --- the CMS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(CMS_ROLES))
def test_cms_roles_reach_the_cms__Roles(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/cms/").status_code == 200


@pytest.mark.parametrize("role", sorted(set(Role) - CMS_ROLES))
def test_worker_site_roles_are_refused_the_cms__Roles(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get("/cms/")
    assert response.status_code == 302
    assert "/cms/login/" in response["Location"]
    response = client.get(reverse("case_children:index"))
    assert response.status_code == 302


def test_policy_owner_sees_procedures_meeting_types_and_forms_in_the_cms_menu__Roles(client):
    from workflows.procedures.packs import procedures_load

    procedures_load(PACKS / "county")
    owner = UserFactory(role=Role.POLICY_OWNER)
    client.force_login(owner)
    html = client.get("/cms/").content.decode()
    for label in ("Meeting types", "Forms", "Pages"):
        assert label in html, label
    assert "Case records" not in html
    assert client.get(reverse("wagtailsnippets_workflows_meetingtype:list")).status_code == 200
    assert client.get(reverse("case_children:index")).status_code == 302


def test_auditor_lists_and_inspects_case_records_but_cannot_edit_or_add__Roles(client, world):
    client.force_login(world.users[Role.AUDITOR])
    child = world.children["south"]
    placement = world.children["agency"].placements.get()
    html = client.get("/cms/").content.decode()
    assert "Case records" in html
    for name in (
        "children",
        "placements",
        "involvements",
        "case_notes",
        "carer_households",
        "providers",
        "homes",
        "teams",
    ):
        assert client.get(reverse(f"case_{name}:index")).status_code == 200, name
    index = client.get(reverse("case_children:index")).content.decode()
    assert child.local_reference in index
    assert reverse("case_children:add") not in index
    assert client.get(reverse("case_children:inspect", args=[child.pk])).status_code == 200
    assert client.get(reverse("case_placements:inspect", args=[placement.pk])).status_code == 200
    inspect = client.get(reverse("case_children:inspect", args=[child.pk])).content.decode()
    assert reverse("case_children:edit", args=[child.pk]) not in inspect
    for url in (
        reverse("case_children:edit", args=[child.pk]),
        reverse("case_children:add"),
        reverse("case_children:delete", args=[child.pk]),
        reverse("case_placements:edit", args=[placement.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(reverse("case_children:edit", args=[child.pk]), {"first_name": "Changed"})
    assert response.status_code in (302, 403)
    child.refresh_from_db()
    assert child.first_name != "Changed"


def test_cms_case_records_are_scoped_to_the_managers_children__Roles(client, world):
    client.force_login(world.users[Role.TEAM_MANAGER])
    html = client.get(reverse("case_children:index")).content.decode()
    assert world.children["allocated"].local_reference in html
    assert world.children["south"].local_reference not in html
    assert (
        client.get(reverse("case_children:inspect", args=[world.children["allocated"].pk])).status_code == 200
    )
    assert client.get(reverse("case_children:inspect", args=[world.children["south"].pk])).status_code == 404
    south_placement = world.children["agency"].placements.get()
    assert client.get(reverse("case_placements:inspect", args=[south_placement.pk])).status_code == 404


def test_cms_case_records_search_and_filter(client, world):
    client.force_login(world.users[Role.AUDITOR])
    child = world.children["residential"]
    response = client.get(reverse("case_children:index"), {"q": child.local_reference})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [child]
    response = client.get(reverse("case_placements:index"), {"category": "in_house_residential"})
    assert {p.child_id for p in response.context["object_list"]} == {child.pk}


def test_superuser_can_edit_case_records_in_the_cms(client, world):
    client.force_login(world.users["admin"])
    child = world.children["south"]
    assert client.get(reverse("case_children:edit", args=[child.pk])).status_code == 200
