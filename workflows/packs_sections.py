"""The optional sections of a pack file (issue 10): the pack's vocabularies and its case triggers, each
normalised (problems named by JSON path), loaded without overwriting a policy owner's edits, and exported.
Used by `workflows.packs`."""

from __future__ import annotations

from typing import Any

from .conditions import condition_problems
from .models import CaseTrigger, PackVocabulary, ProcedurePack
from .packs_fields import normalise_scalar
from .policy_engine import _plain
from .vocabularies import pack_vocabulary_rows
from .vocabulary_kinds import KINDS, vocabulary_entry_problems

# --------------------------------------------------------------------------------------------------
# The pack's vocabularies (issue 10): {"placement_purpose": [{"key", "label"}], "role": [{"key", "label",
# "maps_to"}], ..., "term": [{"key", "label"}]}. A missing kind (or a missing section) keeps the defaults.
# --------------------------------------------------------------------------------------------------


def pack_vocabularies_normalise(section: Any, errors: list[str]) -> dict[str, list[dict[str, str]]]:
    """The `"vocabularies"` section checked, each problem with its JSON path; rows by kind."""
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
                values[key] = normalise_scalar(field, row[key], f"{path}.{key}", errors)
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
