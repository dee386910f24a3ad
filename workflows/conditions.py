"""Conditions: "applies when" tests on the facts of a case, stored as JsonLogic (issue 10).

Format. A condition is a JsonLogic expression (jsonlogic.com) restricted to the shapes a policy owner can
build with form controls, so every stored condition can be validated, edited in the CMS and said back in
words. `None` (or `{}`) means "always". Otherwise the top is a group, `{"and": [...]}` (all of) or
`{"or": [...]}` (any of), holding rows and at most one further level of groups. A row compares one fact,
named by `{"var": "<fact key>"}` (history facts add their window: `history.child_moves.last_12_months`),
with a value:

    is / is not                  {"==": [fact, v]}            {"!=": [fact, v]}
    less, at most, more, at least {"<": [fact, v]}  "<="  ">"  ">="   (numbers, lengths of time, dates)
    is one of                    {"in": [fact, [v1, v2]]}      (choices)
    includes                     {"in": [v, fact]}             (lists of flags)
    is yes / is no               {"===": [fact, true]}  {"===": [fact, false]}
    is not recorded / recorded   {"===": [fact, null]}  {"!==": [fact, null]}
                                 (for flags: {"!": [fact]}  {"!!": [fact]})

Dates are ISO strings ("2024-04-01"), which compare in date order as strings in every JsonLogic
implementation; lengths of time are whole numbers of the fact's unit. A fact that is not recorded (None)
satisfies only "is not recorded" and "is not ...".

Why JsonLogic, evaluated by maykin-json-logic-py. Both candidates the issue names were tried:
- `rule-engine` (5.x, maintained) is a typed expression language, but a condition is then a string of
  its own grammar: the CMS would have to generate and re-parse text to show rows and words, and only a
  Python program can evaluate it.
- JsonLogic is a documented, portable JSON format with implementations for JavaScript, PHP, Go, Rust,
  Java and .NET, so an exported pack or a browser preview can evaluate the same condition. Its tree
  *is* the form's structure (group -> rows), so validating, editing and wording are walks of a tree.
  Of its Python implementations, `json-logic` and `json-logic-qubit` are unmaintained (2015, 2018);
  `maykin-json-logic-py` is maintained (releases through 2026) and used in production by Open Forms;
  it returns None instead of raising when a comparison meets an unknown value. Pinned to 0.16.0: 0.16.1
  uses Python 3.12 syntax and declares no Python requirement, and this project runs 3.11.
The library evaluates only conditions this module has validated, so no expression from a pack reaches it
unchecked, and nothing is ever `eval`ed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from json_logic import jsonLogic

from .facts import (
    FACTS,
    MAX_MONTHS,
    OPEN_VOCABULARIES,
    VOCABULARIES,
    Fact,
    FactType,
    fact_path,
    parse_fact_path,
)

ALL = "all"
ANY = "any"
GROUP_OPERATORS = {"and": ALL, "or": ANY}
GROUP_KEYS = {ALL: "and", ANY: "or"}

# Comparisons, by the name the CMS uses; their JsonLogic operator is in `_to_row_json`.
COMPARISONS = {
    "eq": "is",
    "ne": "is not",
    "lt": "is less than (or before)",
    "le": "is at most (or on or before)",
    "gt": "is more than (or after)",
    "ge": "is at least (or on or after)",
    "in": "is one of",
    "contains": "includes",
    "true": "is yes",
    "false": "is no",
    "empty": "is not recorded",
    "not_empty": "is recorded",
}
ORDERED = ("eq", "ne", "lt", "le", "gt", "ge")
COMPARISONS_FOR_TYPE = {
    FactType.BOOL: ("true", "false", "empty", "not_empty"),
    FactType.NUMBER: (*ORDERED, "empty", "not_empty"),
    FactType.DURATION: (*ORDERED, "empty", "not_empty"),
    FactType.DATE: (*ORDERED, "empty", "not_empty"),
    FactType.CHOICE: ("eq", "ne", "in", "empty", "not_empty"),
    FactType.PERSON_KIND: ("eq", "ne", "in", "empty", "not_empty"),
    FactType.FLAGS: ("contains", "empty", "not_empty"),
}
NO_VALUE = frozenset({"true", "false", "empty", "not_empty"})
_ORDER_OPS = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
ROW_OPERATORS = frozenset({*_ORDER_OPS, "in", "===", "!==", "!", "!!"})

MAX_GROUP_DEPTH = 2  # the top group and one level of groups inside it: what the CMS block can edit
MAX_ROWS = 50
MAX_LIST = 100
_OPEN_CODE = re.compile(r"^[a-z0-9_-]{1,80}$")


class ConditionError(ValueError):
    """A condition that cannot be used; `problems` are plain sentences for a policy owner."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class Row:
    fact: Fact
    months: int | None
    op: str
    value: Any = None

    @property
    def path(self) -> str:
        return fact_path(self.fact.key, self.months)


