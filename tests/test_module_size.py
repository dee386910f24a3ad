"""Issue 15: a codebase a newcomer finds their way in.

- No app module passes ~600 lines (STYLE: "A module past ~600 lines is two modules"); the test allows 650.
- No import is deferred into a function to dodge an import cycle: the cycle is fixed by moving the
  function to the module it belongs in. An import that must stay inside a function (an app's `ready()`,
  a module Wagtail imports while its own models load) says why on the line above it, `# deferred: ...`.

Migrations and tests are left out: a migration's imports are the schema's, a test's are its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_rules_catalogue import ROOT

APPS = ("audit", "outbox", "portal", "home", "workflows", "forms_builder", "reminders", "dashboards", "demo")
MAX_LINES = 650
REASON = "# deferred:"

# Modules other branches of issue 15 are changing at the same time. Each entry must still break its rule
# (the last test checks), so the entry is deleted when that branch lands, not left behind.
LONG_ELSEWHERE: dict[str, str] = {}
DEFERRED_ELSEWHERE: dict[str, str] = {}


def app_modules(root: Path = ROOT, apps: tuple[str, ...] = APPS) -> list[Path]:
    return sorted(
        path
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.relative_to(root).parts and "tests" not in path.relative_to(root).parts
    )


def too_long(paths: list[Path], root: Path = ROOT) -> dict[str, int]:
    """Modules over MAX_LINES, with their length."""
    found = {}
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found[str(path.relative_to(root))] = lines
    return found


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def unexplained_deferred_imports(path: Path) -> list[int]:
    """Line numbers of imports inside a function with no `# deferred:` reason on their line or on the
    comment line just above their group of imports. Imports under `if TYPE_CHECKING:` are annotations
    only and are not counted."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    deferred: list[ast.stmt] = []
    import_lines: set[int] = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                import_lines.update(range(child.lineno, child.end_lineno + 1))
                if in_function:
                    deferred.append(child)
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    unexplained = []
    for node in deferred:
        if REASON in lines[node.lineno - 1]:
            continue
        above = node.lineno - 1
        while above >= 1 and (above in import_lines or not lines[above - 1].strip()):
            above -= 1
        if above < 1 or not lines[above - 1].strip().startswith(REASON):
            unexplained.append(node.lineno)
    return unexplained


def deferred_without_reason(paths: list[Path], root: Path = ROOT) -> dict[str, list[int]]:
    found = {}
    for path in paths:
        lines = unexplained_deferred_imports(path)
        if lines:
            found[str(path.relative_to(root))] = lines
    return found


# --------------------------------------------------------------------------------------------------
# The checks read what they should (hand-written modules)
# --------------------------------------------------------------------------------------------------


def _module(tmp_path: Path, text: str) -> Path:
    app = tmp_path / "app"
    app.mkdir(exist_ok=True)
    path = app / "m.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_module_of_651_lines_is_too_long_and_one_of_650_is_not(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "long.py").write_text("x = 1\n" * 651, encoding="utf-8")
    (app / "fine.py").write_text("x = 1\n" * 650, encoding="utf-8")
    (app / "migrations").mkdir()
    (app / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900, encoding="utf-8")
    assert too_long(app_modules(tmp_path, ("app",)), tmp_path) == {"app/long.py": 651}


def test_an_import_inside_a_function_needs_its_reason(tmp_path):
    path = _module(
        tmp_path,
        "from typing import TYPE_CHECKING\n"  # 1
        "import json\n"  # 2
        "if TYPE_CHECKING:\n"  # 3
        "    from decimal import Decimal\n"  # 4
        "def f():\n"  # 5
        "    from os import path\n"  # 6: no reason
        "    return path\n"  # 7
        "def g():\n"  # 8
        "    # deferred: the app registry is not ready yet\n"  # 9
        "    from os import sep\n"  # 10
        "    from os import (\n"  # 11: same group as line 10
        "        linesep,\n"  # 12
        "    )\n"  # 13
        "    return sep, linesep\n"  # 14
        "def h():\n"  # 15
        "    import re  # deferred: heavy, and only this command needs it\n"  # 16
        "    x = 1\n"  # 17
        "    import csv\n"  # 18: the reason above belongs to line 16, not to this one
        "    return re, csv, x\n",  # 19
    )
    assert unexplained_deferred_imports(path) == [6, 18]


# --------------------------------------------------------------------------------------------------
# The apps
# --------------------------------------------------------------------------------------------------


def test_no_app_module_passes_650_lines():
    long = {path: n for path, n in too_long(app_modules()).items() if path not in LONG_ELSEWHERE}
    assert long == {}, "split these by concern: " + ", ".join(f"{p} ({n} lines)" for p, n in long.items())


def test_no_import_is_deferred_into_a_function_without_its_reason():
    found = {
        path: lines
        for path, lines in deferred_without_reason(app_modules()).items()
        if path not in DEFERRED_ELSEWHERE
    }
    assert found == {}, (
        "fix the import cycle by moving the function to the module it belongs in, or say on the line above "
        f"why the import must stay in the function ({REASON} ...): {found}"
    )


def test_every_module_waiting_for_another_branch_still_breaks_its_rule():
    """When the other branch lands, its entry here must go (so the rule then covers that module too)."""
    paths = app_modules()
    long = too_long(paths)
    deferred = deferred_without_reason(paths)
    assert [p for p in LONG_ELSEWHERE if p not in long] == []
    assert [p for p in DEFERRED_ELSEWHERE if p not in deferred] == []
