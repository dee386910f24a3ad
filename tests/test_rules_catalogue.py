"""The project's own rule catalogue (docs/rules.md) is the one list of rule IDs: nothing names an ID it
lacks, every ID has a test, and its links point at files that still name the ID."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("rules_catalogue", ROOT / "scripts" / "rules_catalogue.py")
rules_catalogue = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rules_catalogue)


def test_every_rule_id_named_in_code_or_tests_is_in_the_catalogue():
    known = set(rules_catalogue.catalogue())
    unknown = {
        f"{path.relative_to(ROOT)}: {rule}"
        for path in rules_catalogue.source_files() + rules_catalogue.test_files()
        for rule in rules_catalogue.ids_named(path) - known
    }
    assert not unknown, f"IDs not in docs/rules.md: {sorted(unknown)}"


def test_every_rule_in_the_catalogue_is_named_by_a_test():
    tested = set().union(*(rules_catalogue.ids_named(p) for p in rules_catalogue.test_files()))
    untested = set(rules_catalogue.catalogue()) - tested
    assert not untested, f"rules no test names: {sorted(untested)}"


def test_the_catalogue_links_only_to_files_that_still_name_the_rule():
    assert rules_catalogue.stale_links() == []


def test_the_catalogue_covers_the_four_families_in_order():
    ids = list(rules_catalogue.catalogue())
    assert ids[:8] == [f"G{n}" for n in range(1, 9)]
    assert [i for i in ids if i.startswith("P")] == [f"P{n}" for n in range(1, 10)]
    assert [i for i in ids if i.startswith("D")] == [f"D{n}" for n in range(1, 14)]
    assert [i for i in ids if i.startswith("B")] == [f"B{n}" for n in range(1, 10)]
