"""Django forms built at run time from one version of a form definition.

Every question is created by a ``create_<type>_field`` method (as in ``wagtail.contrib.forms``).
Fields are built optional; whether a question is required depends on whether it is shown, which
``SubmissionForm.clean`` decides from the answers posted, so conditions hold on the server too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from portal.govuk_forms import GovukForm

from .answers import condition_met, parse_date, parse_datetime, parse_number, parse_person
from .choices import FieldType
from .rendering import NativeDateInput, RowsBoundField, present, upload_notes
from .spec import ColumnSpec, FieldSpec, FormSpec
from .uploads import content_problem, extension_of

MAX_ROWS = 100
TEXT_MAX = 2_000
LONG_TEXT_MAX = 50_000


# Free-text maximums (documented on the form and in forms_builder/README.md): a short answer holds
# TEXT_MAX characters, a long answer LONG_TEXT_MAX. A save of anything longer is refused with a
# sentence (services.DraftTooLong), never kept cut short. READ_MAX only bounds what is read from a
# request (far above both, so an over-long answer is always recognised as such).
READ_MAX = 1_000_000


def sanitise_text(value: Any, limit: int = LONG_TEXT_MAX) -> str:
    """Text as it was typed, minus NUL characters (PostgreSQL JSON refuses them). Not cut to `limit`:
    the save refuses what is too long, saying so."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\x00", "")[:READ_MAX]


def people_options(people: list[Any]) -> dict[str, str]:
    """Choices of a person question: user pk -> name; ``name:<name>`` -> label for people without an
    account (a meeting's carers or external invitees)."""
    options: dict[str, str] = {}
    for p in people:
        if isinstance(p, tuple):
            options[str(p[0])] = str(p[1])
        else:
            options[str(p.pk)] = p.get_full_name() or p.username
    return options


def _q(label: str) -> str:
    return f"“{label}”"