@dataclass
class Group:
    match: str
    items: list[Row | Group]


# --------------------------------------------------------------------------------------------------
# Reading (and validating) a stored condition
# --------------------------------------------------------------------------------------------------


def _show(value: object) -> str:
    """A bounded, readable rendering of a value someone typed (never the whole of a hostile input)."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except RecursionError:
        text = "…"
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _options(vocabulary: list[tuple[str, str]]) -> str:
    labels = [label for _code, label in vocabulary]
    shown = ", ".join(labels[:8])
    return shown + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")


def _vocabulary(fact: Fact, vocabularies: dict[str, list[tuple[str, str]]] | None) -> list[tuple[str, str]]:
    if vocabularies and fact.vocabulary in vocabularies:
        return list(vocabularies[fact.vocabulary])
    return VOCABULARIES.get(fact.vocabulary, [])


def _is_open(fact: Fact, vocabulary: list[tuple[str, str]]) -> bool:
    return fact.vocabulary in OPEN_VOCABULARIES and not vocabulary


def _var_path(node: object) -> str | None:
    """The path of a `{"var": "..."}` node (also `{"var": ["..."]}`), or None."""
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        path = node["var"]
        if isinstance(path, list) and len(path) == 1:
            path = path[0]
        return path if isinstance(path, str) else None
    return None


class _Reader:
    def __init__(self, vocabularies: dict[str, list[tuple[str, str]]] | None) -> None:
        self.vocabularies = vocabularies
        self.problems: list[str] = []
        self.rows = 0

    def fail(self, sentence: str) -> None:
        if sentence not in self.problems:
            self.problems.append(sentence)

    def node(self, node: object, depth: int) -> Row | Group | None:
        if not isinstance(node, dict) or len(node) != 1:
            self.fail(
                "Each part of a condition must be a group (all of, any of) or one row comparing a fact "
                f"with a value; {_show(node)} is neither."
            )
            return None
        (operator, args), *_ = node.items()
        if operator in GROUP_OPERATORS:
            return self.group(GROUP_OPERATORS[operator], args, depth + 1)
        if operator in ROW_OPERATORS:
            return self.row(operator, args)
        self.fail(
            f"The condition uses {_show(operator)}, which is not one of the comparisons the portal offers."
        )
        return None

    def group(self, match: str, args: object, depth: int) -> Group | None:
        if depth > MAX_GROUP_DEPTH:
            self.fail("Groups can hold rows and groups of rows, but no deeper, so the CMS can show them.")
            return None
        if not isinstance(args, list) or not args:
            self.fail("An “all of” or “any of” group must hold at least one row.")
            return None
        items = [self.node(item, depth) for item in args[: MAX_ROWS + 1]]
        if len(args) > MAX_ROWS:
            self.fail(f"A group can hold at most {MAX_ROWS} rows.")
        return Group(match, [item for item in items if item is not None])

    def row(self, operator: str, args: object) -> Row | None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            self.fail(f"A condition can hold at most {MAX_ROWS} rows.")
            return None
        if operator in {"!", "!!"} and not isinstance(args, list):
            args = [args]
        if not isinstance(args, list) or len(args) != (1 if operator in {"!", "!!"} else 2):
            self.fail(f"A row using {_show(operator)} must compare one fact with one value.")
            return None
        if operator == "in" and _var_path(args[1]) is not None and _var_path(args[0]) is None:
            return self.fact_row(args[1], "contains", args[0])
        if operator in {"!", "!!"}:
            op = "empty" if operator == "!" else "not_empty"
            return self.fact_row(args[0], op, None, flags_only=True)
        if operator in {"===", "!=="} and args[1] is None:
            op = "empty" if operator == "===" else "not_empty"
            return self.fact_row(args[0], op, None, scalar_only=True)
        if operator == "!==":
            self.fail(
                "A row using “!==” can only ask whether a fact is recorded, "
                f"not compare it with {_show(args[1])}."
            )
            return None
        if operator == "===":
            if args[1] is True or args[1] is False:
                return self.fact_row(args[0], "true" if args[1] else "false", None)
            found = self.fact(args[0])
            if found and found[0].type == FactType.BOOL:
                self.fail(f"“{found[0].label}” can only be compared with yes or no, not {_show(args[1])}.")
            elif found:
                self.fail(
                    f"“{found[0].label}” needs “is” rather than a strict comparison (===) with a value."
                )
            return None
        if operator == "in":
            return self.fact_row(args[0], "in", args[1])
        op = _ORDER_OPS[operator]
        if args[1] is None and op in {"eq", "ne"}:
            return self.fact_row(args[0], "empty" if op == "eq" else "not_empty", None, scalar_only=True)
        return self.fact_row(args[0], op, args[1])

    def fact(self, node: object) -> tuple[Fact, int | None] | None:
        path = _var_path(node)
        if path is None:
            self.fail(f"A row must start with a fact of the case; {_show(node)} is not one.")
            return None
        found = parse_fact_path(path)
        if found is None:
            head = path.rpartition(".")[0]
            if path in FACTS or head in FACTS:
                fact = FACTS.get(path) or FACTS[head]
                self.fail(f"“{fact.label}” cannot take {_show(path.rpartition('.')[2])}.")
            else:
                self.fail(f"There is no fact called {_show(path)}.")
            return None
        fact, months = found
        if fact.per_months and months is None:
            self.fail(f"“{fact.label}” needs the number of months to look back over.")
            return None
        if months is not None and not 1 <= months <= MAX_MONTHS:
            self.fail(f"The months to look back over for “{fact.label}” must be between 1 and {MAX_MONTHS}.")
            return None
        return fact, months

    def fact_row(
        self, node: object, op: str, value: object, *, flags_only: bool = False, scalar_only: bool = False
    ) -> Row | None:
        found = self.fact(node)
        if found is None:
            return None
        fact, months = found
        allowed = COMPARISONS_FOR_TYPE[fact.type]
        wrong_form = (flags_only and fact.type != FactType.FLAGS) or (
            scalar_only and fact.type == FactType.FLAGS
        )
        if op not in allowed or wrong_form:
            names = [COMPARISONS[name] for name in allowed]
            choices = f"{', '.join(names[:-1])} or {names[-1]}"
            self.fail(f"“{fact.label}” cannot use “{COMPARISONS[op]}”: choose {choices}.")
            return None
        row = Row(fact, months, op)
        if op not in NO_VALUE:
            row.value = self.value(fact, op, value)
            if row.value is None:
                return None
        return row

    def value(self, fact: Fact, op: str, value: object) -> object:
        """The row's value when it suits the fact, else None with a sentence recorded."""
        if value == "" or value == []:
            self.fail(f"Give a value for “{fact.label}”.")
            return None
        if fact.type in {FactType.NUMBER, FactType.DURATION}:
            whole = fact.type == FactType.DURATION
            number_ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not number_ok or not math.isfinite(value) or (whole and value != int(value)):
                kind = f"a whole number of {fact.unit}" if whole else "a number"
                self.fail(f"“{fact.label}” needs {kind}, not {_show(value)}.")
                return None
            if value < 0:
                self.fail(f"“{fact.label}” cannot be less than 0.")
                return None
            return int(value) if whole or value == int(value) else value
        if fact.type == FactType.DATE:
            try:
                day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
            except ValueError:
                day = None
            if day is None:
                self.fail(f"“{fact.label}” needs a date written like 2024-04-01, not {_show(value)}.")
                return None
            return day.isoformat()
        vocabulary = _vocabulary(fact, self.vocabularies)
        if op == "in":
            if not isinstance(value, list) or not value or len(value) > MAX_LIST:
                self.fail(f"“{fact.label}” is one of needs a list of options, not {_show(value)}.")
                return None
            values = [self.option(fact, item, vocabulary) for item in value]
            return values if all(v is not None for v in values) else None
        return self.option(fact, value, vocabulary)

    def option(self, fact: Fact, value: object, vocabulary: list[tuple[str, str]]) -> str | None:
        if _is_open(fact, vocabulary):
            if isinstance(value, str) and _OPEN_CODE.match(value):
                return value
            self.fail(
                f"“{fact.label}” needs a short code of small letters, digits and underscores, "
                f"not {_show(value)}."
            )
            return None
        if not isinstance(value, str) or value not in {code for code, _label in vocabulary}:
            self.fail(f"“{fact.label}” has no option {_show(value)}: choose from {_options(vocabulary)}.")
            return None
        return value


