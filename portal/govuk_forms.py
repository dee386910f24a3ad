"""The one GOV.UK Design System field renderer for every worker-site form (issue 15).

A form that subclasses ``GovukForm`` renders each field with ``{{ form.name.as_field_group }}``: Django's
own field-group machinery, pointed at ``templates/govuk/field.html`` (label or legend, hint, error
message with its "Error:" prefix, ``aria-describedby`` joining them, and the input itself from
``templates/govuk/fields/<kind>.html``). The workflows forms, the form builder's versioned forms and the
dashboards' choices all render through it, so a field looks and behaves the same on every page.

What differs between forms is data on the field, read by ``GovukBoundField``:
- ``optional`` marks "(optional)" after the label (default: not required);
- ``reveal`` maps a radio value to the fields (or a sentence) shown under it (GOV.UK conditional reveal);
- ``legend_class``, ``legend_heading``, ``choices_modifier`` size a fieldset's legend and options;
- ``group_classes``, ``group_attrs`` add to the form group (the form builder's conditions);
- ``govuk_notes`` adds further hints or text before the input (a list, or a method of the field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

DATE_EXAMPLE = "For example, 27 3 2026"

# Widget attributes passed through to the input as they are. Not maxlength: a long answer is refused
# with a sentence saying so, never cut short by the browser.
PASSED_ATTRS = ("inputmode", "autocomplete", "spellcheck", "accept", "placeholder")


class GovukFormRenderer(TemplatesSetting):
    """The project's templates, with every field group drawn by templates/govuk/field.html."""

    field_template_name = "govuk/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes named `<field>_day`, `<field>_month`,
    `<field>_year` (ids `<field>-day`...), drawn by templates/govuk/fields/date.html."""

    def __init__(self, attrs: dict | None = None) -> None:
        parts = {"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """The three boxes; or, when none was sent, one ISO date under the field's own name (a link such
        as a dashboard's drill-down, or a bookmark)."""
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts


class GovukDateField(forms.Field):
    """A date typed as day, month and year, checked on the server with the GOV.UK error messages
    ("Date the concern was raised must be a real date", "... must include a month")."""

    widget = GovukDateWidget

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        self.subject = subject
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {subject[0].lower()}{subject[1:]}")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str):  # a single ISO date (e.g. from a test or an old bookmark)
            try:
                return date.fromisoformat(value.strip()) if value.strip() else None
            except ValueError as exc:
                raise ValidationError(f"{self.subject} must be a real date", code="invalid") from exc
        day, month, year = (str(v if v is not None else "").strip() for v in list(value)[:3])
        if not (day or month or year):
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{self.subject} must include a {' and '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self.subject} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{self.subject} must be a real date", code="invalid") from exc


@dataclass(frozen=True)
class Reveal:
    """What a radio option shows while it is chosen: other fields of the form, or a sentence."""

    fields: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Note:
    """A further line of a field: `where` is "before_hint", "after_hint" or "before_input"."""

    where: str
    text: str
    classes: str = "govuk-hint"
    tag: str = "div"
    id: str = ""


@dataclass
class Option:
    """One radio or checkbox: GOV.UK ids (the first option takes the field's id, then `-2`, `-3`...)."""

    id: str
    value: str
    label: str
    checked: bool
    reveal_fields: list = field(default_factory=list)
    reveal_text: str = ""

    @property
    def conditional_id(self) -> str:
        return f"conditional-{self.id}" if self.reveal_fields or self.reveal_text else ""


# The component each widget needs, first match wins: a checkbox list is a kind of RadioSelect, and a
# radio list a kind of Select.
KINDS = (
    (GovukDateWidget, "date"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Textarea, "textarea"),
    (forms.Select, "select"),
    (forms.FileInput, "file"),
)


def _kind(widget: forms.Widget) -> str:
    """The GOV.UK component a widget needs (a widget may name its own, as the form builder's table does)."""
    if getattr(widget, "govuk_kind", ""):
        return widget.govuk_kind
    return next((kind for widget_class, kind in KINDS if isinstance(widget, widget_class)), "input")


