"""Procedure pages in Wagtail (issue 4): loading packs, live text for the meeting screens, moderation."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from wagtail.models import Page, Revision, Site, Workflow, WorkflowPage, WorkflowState

from portal.choices import Role
from tests.factories import UserFactory
from workflows.procedures.models import SECTIONS, PolicyOwnerApprovalTask, ProcedureIndexPage, ProcedurePage
from workflows.procedures.packs import ProceduresFileError, procedures_load, procedures_problems
from workflows.procedures.selectors import procedure_live_revision, procedure_section
from workflows.procedures.services import POLICY_OWNER_GROUP, WORKFLOW_NAME, procedures_workflow_ensure
from workflows.shipped import shipped_waiting

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKS = REPO_ROOT / "fixtures" / "packs"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.django_db


def _psm() -> ProcedurePage:
    return ProcedurePage.objects.get(pack_slug="county", meeting_code="PSM")


def _policy_owner(username: str):
    user = UserFactory(username=username, role=Role.POLICY_OWNER)
    group, _ = Group.objects.get_or_create(name=POLICY_OWNER_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def county():
    return procedures_load(PACKS / "county")


# --- loading ------------------------------------------------------------------------------------


def test_load_creates_index_under_site_root_and_one_live_page_per_meeting_type(county):
    assert [(p.meeting_code, p.title) for p in county] == [
        ("PSM", "Placement stability meeting"),
        ("DM", "Placement disruption meeting"),
    ]
    index = ProcedureIndexPage.objects.get(pack_slug="county")
    site_root = Site.objects.get(is_default_site=True).root_page
    assert index.get_parent().pk == site_root.pk
    assert index.live
    assert all(p.live and p.get_parent().pk == index.pk for p in county)
    assert "5 working days" in _psm().timescales


def test_load_is_idempotent_and_publishes_nothing_when_unchanged(county):
    pages_before = Page.objects.count()
    revisions_before = Revision.objects.count()
    live_before = {p.pk: p.live_revision_id for p in ProcedurePage.objects.all()}

    again = procedures_load(PACKS / "county")

    assert [p.pk for p in again] == [p.pk for p in county]
    assert Page.objects.count() == pages_before
    assert Revision.objects.count() == revisions_before
    assert {p.pk: p.live_revision_id for p in ProcedurePage.objects.all()} == live_before


def test_load_offers_changed_pages_as_drafts_and_publishes_nothing(county, tmp_path):
    data = json.loads((PACKS / "county" / "procedures.json").read_text(encoding="utf-8"))
    data["pages"][0]["sections"]["who_chairs"] = "<p>A team manager chosen by the service.</p>"
    pack_dir = tmp_path / "county"
    pack_dir.mkdir()
    (pack_dir / "procedures.json").write_text(json.dumps(data), encoding="utf-8")
    dm_revision = ProcedurePage.objects.get(meeting_code="DM").live_revision_id
    live = _psm().live_revision

    procedures_load(pack_dir)

    psm = _psm()
    assert psm.revisions.count() == 2
    assert procedure_live_revision(meeting_code="PSM", pack_slug="county") == live
    assert "chosen by the service" not in procedure_section(
        meeting_code="PSM", pack_slug="county", section="who_chairs"
    )
    assert "chosen by the service" in shipped_waiting(psm).pending_revision.as_object().who_chairs
    assert ProcedurePage.objects.get(meeting_code="DM").live_revision_id == dm_revision


def test_pack_slug_comes_from_the_pack_object_when_given(tmp_path):
    class Pack:
        slug = "county-two"

    procedures_load(PACKS / "county")
    pages = procedures_load(PACKS / "county", pack=Pack())
    assert {p.pack_slug for p in pages} == {"county-two"}
    assert ProcedureIndexPage.objects.count() == 2
    assert ProcedureIndexPage.objects.get(pack_slug="county-two").slug == "county-procedures-2"


def test_both_packs_load_side_by_side(county):
    regional = procedures_load(PACKS / "regional")
    assert [p.meeting_code for p in regional] == ["BPM"]
    assert ProcedureIndexPage.objects.count() == 2
    assert "5 working days" in procedure_section(
        meeting_code="BPM", pack_slug="regional", section="timescales"
    )


def test_problems_in_a_procedures_file_are_named(tmp_path):
    bad = {
        "index": {"title": ""},
        "pages": [{"meeting_code": "PSM", "title": "x", "sections": {"agenda": ""}}],
    }
    problems = procedures_problems(bad)
    assert "index.title: required." in problems
    assert any(p.startswith("pages[0].sections.agenda: unknown section") for p in problems)
    (tmp_path / "procedures.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ProceduresFileError, match="unknown section"):
        procedures_load(tmp_path)


def test_pack_files_have_every_section_for_every_page():
    for pack in ("county", "regional"):
        data = json.loads((PACKS / pack / "procedures.json").read_text(encoding="utf-8"))
        assert procedures_problems(data) == []
        for entry in data["pages"]:
            assert set(entry["sections"]) == set(SECTIONS), entry["meeting_code"]


def _words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text).replace("\u2019", "'").lower()
    return re.findall(r"[a-z0-9']+", text)


def _shingles(words: list[str], size: int = 7) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds are not beside the clone")
def test_procedure_text_is_written_in_our_own_words_not_copied_from_the_seeds():
    seed_shingles = set().union(*(_shingles(_words(seed.read_text())) for seed in SEEDS.glob("*.txt")))
    for pack in ("county", "regional"):
        ours = _shingles(_words((PACKS / pack / "procedures.json").read_text(encoding="utf-8")))
        copied = sorted(" ".join(s) for s in ours & seed_shingles)
        assert copied == [], f"{pack}: seven-word runs copied from a seed: {copied}"


# --- pages for workers --------------------------------------------------------------------------


def test_signed_in_worker_reads_procedure_sections(client, county):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    response = client.get(_psm().url)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("What the meeting is for", "When to hold it", "Who chairs it", "Timescales"):
        assert heading in html
    assert "within 5 working days of the concern being raised" in html
    assert 'id="who_chairs"' in html


def test_index_lists_the_packs_procedures(client, county):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    response = client.get(ProcedureIndexPage.objects.get(pack_slug="county").url)
    assert response.status_code == 200
    assert "Placement stability meeting" in response.content.decode()
    assert "Placement disruption meeting" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client, county):
    response = client.get(_psm().url)
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_placeholders_show_pack_settings_or_a_plain_description(client, county):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    html = client.get(_psm().url).content.decode()
    assert "{case_record_system}" not in html
    assert "the case record system" in html  # no pack settings yet

    extra = {"case_record_system": "CaseBook & Co"}
    section = procedure_section(meeting_code="PSM", pack_slug="county", section="after_meeting", values=extra)
    assert "CaseBook &amp; Co" in section


def test_placeholders_use_the_engine_pack_settings():
    from workflows.models import PackSetting, ProcedurePack

    pack = ProcedurePack.objects.create(slug="county", name="County", council_name="County Council")
    PackSetting.objects.create(pack=pack, key="document_store", label="Document store", value="DocVault")
    procedures_load(PACKS / "county", pack=pack)
    assert "DocVault" in procedure_section(meeting_code="PSM", pack_slug="county", section="after_meeting")


# --- live text, not drafts ----------------------------------------------------------------------


def test_procedure_section_returns_live_text_not_a_draft(county):
    page = _psm()
    live_revision = page.live_revision
    page.who_chairs = "<p>DRAFT wording nobody approved.</p>"
    page.save_revision(user=UserFactory())

    section = procedure_section(meeting_code="PSM", pack_slug="county", section="who_chairs")
    assert "DRAFT" not in section
    assert "fostering or residential team manager" in section
    assert procedure_live_revision(meeting_code="PSM", pack_slug="county") == live_revision


def test_publishing_an_edit_creates_a_new_live_revision(county):
    page = _psm()
    old = page.live_revision
    page.who_chairs = "<p>Published new wording.</p>"
    revision = page.save_revision(user=UserFactory())
    revision.publish()

    live = procedure_live_revision(meeting_code="PSM", pack_slug="county")
    assert live == revision != old
    assert "Published new wording" in procedure_section(
        meeting_code="PSM", pack_slug="county", section="who_chairs"
    )


def test_no_page_means_empty_section_and_no_revision(db):
    assert procedure_section(meeting_code="XYZ", pack_slug="county", section="purpose") == ""
    assert procedure_live_revision(meeting_code="XYZ", pack_slug="county") is None
    with pytest.raises(ValueError, match="Unknown procedure section"):
        procedure_section(meeting_code="PSM", pack_slug="county", section="agenda")


def test_procedure_says_tag_renders_a_details_component(county):
    template = Template('{% load procedure_tags %}{% procedure_says code pack "who_chairs" %}')
    html = template.render(Context({"code": "PSM", "pack": "county"}))
    assert '<details class="govuk-details' in html
    assert "What the procedure says" in html
    assert "fostering or residential team manager" in html
    assert f"{_psm().url}#who_chairs" in html
    assert template.render(Context({"code": "NONE", "pack": "county"})).strip() == ""


# --- moderation ---------------------------------------------------------------------------------


def test_workflow_ensure_is_idempotent_and_covers_every_index(county):
    procedures_workflow_ensure()
    procedures_workflow_ensure()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    [task] = [t.specific for t in workflow.tasks.all()]
    assert isinstance(task, PolicyOwnerApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == [POLICY_OWNER_GROUP]
    index = ProcedureIndexPage.objects.get(pack_slug="county")
    assert WorkflowPage.objects.get(page=index).workflow == workflow
    assert _psm().get_workflow() == workflow


def test_a_second_policy_owner_must_approve_before_publishing(county):
    author = _policy_owner("owner-a")
    second = _policy_owner("owner-b")
    social_worker = UserFactory(role=Role.SOCIAL_WORKER)

    page = _psm()
    page.who_chairs = "<p>Wording awaiting approval.</p>"
    revision = page.save_revision(user=author)
    workflow = page.get_workflow()
    workflow.start(page, author)

    page = _psm()
    task_state = page.current_workflow_task_state
    task = task_state.task.specific
    assert task.get_actions(page, author) == []
    assert task.get_actions(page, social_worker) == []
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, second)]
    assert list(task.get_task_states_user_can_moderate(author)) == []
    assert list(task.get_task_states_user_can_moderate(second)) == [task_state]

    with pytest.raises(PermissionDenied):
        task.on_action(task_state, author, "approve")
    assert "awaiting approval" not in procedure_section(
        meeting_code="PSM", pack_slug="county", section="who_chairs"
    )

    task.on_action(task_state, second, "approve")

    page = _psm()
    assert page.current_workflow_state is None
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_APPROVED
    assert page.live_revision == revision
    assert procedure_live_revision(meeting_code="PSM", pack_slug="county") == revision
    assert "awaiting approval" in procedure_section(
        meeting_code="PSM", pack_slug="county", section="who_chairs"
    )


# --- integration with the engine's packs --------------------------------------------------------


@pytest.mark.parametrize("pack", ["county", "regional"])
def test_every_placeholder_is_a_setting_of_the_pack(pack):
    pack_file = PACKS / pack / "pack.json"
    if not pack_file.exists():
        pytest.skip("the engine's pack.json is not there")
    keys = {row["key"] for row in json.loads(pack_file.read_text(encoding="utf-8"))["settings"]}
    used = set(re.findall(r"\{([a-z][a-z0-9_]*)\}", (PACKS / pack / "procedures.json").read_text()))
    assert used - keys == set()


def test_loading_with_the_engine_pack_fills_its_settings():
    from workflows.packs import pack_load

    pack = pack_load(PACKS / "county" / "pack.json")
    procedures_load(PACKS / "county", pack)
    section = procedure_section(meeting_code="DM", pack_slug="county", section="when_to_hold")
    assert pack.setting("conference_request_queue") in section
    assert "{" not in procedure_section(meeting_code="DM", pack_slug="county", section="after_meeting")


def test_policy_owner_edits_procedure_in_the_cms(client, county):
    admin = UserFactory(username="cms-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/cms/pages/{_psm().pk}/edit/")
    assert response.status_code == 200
    assert "Who chairs it" in response.content.decode()