def parse_condition(
    condition: object, vocabularies: dict[str, list[tuple[str, str]]] | None = None
) -> tuple[Group | None, list[str]]:
    """The condition as a tree (None for "always") and the problems found, as sentences.

    Never raises, whatever JSON it is given. A bare row is read as a group of one row.
    """
    if condition is None or condition == {}:
        return None, []
    reader = _Reader(vocabularies)
    try:
        node = reader.node(condition, 0)
    except RecursionError:  # pragma: no cover - depth is capped long before this
        return None, ["The condition is nested too deeply to read."]
    if isinstance(node, Row):
        node = Group(ALL, [node])
    if reader.problems:
        return None, reader.problems
    return node, []


def condition_problems(
    condition: object, vocabularies: dict[str, list[tuple[str, str]]] | None = None
) -> list[str]:
    """What is wrong with a condition, as plain sentences for a policy owner; empty when it is sound."""
    return parse_condition(condition, vocabularies)[1]


# --------------------------------------------------------------------------------------------------
# Writing the canonical form
# --------------------------------------------------------------------------------------------------


def _to_row_json(row: Row) -> dict:
    var = {"var": row.path}
    op = row.op
    if op == "contains":
        return {"in": [row.value, var]}
    if op == "in":
        return {"in": [var, list(row.value)]}
    if op in {"true", "false"}:
        return {"===": [var, op == "true"]}
    if op in {"empty", "not_empty"}:
        if row.fact.type == FactType.FLAGS:
            return {"!" if op == "empty" else "!!": [var]}
        # Strict: in JsonLogic `false == null` is true in some implementations, `false === null` in none.
        return {"===" if op == "empty" else "!==": [var, None]}
    return {next(k for k, v in _ORDER_OPS.items() if v == op): [var, row.value]}


