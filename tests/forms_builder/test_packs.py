import json

import pytest

from forms_builder.models import FormDefinition
from workflows.form_packs import forms_load
from workflows.shipped import shipped_waiting

from .conftest import PACKS, SHIPPED_KEYS

pytestmark = pytest.mark.django_db


def test_packs_ship_every_form_published(shipped_forms):
    assert sorted(shipped_forms) == sorted(SHIPPED_KEYS)
    for definition in shipped_forms.values():
        assert definition.live and definition.live_revision_id, definition.key


def test_loading_twice_publishes_no_new_version(shipped_forms):
    before = {d.key: d.live_revision_id for d in FormDefinition.objects.all()}
    forms_load(PACKS / "county")
    forms_load(PACKS / "regional")
    after = {d.key: d.live_revision_id for d in FormDefinition.objects.all()}
    assert before == after


def test_changed_pack_file_arrives_as_a_draft_not_a_new_live_version(shipped_forms, tmp_path):
    raw = json.loads((PACKS / "regional" / "forms" / "bpm-report.json").read_text())
    raw["sections"][0]["guidance"] = "Changed guidance."
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "bpm-report.json").write_text(json.dumps(raw))
    old = shipped_forms["bpm-report"].live_revision_id
    [definition] = forms_load(tmp_path)
    assert definition.live_revision_id == old
    assert definition.spec.sections[0].guidance != "Changed guidance."
    draft = shipped_waiting(definition).pending_revision.as_object()
    assert draft.spec.sections[0].guidance == "Changed guidance."
