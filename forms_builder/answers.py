"""Reading answers: typed values for the engine, display values for the read-only and print views."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from portal.models import User

from .choices import FieldType
from .spec import ColumnSpec, FieldSpec, FormSpec

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d/%m/%y")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")


def parse_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return parsed
    return None


def parse_datetime(value: Any) -> datetime | None:
    text = str(value or "").strip()
    for fmt in DATETIME_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    return None


def parse_number(value: Any) -> Decimal | None:
    text = str(value or "").strip().replace(",", "")
    if not re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or "").strip().lower())


def parse_person(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def person_without_account(value: Any) -> str:
    """The name stored for a person who has no account (``name:<name>``, e.g. a carer), else ""."""
    text = str(value or "").strip()
    return text.removeprefix("name:").strip() if text.startswith("name:") else ""


def typed_value(ftype: str, value: Any) -> Any:
    if ftype == FieldType.DATE:
        return parse_date(value)
    if ftype == FieldType.DATETIME:
        return parse_datetime(value)
    if ftype == FieldType.NUMBER:
        return parse_number(value)
    if ftype == FieldType.YES_NO:
        return parse_yes_no(value)
    if ftype == FieldType.PERSON:
        return parse_person(value)
    if ftype == FieldType.MULTIPLE_CHOICE:
        return [str(v) for v in value] if isinstance(value, list) else []
    if ftype == FieldType.FILE:
        return value if isinstance(value, dict) else None
    return str(value) if value is not None else ""


def typed_rows(columns: tuple[ColumnSpec, ...], rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        return []
    out = []
    for row in rows:
        if isinstance(row, dict):
            out.append({c.key: typed_value(c.type, row.get(c.key, "")) for c in columns})
    return out


def typed_answers(spec: FormSpec, data: dict[str, Any]) -> dict[str, Any]:
    """key -> typed value for every question of the version (missing answers are None/""/[])."""
    data = data if isinstance(data, dict) else {}
    out: dict[str, Any] = {}
    for f in spec.fields():
        if f.type == FieldType.REPEATING_GROUP:
            out[f.key] = typed_rows(f.columns, data.get(f.key))
        else:
            out[f.key] = typed_value(f.type, data.get(f.key))
    return out


def submission_rows(submission: Any, group_key: str) -> list[dict[str, Any]]:
    """Rows of a repeating group, typed (person columns are user pks), e.g. minutes "actions"."""
    field = submission.spec.field_map().get(group_key)
    if field is None or field.type != FieldType.REPEATING_GROUP:
        return []
    return typed_rows(field.columns, (submission.data or {}).get(group_key))


def section_answered(spec: FormSpec, data: Any, role: str) -> bool:
    """Whether the section marked with `role` (e.g. the child's wishes and feelings, G6) has a written
    answer: some text typed into one of its text questions (a shown one)."""
    section = spec.section_with_role(role)
    if section is None or not isinstance(data, dict):
        return False
    for f in section.fields:
        if f.type in (FieldType.TEXT, FieldType.LONG_TEXT) and condition_met(f, data):
            value = data.get(f.key)
            if isinstance(value, str) and value.strip():
                return True
    return False


def condition_met(field: FieldSpec, data: dict[str, Any]) -> bool:
    """Is this question shown for these answers? (hidden questions are neither required nor kept)"""
    if not field.has_condition:
        return True
    current = data.get(field.condition_field)
    if isinstance(current, list):
        return field.condition_value in [str(v) for v in current]
    return str(current or "").strip() == field.condition_value


# Display ------------------------------------------------------------------------------------------


def _display(ftype: str, value: Any, people: dict[int, str]) -> str:
    if value in (None, "", []):
        return ""
    if ftype == FieldType.DATE:
        parsed = parse_date(value)
        return f"{parsed.day} {parsed:%B %Y}" if parsed else str(value)
    if ftype == FieldType.DATETIME:
        parsed = parse_datetime(value)
        if parsed:
            local = timezone.localtime(parsed)
            return f"{local.day} {local:%B %Y at %H:%M}"
        return str(value)
    if ftype == FieldType.YES_NO:
        return {True: "Yes", False: "No"}.get(parse_yes_no(value), str(value))
    if ftype == FieldType.PERSON:
        pk = parse_person(value)
        return people.get(pk, f"Person #{pk}") if pk else (person_without_account(value) or str(value))
    if ftype == FieldType.MULTIPLE_CHOICE:
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if ftype == FieldType.FILE:
        return str(value.get("name", "")) if isinstance(value, dict) else ""
    return str(value)


@dataclass
class DisplayAnswer:
    field: FieldSpec
    text: str = ""
    rows: list[list[str]] | None = None
    shown: bool = True
    file: dict[str, Any] | None = None


@dataclass
class DisplaySection:
    key: str
    heading: str
    guidance: str
    role: str
    answers: list[DisplayAnswer]


def display_sections(spec: FormSpec, data: dict[str, Any]) -> list[DisplaySection]:
    """Every section and question of the version with its answer as text (rows for tables)."""
    data = data if isinstance(data, dict) else {}
    pks: set[int] = set()
    for f in spec.fields():
        if f.type == FieldType.PERSON and parse_person(data.get(f.key)):
            pks.add(parse_person(data.get(f.key)))
        if f.type == FieldType.REPEATING_GROUP and isinstance(data.get(f.key), list):
            for row in data[f.key]:
                for c in f.columns:
                    if c.type == FieldType.PERSON and isinstance(row, dict) and parse_person(row.get(c.key)):
                        pks.add(parse_person(row.get(c.key)))
    people = {u.pk: (u.get_full_name() or u.username) for u in User.objects.filter(pk__in=pks)}
    sections = []
    for s in spec.sections:
        answers = []
        for f in s.fields:
            value = data.get(f.key)
            shown = condition_met(f, data)
            if f.type == FieldType.REPEATING_GROUP:
                rows = []
                for row in value if isinstance(value, list) else []:
                    if isinstance(row, dict):
                        rows.append([_display(c.type, row.get(c.key), people) for c in f.columns])
                answers.append(DisplayAnswer(field=f, rows=rows, shown=shown))
            else:
                answers.append(
                    DisplayAnswer(
                        field=f,
                        text=_display(f.type, value, people),
                        shown=shown,
                        file=value if f.type == FieldType.FILE and isinstance(value, dict) else None,
                    )
                )
        sections.append(DisplaySection(s.key, s.heading, s.guidance, s.role, answers))
    return sections