def tree_to_condition(tree: Group | None) -> dict | None:
    """The canonical JsonLogic of a tree; None for "always" (an empty top group too)."""

    def write(node: Row | Group) -> dict:
        if isinstance(node, Row):
            return _to_row_json(node)
        return {GROUP_KEYS[node.match]: [write(item) for item in node.items]}

    if tree is None or not tree.items:
        return None
    return write(tree)


def normalise_condition(
    condition: object, vocabularies: dict[str, list[tuple[str, str]]] | None = None
) -> dict | None:
    """The canonical form of a sound condition; raises `ConditionError` with sentences otherwise."""
    tree, problems = parse_condition(condition, vocabularies)
    if problems:
        raise ConditionError(problems)
    return tree_to_condition(tree)


def _walk(node: object, depth: int = 0) -> Iterator[str]:
    """Every variable path in any JSON, however malformed (bounded depth)."""
    if depth > 20:
        return
    path = _var_path(node)
    if path is not None:
        yield path
    elif isinstance(node, dict):
        for value in list(node.values())[:MAX_LIST]:
            yield from _walk(value, depth + 1)
    elif isinstance(node, list):
        for value in node[:MAX_LIST]:
            yield from _walk(value, depth + 1)


def condition_names(condition: object, fact: str) -> bool:
    """Whether the condition reads the fact anywhere (its variable paths, not its text)."""
    return any(path == fact for path in _walk(condition))


