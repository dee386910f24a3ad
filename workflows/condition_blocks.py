"""The CMS's condition builder: a StreamField block storing an "applies when" condition as JsonLogic.

A policy owner picks "all of" or "any of", then adds rows (fact, comparison, value) and, one level down,
groups of rows; nobody types JSON. The block stores the canonical JsonLogic of `workflows.conditions`
(so a revision, an exported pack and the evaluator all hold the same format), reads JsonLogic back into
rows for editing, and refuses to save a condition the validator rejects, with its sentences.

Values are typed as words: a number, a date (2024-04-01 or 1/4/2024), an option's words or its code;
"is one of" takes several options separated by semicolons.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .conditions import (
    ALL,
    ANY,
    COMPARISONS,
    GROUP_KEYS,
    GROUP_OPERATORS,
    NO_VALUE,
    Group,
    Row,
    _to_row_json,
    _var_path,
    _vocabulary,
    condition_problems,
    parse_condition,
)
from .facts import MAX_MONTHS, Fact, FactType, fact_choices, fact_path, parse_fact_path

MATCH_CHOICES = [(ALL, "All of these are true"), (ANY, "Any of these is true")]
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class ConditionRowBlock(blocks.StructBlock):
    """One row: a fact of the case, a comparison and a value."""

    fact = blocks.ChoiceBlock(choices=fact_choices, help_text="The fact of the case to test.")
    months = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text="History facts only: how many months before the anchor date to count.",
    )
    comparison = blocks.ChoiceBlock(choices=list(COMPARISONS.items()), default="eq")
    value = blocks.CharBlock(
        required=False,
        help_text="A number, a date (2024-04-01 or 1/4/2024), or an option in words; for “is one of”, "
        "several options separated by semicolons. Leave empty for yes, no and recorded.",
    )

    class Meta:
        icon = "list-ul"
        label = "Row"
        label_format = "{fact} {comparison} {value}"


class ConditionGroupBlock(blocks.StructBlock):
    """A group of rows inside the condition (one level of nesting)."""

    match = blocks.ChoiceBlock(choices=MATCH_CHOICES, default=ALL)
    rows = blocks.ListBlock(ConditionRowBlock())

    class Meta:
        icon = "folder-open-inverse"
        label = "Group of rows"
        label_format = "{match}"


# --------------------------------------------------------------------------------------------------
# Words typed in a row <-> the condition's values
# --------------------------------------------------------------------------------------------------


def _option_code(text: str, vocabulary: list[tuple[str, str]]) -> str:
    wanted = text.strip().casefold()
    for code, label in vocabulary:
        if wanted in {code.casefold(), label.casefold()}:
            return code
    return text.strip()


def value_from_text(fact: Fact, comparison: str, text: str) -> Any:
    """The condition value of what was typed; left as the text when it does not fit (the validator says)."""
    if comparison in NO_VALUE:
        return None
    text = (text or "").strip()
    if fact.type in {FactType.NUMBER, FactType.DURATION}:
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                continue
        return text
    if fact.type == FactType.DATE:
        match = _UK_DATE.match(text)
        if match:
            try:
                return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
            except ValueError:
                return text
        return text
    vocabulary = _vocabulary(fact, None)
    if comparison != "in":
        return _option_code(text, vocabulary)
    whole = _option_code(text, vocabulary)
    if whole != text:
        return [whole]
    parts = [p for p in re.split(r"[;\n]", text) if p.strip()]
    if len(parts) == 1 and "," in text:
        commas = [_option_code(p, vocabulary) for p in text.split(",") if p.strip()]
        if all(code in {c for c, _l in vocabulary} for code in commas):
            return commas
    return [_option_code(p, vocabulary) for p in parts]


def value_to_text(fact: Fact | None, comparison: str, value: Any) -> str:
    if value is None or fact is None or comparison in NO_VALUE:
        return ""
    if fact.type in {FactType.CHOICE, FactType.PERSON_KIND, FactType.FLAGS}:
        labels = dict(_vocabulary(fact, None))
        values = value if isinstance(value, list) else [value]
        return "; ".join(str(labels.get(v, v)) for v in values)
    return str(value)


def _row_to_json(row: Any) -> dict:
    parsed = parse_fact_path(row.get("fact") or "")
    fact = parsed[0] if parsed else None
    comparison = row.get("comparison") or "eq"
    if fact is None:
        return {"==": [{"var": row.get("fact") or ""}, row.get("value") or ""]}
    months = row.get("months") if fact.per_months else None
    value = value_from_text(fact, comparison, row.get("value") or "")
    if comparison not in COMPARISONS:
        return {comparison: [{"var": fact_path(fact.key, months)}, value]}
    return _to_row_json(Row(fact, months, comparison, value))


def value_to_condition(value: Any) -> dict | None:
    """The JsonLogic of a block value (a StructValue or its plain dict); None when it has no rows."""
    items = []
    for child in value.get("items") or []:
        kind, child_value = (
            (child.block_type, child.value)
            if hasattr(child, "block_type")
            else (
                child.get("type"),
                child.get("value"),
            )
        )
        if kind == "group":
            rows = [_row_to_json(r) for r in child_value.get("rows") or []]
            if rows:
                items.append({GROUP_KEYS.get(child_value.get("match"), "and"): rows})
        else:
            items.append(_row_to_json(child_value))
    if not items:
        return None
    return {GROUP_KEYS.get(value.get("match"), "and"): items}


def _row_data(node: Any) -> dict:
    """A row's form data from a stored row, leniently (an unsound stored row still opens in the CMS)."""
    tree, _problems = parse_condition({"and": [node]})
    if tree and isinstance(tree.items[0], Row):
        row = tree.items[0]
        return {
            "fact": row.fact.key,
            "months": row.months,
            "comparison": row.op,
            "value": value_to_text(row.fact, row.op, row.value),
        }
    (operator, args), *_ = node.items() if isinstance(node, dict) and node else [("", [])]
    args = args if isinstance(args, list) else [args]
    path = next((p for p in map(_var_path, args) if p), "")
    parsed = parse_fact_path(path)
    other = next((a for a in args if _var_path(a) is None), "")
    return {
        "fact": parsed[0].key if parsed else path,
        "months": parsed[1] if parsed else None,
        "comparison": {"===": "true", "in": "in"}.get(operator, "eq"),
        "value": "" if other is None else str(other),
    }