class RowsWidget(forms.Widget):
    """Reads a table's rows from ``<key>-rows`` and ``<key>-<i>-<column>`` inputs; blank rows dropped.
    Drawn by templates/govuk/fields/rows.html."""

    govuk_kind = "rows"
    max_rows = MAX_ROWS

    def __init__(self, columns: tuple[ColumnSpec, ...], attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.columns = columns

    def value_from_datadict(self, data, files, name):
        try:
            count = int(str(data.get(f"{name}-rows", "0")).strip()[:4] or 0)
        except ValueError:
            count = 0
        count = max(0, min(count, MAX_ROWS))
        rows = []
        for i in range(count):
            if data.get(f"{name}-{i}-DELETE"):
                continue
            row = {
                c.key: sanitise_text(data.get(f"{name}-{i}-{c.key}", ""), LONG_TEXT_MAX) for c in self.columns
            }
            if any(v.strip() for v in row.values()):
                rows.append(row)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data


def _clean_cell(column: ColumnSpec, value: str, where: str, people: dict[str, str]) -> str:
    """Validate one cell; return the value to store (dates as YYYY-MM-DD)."""
    value = value.strip()
    if not value:
        if column.required:
            raise ValidationError(f"{where}: {column.label} is required.")
        return ""
    if column.type == FieldType.DATE:
        parsed = parse_date(value)
        if parsed is None:
            raise ValidationError(f"{where}: {column.label} must be a real date, like 27/03/2026.")
        return parsed.isoformat()
    if column.type == FieldType.NUMBER:
        if parse_number(value) is None:
            raise ValidationError(f"{where}: {column.label} must be a number, like 3 or 2.5.")
        return value
    if column.type == FieldType.YES_NO:
        if value not in ("yes", "no"):
            raise ValidationError(f"{where}: {column.label} must be yes or no.")
        return value
    if column.type == FieldType.SINGLE_CHOICE:
        if value not in column.options:
            raise ValidationError(f"{where}: {column.label} must be one of the options given.")
        return value
    if column.type == FieldType.PERSON:
        if value not in people:
            raise ValidationError(
                f"{where}: choose {column.label.lower()} from the people involved with the child."
            )
        return value
    limit = TEXT_MAX if column.type == FieldType.TEXT else LONG_TEXT_MAX
    if len(value) > limit:
        raise ValidationError(f"{where}: {column.label} is too long (at most {limit} characters).")
    return value


class RowsField(forms.Field):
    """A repeating group: a table of rows, each cell validated by its column's type."""

    bound_field_class = RowsBoundField

    def __init__(self, spec: FieldSpec, people: dict[str, str], **kwargs: Any) -> None:
        self.spec = spec
        self.people = people
        kwargs.setdefault("widget", RowsWidget(spec.columns))
        super().__init__(**kwargs)

    def to_python(self, value):
        return value if isinstance(value, list) else []

    def validate(self, value):
        return None

    def clean(self, value):
        rows = self.to_python(value)
        errors: list[ValidationError] = []
        cleaned = []
        for i, row in enumerate(rows, start=1):
            out = {}
            for c in self.spec.columns:
                try:
                    out[c.key] = _clean_cell(
                        c, str(row.get(c.key, "")), f"{self.spec.label}, row {i}", self.people
                    )
                except ValidationError as exc:
                    errors.append(exc)
            cleaned.append(out)
        if errors:
            raise ValidationError(errors)
        return cleaned


class _ParsedTextField(forms.CharField):
    """Typed answers kept as text: `parse` must understand the value, `example` shows the expected form."""

    example = ""

    def __init__(self, spec: FieldSpec, **kwargs: Any) -> None:
        self.spec = spec
        kwargs.setdefault("widget", NativeDateInput(spec.type))
        super().__init__(max_length=40, **kwargs)

    def parse(self, value: str) -> Any:
        raise NotImplementedError

    def stored(self, value: str, parsed: Any) -> str:
        return value.strip()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        parsed = self.parse(value)
        if parsed is None:
            raise ValidationError(f"{_q(self.spec.label)} must be {self.example}.")
        return self.stored(value, parsed)


class DateField(_ParsedTextField):
    example = "a real date, like 27/03/2026"

    def parse(self, value: str) -> Any:
        return parse_date(value)

    def stored(self, value: str, parsed: Any) -> str:
        return parsed.isoformat()


class DateTimeField(_ParsedTextField):
    example = "a real date and time, like 27/03/2026 14:30"

    def parse(self, value: str) -> Any:
        return parse_datetime(value)


class NumberField(_ParsedTextField):
    example = "a number, like 3 or 2.5"

    def __init__(self, spec: FieldSpec, **kwargs: Any) -> None:
        attrs = {"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
        super().__init__(spec, widget=forms.TextInput(attrs), **kwargs)

    def parse(self, value: str) -> Any:
        return parse_number(value)


class FileField(forms.Field):
    """An upload: only checked here; stored through Django's storage API by the service."""

    widget = forms.ClearableFileInput
    question_notes: list = []

    def __init__(self, spec: FieldSpec, **kwargs: Any) -> None:
        self.spec = spec
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{e}" for e in spec.allowed_extensions)

    def govuk_notes(self, bound) -> list:
        return upload_notes(self, bound)

    def clean(self, value):
        if not value or isinstance(value, (str, bool)):
            return None
        name = getattr(value, "name", "") or ""
        ext = extension_of(name)
        allowed = self.spec.allowed_extensions
        if allowed and ext not in allowed:
            raise ValidationError(
                f"{_q(self.spec.label)}: the file must be one of these types: {', '.join(allowed)}."
            )
        if getattr(value, "size", 0) > self.spec.max_size_mb * 1024 * 1024:
            raise ValidationError(
                f"{_q(self.spec.label)}: the file must be smaller than {self.spec.max_size_mb} MB."
            )
        problem = content_problem(value, ext)
        if problem:
            raise ValidationError(f"{_q(self.spec.label)}: {problem}. Choose another file.")
        return value


class FormBuilder:
    """Turns a spec into form fields, one ``create_<type>_field`` per field type."""

    def __init__(self, spec: FormSpec, people: list[Any]) -> None:
        self.spec = spec
        self.people = people_options(people)

    def _common(self, f: FieldSpec) -> dict[str, Any]:
        return {"label": f.label, "help_text": f.help_text, "required": False}

    def create_text_field(self, f: FieldSpec) -> forms.Field:
        return forms.CharField(
            max_length=TEXT_MAX,
            error_messages={"max_length": f"{_q(f.label)} must be {TEXT_MAX} characters or fewer."},
            **self._common(f),
        )

    def create_long_text_field(self, f: FieldSpec) -> forms.Field:
        return forms.CharField(
            max_length=LONG_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": f"{_q(f.label)} must be {LONG_TEXT_MAX} characters or fewer."},
            **self._common(f),
        )

    def create_date_field(self, f: FieldSpec) -> forms.Field:
        return DateField(f, **self._common(f))

    def create_datetime_field(self, f: FieldSpec) -> forms.Field:
        return DateTimeField(f, **self._common(f))

    def create_number_field(self, f: FieldSpec) -> forms.Field:
        return NumberField(f, **self._common(f))

    def _choice_errors(self, f: FieldSpec) -> dict[str, str]:
        return {
            "invalid_choice": f"{_q(f.label)}: choose one of the options given.",
            "invalid_list": f"{_q(f.label)}: choose from the options given.",
        }

    def create_yes_no_field(self, f: FieldSpec) -> forms.Field:
        return forms.ChoiceField(
            choices=[("yes", "Yes"), ("no", "No")],
            widget=forms.RadioSelect,
            error_messages=self._choice_errors(f),
            **self._common(f),
        )

    def create_single_choice_field(self, f: FieldSpec) -> forms.Field:
        return forms.ChoiceField(
            choices=[(o, o) for o in f.options],
            widget=forms.RadioSelect,
            error_messages=self._choice_errors(f),
            **self._common(f),
        )

    def create_multiple_choice_field(self, f: FieldSpec) -> forms.Field:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in f.options],
            widget=forms.CheckboxSelectMultiple,
            error_messages=self._choice_errors(f),
            **self._common(f),
        )

    def create_person_field(self, f: FieldSpec) -> forms.Field:
        return forms.ChoiceField(
            choices=[("", "Choose a person")] + list(self.people.items()),
            error_messages={"invalid_choice": f"{_q(f.label)}: choose someone involved with the child."},
            **self._common(f),
        )

    def create_repeating_group_field(self, f: FieldSpec) -> forms.Field:
        return RowsField(f, self.people, **self._common(f))

    def create_file_field(self, f: FieldSpec) -> forms.Field:
        return FileField(f, **self._common(f))

    def formfields(self) -> dict[str, forms.Field]:
        fields = {}
        limits = {FieldType.TEXT: TEXT_MAX, FieldType.LONG_TEXT: LONG_TEXT_MAX}
        for f in self.spec.fields():
            method = getattr(self, f"create_{f.type}_field", None)
            if method is None:
                continue
            fields[f.key] = present(method(f), f, self.spec, max_chars=limits.get(f.type, 0))
        return fields


