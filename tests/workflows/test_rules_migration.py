"""Issue 10: migration 0008 converts every meeting type row and every revision of it, so a meeting
pinned to an old revision keeps its rules. The old record is the county pack as shipped in format 1
(tests/workflows/data/county_pack_format1.json, the file before this change)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from workflows.rules_legacy import stream_items

OLD = Path(__file__).parent / "data" / "county_pack_format1.json"
BEFORE = [("workflows", "0007_case_facts_for_rules")]
AFTER = [("workflows", "0008_rule_lists")]
STREAMS = {
    "exclusions": "exclusion",
    "triggers": "trigger",
    "request_routes": "route",
    "chair_rules": "chair_rule",
    "invitees": "invitee",
    "required_reports": "report",
    "circulation": "role",
    "follow_ups": "follow_up",
    "outcome_questions": "question",
}


def _old_dm() -> dict:
    data = json.loads(OLD.read_text())
    return next(t for t in data["meeting_types"] if t["code"] == "DM")


@pytest.mark.django_db(transaction=True)
def test_migration_converts_rows_and_revisions__issue10_D1_D2_D3():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Pack = apps.get_model("workflows", "ProcedurePack")
    OldType = apps.get_model("workflows", "MeetingType")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")

    old = _old_dm()
    values = {k: v for k, v in old.items() if k != "code"}
    for name, child in STREAMS.items():
        if name in values:
            values[name] = [{"type": child, "value": v} for v in values[name]]
    pack = Pack.objects.create(slug="old", name="Old", council_name="Old council")
    row = OldType.objects.create(pack=pack, code="DM", **values)
    content_type, _ = ContentType.objects.get_or_create(app_label="workflows", model="meetingtype")
    content = {"pk": row.pk, "pack": pack.pk, "code": "DM", **{k: v for k, v in old.items() if k != "code"}}
    for name, child in STREAMS.items():
        if name in content:
            content[name] = json.dumps(
                [{"type": child, "value": v, "id": str(i)} for i, v in enumerate(old[name])]
            )
    revision = Revision.objects.create(
        content_type=content_type,
        base_content_type=content_type,
        object_id=str(row.pk),
        content=content,
        object_str="DM",
        created_at=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    try:
        apps = executor.loader.project_state(AFTER).apps
        NewType = apps.get_model("workflows", "MeetingType")
        with connection.cursor() as cursor:
            cursor.execute("SELECT timing, gates, exclusions, rule_references FROM workflows_meetingtype")
            timing, gates, exclusions, references = (
                json.loads(v) if isinstance(v, str) else v for v in cursor.fetchone()
            )
        assert NewType.objects.count() == 1
        timing = stream_items(timing)
        assert [(t["anchor"], t["earliest"], t["latest"], t["unit"], t["late_after"]) for t in timing] == [
            ("placement_ended", 28, 42, "calendar", 42)
        ]
        assert [g["name"] for g in stream_items(gates)] == ["Late request approval"]
        messages = [e["message"] for e in stream_items(exclusions)]
        assert messages[0] == old["exclusions"][0]["message"] and len(messages) == 4
        assert references["request"] == old["request_rule"]

        new_content = Revision.objects.get(pk=revision.pk).content
        assert "latest_days" not in new_content and "eligible_categories" not in new_content
        assert [t["latest"] for t in stream_items(new_content["timing"])] == [42]
        chairs = stream_items(new_content["chairs"])
        assert chairs[0]["roles"] == ["iro"] and chairs[0]["exclude"] == ["no_earlier_involvement"]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
