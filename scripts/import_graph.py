"""Print the import graph between the project's apps (issue 15): which app imports which, how often, and
how many of those imports are deferred into functions. Migrations are left out (their dependencies are
the schema's, not the code's).

    .venv/bin/python scripts/import_graph.py          # edges, one per line, and any cycle
    .venv/bin/python scripts/import_graph.py --dot    # Graphviz

Only Python imports are read (``import x`` and ``from x import y``, at any depth); a template's
``{% load %}`` of another app's tag library, and its ``{% include %}`` or ``{% extends %}`` of another
app's template, are listed separately, as they are dependencies too. A template belongs to the app its
folder under templates/ is named after (a sub-app's folder, such as ``procedures``, to the app holding it).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("audit", "outbox", "portal", "workflows", "forms_builder", "reminders", "dashboards", "home", "demo")
# Layers, lowest first: an app may import only apps in lower layers (or its own). The history recorder
# (audit) is below the outbox, which records who queued and sent a message through it.
LAYERS = {
    "audit": 0,
    "outbox": 1,
    "portal": 2,
    "forms_builder": 3,
    "workflows": 4,
    "reminders": 5,
    "dashboards": 6,
    "home": 7,
    "demo": 7,
}
# The project's URL configuration and settings live in portal/ but are the project, not the case records.
PROJECT_MODULES = ("portal/settings", "portal/urls.py", "portal/asgi.py", "portal/wsgi.py")
TEMPLATE_TAGS = re.compile(r"{%\s*load\s+([\w ]+?)\s*%}")
TEMPLATE_PATHS = re.compile(r"""{%\s*(?:include|extends)\s+["']([\w-]+)/""")


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


def tag_libraries() -> dict[str, str]:
    """Tag library name -> the app whose templatetags package holds it (sub-apps included)."""
    return {
        path.stem: app
        for app in APPS
        for path in (ROOT / app).rglob("templatetags/*.py")
        if path.stem != "__init__"
    }


def template_folders() -> dict[str, str]:
    """Folder under templates/ -> the app it belongs to: each app's own, and its sub-apps'."""
    folders = {app: app for app in APPS}
    for app in APPS:
        for config in (ROOT / app).rglob("apps.py"):
            if config.parent != ROOT / app:
                folders[config.parent.name] = app
    return folders


def template_dependencies(templates: Path = ROOT / "templates") -> Counter:
    """(template's app, other app) -> how many templates load that app's tags or include or extend one
    of its templates. Templates outside an app's folder (base.html, the error pages) are the project's."""
    libraries, folders = tag_libraries(), template_folders()
    counts: Counter = Counter()
    for path in sorted(templates.rglob("*.html")):
        owner = folders.get(path.relative_to(templates).parts[0])
        if owner is None:
            continue
        text = path.read_text(encoding="utf-8")
        names = {libraries.get(n) for loaded in TEMPLATE_TAGS.findall(text) for n in loaded.split()}
        names |= {folders.get(folder) for folder in TEMPLATE_PATHS.findall(text)}
        for other in names - {None, owner}:
            counts[(owner, other)] += 1
    return counts


def upward(graph) -> list[tuple[str, str]]:
    """Edges (of imports or of templates) that point from a lower layer to a higher one or across one."""
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
    templates = template_dependencies()
    if templates:
        print("Templates using another app's tags or templates ({% load %}, {% include %}, {% extends %}):")
        for (a, b), n in sorted(templates.items(), key=lambda item: (LAYERS[item[0][0]], item[0])):
            print(f"  {a:>13} -> {b:<13} {n:>3} templates")
    wrong, wrong_templates = upward(graph), upward(templates)
    print("Pointing the wrong way (lower layer importing a higher or equal one):", wrong or "none")
    print("Templates pointing the wrong way:", wrong_templates or "none")
    return 1 if wrong or wrong_templates else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
