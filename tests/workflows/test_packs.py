"""Packs ship as data: load (idempotent), validate with clear errors, export and import (JSON and YAML)."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from workflows.models import MeetingType, ProcedurePack
from workflows.packs import PackError, pack_export, pack_load, pack_validate
from workflows.shipped import shipped_waiting

from .factories import pack_data, timing_of


def revisions_of(mt: MeetingType) -> int:
    return Revision.objects.for_instance(mt).count()


def test_load_packs_command_loads_both_packs_and_is_idempotent(db):
    out = StringIO()
    call_command("load_packs", stdout=out)
    assert set(ProcedurePack.objects.values_list("slug", flat=True)) == {"county", "regional"}
    assert set(MeetingType.objects.values_list("code", flat=True)) == {"PSM", "DM", "BPM"}
    assert all(mt.live for mt in MeetingType.objects.all())
    counts = {mt.code: revisions_of(mt) for mt in MeetingType.objects.all()}
    call_command("load_packs", stdout=StringIO())
    assert {mt.code: revisions_of(mt) for mt in MeetingType.objects.all()} == counts
    assert "Loaded pack county" in out.getvalue()


def test_shipped_packs_keep_local_names_as_settings(db):
    county = pack_load(pack_data("county"))
    assert county.setting("case_record_system") == "LCS"
    assert county.setting("document_store") == "Documentum"
    assert county.setting("conference_request_queue").endswith("@county.example.org")
    regional = pack_load(pack_data("regional"))
    assert regional.setting("category_specialist_childrens_home")
    assert regional.setting("category_specialist_fostering_agency")


def test_changed_value_arrives_as_a_draft_only_for_that_type(db):
    """A pack never publishes over live policy: the changed type gets a draft revision, not a live one."""
    data = pack_data("county")
    pack = pack_load(data)
    psm, dm = MeetingType.objects.get(code="PSM"), MeetingType.objects.get(code="DM")
    before = (revisions_of(psm), revisions_of(dm))
    live = psm.live_revision_id
    changed = copy.deepcopy(data)
    changed["meeting_types"][0]["timing"][0]["latest"] = 7
    pack_load(changed)
    psm.refresh_from_db()
    assert (revisions_of(psm), revisions_of(dm)) == (before[0] + 1, before[1])
    assert psm.live_revision_id == live and timing_of(psm.live_revision.as_object())["latest"] == 5
    assert timing_of(shipped_waiting(psm).pending_revision.as_object())["latest"] == 7
    assert pack.pk == ProcedurePack.objects.get(slug="county").pk


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ("meeting_types", 0, "timing", 0, "latest"),
            "five",
            "meeting_types[0].timing[0].latest: Enter a whole number.",
        ),
        (
            ("meeting_types", 0, "gates", 0, "approvers", 0, "role"),
            "headteacher",
            "meeting_types[0].gates[0].approvers[0].role: Select a valid choice. headteacher is not one of "
            "the available choices.",
        ),
        (
            ("meeting_types", 0, "timing", 0, "unit"),
            "fortnights",
            "meeting_types[0].timing[0].unit: Select a valid choice. fortnights is not one of the available "
            "choices.",
        ),
        (
            ("meeting_types", 1, "timing", 0, "earliest"),
            50,
            "meeting_types[1].timing: When, entry 1: The latest day (42) cannot be before the earliest day "
            "(50).",
        ),
        (
            ("meeting_types", 1, "share_approved_minutes_with"),
            "nobody",
            "meeting_types[1].share_approved_minutes_with: The pack has no setting called nobody.",
        ),
        (("meeting_types", 0, "colour"), "blue", "meeting_types[0].colour: unknown setting."),
        (("default_calendar",), "XYZ", "default_calendar: 'XYZ' is not one of ENG, WLS, SCT, NIR."),
        (
            ("format",),
            1,
            "format: this file is pack format 1; this installation reads pack format 2 only (a format-1 "
            "pack is re-expressed with workflows.rules_legacy.legacy_to_rules).",
        ),
        (("format",), 3, "format: this file is pack format 3; this installation reads pack format 2 only."),
    ],
)
def test_validation_names_the_path_and_the_problem(db, path, value, expected):
    data = pack_data("county")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = pack_validate(data)
    assert expected in errors, errors


def test_validation_of_list_entries_names_the_entry(db):
    data = pack_data("county")
    data["meeting_types"][0]["chairs"][1]["team_scope"] = "anywhere"
    data["meeting_types"][0]["triggers"].append({"key": "Bad Key!", "label": "x"})
    errors = pack_validate(data)
    assert any(e.startswith("meeting_types[0].chairs[1].team_scope:") for e in errors), errors
    assert any(e.startswith("meeting_types[0].triggers[7].key:") for e in errors), errors
    with pytest.raises(PackError):
        pack_load(data)
    assert not ProcedurePack.objects.exists()


def test_export_then_import_into_another_installation_json_and_yaml(db, tmp_path):
    pack_load(pack_data("county"))
    for suffix in ("json", "yaml"):
        path = tmp_path / f"county.{suffix}"
        call_command("export_pack", "county", str(path), stdout=StringIO())
        text = path.read_text()
        data = json.loads(text) if suffix == "json" else yaml.safe_load(text)
        assert data["slug"] == "county" and {t["code"] for t in data["meeting_types"]} == {"PSM", "DM"}
        data["slug"] = f"imported-{suffix}"
        path.write_text(json.dumps(data) if suffix == "json" else yaml.safe_dump(data))
        call_command("import_pack", str(path), stdout=StringIO())
        imported = ProcedurePack.objects.get(slug=f"imported-{suffix}")
        original = pack_export(ProcedurePack.objects.get(slug="county"))
        again = pack_export(imported)
        assert again["meeting_types"] == original["meeting_types"]
        assert again["settings"] == original["settings"]


def test_import_refuses_an_invalid_file_with_clear_errors(db, tmp_path):
    data = pack_data("regional")
    data["meeting_types"][0]["timing"][0]["anchor"] = "full_moon"
    data["meeting_types"][0]["notifications"][0]["setting_key"] = "missing_mailbox"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CommandError) as failed:
        call_command("import_pack", str(path))
    message = str(failed.value)
    assert "meeting_types[0].timing[0].anchor: Select a valid choice. full_moon is not one of" in message
    assert not ProcedurePack.objects.filter(slug="regional").exists()
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    with pytest.raises(CommandError) as failed:
        call_command("import_pack", str(broken))
    assert "not valid JSON" in str(failed.value)


def test_a_condition_that_does_not_validate_is_refused_with_its_sentence__issue10(db):
    """Every entry's `when` goes through `condition_problems` on import; the sentence names the fact."""
    data = pack_data("county")
    data["meeting_types"][1]["timing"][0]["when"] = {"and": [{">=": [{"var": "child.age_years"}, "twelve"]}]}
    errors = pack_validate(data)
    assert any(e.startswith("meeting_types[1].timing[0].when:") and "twelve" in e for e in errors), errors


