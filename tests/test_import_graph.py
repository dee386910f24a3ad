"""Issue 15: the apps' dependencies point one way. The case records (portal) never import the meetings,
forms or dashboards apps; nothing imports the demo loader, which may import everything."""

import importlib.util

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
