"""Procedure packs as files: validate, load (idempotent), export. A pack is data, never code.

Format (JSON or YAML)::

    {"format": 2, "slug": "county", "name": ..., "council_name": ..., "description": ...,
     "default_calendar": "ENG", "settings": [{"key", "label", "value"}],
     "meeting_types": [{"code": "PSM", "name": ..., <policy fields of MeetingType>}],
     "vocabularies": {"placement_purpose": [{"key", "label"}], "role": [{"key", "label", "maps_to"}], ...},
     "case_triggers": [{"meeting_type": "PSM", "name", "subject", "when", "task_role", ...}]}

The optional case triggers and vocabularies sections (issue 10) have their own functions
(`pack_case_triggers_normalise`, `_load`, `_export` and `pack_vocabularies_...`) in
`workflows.packs_sections`; a missing vocabulary kind keeps the defaults (`workflows.vocabularies`). Each
meeting type's values are checked against the model's fields in `workflows.packs_fields`.

Format 2 (issue 10): a meeting type is a small core plus rule lists (eligibility, exclusions, timing,
gates, chairs, invitees, reports, ...), each a list of plain objects `{"when": <JsonLogic or null>,
"rule": "P3", ...payload}` whose keys are the block's fields; every `when` is validated with
`condition_problems`. A pack may carry `"vocabularies"` (pack-editable lists). Format 1 (the old wide
record) and newer formats are refused with a sentence; `workflows.rules_legacy.legacy_to_rules`
converts a format-1 meeting type. Errors name their JSON path, e.g. `meeting_types[0].timing[0].latest`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from wagtail.fields import StreamField

from .choices import Calendar
from .models import MeetingType, PackSetting, ProcedurePack
from .packs_fields import POLICY_FIELDS, normalise_meeting_type
from .packs_sections import (
    pack_case_triggers_export,
    pack_case_triggers_load,
    pack_case_triggers_normalise,
    pack_vocabularies_export,
    pack_vocabularies_load,
    pack_vocabularies_normalise,
)
from .policy_engine import _plain
from .procedures.services import procedures_workflow_ensure
from .shipped import CREATED, shipped_created, shipped_fingerprint, shipped_offer, shipped_record

FORMAT_VERSION = 2
PACK_KEYS = {
    "format",
    "vocabularies",
    "slug",
    "name",
    "council_name",
    "description",
    "default_calendar",
    "settings",
    "meeting_types",
    "case_triggers",
}


class PackError(Exception):
    """A pack file that cannot be loaded; `errors` lists each problem with its JSON path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def pack_read(path: str | Path) -> dict[str, Any]:
    """Read a pack file: YAML for .yaml/.yml, JSON otherwise."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) if path.suffix.lower() in {".yaml", ".yml"} else json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise PackError(
            [f"{path.name}: not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}"]
        ) from exc
    if not isinstance(data, dict):
        raise PackError([f"{path.name}: the file must hold one object (the pack)."])
    return data


def pack_write(data: dict[str, Any], path: str | Path) -> None:
    path = Path(path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def pack_validate(data: Any) -> list[str]:
    """Every problem in a pack, each with its JSON path. An empty list means the pack can be loaded."""
    errors: list[str] = []
    _pack_normalise(data, errors)
    return errors


def _pack_normalise(data: Any, errors: list[str]) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        errors.append("$: the pack must be an object.")
        return None
    found = data.get("format")
    if found != FORMAT_VERSION:
        said = "gives no format number" if found is None else f"is pack format {found}"
        errors.append(
            f"format: this file {said}; this installation reads pack format {FORMAT_VERSION} only"
            + (
                " (a format-1 pack is re-expressed with workflows.rules_legacy.legacy_to_rules)."
                if found in (None, 1)
                else "."
            )
        )
        return None
    vocabularies = data.get("vocabularies", {})
    if not isinstance(vocabularies, dict) or not all(isinstance(v, list) for v in vocabularies.values()):
        errors.append('vocabularies: must be an object of lists, e.g. {"placement_purpose": [...]}.')
    for key in sorted(set(data) - PACK_KEYS):
        errors.append(f"{key}: unknown pack key.")
    for key in ("slug", "name", "council_name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append(f"{key}: required text.")
    slug = data.get("slug")
    if isinstance(slug, str) and not slug.replace("-", "").replace("_", "").isalnum():
        errors.append("slug: use letters, numbers, hyphens and underscores only.")
    calendar = data.get("default_calendar", Calendar.ENG)
    if calendar not in Calendar.values:
        errors.append(f"default_calendar: '{calendar}' is not one of {', '.join(Calendar.values)}.")
    settings = data.get("settings", [])
    keys: set[str] = set()
    if not isinstance(settings, list):
        errors.append("settings: must be a list of {key, label, value}.")
        settings = []
    for i, row in enumerate(settings):
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) for k in ("key", "label", "value")
        ):
            errors.append(f"settings[{i}]: needs key, label and value, all text.")
            continue
        if row["key"] in keys:
            errors.append(f"settings[{i}].key: '{row['key']}' appears twice.")
        keys.add(row["key"])
    vocabularies = pack_vocabularies_normalise(data.get("vocabularies"), errors)
    types = data.get("meeting_types", [])
    if not isinstance(types, list) or not types:
        errors.append("meeting_types: a pack needs at least one meeting type.")
        types = []
    normalised = [normalise_meeting_type(t, f"meeting_types[{i}]", errors, keys) for i, t in enumerate(types)]
    codes = [t["code"] for t in normalised if t]
    for code in {c for c in codes if codes.count(c) > 1}:
        errors.append(f"meeting_types: the code {code} is used twice.")
    _council_role_approvers_check(normalised, vocabularies, errors)
    case_triggers = pack_case_triggers_normalise(data.get("case_triggers"), set(codes), errors)
    if errors:
        return None
    return {
        "case_triggers": case_triggers,
        "slug": slug,
        "name": data["name"],
        "council_name": data["council_name"],
        "description": data.get("description", ""),
        "default_calendar": calendar,
        "settings": settings,
        "meeting_types": normalised,
        "vocabularies": vocabularies,
    }


def _council_role_approvers_check(
    types: list[dict[str, Any] | None], vocabularies: dict[str, list[dict[str, str]]], errors: list[str]
) -> None:
    """An approver naming a council role (issue 10) names one of this pack's roles, mapped onto the
    approver's built-in role."""
    maps_to = {row["key"]: row.get("maps_to", "") for row in vocabularies.get("role", [])}
    for i, entry in enumerate(types):
        if not entry:
            continue
        for g, gate in enumerate(entry["values"].get("gates") or []):
            for a, approver in enumerate(_plain(gate["value"]).get("approvers") or []):
                key = approver.get("council_role") or ""
                if not key:
                    continue
                path = f"meeting_types[{i}].gates[{g}].approvers[{a}].council_role"
                if key not in maps_to:
                    errors.append(f"{path}: “{key}” is not a role in this pack's vocabularies.")
                elif maps_to[key] != approver.get("role"):
                    errors.append(
                        f"{path}: the council role “{key}” maps onto {maps_to[key]}, "
                        f"so the approver's role must be {maps_to[key]}."
                    )