def test_an_old_format_1_pack_is_refused_with_a_sentence__issue10(db):
    old = json.loads((Path(__file__).parent / "data" / "county_pack_format1.json").read_text())
    with pytest.raises(PackError) as refused:
        pack_load(old)
    assert refused.value.errors == [
        "format: this file is pack format 1; this installation reads pack format 2 only (a format-1 pack "
        "is re-expressed with workflows.rules_legacy.legacy_to_rules)."
    ]


SALTMARSH = Path(__file__).parents[1] / "councils" / "saltmarsh" / "pack.json"


def test_case_triggers_travel_in_the_pack_file_and_round_trip__issue10(db):
    """Issue 10: a pack's case triggers are loaded by pack_load and exported by pack_export; an export
    loaded as another pack exports the same triggers, and they match the file's."""
    from workflows.models import CaseTrigger

    data = json.loads(SALTMARSH.read_text())
    (spec,) = data["case_triggers"]
    pack = pack_load(copy.deepcopy(data))
    trigger = CaseTrigger.objects.get(pack=pack)
    assert trigger.meeting_type == MeetingType.objects.get(pack=pack, code=spec["meeting_type"])
    assert trigger.condition == spec["when"] and trigger.active is True
    assert Revision.objects.for_instance(trigger).count() == 1
    exported = pack_export(pack)
    assert exported["case_triggers"] == [{"active": True, **spec}]
    exported["slug"] = "saltmarsh-copy"
    copied = pack_load(exported)
    assert pack_export(copied)["case_triggers"] == exported["case_triggers"]
    assert CaseTrigger.objects.count() == 2


