"""A policy owner changes a meeting type's values in Wagtail, without a developer."""

import json
from datetime import date

import pytest
from wagtail import blocks

from portal.choices import Role
from tests.factories import UserFactory
from workflows.models import MeetingType

from .factories import meeting_type, psm_request, timing_of


def block_data(block, value, prefix: str) -> dict:
    """The POST data Wagtail's block widgets send for `value` (what the editor's browser submits)."""
    if isinstance(block, blocks.ListBlock):
        items = list(getattr(value, "bound_blocks", None) or [])
        data = {f"{prefix}-count": str(len(items))}
        for i, item in enumerate(items):
            data |= {
                f"{prefix}-{i}-deleted": "",
                f"{prefix}-{i}-order": str(i),
                f"{prefix}-{i}-id": item.id or "",
            }
            data |= block_data(block.child_block, item.value, f"{prefix}-{i}-value")
        return data
    if isinstance(block, blocks.StreamBlock):
        data = {f"{prefix}-count": str(len(value))}
        for i, child in enumerate(value):
            data |= {
                f"{prefix}-{i}-type": child.block_type,
                f"{prefix}-{i}-deleted": "",
                f"{prefix}-{i}-order": str(i),
            }
            data |= {f"{prefix}-{i}-id": child.id or ""}
            data |= block_data(child.block, child.value, f"{prefix}-{i}-value")
        return data
    if isinstance(block, blocks.StructBlock):
        data = {}
        for name, child_block in block.child_blocks.items():
            data |= block_data(child_block, value.get(name), f"{prefix}-{name}")
        return data
    if isinstance(block, blocks.MultipleChoiceBlock):
        return {prefix: list(value or [])}
    if isinstance(block, blocks.BooleanBlock):
        return {prefix: "on"} if value else {}
    return {prefix: "" if value is None else str(value)}


def edit_form_data(mt: MeetingType, **changes) -> dict:
    """Every field of the meeting-type edit form, filled from `mt`, with `changes` applied."""
    from wagtail.fields import StreamField

    from .factories import with_timing

    old_timing = {"latest_days": "latest", "earliest_days": "earliest"}  # issue 10: now a timing entry
    moved = {old_timing[k]: changes.pop(k) for k in list(changes) if k in old_timing}
    if moved:
        changes["timing"] = with_timing(mt, **moved)
    data: dict = {}
    for field in MeetingType._meta.concrete_fields:
        name = field.name
        if name in {
            "id",
            "latest_revision",
            "live",
            "has_unpublished_changes",
            "first_published_at",
            "last_published_at",
            "live_revision",
            "go_live_at",
            "expire_at",
            "expired",
            "locked",
            "locked_at",
            "locked_by",
        }:
            continue
        value = changes.get(name, getattr(mt, name if not field.is_relation else field.attname))
        if isinstance(field, StreamField):
            data |= block_data(field.stream_block, value, name)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = value
        elif isinstance(value, dict):
            data[name] = json.dumps(value)
        else:
            data[name] = "" if value is None else str(value)
    return data


@pytest.fixture
def policy_owner(db):
    """A policy owner with their role group's permissions (no publish: a second owner approves)."""
    return UserFactory(username="owner", role=Role.POLICY_OWNER)


@pytest.fixture
def second_owner(db):
    return UserFactory(username="owner2", role=Role.POLICY_OWNER)


def approve_as(mt: MeetingType, user) -> None:
    mt.refresh_from_db()
    task_state = mt.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user=user, action_name="approve")


def test_policy_owner_changes_psm_timescale_from_5_to_7_working_days__P3(
    client, county, people, policy_owner, second_owner
):
    psm = meeting_type(county, "PSM")
    before = psm_request(people, county, raised=date(2026, 3, 2))
    assert before.due_on == date(2026, 3, 9)

    client.force_login(policy_owner)
    url = MeetingType.snippet_viewset.get_url_name("edit")
    from django.urls import reverse

    response = client.get(reverse(url, args=[psm.pk]))
    assert response.status_code == 200
    assert b"Timing" in response.content and b"Chair" in response.content
    response = client.post(
        reverse(url, args=[psm.pk]), edit_form_data(psm, latest_days=7) | {"action-submit": "action-submit"}
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    approve_as(psm, second_owner)
    psm.refresh_from_db()
    assert timing_of(psm.live_revision.as_object())["latest"] == 7

    after = psm_request(people, county, raised=date(2026, 3, 2))
    assert after.due_on == date(2026, 3, 11) and "7 working days" in after.deadline_explanation
    before.refresh_from_db()
    assert before.due_on == date(2026, 3, 9)
    assert timing_of(before.policy)["latest"] == 5 and before.policy_revision_id != after.policy_revision_id


def test_draft_edits_do_not_apply_until_published__P3(client, county, people, policy_owner):
    psm = meeting_type(county, "PSM")
    from django.urls import reverse

    client.force_login(policy_owner)
    url = reverse(MeetingType.snippet_viewset.get_url_name("edit"), args=[psm.pk])
    response = client.post(url, edit_form_data(psm, latest_days=9))
    assert response.status_code == 302
    assert psm_request(people, county).due_on == date(2026, 3, 9)


def test_inconsistent_policy_is_refused_with_an_explanation__G2(client, county, policy_owner):
    psm = meeting_type(county, "PSM")
    from django.urls import reverse

    client.force_login(policy_owner)
    url = reverse(MeetingType.snippet_viewset.get_url_name("edit"), args=[psm.pk])
    response = client.post(
        url, edit_form_data(psm, earliest_days=28, latest_days=5) | {"action-submit": "action-submit"}
    )
    assert response.status_code == 200
    assert "The latest day (5) cannot be before the earliest day (28)." in response.content.decode()
    psm.refresh_from_db()
    assert timing_of(psm.live_revision.as_object())["latest"] == 5


def test_moderated_policy_change_applies_only_once_a_second_owner_approves__P3(
    client, county, people, policy_owner, second_owner
):
    from django.urls import reverse

    psm = meeting_type(county, "PSM")
    assert psm.get_workflow().name == "Policy change approval"
    client.force_login(policy_owner)
    url = reverse(MeetingType.snippet_viewset.get_url_name("edit"), args=[psm.pk])
    response = client.post(url, edit_form_data(psm, latest_days=7) | {"action-submit": "action-submit"})
    assert response.status_code == 302
    psm.refresh_from_db()
    assert timing_of(psm.live_revision.as_object())["latest"] == 5
    assert psm_request(people, county).due_on == date(2026, 3, 9)

    approve_as(psm, second_owner)
    psm.refresh_from_db()
    assert timing_of(psm.live_revision.as_object())["latest"] == 7
    assert psm_request(people, county).due_on == date(2026, 3, 11)


def test_policy_pages_render_for_the_policy_owner(client, county, policy_owner, django_user_model):
    from django.urls import reverse

    from workflows.models import ProcedurePack

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pass-word-123")
    client.force_login(admin)
    for model in (ProcedurePack, MeetingType):
        viewset = model.snippet_viewset
        assert client.get(reverse(viewset.get_url_name("list"))).status_code == 200
        assert client.get(reverse(viewset.get_url_name("add"))).status_code == 200
    response = client.get(reverse(ProcedurePack.snippet_viewset.get_url_name("edit"), args=[county.pk]))
    assert response.status_code == 200 and b"Documentum" in response.content
