"""Write docs/facts.md from the fact catalogue, so the documentation never drifts from the code.

`manage.py fact_catalogue` prints it; `--write` replaces docs/facts.md; `--check` fails when they differ
(tests/workflows/test_facts.py runs the same comparison).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflows.conditions import COMPARISONS, COMPARISONS_FOR_TYPE
from workflows.facts import (
    FACT_TYPE_LABELS,
    FACTS,
    MAX_MONTHS,
    OPEN_VOCABULARIES,
    VOCABULARIES,
    Fact,
    FactType,
)

GROUPS = {
    "placement": "Placement",
    "child": "Child",
    "history": "History",
    "request": "Request",
    "meeting": "Meeting",
}


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "facts.md"


def _type(fact: Fact) -> str:
    words = FACT_TYPE_LABELS[fact.type]
    if fact.type == FactType.DURATION:
        words += f" ({fact.unit})"
    if fact.type == FactType.CHOICE:
        words = f"one option from the `{fact.vocabulary}` list"
    elif fact.vocabulary:
        words += f" (the `{fact.vocabulary}` list)"
    if fact.per_months:
        words += f", counted over the last N months (1 to {MAX_MONTHS})"
    return words


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    lines = [
        "# Fact catalogue",
        "",
        "<!-- Generated from workflows/facts.py by `manage.py fact_catalogue --write`; do not edit. -->",
        "",
        'The facts about a case that an "applies when" condition can test. The format of conditions, how',
        "they are evaluated and how they will be wired into meeting types is in",
        "[rules-as-data.md](rules-as-data.md).",
        "",
        "A condition names a fact by its key (`placement.length_years`); a history fact adds its window",
        "(`history.child_moves.last_12_months`). Facts marked *not recorded yet* are always unknown until",
        "the case record gains the field their help names.",
    ]
    for group, title in GROUPS.items():
        lines += ["", f"## {title}", "", "| key | label | type | help |", "| --- | --- | --- | --- |"]
        for fact in FACTS.values():
            if fact.group != group:
                continue
            label = fact.label + ("" if fact.recorded else " (*not recorded yet*)")
            lines.append(f"| `{fact.key}` | {_cell(label)} | {_cell(_type(fact))} | {_cell(fact.help)} |")
    lines += ["", "## Comparisons by type", "", "| type | comparisons |", "| --- | --- |"]
    for fact_type, names in COMPARISONS_FOR_TYPE.items():
        offered = ", ".join(COMPARISONS[name] for name in names)
        lines.append(f"| {FACT_TYPE_LABELS[fact_type]} | {offered} |")
    lines += ["", "## Lists", "", "Defaults until a pack edits its own copies."]
    for name, options in VOCABULARIES.items():
        lines += ["", f"### `{name}`", ""]
        if name in OPEN_VOCABULARIES and not options:
            lines.append("The meeting type's own list (its triggers); any short code until one is given.")
            continue
        lines += [f"- `{code}`: {label}" for code, label in options]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the fact catalogue as Markdown, or write or check docs/facts.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", action="store_true", help="Replace docs/facts.md.")
        parser.add_argument("--check", action="store_true", help="Fail when docs/facts.md is out of date.")

    def handle(self, *args, **options) -> None:
        text = render()
        path = doc_path()
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError("docs/facts.md is out of date: run manage.py fact_catalogue --write.")
            self.stdout.write("docs/facts.md matches the catalogue.")
        elif options["write"]:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}.")
        else:
            self.stdout.write(text, ending="")
