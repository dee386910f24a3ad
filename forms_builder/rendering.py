"""What the edit template needs for each question: the spec, the posted or saved value, its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .answers import parse_date, parse_datetime
from .choices import FieldType
from .forms import LONG_TEXT_MAX, MAX_ROWS, TEXT_MAX, SubmissionForm
from .spec import FieldSpec, SectionSpec


@dataclass
class Cell:
    column: Any
    name: str
    id: str
    value: str


@dataclass
class Question:
    spec: FieldSpec
    name: str
    id: str
    value: Any = ""
    values: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    row_count: int = 0
    input_type: str = "text"
    condition_label: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    file: dict | None = None
    max_chars: str = ""


@dataclass
class SectionView:
    spec: SectionSpec
    questions: list[Question]


def _input_type(f: FieldSpec, value: str) -> str:
    """Native date inputs only when the stored text is a valid ISO value (otherwise keep the text)."""
    if f.type == FieldType.DATE:
        return "date" if not value or (len(value) == 10 and parse_date(value)) else "text"
    if f.type == FieldType.DATETIME:
        return "datetime-local" if not value or parse_datetime(value) and "T" in value else "text"
    return "text"


def sections_for(form: SubmissionForm, *, add_row: str = "") -> list[SectionView]:
    spec = form.spec
    fields = spec.field_map()
    data = form.data
    errors = form.errors if form.is_bound and hasattr(form, "cleaned_data") else {}
    out = []
    for s in spec.sections:
        questions = []
        for f in s.fields:
            if f.key not in form.fields:
                continue
            q = Question(spec=f, name=f.key, id=f"id_{f.key}", errors=[str(e) for e in errors.get(f.key, [])])
            if f.has_condition and f.condition_field in fields:
                q.condition_label = fields[f.condition_field].label
            if f.type == FieldType.REPEATING_GROUP:
                rows = form.fields[f.key].widget.value_from_datadict(data, form.files, f.key)
                extra = 1 if not rows else 0
                extra += 1 if add_row == f.key else 0
                extra = max(extra, f.min_rows - len(rows))
                rows = rows + [dict.fromkeys((c.key for c in f.columns), "") for _ in range(extra)]
                rows = rows[:MAX_ROWS]
                q.rows = [
                    [
                        Cell(
                            column=c,
                            name=f"{f.key}-{i}-{c.key}",
                            id=f"id_{f.key}-{i}-{c.key}",
                            value=str(row.get(c.key, "")),
                        )
                        for c in f.columns
                    ]
                    for i, row in enumerate(rows)
                ]
                q.row_count = len(rows)
                if any(c.type == FieldType.PERSON for c in f.columns):
                    # A table's person columns offer the same people as a person question (the
                    # form's people), otherwise the list holds only "Choose a person".
                    q.options = [(str(k), str(v)) for k, v in form.people.items()]
            elif f.type == FieldType.MULTIPLE_CHOICE:
                q.values = [str(v) for v in (data.getlist(f.key) if hasattr(data, "getlist") else [])]
            elif f.type == FieldType.FILE:
                q.file = (form.initial or {}).get(f.key)
            else:
                q.value = str(data.get(f.key, "") or "")
                q.input_type = _input_type(f, q.value)
                if f.type in (FieldType.TEXT, FieldType.LONG_TEXT):
                    q.max_chars = f"{LONG_TEXT_MAX if f.type == FieldType.LONG_TEXT else TEXT_MAX:,}"
            if f.type in (
                FieldType.SINGLE_CHOICE,
                FieldType.MULTIPLE_CHOICE,
                FieldType.YES_NO,
                FieldType.PERSON,
            ):
                q.options = [(str(k), str(v)) for k, v in form.fields[f.key].choices if k != ""]
            questions.append(q)
        out.append(SectionView(spec=s, questions=questions))
    return out
