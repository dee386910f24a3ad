"""Load the forms a procedure pack ships (fixtures/packs/<pack>/forms/<key>.json).

Idempotent: a form whose file matches its published version is left alone; a changed file
publishes a new version, so submissions on earlier versions keep theirs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .choices import FormKind
from .models import FormDefinition
from .services import form_definition_publish
from .spec import pack_sections_to_stream_data, spec_from_body, spec_from_pack_sections

HEADER_FIELDS = ("title", "description", "kind", "confidentiality_statement")


def _canonical_from_file(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": raw.get("title", ""),
        "description": raw.get("description", ""),
        "kind": raw.get("kind", FormKind.REPORT),
        "confidentiality_statement": raw.get("confidentiality_statement", ""),
        "sections": spec_from_pack_sections(raw.get("sections", [])).to_list(),
    }


def _canonical_from_definition(definition: FormDefinition) -> dict[str, Any]:
    return {
        **{name: getattr(definition, name) for name in HEADER_FIELDS},
        "sections": spec_from_body(definition.body).to_list(),
    }


def form_load(raw: dict[str, Any]) -> tuple[FormDefinition, bool]:
    """Create or update one form from its pack data; returns (definition, published a new version)."""
    key = raw["key"]
    wanted = _canonical_from_file(raw)
    definition = FormDefinition.objects.filter(key=key).first()
    if definition is not None and definition.live and definition.live_revision_id:
        current = _canonical_from_definition(definition.live_revision.as_object())
        if current == wanted:
            return definition, False
    if definition is None:
        definition = FormDefinition(key=key)
    for name in HEADER_FIELDS:
        setattr(definition, name, wanted[name])
    definition.body = pack_sections_to_stream_data(raw.get("sections", []))
    try:
        form_definition_publish(definition=definition)
    except ValidationError as exc:
        raise ValidationError(f"Form “{key}” in the pack is not valid: {'; '.join(exc.messages)}") from exc
    return definition, True


def forms_load(pack_dir: Path) -> list[FormDefinition]:
    """Load every forms/*.json of a pack directory (sorted by file name)."""
    forms_dir = Path(pack_dir) / "forms"
    loaded = []
    if not forms_dir.is_dir():
        return loaded
    for path in sorted(forms_dir.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw.setdefault("key", path.stem)
        with transaction.atomic():
            definition, _ = form_load(raw)
        loaded.append(definition)
    return loaded
