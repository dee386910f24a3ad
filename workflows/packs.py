"""Procedure packs as files: validate, load (idempotent), export. A pack is data, never code.

Format (JSON or YAML)::

    {"format": 2, "slug": "county", "name": ..., "council_name": ..., "description": ...,
     "default_calendar": "ENG", "settings": [{"key", "label", "value"}],
     "meeting_types": [{"code": "PSM", "name": ..., <policy fields of MeetingType>}],
     "vocabularies": {"placement_purpose": [{"key", "label"}], "role": [{"key", "label", "maps_to"}], ...},
     "case_triggers": [{"meeting_type": "PSM", "name", "subject", "when", "task_role", ...}]}

The case triggers section (issue 10) is optional; its functions (`pack_case_triggers_normalise`, `_load`,
`_export`) are at the very end of this module.

The vocabularies section (issue 10) has its own functions (`pack_vocabularies_normalise`, `_load`,
`_export`) at the end of this module; a missing kind keeps the defaults (`workflows.vocabularies`).

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
from django.core.exceptions import ValidationError
from django.db import models, transaction
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.fields import StreamField

from .choices import Calendar
from .models import MeetingType, PackSetting, ProcedurePack
from .policy_engine import _plain
from .policy_validation import policy_problems
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
NOT_POLICY = {
    "id",
    "locked",
    "locked_at",
    "locked_by",
    "pack",
    "code",
    "procedure_page",
    "latest_revision",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "go_live_at",
    "expire_at",
    "expired",
}
POLICY_FIELDS: list[models.Field] = [f for f in MeetingType._meta.concrete_fields if f.name not in NOT_POLICY]
FIELD_BY_NAME = {f.name: f for f in POLICY_FIELDS}


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


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, StructBlockValidationError):
        out = []
        for name, err in exc.block_errors.items():
            for m in _messages(err):
                out.append(
                    f"{name}{m}" if m.startswith("[") else f"{name}.{m}" if ":" in m else f"{name}: {m}"
                )
        for err in getattr(exc, "non_block_errors", None) or []:
            out += _messages(err)
        return out or [str(exc)]
    if isinstance(exc, ListBlockValidationError):
        out = []
        for index, err in (exc.block_errors or {}).items():
            out += [f"[{index}].{m}" if ":" in m else f"[{index}]: {m}" for m in _messages(err)]
        for err in getattr(exc, "non_block_errors", None) or []:
            out += _messages(err)
        return out or [str(exc)]
    if isinstance(exc, StreamBlockValidationError):
        return [m for err in exc.block_errors.values() for m in _messages(err)] or [str(exc)]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _stream_block(field: StreamField):
    [(name, block)] = list(field.stream_block.child_blocks.items())
    return name, block


def _normalise_stream(field: StreamField, items: Any, path: str, errors: list[str]) -> list[dict]:
    if not isinstance(items, list):
        errors.append(f"{path}: must be a list.")
        return []
    name, block = _stream_block(field)
    known = set(block.child_blocks)
    out = []
    for i, item in enumerate(items):
        item_path = f"{path}[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{item_path}: must be an object with {', '.join(sorted(known))}.")
            continue
        unknown = set(item) - known
        if unknown:
            errors.append(f"{item_path}: unknown key(s) {', '.join(sorted(unknown))}.")
            continue
        try:
            value = block.clean(block.to_python(item))
        except Exception as exc:
            errors += [f"{item_path}.{m}" if ":" in m else f"{item_path}: {m}" for m in _messages(exc)]
            continue
        out.append({"type": name, "value": block.get_prep_value(value)})
    return out


def _normalise_scalar(field: models.Field, value: Any, path: str, errors: list[str]) -> Any:
    if value is None:
        if not field.null:
            errors.append(f"{path}: cannot be empty.")
        return None
    if isinstance(field, models.JSONField) and field.name == "rule_references":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            errors.append(f'{path}: must be an object of topic: reference, e.g. {{"request": "P1"}}.')
        return value
    if isinstance(field, models.JSONField):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"{path}: must be a list of codes.")
        return value
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            errors.append(f"{path}: must be true or false.")
        return value
    if isinstance(field, models.PositiveIntegerField):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append(f"{path}: must be a whole number of days, 0 or more.")
        return value
    if not isinstance(value, str):
        errors.append(f"{path}: must be text.")
        return value
    if field.choices and value not in {c[0] for c in field.choices} and not (field.blank and value == ""):
        errors.append(f"{path}: '{value}' is not one of {', '.join(str(c[0]) for c in field.choices)}.")
    if getattr(field, "max_length", None) and len(value) > field.max_length:
        errors.append(f"{path}: longer than {field.max_length} characters.")
    return value


def _defaults() -> dict[str, Any]:
    out = {}
    for f in POLICY_FIELDS:
        default = f.get_default()
        out[f.name] = [] if isinstance(f, StreamField) else default
    return out


def _normalise_type(
    data: Any, path: str, errors: list[str], settings_keys: set[str]
) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        errors.append(f"{path}: must be an object.")
        return None
    before = len(errors)
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        errors.append(f"{path}.code: give a short code such as PSM.")
    if not isinstance(data.get("name"), str) or not data.get("name", "").strip():
        errors.append(f"{path}.name: give the meeting type's name.")
    unknown = set(data) - set(FIELD_BY_NAME) - {"code", "procedure"}
    for key in sorted(unknown):
        errors.append(f"{path}.{key}: unknown setting.")
    values = _defaults()
    for key, value in data.items():
        field = FIELD_BY_NAME.get(key)
        if field is None:
            continue
        if isinstance(field, StreamField):
            values[key] = _normalise_stream(field, value, f"{path}.{key}", errors)
        else:
            values[key] = _normalise_scalar(field, value, f"{path}.{key}", errors)
    if len(errors) > before:
        return None
    candidate = MeetingType(code=code, **values)
    for field_name, message in policy_problems(candidate, settings_keys=settings_keys).items():
        errors.append(f"{path}.{field_name}: {message}")
    if len(errors) > before:
        return None
    return {"code": code, "procedure": data.get("procedure"), "values": values}


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
    normalised = [_normalise_type(t, f"meeting_types[{i}]", errors, keys) for i, t in enumerate(types)]
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
    from .procedures.services import procedures_workflow_ensure

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


# --------------------------------------------------------------------------------------------------
# The pack's vocabularies (issue 10): {"placement_purpose": [{"key", "label"}], "role": [{"key", "label",
# "maps_to"}], ..., "term": [{"key", "label"}]}. A missing kind (or a missing section) keeps the defaults.
# --------------------------------------------------------------------------------------------------


def pack_vocabularies_normalise(section: Any, errors: list[str]) -> dict[str, list[dict[str, str]]]:
    """The `"vocabularies"` section checked, each problem with its JSON path; rows by kind."""
    from .vocabularies import KINDS, vocabulary_entry_problems

    out: dict[str, list[dict[str, str]]] = {kind: [] for kind in KINDS}
    if section is None:
        return out
    if not isinstance(section, dict):
        errors.append('vocabularies: must be an object of lists, e.g. {"placement_purpose": [...]}.')
        return out
    for kind in sorted(set(section) - set(KINDS)):
        errors.append(f"vocabularies.{kind}: not a list a pack can edit; use {', '.join(KINDS)}.")
    for kind in KINDS:
        rows = section.get(kind, [])
        if not isinstance(rows, list):
            errors.append(f"vocabularies.{kind}: must be a list of {{key, label}}.")
            continue
        seen: set[str] = set()
        for i, row in enumerate(rows):
            path = f"vocabularies.{kind}[{i}]"
            if not isinstance(row, dict):
                errors.append(f"{path}: must be an object with key and label.")
                continue
            unknown = set(row) - {"key", "label", "maps_to"}
            if unknown:
                errors.append(f"{path}: unknown key(s) {', '.join(sorted(unknown))}.")
                continue
            key, label, maps_to = row.get("key"), row.get("label"), row.get("maps_to", "")
            problems = vocabulary_entry_problems(kind, key, label, maps_to)
            for field, sentence in problems.items():
                errors.append(f"{path}.{field}: {sentence}")
            if problems:
                continue
            if key in seen:
                errors.append(f"{path}.key: “{key}” appears twice in {kind}.")
                continue
            seen.add(key)
            entry = {"key": key, "label": label.strip()}
            if kind in ("role", "team_kind"):
                entry["maps_to"] = maps_to
            out[kind].append(entry)
    return out


def pack_vocabularies_load(pack: ProcedurePack, rows: dict[str, list[dict[str, str]]]) -> int:
    """Add the file's entries the pack does not have yet; an entry a policy owner edited stays as it is
    (like settings). Returns how many were added."""
    from .models import PackVocabulary

    existing = set(pack.vocabulary.values_list("kind", "key"))
    added = 0
    for kind, entries in rows.items():
        for order, entry in enumerate(entries):
            if (kind, entry["key"]) in existing:
                continue
            PackVocabulary.objects.create(
                pack=pack,
                kind=kind,
                key=entry["key"],
                label=entry["label"],
                maps_to=entry.get("maps_to", ""),
                sort_order=order,
            )
            added += 1
    return added


def pack_vocabularies_export(pack: ProcedurePack) -> dict[str, list[dict[str, str]]]:
    from .vocabularies import KINDS, pack_vocabulary_rows

    rows = pack_vocabulary_rows(type(pack).objects.get(pk=pack.pk))
    return {kind: rows.get(kind, []) for kind in KINDS}


# --------------------------------------------------------------------------------------------------
# The pack's case triggers (issue 10): [{"meeting_type": "SMCR", "name", "rule", "active", "subject",
# "when": <JsonLogic or null>, "task_role", "task_relationship", "due_days", "explanation"}]. Optional;
# `meeting_type` is the code of one of this pack's meeting types and `name` is unique within the pack.
# --------------------------------------------------------------------------------------------------

TRIGGER_FIELDS = (
    "name",
    "rule",
    "active",
    "subject",
    "task_role",
    "task_relationship",
    "due_days",
    "explanation",
)
TRIGGER_REQUIRED = ("meeting_type", "name", "task_role", "task_relationship")


def pack_case_triggers_normalise(section: Any, codes: set[str], errors: list[str]) -> list[dict[str, Any]]:
    """The `"case_triggers"` section checked, each problem with its JSON path; `codes` are the pack's
    meeting type codes. Each `when` goes through `condition_problems` like every rule's condition."""
    from .conditions import condition_problems
    from .models import CaseTrigger

    if section is None:
        return []
    if not isinstance(section, list):
        errors.append("case_triggers: must be a list of case triggers.")
        return []
    known = {"meeting_type", "when", *TRIGGER_FIELDS}
    out: list[dict[str, Any]] = []
    names: set[str] = set()
    for i, row in enumerate(section):
        path = f"case_triggers[{i}]"
        if not isinstance(row, dict):
            errors.append(f"{path}: must be an object with {', '.join(TRIGGER_REQUIRED)}.")
            continue
        before = len(errors)
        for key in sorted(set(row) - known):
            errors.append(f"{path}.{key}: unknown key.")
        for key in TRIGGER_REQUIRED:
            if key not in row:
                errors.append(f"{path}.{key}: required.")
        code = row.get("meeting_type")
        if "meeting_type" in row and code not in codes:
            errors.append(f"{path}.meeting_type: '{code}' is not a meeting type of this pack.")
        values: dict[str, Any] = {}
        for key in TRIGGER_FIELDS:
            if key in row:
                field = CaseTrigger._meta.get_field(key)
                values[key] = _normalise_scalar(field, row[key], f"{path}.{key}", errors)
        if isinstance(values.get("name"), str):
            if not values["name"].strip():
                errors.append(f"{path}.name: give the trigger's name.")
            elif values["name"] in names:
                errors.append(f"{path}.name: “{values['name']}” appears twice in case_triggers.")
            names.add(values["name"])
        when = row.get("when")
        for problem in condition_problems(when) if when is not None else []:
            errors.append(f"{path}.when: {problem}")
        if len(errors) == before:
            out.append({"meeting_type": code, "when": when, **values})
    return out


