"""The data step of migration 0008 (issue 10): every meeting type row AND every revision of it converted
from the old wide record to the core plus rule lists, with `rules_legacy.legacy_to_rules`.

Revisions matter: a running meeting reads the revision that applied when it was requested
(`Meeting.policy`), so an unconverted revision would lose its rules. Rows are read and written with
plain SQL on the table, because at this step the five list fields that keep their names already have
their new block definitions and would not read their old contents.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .rule_blocks import RULE_LISTS
from .rules_legacy import LEGACY_FIELDS, RULE_LIST_NAMES, is_legacy, legacy_to_rules

TABLE = "workflows_meetingtype"


def _child_names() -> dict[str, str]:
    return {name: spec[0] for name, spec in RULE_LISTS.items()}


def stream_data(name: str, entries: list[dict]) -> list[dict]:
    """Rule entries as StreamField raw data for the list `name`."""
    child = _child_names()[name]
    return [{"type": child, "value": entry, "id": str(uuid.uuid4())} for entry in entries]


def _load(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode()
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def convert_content(content: dict[str, Any]) -> dict[str, Any]:
    """One revision's content (StreamFields as JSON strings) in the new shape; unchanged if already new."""
    if not is_legacy(content):
        return content
    converted = legacy_to_rules(content)
    for name in RULE_LIST_NAMES:
        converted[name] = json.dumps(stream_data(name, converted[name]))
    return converted


def convert_meeting_types(apps, schema_editor) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(TABLE)}")  # noqa: S608 (fixed table name)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            loaded = LEGACY_FIELDS | {"triggers", "rule_references"}
            old = {k: _load(v) if k in loaded else v for k, v in row.items()}
            new = legacy_to_rules(old)
            values = {name: json.dumps(stream_data(name, new[name])) for name in RULE_LIST_NAMES}
            values["rule_references"] = json.dumps(new["rule_references"])
            sets = ", ".join(f"{quote(k)} = %s" for k in values)
            cursor.execute(
                f"UPDATE {quote(TABLE)} SET {sets} WHERE id = %s",  # noqa: S608 (fixed columns)
                [*values.values(), row["id"]],
            )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="workflows", model="meetingtype").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(base_content_type=content_type).iterator():
        content = revision.content if isinstance(revision.content, dict) else json.loads(revision.content)
        if is_legacy(content):
            revision.content = convert_content(content)
            revision.save(update_fields=["content"])


def revert_not_supported(apps, schema_editor) -> None:
    """Going back is allowed (tests migrate back and forth) but converts nothing: the old wide fields
    come back at their defaults, and the rule lists are dropped. Take a pack export first."""