# --------------------------------------------------------------------------------------------------
# Load and export
# --------------------------------------------------------------------------------------------------


def _policy_values(mt: MeetingType) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in POLICY_FIELDS:
        value = getattr(mt, f.name)
        if isinstance(f, StreamField):
            out[f.name] = [_plain(child.block.get_prep_value(child.value)) for child in value]
        else:
            out[f.name] = value
    return out


@transaction.atomic
def pack_load(source: str | Path | dict[str, Any], *, user=None) -> ProcedurePack:
    """Load a pack without ever overwriting what a policy owner published (see `workflows.shipped`).

    Creates the pack, its missing settings and its missing meeting types (published live). An existing
    pack and its settings are left as they are; an existing meeting type keeps its live policy, and a
    newer shipped version of it arrives as a draft revision for a policy owner to review. Loading an
    unchanged pack again writes nothing. Raises PackError listing every problem.
    """
    data = pack_read(source) if not isinstance(source, dict) else source
    errors: list[str] = []
    clean = _pack_normalise(data, errors)
    if clean is None:
        raise PackError(errors)
    pack, _ = ProcedurePack.objects.get_or_create(
        slug=clean["slug"],
        defaults={
            "name": clean["name"],
            "council_name": clean["council_name"],
            "description": clean["description"],
            "default_calendar": clean["default_calendar"],
        },
    )
    existing = set(pack.settings.values_list("key", flat=True))
    for order, row in enumerate(clean["settings"]):
        if row["key"] not in existing:
            PackSetting.objects.create(
                pack=pack, key=row["key"], label=row["label"], value=row["value"], sort_order=order
            )
    pack_vocabularies_load(pack, clean["vocabularies"])
    for entry in clean["meeting_types"]:
        meeting_type_load(pack=pack, entry=entry, user=user)
    pack_case_triggers_load(pack, clean["case_triggers"], user=user)

    procedures_workflow_ensure()
    return pack