class SubmissionForm(GovukForm):
    """Answers to one version of a form. ``raw_values()`` is what a draft stores, valid or not."""

    spec: FormSpec
    people: dict[str, str]
    govuk_choices_modifier = ""  # full-size radios and checkboxes, as the form builder has always had

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible: dict[str, bool] = {}

    def raw_values(self) -> dict[str, Any]:
        """The posted answers as stored in a draft: text kept exactly (minus NULs), nothing validated."""
        values: dict[str, Any] = {}
        for key, field in self.fields.items():
            spec = self.field_specs[key]
            if spec.type == FieldType.FILE:
                continue
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(key))
            if spec.type == FieldType.MULTIPLE_CHOICE:
                raw = raw if isinstance(raw, list) else ([raw] if raw else [])
                values[key] = [sanitise_text(v, TEXT_MAX) for v in raw[:MAX_ROWS]]
            elif spec.type == FieldType.REPEATING_GROUP:
                values[key] = raw
            else:
                values[key] = sanitise_text(raw)
        return values

    @property
    def field_specs(self) -> dict[str, FieldSpec]:
        return self.spec.field_map()

    def compute_visibility(self, answers: dict[str, Any]) -> dict[str, bool]:
        """A question is shown when its condition holds and the question it depends on is shown."""
        specs = self.field_specs
        visible: dict[str, bool] = {}

        def is_visible(key: str, depth: int = 0) -> bool:
            if key in visible:
                return visible[key]
            f = specs.get(key)
            if f is None or depth > 20:
                return False
            result = True
            if f.has_condition:
                result = condition_met(f, answers) and is_visible(f.condition_field, depth + 1)
            visible[key] = result
            return result

        for key in specs:
            is_visible(key)
        return visible

    def clean(self):
        cleaned = super().clean()
        answers = self.raw_values()
        self.visible = self.compute_visibility(answers)
        for key, f in self.field_specs.items():
            if key not in self.fields:
                continue
            if not self.visible.get(key, True):
                self._errors.pop(key, None)
                cleaned.pop(key, None)
                continue
            if key in self._errors or not f.required:
                continue
            value = cleaned.get(key)
            if f.type == FieldType.FILE:
                if value is None and not (self.initial.get(key) or {}):
                    self.add_error(key, f"Upload a file for {_q(f.label)}: it is required.")
            elif f.type == FieldType.REPEATING_GROUP:
                if len(value or []) < max(1, f.min_rows):
                    self.add_error(
                        key, f"Add at least {max(1, f.min_rows)} row(s) to {_q(f.label)}: it is required."
                    )
            elif value in (None, "", []):
                verb = "Choose an answer to" if f.type in CHOICE_LIKE else "Answer"
                self.add_error(key, f"{verb} {_q(f.label)}: it is required.")
        return cleaned

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary; each message names its question.

        The anchor is the question's first input (a table's container), as the GOV.UK error summary expects.
        """
        out = []
        for key, errors in self.errors.items():
            spec = self.field_specs.get(key)
            label = spec.label if spec else ""
            anchor = self[key].first_input_id if key in self.fields else "main-content"
            for message in errors:
                text = str(message)
                if label and label not in text:
                    text = f"{_q(label)}: {text}"
                out.append((anchor, text))
        return out

    def stored_values(self) -> dict[str, Any]:
        """After a successful clean: the values to keep on submission (hidden questions removed)."""
        out: dict[str, Any] = {}
        for key, f in self.field_specs.items():
            if f.type == FieldType.FILE or key not in self.fields:
                continue
            if not self.visible.get(key, True):
                continue
            value = self.cleaned_data.get(key)
            out[key] = value if value is not None else ""
        return out


CHOICE_LIKE = {FieldType.YES_NO, FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.PERSON}


def build_form_class(spec: FormSpec, people: list[Any]) -> type[SubmissionForm]:
    builder = FormBuilder(spec, people)
    attrs: dict[str, Any] = dict(builder.formfields())
    attrs["spec"] = spec
    attrs["people"] = builder.people
    return type("DynamicSubmissionForm", (SubmissionForm,), attrs)


__all__ = ["FormBuilder", "SubmissionForm", "build_form_class", "parse_person"]