def test_reloading_a_pack_keeps_an_edited_case_trigger__issue10(db):
    """Issue 10: load_packs creates what is missing and never overwrites what a policy owner changed."""
    from workflows.models import CaseTrigger

    data = json.loads(SALTMARSH.read_text())
    pack = pack_load(copy.deepcopy(data))
    trigger = CaseTrigger.objects.get(pack=pack)
    trigger.due_days = 5
    trigger.save()
    pack_load(copy.deepcopy(data))
    assert CaseTrigger.objects.get(pack=pack).due_days == 5
    assert CaseTrigger.objects.filter(pack=pack).count() == 1


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("meeting_type", "PSM", "case_triggers[0].meeting_type: 'PSM' is not a meeting type of this pack."),
        ("task_role", "wizard", "case_triggers[0].task_role: 'wizard' is not one of"),
        ("due_days", -1, "case_triggers[0].due_days: must be a whole number of days, 0 or more."),
        ("colour", "red", "case_triggers[0].colour: unknown key."),
    ],
)
def test_a_bad_case_trigger_is_refused_with_its_sentence__issue10(db, key, value, expected):
    data = json.loads(SALTMARSH.read_text())
    data["case_triggers"][0][key] = value
    with pytest.raises(PackError) as refused:
        pack_load(data)
    assert any(e.startswith(expected) for e in refused.value.errors), refused.value.errors
    assert not ProcedurePack.objects.exists()


def test_a_case_trigger_condition_that_does_not_validate_is_refused__issue10(db):
    """Issue 10: a trigger's `when` goes through condition_problems like every rule's condition."""
    data = json.loads(SALTMARSH.read_text())
    data["case_triggers"][0]["when"] = {"and": [{">=": [{"var": "history.no_such_fact"}, 2]}]}
    errors = pack_validate(data)
    assert any(e.startswith("case_triggers[0].when:") and "no_such_fact" in e for e in errors), errors


HARROWFIELD = Path(__file__).parents[1] / "councils" / "harrowfield" / "pack.json"


def test_an_approver_council_role_must_be_a_pack_role_mapped_onto_its_role__issue10(db):
    """Issue 10: a gate approver may name a council role; it must be in the pack's role list and map onto
    the approver's built-in role (Harrowfield's head_of_service maps onto quality_review_manager)."""
    data = json.loads(HARROWFIELD.read_text())
    assert pack_validate(data) == []
    approver = data["meeting_types"][0]["gates"][0]["approvers"][1]
    approver["council_role"] = "chief_wizard"
    assert pack_validate(data) == [
        "meeting_types[0].gates[0].approvers[1].council_role: “chief_wizard” is not a role in this "
        "pack's vocabularies."
    ]
    approver["council_role"] = "head_of_service"
    approver["role"] = "team_manager"
    errors = pack_validate(data)
    assert (
        "meeting_types[0].gates[0].approvers[1].council_role: the council role “head_of_service” maps onto "
        "quality_review_manager, so the approver's role must be quality_review_manager." in errors
    ), errors
