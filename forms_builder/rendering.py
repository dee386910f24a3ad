"""How a versioned form's questions look: each is a Django field drawn by the one set of GOV.UK field
templates (portal.govuk_forms, templates/govuk/), with what only the form builder has added as data on
the field: the condition that shows it, the length limit, the files it accepts, a table's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.template.defaultfilters import filesizeformat

from portal.govuk_forms import GovukBoundField, Note

from .answers import parse_date, parse_datetime
from .choices import FieldType
from .spec import FieldSpec, FormSpec, SectionSpec

if TYPE_CHECKING:
    from .forms import SubmissionForm


def _input_type(field_type: str, value: str) -> str:
    """Native date inputs only when the stored text is a valid ISO value (otherwise keep the text)."""
    if field_type == FieldType.DATE:
        return "date" if not value or (len(value) == 10 and parse_date(value)) else "text"
    if field_type == FieldType.DATETIME:
        return "datetime-local" if not value or parse_datetime(value) and "T" in value else "text"
    return "text"


class NativeDateInput(forms.TextInput):
    """A date (or date and time) question: the browser's date input while the answer is a valid ISO
    value, a text box for anything else a worker typed, so nothing typed is hidden."""

    def __init__(self, field_type: str, attrs: dict | None = None) -> None:
        width = "govuk-input--width-20" if field_type == FieldType.DATETIME else "govuk-input--width-10"
        super().__init__({"class": f"govuk-input {width}", **(attrs or {})})
        self.field_type = field_type

    def govuk_input_type(self, value: str) -> str:
        return _input_type(self.field_type, value)


def question_notes(f: FieldSpec, spec: FormSpec, *, max_chars: int = 0) -> list[Note]:
    """The lines a question shows besides its hint: when to answer it, and how long an answer may be."""
    notes = []
    controller = spec.field_map().get(f.condition_field) if f.has_condition else None
    if controller is not None:
        notes.append(
            Note(
                "before_hint",
                f"Answer this only if the answer to “{controller.label}” is “{f.condition_value}”.",
                "govuk-hint fb-condition-hint",
            )
        )
    if max_chars and f.type == FieldType.LONG_TEXT:
        notes.append(
            Note("after_hint", f"Up to {max_chars:,} characters.", "govuk-hint govuk-!-font-size-16")
        )
    return notes


def present(field: forms.Field, f: FieldSpec, spec: FormSpec, *, max_chars: int = 0) -> forms.Field:
    """Mark a built field with what the GOV.UK templates draw for this question."""
    field.optional = not f.required
    field.group_classes = "fb-question"
    attrs = {"id": f"field-{f.key}", "data-key": f.key}
    if f.has_condition:
        attrs |= {"data-condition-field": f.condition_field, "data-condition-value": f.condition_value}
    field.group_attrs = attrs
    if f.type == FieldType.YES_NO:
        field.choices_modifier = "inline"
    notes = question_notes(f, spec, max_chars=max_chars)
    if f.type == FieldType.FILE:
        field.question_notes = notes  # its govuk_notes adds the file's own lines (upload_notes)
    else:
        field.govuk_notes = notes
    return field


def upload_notes(field: Any, bound: GovukBoundField) -> list[Note]:
    """A file question's lines: the file already uploaded, and which files it accepts."""
    f: FieldSpec = field.spec
    notes = list(field.question_notes)
    uploaded = (bound.form.initial or {}).get(bound.name)
    if uploaded:
        size = filesizeformat(uploaded.get("size", 0))
        text = f"Uploaded: {uploaded.get('name', '')} ({size}). Upload another file to replace it."
        notes.append(Note("before_input", text, "govuk-body", "p"))
    allowed = ", ".join(f.allowed_extensions)
    notes.append(Note("before_input", f"Allowed types: {allowed}. Up to {f.max_size_mb} MB."))
    return notes


@dataclass
class Cell:
    column: Any
    name: str
    id: str
    value: str


class RowsBoundField(GovukBoundField):
    """A repeating group's table: the rows posted (or saved), plus the blank ones the worker asked for."""

    @property
    def first_input_id(self) -> str:
        return f"field-{self.name}"

    @property
    def cell_rows(self) -> list[list[Cell]]:
        f: FieldSpec = self.field.spec
        widget = self.field.widget
        rows = widget.value_from_datadict(self.form.data, self.form.files, self.html_name)
        extra = 1 if not rows else 0
        extra += 1 if getattr(self.form, "add_row", "") == self.name else 0
        extra = max(extra, f.min_rows - len(rows))
        rows = (rows + [dict.fromkeys((c.key for c in f.columns), "") for _ in range(extra)])[
            : widget.max_rows
        ]
        return [
            [
                Cell(
                    column=c,
                    name=f"{self.html_name}-{i}-{c.key}",
                    id=f"id_{self.html_name}-{i}-{c.key}",
                    value=str(row.get(c.key, "")),
                )
                for c in f.columns
            ]
            for i, row in enumerate(rows)
        ]

    @property
    def row_count(self) -> int:
        return len(self.cell_rows)

    @property
    def person_options(self) -> list[tuple[str, str]]:
        """A table's person columns offer the same people as a person question (the form's people)."""
        if not any(c.type == FieldType.PERSON for c in self.field.spec.columns):
            return []
        return [(str(k), str(v)) for k, v in self.form.people.items()]


@dataclass
class SectionView:
    spec: SectionSpec
    questions: list[GovukBoundField]


def sections_for(form: SubmissionForm, *, add_row: str = "") -> list[SectionView]:
    """The form's sections, each with its questions' bound fields (a question a newer version dropped
    is left out); `add_row` names the table that gets one more blank row."""
    form.add_row = add_row
    return [
        SectionView(spec=s, questions=[form[f.key] for f in s.fields if f.key in form.fields])
        for s in form.spec.sections
    ]