class GovukBoundField(forms.BoundField):
    """A field as the GOV.UK templates draw it: ids, hint, errors, options and reveals worked out once."""

    @cached_property
    def kind(self) -> str:
        return _kind(self.field.widget)

    @property
    def is_fieldset(self) -> bool:
        return self.kind in {"date", "radios", "checkboxes", "rows"}

    @property
    def base_id(self) -> str:
        """The id the hint and error hang from: the date input's is its name, as GOV.UK's macro has it."""
        return self.html_name if self.kind == "date" else self.auto_id

    @property
    def optional(self) -> bool:
        """GOV.UK marks optional questions, not required ones (a filter form marks neither)."""
        if not getattr(self.form, "govuk_mark_optional", True):
            return False
        return bool(getattr(self.field, "optional", not self.field.required))

    @property
    def label_class(self) -> str:
        return getattr(self.form, "govuk_label_class", "govuk-label--s")

    @property
    def legend_class(self) -> str:
        return getattr(self.field, "legend_class", "govuk-fieldset__legend--s")

    @property
    def legend_heading(self) -> bool:
        return bool(getattr(self.field, "legend_heading", False))

    @property
    def hint(self) -> str:
        help_text = str(self.help_text or "")
        if self.kind == "date":
            return f"{help_text} {DATE_EXAMPLE}" if help_text else DATE_EXAMPLE
        return help_text

    @property
    def hint_id(self) -> str:
        return f"{self.base_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.base_id}-error"

    @property
    def shown_errors(self) -> list[str]:
        """The field's errors once the form has been checked; drawing a page never checks it."""
        if not hasattr(self.form, "cleaned_data"):
            return []
        return [str(e) for e in self.errors]

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.hint else []
        if self.shown_errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def notes(self) -> list[Note]:
        notes = getattr(self.field, "govuk_notes", [])
        return list(notes(self) if callable(notes) else notes)

    def notes_at(self, where: str) -> list[Note]:
        return [n for n in self.notes if n.where == where]

    @property
    def notes_before_hint(self) -> list[Note]:
        return self.notes_at("before_hint")

    @property
    def notes_after_hint(self) -> list[Note]:
        return self.notes_at("after_hint")

    @property
    def notes_before_input(self) -> list[Note]:
        return self.notes_at("before_input")

    @property
    def group_classes(self) -> str:
        return getattr(self.field, "group_classes", "")

    @property
    def group_attrs(self) -> SafeString:
        return flatatt(getattr(self.field, "group_attrs", {}))

    @property
    def choices_class(self) -> str:
        """govuk-radios or govuk-checkboxes with its size or layout (small unless the field says)."""
        base = "govuk-radios" if self.kind == "radios" else "govuk-checkboxes"
        modifier = getattr(self.field, "choices_modifier", None)
        if modifier is None:
            modifier = getattr(self.form, "govuk_choices_modifier", "small")
        return f"{base} {base}--{modifier}" if modifier else base

    @cached_property
    def options(self) -> list[Option]:
        """Each radio or checkbox with its GOV.UK id and what it reveals."""
        reveal: dict[str, Reveal] = getattr(self.field, "reveal", {})
        out = []
        for i, widget in enumerate(self.subwidgets):
            value = str(widget.data["value"])
            shows = reveal.get(value, Reveal())
            out.append(
                Option(
                    id=self.auto_id if i == 0 else f"{self.auto_id}-{i + 1}",
                    value=value,
                    label=str(widget.data["label"]),
                    checked=bool(widget.data["selected"]),
                    reveal_fields=[self.form[name] for name in shows.fields if name in self.form.fields],
                    reveal_text=shows.text,
                )
            )
        return out

    @property
    def reveals(self) -> bool:
        return any(o.conditional_id for o in self.options)

    @property
    def text_value(self) -> str:
        """The value as the input shows it (the widget's own format, e.g. a time as 14:30); never a
        password typed."""
        widget = self.field.widget
        if isinstance(widget, forms.PasswordInput) and not widget.render_value:
            return ""
        value = widget.format_value(self.value())
        return "" if value is None else str(value)

    @property
    def input_type(self) -> str:
        widget = self.field.widget
        chooser = getattr(widget, "govuk_input_type", None)
        if callable(chooser):
            return chooser(self.text_value)
        return getattr(widget, "input_type", "text") or "text"

    @property
    def input_classes(self) -> str:
        """The widget's own GOV.UK classes if it names them, else the component's; plus the error state."""
        component = {"textarea": "govuk-textarea", "select": "govuk-select", "file": "govuk-file-upload"}.get(
            self.kind, "govuk-input"
        )
        classes = self.field.widget.attrs.get("class") or component
        if self.kind == "input" and self.input_type == "time" and "width" not in classes:
            classes += " govuk-input--width-5"
        if self.shown_errors:
            classes += f" {component}--error"
        return classes

    @property
    def extra_attrs(self) -> SafeString:
        attrs = self.field.widget.attrs
        return flatatt({k: attrs[k] for k in PASSED_ATTRS if k in attrs})

    @property
    def rows(self) -> str:
        return str(self.field.widget.attrs.get("rows", 4))

    @property
    def date_parts(self) -> dict:
        """Day, month and year as typed (or from the initial date), and which box an error is about."""
        if self.form.is_bound:
            raw = self.field.widget.value_from_datadict(self.form.data, self.form.files, self.html_name)
            raw = [raw] if isinstance(raw, str) else list(raw)
            value = [str(v or "") for v in (raw + ["", "", ""])[:3]]
        else:
            initial = self.value()
            value = [initial.day, initial.month, initial.year] if isinstance(initial, date) else ["", "", ""]
        parts = dict(zip(("day", "month", "year"), value, strict=True))
        first = next((name for name in ("day", "month", "year") if not str(parts[name]).strip()), "day")
        return {**parts, "first_error": first if any(str(v).strip() for v in value) else "day"}

    @property
    def first_input_id(self) -> str:
        """Where an error summary link lands: the first box of a date, the first option, else the input."""
        if self.kind == "date":
            return f"{self.html_name}-{self.date_parts['first_error']}"
        return self.auto_id


class GovukForm(forms.Form):
    """A worker-site form: its fields render through the one set of GOV.UK templates."""

    default_renderer = GovukFormRenderer
    bound_field_class = GovukBoundField

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the GOV.UK error summary: each field's message links to its first input."""
        if not hasattr(self, "cleaned_data"):
            return []
        items = [("main-content", str(e)) for e in self.non_field_errors()]
        for bound in self:
            items += [(bound.first_input_id, message) for message in bound.shown_errors]
        return items


class ChoiceForm(GovukForm):
    """A list's choices (the dashboards' and the meeting list's filters): the GOV.UK fields with plain
    labels; every choice may be left as it is, so none is marked "(optional)"."""

    govuk_mark_optional = False
    govuk_label_class = ""
