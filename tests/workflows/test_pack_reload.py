"""Loading packs never overwrites published policy (issue 9, "Must not happen" item 2).

`load_packs` creates what is missing; what a policy owner published stays live, with them as publisher;
a newer shipped version of something that exists arrives as a draft (not live) and the CMS says so;
loading an unchanged pack again writes nothing.
"""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from forms_builder.models import FormDefinition
from workflows.models import MeetingType, PackSetting, ProcedurePack
from workflows.procedures.models import ProcedurePage, ShippedVersion
from workflows.shipped import shipped_waiting

from .cms_helpers import (
    approve,
    form_form_data,
    meeting_type_form_data,
    page_edit_url,
    page_form_data,
    policy_owner,
    snippet_edit_url,
)
from .factories import timing_of

pytestmark = pytest.mark.django_db
PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
OURS = "Our council's own wording, published by a policy owner."


def load(packs_dir: Path = PACKS) -> str:
    out = StringIO()
    call_command("load_packs", "--dir", str(packs_dir), stdout=out)
    return out.getvalue()


def psm() -> MeetingType:
    return MeetingType.objects.get(code="PSM")


def psm_page() -> ProcedurePage:
    return ProcedurePage.objects.get(pack_slug="county", meeting_code="PSM")


def psm_report() -> FormDefinition:
    return FormDefinition.objects.get(key="psm-report")


def writes() -> tuple[int, int, int]:
    return Revision.objects.count(), ModelLogEntry.objects.count(), PageLogEntry.objects.count()


def live_state() -> dict:
    return {
        "psm": (psm().live_revision_id, timing_of(psm().live_revision.as_object())["latest"]),
        "page": (psm_page().live_revision_id, psm_page().live_revision.as_object().who_chairs),
        "form": (psm_report().live_revision_id, psm_report().live_revision.as_object().description),
    }


