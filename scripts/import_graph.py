"""Print the import graph between the project's apps (issue 15): which app imports which, how often, and
how many of those imports are deferred into functions. Migrations are left out (their dependencies are
the schema's, not the code's).

    .venv/bin/python scripts/import_graph.py          # edges, one per line, and any cycle
    .venv/bin/python scripts/import_graph.py --dot    # Graphviz

Only Python imports are read (``import x`` and ``from x import y``, at any depth); a template's
``{% load %}`` of another app's tags is listed separately, as it is a dependency too.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("audit", "outbox", "portal", "workflows", "forms_builder", "reminders", "dashboards", "demo")
# Layers, lowest first: an app may import only apps in lower layers (or its own).
LAYERS = {
    "audit": 0,
    "outbox": 0,
    "portal": 1,
    "forms_builder": 2,
    "workflows": 3,
    "reminders": 4,
    "dashboards": 5,
    "demo": 6,
}
# The project's URL configuration and settings live in portal/ but are the project, not the case records.
PROJECT_MODULES = ("portal/settings", "portal/urls.py", "portal/asgi.py", "portal/wsgi.py")
TAG_LIBRARIES = {"meeting_tags": "workflows", "oversight": "dashboards"}


def _python_files(app: str) -> list[Path]:
    return sorted(
        p
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and not str(p.relative_to(ROOT)).startswith(PROJECT_MODULES)
    )


def _app_of(module: str) -> str | None:
    top = module.split(".", 1)[0]
    return top if top in APPS else None


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(imported app, deferred?) for every import of another project app in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # annotations only: not a runtime dependency
            if isinstance(child, ast.Import):
                found.extend((app, deferred) for alias in child.names if (app := _app_of(alias.name)))
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                app = _app_of(child.module)
                if app:
                    found.append((app, deferred))
            visit(child, inner)

    visit(tree, False)
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def edges() -> dict[tuple[str, str], Counter]:
    """(from app, to app) -> Counter with 'imports' and 'deferred'."""
    graph: dict[tuple[str, str], Counter] = {}
    for app in APPS:
        for path in _python_files(app):
            for target, deferred in imports_of(path):
                if target == app:
                    continue
                counts = graph.setdefault((app, target), Counter())
                counts["imports"] += 1
                counts["deferred"] += deferred
    return graph


def importers(source: str, targets: set[str]) -> list[str]:
    """Files of ``source`` that import any of ``targets``: 'path: app'."""
    return [
        f"{path.relative_to(ROOT)}: {target}"
        for path in _python_files(source)
        for target, _deferred in imports_of(path)
        if target in targets
    ]


def template_loads() -> Counter:
    """(template folder's app, tag library's app) for each {% load %} of another app's tags."""
    counts: Counter = Counter()
    for path in (ROOT / "templates").rglob("*.html"):
        folder = path.relative_to(ROOT / "templates").parts[0]
        for library in re.findall(r"{%\s*load\s+([\w ]+?)\s*%}", path.read_text(encoding="utf-8")):
            for name in library.split():
                owner = TAG_LIBRARIES.get(name)
                if owner and owner != folder and folder in APPS:
                    counts[(folder, owner)] += 1
    return counts


def upward(graph: dict[tuple[str, str], Counter]) -> list[tuple[str, str]]:
    """Edges that point from a lower layer to a higher one (or across one layer)."""
    return sorted((a, b) for a, b in graph if LAYERS[b] >= LAYERS[a])


def main(argv: list[str]) -> int:
    graph = edges()
    if "--dot" in argv:
        print("digraph apps {")
        for (a, b), counts in sorted(graph.items()):
            style = ' [color="red"]' if (a, b) in upward(graph) else ""
            print(f'  "{a}" -> "{b}" [label="{counts["imports"]}"]{style};')
        print("}")
        return 0
    print("Imports between apps (migrations and the project's settings and URLs left out):")
    for (a, b), counts in sorted(graph.items(), key=lambda item: (LAYERS[item[0][0]], item[0])):
        deferred = f", {counts['deferred']} deferred" if counts["deferred"] else ""
        print(f"  {a:>13} -> {b:<13} {counts['imports']:>3} imports{deferred}")
    loads = template_loads()
    if loads:
        print("Template tag libraries loaded from another app's templates:")
        for (a, b), n in sorted(loads.items()):
            print(f"  {a:>13} -> {b:<13} {n:>3} templates")
    wrong = upward(graph)
    print("Pointing the wrong way (lower layer importing a higher or equal one):", wrong or "none")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