def condition_to_value_data(condition: Any) -> dict:
    """The block's raw data (what `to_python` of a plain StructBlock takes) for a stored condition."""
    if not isinstance(condition, dict) or not condition:
        return {"match": ALL, "items": []}
    (operator, args), *_ = condition.items()
    if operator not in GROUP_OPERATORS:
        operator, args = "and", [condition]
    items = []
    for node in args if isinstance(args, list) else []:
        if isinstance(node, dict) and len(node) == 1 and next(iter(node)) in GROUP_OPERATORS:
            (inner, rows), *_ = node.items()
            rows = rows if isinstance(rows, list) else []
            group = {"match": GROUP_OPERATORS[inner], "rows": [_row_data(r) for r in rows]}
            items.append({"type": "group", "value": group})
        else:
            items.append({"type": "row", "value": _row_data(node)})
    return {"match": GROUP_OPERATORS[operator], "items": items}


def _is_block_data(value: Any) -> bool:
    return isinstance(value, dict) and "items" in value and "match" in value


class ConditionBlock(blocks.StructBlock):
    """ "Applies when": all of / any of, holding rows and groups of rows. Stores canonical JsonLogic."""

    match = blocks.ChoiceBlock(choices=MATCH_CHOICES, default=ALL, label="Applies when")
    items = blocks.StreamBlock(
        [("row", ConditionRowBlock()), ("group", ConditionGroupBlock())],
        required=False,
        help_text="Leave empty to apply in every case.",
    )

    class Meta:
        icon = "cog"
        label = "Applies when"
        label_format = "{match}"
        form_classname = "condition-block"

    def to_python(self, value: Any):
        return super().to_python(value if _is_block_data(value) else condition_to_value_data(value))

    def bulk_to_python(self, values: list[Any]) -> list:
        return [self.to_python(value) for value in values]

    def normalize(self, value: Any):
        if isinstance(value, self.meta.value_class):
            return value
        return self.to_python(value)

    def get_prep_value(self, value: Any) -> dict | None:
        return value_to_condition(value)

    def get_api_representation(self, value: Any, context: Any = None) -> dict | None:
        return value_to_condition(value)

    def clean(self, value: Any):
        value = super().clean(value)
        problems = condition_problems(value_to_condition(value))
        if problems:
            raise StructBlockValidationError(
                non_block_errors=ErrorList([ValidationError(p) for p in problems])
            )
        return value


__all__ = ["ConditionBlock", "ConditionGroupBlock", "ConditionRowBlock", "Group"]