def referenced_windows(condition: object) -> set[tuple[str, int]]:
    """The (history fact, months) windows a condition names: what its snapshot must compute."""
    found = set()
    for path in _walk(condition):
        parsed = parse_fact_path(path)
        if parsed and parsed[1] is not None:
            found.add((parsed[0].key, parsed[1]))
    return found


# --------------------------------------------------------------------------------------------------
# Evaluating
# --------------------------------------------------------------------------------------------------


def _snapshot_has(snapshot: dict, path: str) -> bool:
    node: object = snapshot
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def condition_matches(
    condition: object,
    snapshot: dict,
    vocabularies: dict[str, list[tuple[str, str]]] | None = None,
) -> bool:
    """Whether the case whose facts are `snapshot` satisfies the condition ("always" when None).

    The condition is validated first (a stored condition that no longer validates raises
    `ConditionError`), and the snapshot must hold every fact it names, so a missing history window is
    an error rather than a silent "no".
    """
    canonical = normalise_condition(condition, vocabularies)
    if canonical is None:
        return True
    missing = sorted(path for path in _walk(canonical) if not _snapshot_has(snapshot, path))
    if missing:
        raise KeyError(f"The fact snapshot lacks {', '.join(missing)}: build it with this condition.")
    return bool(jsonLogic(canonical, snapshot))


def condition_requires(
    condition: object,
    path: str,
    value: object,
    vocabularies: dict[str, list[tuple[str, str]]] | None = None,
) -> bool:
    """Whether every case the condition holds for has the fact `path` equal to `value` ("this gate
    applies only when the meeting was requested late": `condition_requires(when,
    "meeting.requested_late", True)`).

    Read from the condition's tree, not its text: a row asking for the fact requires it; "all of"
    requires it when any of its parts does, "any of" only when every part does. "Always" (None) and a
    condition that does not validate require nothing.
    """
    tree, problems = parse_condition(condition, vocabularies)
    if problems or tree is None:
        return False

    def requires(node: Row | Group) -> bool:
        if isinstance(node, Group):
            if not node.items:
                return False
            parts = [requires(item) for item in node.items]
            return any(parts) if node.match == ALL else all(parts)
        if node.path != path:
            return False
        if node.op in {"true", "false"}:
            return value is (node.op == "true")
        if node.op == "in":
            return list(node.value) == [value]
        return node.op == "eq" and node.value == value

    return requires(tree)


def condition_for_categories(categories: list[str] | tuple[str, ...] | None) -> dict | None:
    """Today's `categories` filter of a list entry as a condition: the mechanical step of the migration.

    An empty list applied to every placement type, so it becomes "always" (None).
    """
    if not categories:
        return None
    return {"and": [{"in": [{"var": "placement.type"}, list(categories)]}]}
