"""Load the forms a procedure pack ships (fixtures/packs/<pack>/forms/<key>.json).

A missing form is created and published. A form that exists is never changed live: when the pack ships
a different version from the one it last shipped, that version is saved as a draft for a policy owner to
review and publish through the approval workflow (see `workflows.shipped`). Loading an unchanged pack
again writes nothing.

Packs, shipped versions and the approval workflow belong to the meetings app, which builds on the form
builder; so the loader lives here and the form builder knows nothing of packs (issue 15).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from forms_builder.choices import FormKind
from forms_builder.models import FormDefinition
from forms_builder.services import form_definition_publish
from forms_builder.spec import pack_sections_to_stream_data, spec_from_body, spec_from_pack_sections

from .procedures.services import procedures_workflow_ensure
from .shipped import shipped_created, shipped_fingerprint, shipped_offer

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
    """Load one shipped form; returns (definition, published a new live version).

    A missing form is created and published. A form that exists keeps its live version: a newer shipped
    version arrives as a draft for a policy owner to review (see `workflows.shipped`)."""
    key = raw["key"]
    wanted = _canonical_from_file(raw)
    fingerprint = shipped_fingerprint(wanted)
    definition = FormDefinition.objects.filter(key=key).first()
    if definition is None:
        definition = FormDefinition(key=key)
        _set_shipped(definition, raw, wanted)
        try:
            revision = form_definition_publish(definition=definition)
        except ValidationError as exc:
            raise _invalid(key, exc) from exc
        shipped_created(obj=definition, fingerprint=fingerprint, revision=revision)
        return definition, True
    live = definition.live_revision.as_object() if definition.live_revision_id else definition
    draft = (
        definition.live_revision.as_object()
        if definition.live_revision_id
        else FormDefinition.objects.get(pk=definition.pk)
    )
    _set_shipped(draft, raw, wanted)
    try:
        draft.full_clean()
    except ValidationError as exc:
        raise _invalid(key, exc) from exc
    shipped_offer(
        obj=definition,
        fingerprint=fingerprint,
        live_matches=_canonical_from_definition(live) == wanted,
        draft=draft,
    )
    definition.refresh_from_db()
    return definition, False


def _invalid(key: str, exc: ValidationError) -> ValidationError:
    return ValidationError(f"Form “{key}” in the pack is not valid: {'; '.join(exc.messages)}")


def _set_shipped(definition: FormDefinition, raw: dict[str, Any], wanted: dict[str, Any]) -> None:
    for name in HEADER_FIELDS:
        setattr(definition, name, wanted[name])
    definition.body = pack_sections_to_stream_data(raw.get("sections", []))


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
    if loaded:
        procedures_workflow_ensure()
    return loaded
