"""Helpers for CMS tests of policy objects: the POST data the editors send, and the approval workflow."""

from __future__ import annotations

from django.urls import reverse
from wagtail import blocks
from wagtail.test.utils.form_data import rich_text

from forms_builder.models import FormDefinition
from portal.choices import Role
from tests.factories import UserFactory
from workflows.procedures.models import SECTIONS, ProcedurePage

from .test_policy_admin import block_data as _block_data
from .test_policy_admin import edit_form_data

COMMENTS = {
    "comments-TOTAL_FORMS": "0",
    "comments-INITIAL_FORMS": "0",
    "comments-MIN_NUM_FORMS": "0",
    "comments-MAX_NUM_FORMS": "1000",
}


def load_county(tmp_path) -> None:
    """`load_packs` with only the county pack (half the time of both; these tests need only PSM)."""
    from io import StringIO
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    packs = tmp_path / "county-only"
    packs.mkdir()
    (packs / "county").symlink_to(Path(settings.BASE_DIR) / "fixtures" / "packs" / "county")
    call_command("load_packs", "--dir", str(packs), stdout=StringIO())


def policy_owner(username: str):
    """A policy owner with exactly the permissions their role group gives (portal.services)."""
    return UserFactory(username=username, role=Role.POLICY_OWNER)


def page_form_data(page: ProcedurePage, **changes) -> dict:
    data = {
        "title": changes.get("title", page.title),
        "slug": page.slug,
        "meeting_code": page.meeting_code,
        "pack_slug": page.pack_slug,
        "summary": changes.get("summary", page.summary),
        **COMMENTS,
    }
    for key in SECTIONS:
        data[key] = rich_text(changes.get(key, getattr(page, key)) or "<p></p>")
    return data


def page_edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def snippet_edit_url(obj) -> str:
    return reverse(type(obj).snippet_viewset.get_url_name("edit"), args=[obj.pk])


def block_data(block, value, prefix: str) -> dict:
    """As the editor's browser sends it; adds list blocks (a form's table columns) to the base helper."""
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
                f"{prefix}-{i}-id": child.id or "",
            }
            data |= block_data(child.block, child.value, f"{prefix}-{i}-value")
        return data
    if isinstance(block, blocks.StructBlock):
        data = {}
        for name, child_block in block.child_blocks.items():
            data |= block_data(child_block, value.get(name), f"{prefix}-{name}")
        return data
    return _block_data(block, value, prefix)


def form_form_data(definition: FormDefinition, **changes) -> dict:
    data = {
        "title": changes.get("title", definition.title),
        "key": definition.key,
        "kind": definition.kind,
        "description": changes.get("description", definition.description),
        "confidentiality_statement": definition.confidentiality_statement,
    }
    field = FormDefinition._meta.get_field("body")
    return data | block_data(field.stream_block, changes.get("body", definition.body), "body")


def meeting_type_form_data(mt, **changes) -> dict:
    return edit_form_data(mt, **changes)


def approve(obj, user) -> None:
    """The approver acts on the current task, as the CMS's Approve button does."""
    obj.refresh_from_db()
    task_state = obj.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user=user, action_name="approve")
