"""Loading shipped policy without overwriting what a policy owner published (issue 9).

The rule, for meeting types, procedure pages and forms alike:

- An object the pack ships that does not exist yet is created and published (by "system": no user).
- An object that exists keeps its live content: the loader never publishes over it.
- When the pack ships something different from what it last shipped for that object (compared by a
  SHA-256 fingerprint of the shipped content), and the live content differs from it, the shipped
  version is saved as a draft revision that is NOT live and NOT the editor's latest draft (so no
  policy owner's own draft is pushed aside). The editor then says a newer shipped version is waiting,
  with links to review it and either publish it (through the approval workflow) or keep theirs.
- When the shipped content is unchanged since the last load, nothing is written at all.

Even a shipped change to an object nobody has edited arrives as a draft: publishing policy goes
through a second policy owner's approval, and a developer's pack file is no exception.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from workflows.procedures.models import ShippedVersion

SHIPPED_DRAFT_ACTION = "packs.shipped_draft"
KEPT_ACTION = "packs.kept_ours"

UNCHANGED = "unchanged"
CREATED = "created"
DRAFT = "draft"


def shipped_fingerprint(content: Any) -> str:
    """A stable hash of shipped content (any JSON-able value; keys sorted)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key(obj: models.Model) -> dict[str, Any]:
    return {"content_type": obj.get_base_content_type(), "object_id": str(obj.pk)}


def shipped_record(obj: models.Model):
    """The `ShippedVersion` row of an object, or None."""
    return ShippedVersion.objects.filter(**_key(obj)).first()


def shipped_created(
    *, obj: models.Model, fingerprint: str, revision: Revision | None, pack_slug: str = ""
) -> None:
    """Record that the loader created `obj` from shipped content and published `revision`."""
    ShippedVersion.objects.update_or_create(
        **_key(obj),
        defaults={
            "fingerprint": fingerprint,
            "loaded_revision": revision,
            "pending_revision": None,
            "pack_slug": pack_slug,
        },
    )


def shipped_offer(
    *,
    obj: models.Model,
    fingerprint: str,
    live_matches: bool,
    draft: models.Model,
    pack_slug: str = "",
) -> str:
    """An existing object: record the shipped fingerprint and, if the shipped content is new and differs
    from what is live, save `draft` (the live object with the shipped values set, unsaved) as a draft
    revision that is neither live nor the latest. Returns UNCHANGED or DRAFT. Never touches live content.
    """
    record = shipped_record(obj)
    if record is not None and record.fingerprint == fingerprint:
        return UNCHANGED
    if live_matches:
        ShippedVersion.objects.update_or_create(
            **_key(obj),
            defaults={"fingerprint": fingerprint, "pending_revision": None, "pack_slug": pack_slug},
        )
        return UNCHANGED
    with transaction.atomic():
        revision = Revision.objects.create(
            content_object=draft,
            base_content_type=draft.get_base_content_type(),
            user=None,
            content=draft.serializable_data(),
            object_str=str(draft),
        )
        log(instance=obj, action=SHIPPED_DRAFT_ACTION, revision=revision, user=None)
        ShippedVersion.objects.update_or_create(
            **_key(obj),
            defaults={
                "fingerprint": fingerprint,
                "pending_revision": revision,
                "kept_by": None,
                "kept_at": None,
                "pack_slug": pack_slug,
            },
        )
    return DRAFT


def shipped_waiting(obj: models.Model):
    """The `ShippedVersion` whose draft still waits for a policy owner's decision, or None.

    It stops waiting when a policy owner keeps their version, or when something was published after the
    shipped draft arrived (the editor shows the notice, so whoever published it decided: usually the
    shipped draft itself, reverted to and approved)."""
    if not hasattr(obj, "get_base_content_type"):
        return None  # not a revisioned object (e.g. a pack): never offered as a draft
    record = shipped_record(obj)
    if record is None or record.pending_revision_id is None or record.kept_at is not None:
        return None
    live_id = getattr(obj, "live_revision_id", None)
    if live_id is not None and live_id > record.pending_revision_id:
        return None
    return record


def shipped_keep_ours(*, obj: models.Model, by) -> None:
    """A policy owner keeps their live version: the shipped draft stays in the history, no longer
    announced. Refuses anyone who may not change the object."""
    if not shipped_may_decide(by, obj):
        raise PermissionDenied("Only a policy owner can decide about a shipped version.")
    with transaction.atomic():
        record = ShippedVersion.objects.select_for_update().filter(**_key(obj)).first()
        if record is None or record.pending_revision_id is None:
            return
        record.kept_by = by
        record.kept_at = timezone.now()
        record.save(update_fields=["kept_by", "kept_at", "updated_at"])
        log(instance=obj, action=KEPT_ACTION, revision=record.pending_revision, user=by)


def shipped_may_decide(user, obj: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return user.has_perm(f"{ct.app_label}.change_{ct.model}")
