"""Issue 15: the apps' dependencies point one way. The case records (portal) never import the meetings,
forms or dashboards apps; nothing imports the demo loader, which may import everything. No app imports
an app in its own or a higher layer (scripts/import_graph.py's LAYERS), and no app's template loads a
higher app's tags or includes or extends a higher app's template."""

import importlib.util
from pathlib import Path

from django.conf import settings

from tests.test_rules_catalogue import ROOT

spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_graph)


def test_case_records_import_no_meetings_forms_or_dashboards():
    assert import_graph.importers("portal", {"workflows", "forms_builder", "dashboards", "demo"}) == []


def test_nothing_imports_the_demo_loader():
    importing = [
        f for app in import_graph.APPS if app != "demo" for f in import_graph.importers(app, {"demo"})
    ]
    assert importing == []


def test_dashboards_are_imported_by_no_app_below_them():
    below = [a for a in import_graph.APPS if import_graph.LAYERS[a] < import_graph.LAYERS["dashboards"]]
    assert [f for app in below for f in import_graph.importers(app, {"dashboards"})] == []


def test_the_script_sees_a_deferred_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import portal\n\ndef f():\n    from workflows import policy\n")
    assert import_graph.imports_of(module) == [("portal", False), ("workflows", True)]


def test_no_app_imports_an_app_in_its_own_or_a_higher_layer():
    graph = import_graph.edges()
    wrong = import_graph.upward(graph)
    files = [f for a, b in wrong for f in import_graph.importers(a, {b})]
    assert wrong == [], files


def test_no_template_uses_the_tags_or_templates_of_an_app_in_its_own_or_a_higher_layer():
    assert import_graph.upward(import_graph.template_dependencies()) == []


def test_the_audit_app_imports_no_other_app():
    """The recorder of history is the lowest layer: what reads the meetings' history lives with them."""
    assert import_graph.importers("audit", set(import_graph.APPS) - {"audit"}) == []


def test_every_project_app_has_a_layer():
    """A new app cannot escape the check by being left out of LAYERS."""
    project = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name.split(".")[0]).is_dir()}
    assert project == set(import_graph.APPS) == set(import_graph.LAYERS)


def test_an_edge_to_the_same_or_a_higher_layer_is_upward():
    # portal (2) -> workflows (4) goes up; home and demo share the top layer (7); workflows -> portal is down
    graph = {("portal", "workflows"): 1, ("workflows", "portal"): 1, ("home", "demo"): 1}
    assert import_graph.upward(graph) == [("home", "demo"), ("portal", "workflows")]


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_script_sees_a_template_load_include_or_extends_of_another_app(tmp_path):
    child = '{% load vocabulary_tags %}{% load static meeting_tags %}{% term "iro" %}'
    _write(tmp_path, "portal/child.html", child)  # two workflows libraries: one template
    _write(tmp_path, "audit/changes.html", '{% include "workflows/includes/field.html" %}')
    _write(tmp_path, "portal/page.html", "{% extends 'procedures/page.html' %}")  # a sub-app's folder
    _write(tmp_path, "dashboards/nav.html", "{% load oversight %}{% include 'dashboards/x.html' %}")
    _write(tmp_path, "base.html", "{% load meeting_tags %}")  # the project's, outside every app
    found = import_graph.template_dependencies(tmp_path)
    assert dict(found) == {("portal", "workflows"): 2, ("audit", "workflows"): 1}
    assert import_graph.upward(found) == [("audit", "workflows"), ("portal", "workflows")]