def pack_case_triggers_load(pack: ProcedurePack, rows: list[dict[str, Any]], *, user=None) -> int:
    """Create the file's case triggers the pack does not have yet (matched on name); one that exists, maybe
    edited by a policy owner, stays as it is (like settings and vocabularies). Returns how many were added."""
    from .models import CaseTrigger

    existing = set(pack.case_triggers.values_list("name", flat=True))
    added = 0
    for row in rows:
        if row["name"] in existing:
            continue
        values = {k: v for k, v in row.items() if k not in ("meeting_type", "when")}
        trigger = CaseTrigger(
            pack=pack,
            meeting_type=pack.meeting_types.get(code=row["meeting_type"]),
            when=[{"type": "condition", "value": row["when"]}] if row["when"] is not None else [],
            **values,
        )
        trigger.full_clean()
        trigger.save()
        trigger.save_revision(user=user, log_action=True)
        added += 1
    return added


def pack_case_triggers_export(pack: ProcedurePack) -> list[dict[str, Any]]:
    out = []
    for trigger in pack.case_triggers.select_related("meeting_type").order_by("name", "pk"):
        out.append(
            {
                "meeting_type": trigger.meeting_type.code,
                "name": trigger.name,
                "rule": trigger.rule,
                "active": trigger.active,
                "subject": trigger.subject,
                "when": _plain(trigger.condition),
                "task_role": trigger.task_role,
                "task_relationship": trigger.task_relationship,
                "due_days": trigger.due_days,
                "explanation": trigger.explanation,
            }
        )
    return out