@pytest.fixture
def packs(tmp_path) -> Path:
    """A copy of the shipped county pack (the one these tests change); loading one pack is twice as fast."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS / "county", target / "county")
    return target


@pytest.fixture
def edited(client, packs):
    """Fresh load, then a policy owner changes the PSM timescale, its procedure page and the PSM report
    form, and a second policy owner approves each (the only way to publish)."""
    load(packs)
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    client.force_login(author)
    for obj, url, data in (
        (psm(), snippet_edit_url, lambda o: meeting_type_form_data(o, latest_days=7)),
        (psm_page(), page_edit_url, lambda o: page_form_data(o, who_chairs=f"<p>{OURS}</p>")),
        (psm_report(), snippet_edit_url, lambda o: form_form_data(o, description=OURS)),
    ):
        response = client.post(url(obj), data(obj) | {"action-submit": "action-submit"})
        assert response.status_code == 302
        approve(type(obj).objects.get(pk=obj.pk), second)
    state = live_state()
    assert state["psm"][1] == 7 and OURS in state["page"][1] and state["form"][1] == OURS
    return {"author": author, "approver": second, "state": state}


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def ship_new_versions(packs: Path) -> None:
    """The next release of the county pack: PSM within 6 days, new 'who chairs' text, new form guidance."""
    edit_json(packs / "county" / "pack.json", lambda d: d["meeting_types"][0]["timing"][0].update(latest=6))
    edit_json(
        packs / "county" / "procedures.json",
        lambda d: d["pages"][0]["sections"].update(who_chairs="<p>Shipped in the new release.</p>"),
    )
    edit_json(packs / "county" / "forms" / "psm-report.json", lambda d: d.update(description="Shipped form."))


def test_a_fresh_database_loads_everything_live(db):
    out = load()
    assert set(MeetingType.objects.values_list("code", flat=True)) == {"PSM", "DM", "BPM"}
    assert all(mt.live for mt in MeetingType.objects.all())
    assert ProcedurePage.objects.live().count() == 3
    assert FormDefinition.objects.filter(live=True).count() == FormDefinition.objects.count() == 10
    assert psm().procedure_page_id == psm_page().pk
    assert ShippedVersion.objects.filter(pending_revision__isnull=True).count() == 3 + 5 + 10
    assert "saved as a draft" not in out


def test_loading_an_unchanged_pack_again_writes_nothing(db):
    load()
    before = writes()
    out = load()
    assert writes() == before
    assert "saved as a draft" not in out


def test_rerun_after_policy_owners_published_changes_nothing_live(edited, packs):
    before = writes()
    load(packs)
    assert live_state() == edited["state"]
    assert writes() == before
    for obj in (psm(), psm_page(), psm_report()):
        publish = (
            (PageLogEntry if isinstance(obj, ProcedurePage) else ModelLogEntry)
            .objects.for_instance(obj)
            .filter(action="wagtail.publish")
            .order_by("-timestamp", "-pk")
            .first()
        )
        assert publish.user == edited["approver"], obj
        assert Revision.objects.get(pk=obj.live_revision_id).user == edited["author"]


def test_rerun_keeps_the_councils_own_pack_settings(db, packs):
    load(packs)
    ProcedurePack.objects.filter(slug="county").update(council_name="Our council")
    PackSetting.objects.filter(pack__slug="county", key="case_record_system").update(value="CaseBook")
    PackSetting.objects.create(
        pack=ProcedurePack.objects.get(slug="county"), key="ours", label="Ours", value="x"
    )
    load(packs)
    county = ProcedurePack.objects.get(slug="county")
    assert county.council_name == "Our council"
    assert county.setting("case_record_system") == "CaseBook"
    assert county.setting("ours") == "x"


def test_a_changed_shipped_file_arrives_as_a_draft_not_live(edited, packs):
    ship_new_versions(packs)
    out = load(packs)

    assert live_state() == edited["state"]
    for obj, read, shipped in (
        (psm(), lambda o: timing_of(o)["latest"], 6),
        (psm_page(), lambda o: "Shipped in the new release." in o.who_chairs, True),
        (psm_report(), lambda o: o.description, "Shipped form."),
    ):
        record = shipped_waiting(obj)
        assert record is not None, obj
        draft = record.pending_revision
        assert draft.pk != obj.live_revision_id and draft.user is None
        assert read(draft.as_object()) == shipped
        # The policy owner's own draft (if any) stays the editor's latest revision.
        assert obj.latest_revision_id != draft.pk
    assert out.count("saved as a draft") == 3

    before = writes()
    load(packs)
    assert writes() == before


def test_a_shipped_change_to_an_object_nobody_edited_also_waits_as_a_draft(db, packs):
    load(packs)
    live = live_state()
    ship_new_versions(packs)
    load(packs)
    assert live_state() == live
    assert timing_of(shipped_waiting(psm()).pending_revision.as_object())["latest"] == 6


@pytest.mark.parametrize(
    ("get", "url"),
    [(psm, snippet_edit_url), (psm_page, page_edit_url), (psm_report, snippet_edit_url)],
    ids=["meeting type", "procedure page", "form"],
)
def test_the_cms_says_a_shipped_version_is_waiting_and_the_owner_can_keep_theirs(
    client, edited, packs, get, url
):
    ship_new_versions(packs)
    load(packs)
    obj = get()
    client.force_login(edited["author"])
    page = client.get(url(obj)).content.decode()
    assert "A newer version shipped with the pack is waiting as a draft" in page
    record = shipped_waiting(obj)
    assert f"/revisions/{record.pending_revision_id}/revert/" in page

    keep = f"/cms/packs/shipped/{record.pk}/keep/"
    assert keep in page
    confirm = client.get(keep)
    assert confirm.status_code == 200 and "Keep our version" in confirm.content.decode()
    assert shipped_waiting(get()) is not None
    response = client.post(keep)
    assert response.status_code == 302
    assert shipped_waiting(get()) is None
    assert "waiting as a draft" not in client.get(url(obj)).content.decode()
    assert live_state() == edited["state"]


def test_only_a_policy_owner_may_keep_their_version(client, edited, packs):
    from tests.factories import UserFactory

    ship_new_versions(packs)
    load(packs)
    record = shipped_waiting(psm())
    client.force_login(UserFactory(username="auditor", role="auditor"))
    response = client.post(f"/cms/packs/shipped/{record.pk}/keep/", follow=True)
    assert "permission" in response.content.decode().lower()
    assert shipped_waiting(psm()) is not None
    assert not ModelLogEntry.objects.filter(action="packs.kept_ours").exists()


def test_publishing_the_shipped_draft_through_the_workflow_ends_the_notice(edited, packs):
    ship_new_versions(packs)
    load(packs)
    record = shipped_waiting(psm())
    mt = psm()
    draft = record.pending_revision.as_object()
    revision = draft.save_revision(user=edited["author"], previous_revision=record.pending_revision)
    mt.refresh_from_db()
    mt.get_workflow().start(mt, edited["author"])
    approve(mt, edited["approver"])
    mt.refresh_from_db()
    assert mt.live_revision_id == revision.pk and timing_of(mt.live_revision.as_object())["latest"] == 6
    assert shipped_waiting(mt) is None
