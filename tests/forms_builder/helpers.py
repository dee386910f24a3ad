"""Answers that satisfy a form version, for tests."""

import json
from typing import Any

from forms_builder.choices import FieldType
from forms_builder.models import FormDefinition
from forms_builder.spec import FormSpec
from workflows.form_packs import form_load

from .conftest import PACKS, SHIPPED


def load_form(key: str) -> FormDefinition:
    pack = next(p for p, keys in SHIPPED.items() if key in keys)
    raw = json.loads((PACKS / pack / "forms" / f"{key}.json").read_text(encoding="utf-8"))
    definition, _ = form_load(raw)
    return definition


def _value(ftype: str, key: str, options: tuple[str, ...], person_pk: int) -> Any:
    return {
        FieldType.TEXT: f"Text for {key}",
        FieldType.LONG_TEXT: f"Long answer for {key}\nsecond line <b>& more</b>",
        FieldType.DATE: "2026-03-27",
        FieldType.DATETIME: "2026-03-27T14:30",
        FieldType.NUMBER: "3.5",
        FieldType.YES_NO: "yes",
        FieldType.SINGLE_CHOICE: options[0] if options else "",
        FieldType.MULTIPLE_CHOICE: list(options[:1]),
        FieldType.PERSON: str(person_pk),
    }.get(ftype, "")


def complete_answers(spec: FormSpec, person_pk: int) -> dict[str, Any]:
    """Every question answered; controlling questions set so conditional ones show."""
    data: dict[str, Any] = {}
    for f in spec.fields():
        if f.type == FieldType.REPEATING_GROUP:
            data[f.key] = [
                {c.key: _value(c.type, f"{f.key}.{c.key}.{i}", c.options, person_pk) for c in f.columns}
                for i in range(2)
            ]
        elif f.type != FieldType.FILE:
            data[f.key] = _value(f.type, f.key, f.options, person_pk)
    for f in spec.fields():
        if f.has_condition:
            data[f.condition_field] = f.condition_value
    return data
