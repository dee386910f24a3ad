"""Writes the "Where" column of docs/rules.md: for each rule ID, the app modules that enforce it and the
test modules that prove it (files that name the ID). Run after adding a rule or moving its code:

    .venv/bin/python scripts/rules_catalogue.py          # rewrite docs/rules.md in place
    .venv/bin/python scripts/rules_catalogue.py --check  # exit 1 when a listed file no longer names it

tests/test_rules_catalogue.py fails when code or a test names an ID the catalogue lacks, when an ID has
no test, or when a listed file no longer names its ID.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
APPS = ("portal", "workflows", "forms_builder", "dashboards", "audit", "outbox", "reminders", "demo", "home")
# Underscores count as separators, so test names such as test_x__P9_D13 name P9 and D13.
ID = re.compile(r"(?<![A-Za-z0-9])([GPDB](?:1[0-9]|[1-9]))(?![A-Za-z0-9])")
ROW = re.compile(r"^\| \*\*(?P<id>[GPDB]\d+)\*\* \| (?P<text>.*?) \|(?P<where>.*)\|$")


def source_files() -> list[Path]:
    files = [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def test_files() -> list[Path]:
    return sorted((ROOT / "tests").rglob("test_*.py"))


def ids_named(path: Path) -> set[str]:
    return set(ID.findall(path.read_text(encoding="utf-8")))


def catalogue() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            rows[m["id"]] = (m["text"], m["where"].strip())
    return rows


def where(rule: str) -> str:
    enforced = [p for p in source_files() if rule in ids_named(p)]
    tested = [p for p in test_files() if rule in ids_named(p)]
    link = lambda p: f"[`{p.relative_to(ROOT)}`](../{p.relative_to(ROOT)})"  # noqa: E731
    parts = []
    if enforced:
        parts.append("enforced: " + ", ".join(link(p) for p in enforced[:4]))
    if tested:
        parts.append("tested: " + ", ".join(link(p) for p in tested[:4]))
    return "; ".join(parts) or "(nowhere yet)"


def rewrite() -> None:
    lines = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            line = f"| **{m['id']}** | {m['text']} | {where(m['id'])} |"
        lines.append(line)
    DOC.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stale_links() -> list[str]:
    problems = []
    for rule, (_text, cell) in catalogue().items():
        for path in re.findall(r"\]\(\.\./([^)]+)\)", cell):
            file = ROOT / path
            if not file.exists() or rule not in ids_named(file):
                problems.append(f"{rule}: {path} no longer names it")
    return problems


if __name__ == "__main__":
    if "--check" in sys.argv:
        problems = stale_links()
        print("\n".join(problems) or "docs/rules.md is up to date")
        sys.exit(1 if problems else 0)
    rewrite()
