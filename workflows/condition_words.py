"""Saying a condition back in plain English, from the fact catalogue's words (issue 10).

`condition_words(condition)`: "when the placement lasted at least 3 years and the placement ended
unplanned"; "always" when there is no condition, the first problem when the condition is not sound.
"""

from __future__ import annotations

from datetime import date

from .conditions import ALL, Group, Row, _vocabulary, parse_condition
from .facts import FactType, vocabulary_label

_NUMBER = {
    "eq": "is",
    "ne": "is not",
    "lt": "is less than",
    "le": "is at most",
    "gt": "is more than",
    "ge": "is at least",
}
_DURATION = {
    "eq": "exactly",
    "ne": "other than",
    "lt": "less than",
    "le": "at most",
    "gt": "more than",
    "ge": "at least",
}
_DATE = {
    "eq": "on",
    "ne": "on a day other than",
    "lt": "before",
    "le": "on or before",
    "gt": "after",
    "ge": "on or after",
}


def _lower_first(label: str) -> str:
    """'Agency fostering (IFA)' -> 'agency fostering (IFA)'; codes and acronyms ('U4: ...') stay."""
    if len(label) > 1 and label[0].isupper() and (label[1].islower() or label[1] == " "):
        return label[0].lower() + label[1:]
    return label


def _phrase(label: str, quote: bool) -> str:
    """A list option in a sentence; a flag that is itself a sentence (a trigger) is quoted."""
    label = _lower_first(label)
    return f"“{label}”" if quote and len(label.split()) > 2 else label


def _listed(parts: list[str], last: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"


def _day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _amount(value: int, unit: str) -> str:
    return f"{value} {unit[:-1] if value == 1 else unit}"


def row_words(row: Row, vocabularies: dict | None = None) -> str:
    fact, op, value = row.fact, row.op, row.value
    if op == "true":
        return fact.words
    if op == "false":
        return fact.false_words
    if op in {"empty", "not_empty"}:
        window = f" in the last {_amount(row.months, 'months')}" if row.months else ""
        return f"“{fact.label}”{window} is {'not ' if op == 'empty' else ''}recorded"
    if fact.type == FactType.NUMBER:
        window = ""
        if row.months:
            window = " in the last month" if row.months == 1 else f" in the last {row.months} months"
        return f"{fact.words}{window} {_NUMBER[op]} {value:g}"
    if fact.type == FactType.DURATION:
        return f"{fact.words} {_DURATION[op]} {_amount(value, fact.unit)}"
    if fact.type == FactType.DATE:
        return f"{fact.words} {_DATE[op]} {_day(value)}"
    vocabulary = _vocabulary(fact, vocabularies)
    quote = fact.type == FactType.FLAGS
    labels = [_phrase(vocabulary_label(vocabulary, v), quote) for v in (value if op == "in" else [value])]
    if fact.type == FactType.FLAGS:
        return f"{fact.words} {labels[0]}"
    if fact.type == FactType.PERSON_KIND:
        if op == "ne":
            return f"{fact.words} someone other than {labels[0]}"
        return f"{fact.words} {_listed(labels, 'or')}"
    if op == "ne":
        return f"{fact.words} is not {labels[0]}"
    return f"{fact.words} is {_listed(labels, 'or')}"


def tree_words(group: Group, vocabularies: dict | None = None, nested: bool = False) -> str:
    parts = [
        row_words(item, vocabularies) if isinstance(item, Row) else tree_words(item, vocabularies, True)
        for item in group.items
    ]
    if len(parts) == 1:
        return parts[0]
    joined = _listed(parts, "and" if group.match == ALL else "or")
    if not nested:
        return joined
    if group.match == ALL:
        return f"both {joined}" if len(parts) == 2 else f"all of {joined}"
    return f"either {joined}"


def condition_words(condition: object, vocabularies: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The condition in plain English: "when the placement lasted at least 3 years and ...".

    "always" when there is no condition; the first problem when the condition is not sound.
    """
    tree, problems = parse_condition(condition, vocabularies)
    if problems:
        return problems[0]
    if tree is None or not tree.items:
        return "always"
    return "when " + tree_words(tree, vocabularies)