def meeting_type_load(*, pack: ProcedurePack, entry: dict[str, Any], user=None) -> str:
    """One shipped meeting type: create it live when missing, otherwise offer a changed shipped version
    as a draft. Returns `workflows.shipped.CREATED`, `DRAFT` or `UNCHANGED`."""
    values = entry["values"]
    fingerprint = shipped_fingerprint({"code": entry["code"], **_policy_values(MeetingType(**values))})
    mt = MeetingType.objects.filter(pack=pack, code=entry["code"]).first()
    if mt is None:
        mt = MeetingType(pack=pack, code=entry["code"], live=False, **values)
        mt.save()
        revision = mt.save_revision(user=user, log_action=True)
        revision.publish(user=user)
        shipped_created(obj=mt, fingerprint=fingerprint, revision=revision, pack_slug=pack.slug)
        return CREATED
    live = mt.live_revision.as_object() if mt.live_revision_id else mt
    draft = mt.live_revision.as_object() if mt.live_revision_id else MeetingType.objects.get(pk=mt.pk)
    for name, value in values.items():
        setattr(draft, name, value)
    return shipped_offer(
        obj=mt,
        fingerprint=fingerprint,
        live_matches=_policy_values(live) == _policy_values(draft),
        draft=draft,
        pack_slug=pack.slug,
    )


def pack_export(pack: ProcedurePack) -> dict[str, Any]:
    """The pack as a plain dict of its published policies, ready for JSON or YAML."""
    types = []
    for mt in pack.meeting_types.order_by("code"):
        live = mt.live_revision.as_object() if mt.live_revision_id else mt
        entry = {"code": mt.code, **_policy_values(live)}
        types.append(entry)
    return {
        "format": FORMAT_VERSION,
        "slug": pack.slug,
        "name": pack.name,
        "council_name": pack.council_name,
        "description": pack.description,
        "default_calendar": pack.default_calendar,
        "settings": [{"key": s.key, "label": s.label, "value": s.value} for s in pack.settings.all()],
        "meeting_types": types,
        "vocabularies": pack_vocabularies_export(pack),
        "case_triggers": pack_case_triggers_export(pack),
    }


def pack_link_procedures(pack: ProcedurePack, pages: list, *, user=None) -> int:
    """Point each meeting type the pack created at its procedure page (matched on `meeting_code`).

    Only a meeting type with no procedure page whose live revision is still the one the pack published
    (nobody edited it since) is linked and republished; anything a person published is left alone.
    Returns how many were linked."""
    changed = 0
    for page in pages:
        code = getattr(page, "meeting_code", "")
        mt = pack.meeting_types.filter(code=code).first()
        if mt is None or mt.procedure_page_id is not None or not mt.live_revision_id:
            continue
        record = shipped_record(mt)
        if record is None or record.loaded_revision_id != mt.live_revision_id:
            continue
        live = mt.live_revision.as_object()
        live.procedure_page_id = page.pk
        revision = live.save_revision(user=user, log_action=True)
        revision.publish(user=user)
        record.loaded_revision = revision
        record.save(update_fields=["loaded_revision", "updated_at"])
        changed += 1
    return changed
