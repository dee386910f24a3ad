"""A plain, typed reading of a form definition's body, and the checks a definition must pass.

The StreamField is how policy owners edit a form; everything else (rendering, validation, packs,
the engine's structured read) works on this spec so it never depends on StreamField internals.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from .choices import FieldType, SectionRole
from .prefill import PREFILL_SOURCES

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
CHOICE_TYPES = {FieldType.SINGLE_CHOICE.value, FieldType.MULTIPLE_CHOICE.value}
COLUMN_TYPE_VALUES = {"text", "long_text", "date", "number", "yes_no", "single_choice", "person"}


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    key: str
    type: str
    label: str
    help_text: str = ""
    required: bool = False
    condition_field: str = ""
    condition_value: str = ""
    prefill: str = ""
    options: tuple[str, ...] = ()
    columns: tuple[ColumnSpec, ...] = ()
    min_rows: int = 0
    allowed_extensions: tuple[str, ...] = ()
    max_size_mb: int = 10

    @property
    def has_condition(self) -> bool:
        return bool(self.condition_field)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    heading: str
    guidance: str = ""
    role: str = ""
    fields: tuple[FieldSpec, ...] = ()


@dataclass(frozen=True)
class FormSpec:
    sections: tuple[SectionSpec, ...] = field(default_factory=tuple)

    def fields(self) -> list[FieldSpec]:
        return [f for s in self.sections for f in s.fields]

    def field_map(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields()}

    def section_with_role(self, role: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.role == role), None)

    def to_list(self) -> list[dict[str, Any]]:
        """The pack-file shape of the sections (canonical: compare two of these to detect a change)."""
        return [_section_to_dict(s) for s in self.sections]


def _lines(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.splitlines() if isinstance(value, str) else [str(v) for v in value]
    return tuple(i.strip() for i in items if i and i.strip())


def _extensions(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(e.strip().lower().lstrip(".") for e in (value or ()) if e and e.strip())


def _unwrap_list(items: Any) -> list[Any]:
    """ListBlock raw data comes as plain values or as {"type": "item", "value": ...} dicts."""
    out = []
    for item in items or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            out.append(item["value"])
        else:
            out.append(item)
    return out


def _column_from(raw: dict[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        key=str(raw.get("key") or "").strip(),
        label=str(raw.get("label") or "").strip(),
        type=str(raw.get("type") or "text"),
        required=bool(raw.get("required")),
        options=_lines(raw.get("options")),
    )


def _field_from(ftype: str, raw: dict[str, Any]) -> FieldSpec:
    condition = raw.get("condition") or {}
    return FieldSpec(
        key=str(raw.get("key") or "").strip(),
        type=ftype,
        label=str(raw.get("label") or "").strip(),
        help_text=str(raw.get("help_text") or "").strip(),
        required=bool(raw.get("required")),
        condition_field=str(raw.get("condition_field") or condition.get("field") or "").strip(),
        condition_value=str(raw.get("condition_value") or condition.get("value") or "").strip(),
        prefill=str(raw.get("prefill") or "").strip(),
        options=_lines(raw.get("options")),
        columns=tuple(_column_from(c) for c in _unwrap_list(raw.get("columns"))),
        min_rows=int(raw.get("min_rows") or 0),
        allowed_extensions=_extensions(raw.get("allowed_extensions")),
        max_size_mb=int(raw.get("max_size_mb") or 10),
    )


def spec_from_stream_data(data: list[dict[str, Any]]) -> FormSpec:
    """Build a spec from StreamField raw data ({"type": "section", "value": {...}} items)."""
    sections = []
    for item in data or []:
        if item.get("type") != "section":
            continue
        value = item.get("value") or {}
        fields = tuple(
            _field_from(f.get("type"), f.get("value") or {})
            for f in value.get("fields") or []
            if f.get("type")
        )
        sections.append(
            SectionSpec(
                key=str(value.get("key") or "").strip(),
                heading=str(value.get("heading") or "").strip(),
                guidance=str(value.get("guidance") or "").strip(),
                role=str(value.get("role") or "").strip(),
                fields=fields,
            )
        )
    return FormSpec(sections=tuple(sections))


def spec_from_body(body: Any) -> FormSpec:
    """Build a spec from a StreamValue (a definition's body)."""
    return spec_from_stream_data(body.stream_block.get_prep_value(body))


def spec_from_pack_sections(sections: list[dict[str, Any]]) -> FormSpec:
    """Build a spec from a pack file's "sections" list."""
    return spec_from_stream_data(pack_sections_to_stream_data(sections))


def pack_sections_to_stream_data(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn a pack file's sections into StreamField raw data for the definition's body."""
    stream = []
    for section in sections:
        fields = []
        for f in section.get("fields", []):
            value: dict[str, Any] = {
                "key": f.get("key", ""),
                "label": f.get("label", ""),
                "help_text": f.get("help_text", ""),
                "required": bool(f.get("required", False)),
                "condition_field": (f.get("condition") or {}).get("field", ""),
                "condition_value": (f.get("condition") or {}).get("value", ""),
                "prefill": f.get("prefill", ""),
            }
            if f.get("type") in CHOICE_TYPES:
                value["options"] = "\n".join(f.get("options", []))
            if f.get("type") == FieldType.REPEATING_GROUP:
                value["columns"] = [
                    {
                        "key": c.get("key", ""),
                        "label": c.get("label", ""),
                        "type": c.get("type", "text"),
                        "required": bool(c.get("required", False)),
                        "options": "\n".join(c.get("options", [])),
                    }
                    for c in f.get("columns", [])
                ]
                value["min_rows"] = int(f.get("min_rows", 0))
            if f.get("type") == FieldType.FILE:
                value["allowed_extensions"] = ",".join(f.get("allowed_extensions", []))
                value["max_size_mb"] = int(f.get("max_size_mb", 10))
            fields.append({"type": f.get("type", ""), "value": value, "id": str(uuid.uuid4())})
        stream.append(
            {
                "type": "section",
                "value": {
                    "key": section.get("key", ""),
                    "heading": section.get("heading", ""),
                    "guidance": section.get("guidance", ""),
                    "role": section.get("role", ""),
                    "fields": fields,
                },
            }
        )
    return stream


def _field_to_dict(f: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"key": f.key, "type": f.type, "label": f.label}
    if f.help_text:
        out["help_text"] = f.help_text
    if f.required:
        out["required"] = True
    if f.condition_field:
        out["condition"] = {"field": f.condition_field, "value": f.condition_value}
    if f.prefill:
        out["prefill"] = f.prefill
    if f.type in CHOICE_TYPES:
        out["options"] = list(f.options)
    if f.type == FieldType.REPEATING_GROUP:
        out["columns"] = [
            {k: v for k, v in asdict(c).items() if v or k in ("key", "label", "type")}
            | ({"options": list(c.options)} if c.options else {})
            for c in f.columns
        ]
        if f.min_rows:
            out["min_rows"] = f.min_rows
    if f.type == FieldType.FILE:
        out["allowed_extensions"] = list(f.allowed_extensions)
        out["max_size_mb"] = f.max_size_mb
    return out


def _section_to_dict(s: SectionSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"key": s.key, "heading": s.heading}
    if s.guidance:
        out["guidance"] = s.guidance
    if s.role:
        out["role"] = s.role
    out["fields"] = [_field_to_dict(f) for f in s.fields]
    return out


def _allowed_values(f: FieldSpec) -> set[str] | None:
    if f.type == FieldType.YES_NO:
        return {"yes", "no"}
    if f.type in CHOICE_TYPES:
        return set(f.options)
    return None


MINUTES_ACTION_COLUMNS = {"action": None, "owner": "person", "due_on": "date", "evaluation": None}


def kind_problems(spec: FormSpec, kind: str) -> list[str]:
    """What reports and minutes must have: the child's wishes and feelings (G6), full actions (P6)."""
    problems = []
    if kind in ("report", "minutes") and spec.section_with_role(SectionRole.WISHES_AND_FEELINGS) is None:
        problems.append(
            "Reports and minutes need a section marked as the child's wishes and feelings (G6): "
            "set a section's role to “Child's wishes and feelings”."
        )
    if kind == "minutes":
        actions = spec.field_map().get("actions")
        if actions is None or actions.type != FieldType.REPEATING_GROUP:
            problems.append("Minutes need a table with the key “actions” (P6).")
        else:
            columns = {c.key: c for c in actions.columns}
            for key, ctype in MINUTES_ACTION_COLUMNS.items():
                column = columns.get(key)
                if column is None or not column.required or (ctype and column.type != ctype):
                    problems.append(
                        f"The “actions” table needs a required “{key}” column"
                        + (f" of type {ctype}" if ctype else "")
                        + " (P6: every action has an owner, a due date and how it will be evaluated)."
                    )
    return problems


def spec_problems(spec: FormSpec) -> list[str]:
    """Everything wrong with a definition, each as a message a policy owner can act on."""
    problems: list[str] = []
    known_types = set(FieldType.values)
    section_keys: set[str] = set()
    seen: dict[str, str] = {}
    for section in spec.sections:
        where = f"Section “{section.heading or section.key}”"
        if not KEY_RE.match(section.key):
            problems.append(f"{where}: the key “{section.key}” must be lower-case letters, digits or _.")
        if section.key in section_keys:
            problems.append(f"{where}: the section key “{section.key}” is used twice.")
        section_keys.add(section.key)
        if section.role and section.role not in SectionRole.values:
            problems.append(f"{where}: unknown section role “{section.role}”.")
        for f in section.fields:
            q = f"Question “{f.label or f.key}”"
            if f.type not in known_types:
                problems.append(f"{q}: unknown field type “{f.type}”.")
            if not KEY_RE.match(f.key):
                problems.append(f"{q}: the key “{f.key}” must be lower-case letters, digits or _.")
            if f.key in seen:
                problems.append(f"{q}: duplicate field key “{f.key}” (already used by “{seen[f.key]}”).")
            else:
                seen[f.key] = f.label or f.key
            if not f.label:
                problems.append(f"{q}: give the question a label.")
            if f.prefill and f.prefill not in PREFILL_SOURCES:
                problems.append(f"{q}: the prefill source “{f.prefill}” does not exist.")
            if f.type in CHOICE_TYPES and not f.options:
                problems.append(f"{q}: a choice question needs at least one option.")
            if f.type == FieldType.REPEATING_GROUP:
                if not f.columns:
                    problems.append(f"{q}: a repeating group needs at least one column.")
                col_keys: set[str] = set()
                for c in f.columns:
                    if not KEY_RE.match(c.key):
                        problems.append(f"{q}: the column key “{c.key}” is not valid.")
                    if c.key in col_keys:
                        problems.append(f"{q}: duplicate column key “{c.key}”.")
                    col_keys.add(c.key)
                    if c.type not in COLUMN_TYPE_VALUES:
                        problems.append(f"{q}: column “{c.label}” has unknown type “{c.type}”.")
                    if c.type == FieldType.SINGLE_CHOICE and not c.options:
                        problems.append(f"{q}: column “{c.label}” needs options.")
    fields = spec.field_map()
    for f in spec.fields():
        if not f.has_condition:
            continue
        q = f"Question “{f.label or f.key}”"
        target = fields.get(f.condition_field)
        if target is None:
            problems.append(
                f"{q}: its condition points at the field “{f.condition_field}”, which does not exist."
            )
            continue
        if target.key == f.key:
            problems.append(f"{q}: a question cannot depend on itself.")
            continue
        if target.type in (FieldType.REPEATING_GROUP, FieldType.FILE):
            problems.append(f"{q}: a condition cannot point at a table or an upload (“{target.key}”).")
            continue
        allowed = _allowed_values(target)
        if not f.condition_value:
            problems.append(f"{q}: its condition needs the value that shows it.")
        elif allowed is not None and f.condition_value not in allowed:
            problems.append(
                f"{q}: its condition value “{f.condition_value}” is not an answer "
                f"“{target.label}” can have ({', '.join(sorted(allowed))})."
            )
    return problems


_SPEC_CACHE: dict[tuple, FormSpec] = {}


def spec_for_revision(revision: Any) -> FormSpec:
    """The spec of one published version (revisions a submission points at never change)."""
    cache_key = (revision.pk, str(revision.object_id), revision.created_at)
    spec = _SPEC_CACHE.get(cache_key)
    if spec is None:
        spec = spec_from_body(revision.as_object().body)
        if len(_SPEC_CACHE) > 500:
            _SPEC_CACHE.clear()
        _SPEC_CACHE[cache_key] = spec
    return spec
