"""The CMS for policy owners speaks plainly and shows what applies (issue 9, "The CMS for policy owners")."""

from __future__ import annotations

import importlib
import re

import pytest
from django.urls import reverse
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from forms_builder.models import FormDefinition
from portal.choices import Role
from tests.factories import UserFactory
from workflows.models import MeetingType
from workflows.procedures.models import ProcedurePage

from .cms_helpers import approve, load_county, meeting_type_form_data, policy_owner, snippet_edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    settings.PORTAL_COUNCIL_NAME = "Harrowvale County Council"
    load_county(tmp_path)


def psm() -> MeetingType:
    return MeetingType.objects.get(code="PSM")


def psm_page() -> ProcedurePage:
    return ProcedurePage.objects.get(pack_slug="county", meeting_code="PSM")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_meeting_type_field_has_a_plain_label_and_help_text(db):
    form_class = MeetingType.snippet_viewset.get_edit_handler().get_form_class()
    form = form_class(instance=MeetingType())
    for name, field in form.fields.items():
        assert field.help_text.strip(), f"{name} has no help text"
        assert str(field.label) != "Rule reference", name
        assert "_" not in str(field.label), name


def test_the_editor_shows_the_timing_labels_and_help(client, loaded):
    client.force_login(policy_owner("owner-a"))
    html = client.get(snippet_edit_url(psm())).content.decode()
    assert "Latest day (counted from the start)" in html
    assert "The meeting must be held within this many days (or weeks or months) of the start date" in html
    assert "Count the days from" in html
    assert "Procedure paragraph" in html and "When the meeting is held" in html


def _struct_blocks(block):
    if isinstance(block, blocks.StructBlock):
        yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from _struct_blocks(child)
    if isinstance(block, blocks.ListBlock):
        yield from _struct_blocks(block.child_block)


@pytest.mark.parametrize("model", [MeetingType, FormDefinition])
def test_block_summaries_show_labels_not_machine_keys(model):
    for field in model._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        for block in _struct_blocks(field.stream_block):
            label_format = block.meta.label_format
            assert label_format, f"{model.__name__}.{field.name}: {type(block).__name__}"
            assert "{key}" not in label_format and "{form_key}" not in label_format


@pytest.mark.parametrize(
    "url", ["/cms/snippets/workflows/meetingtype/", "/cms/snippets/forms_builder/formdefinition/"]
)
def test_lists_say_live_not_live_true(client, loaded, url):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = text(client.get(url).content.decode())
    assert re.search(r"\blive\b", page, re.I)
    assert "True" not in page and "False" not in page


def test_procedure_page_shows_the_timescale_the_meeting_type_applies(client, loaded):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    page = text(client.get(psm_page().url).content.decode())
    assert "Hold the meeting within 5 working days of the date the concern was raised." in page
    assert "different number of days" not in page


def test_procedure_page_and_cms_warn_when_the_text_and_the_rule_disagree(client, loaded):
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    client.force_login(author)
    mt = psm()
    client.post(
        snippet_edit_url(mt), meeting_type_form_data(mt, latest_days=7) | {"action-submit": "action-submit"}
    )
    approve(psm(), second)

    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    page = text(client.get(psm_page().url).content.decode())
    assert "Hold the meeting within 7 working days of the date the concern was raised." in page
    assert "The text below gives a different number of days." in page

    client.force_login(author)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[psm_page().pk])).content.decode()
    assert "The Timescales section gives a different number of days from the meeting type." in editor


def test_the_admin_is_named_after_the_council_not_localhost(client, loaded):
    dev = importlib.import_module("portal.settings.dev")
    assert dev.WAGTAIL_SITE_NAME == dev.PORTAL_COUNCIL_NAME
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Harrowvale County Council"
    client.force_login(policy_owner("owner-a"))
    explorer = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "localhost" not in text(explorer)


def test_no_welcome_to_your_new_wagtail_site_page(client, loaded):
    assert not Page.objects.filter(title__icontains="Welcome to your new Wagtail site").exists()
    root = Site.objects.get(is_default_site=True).root_page
    assert root.title == "Procedures"
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    html = client.get("/pages/").content.decode()
    assert "Welcome to your new Wagtail site" not in html
    assert "Placement stability" in html


def test_avatars_are_not_fetched_from_gravatar(client, loaded, settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    client.force_login(policy_owner("owner-a"))
    assert "gravatar" not in client.get("/cms/").content.decode()


@pytest.mark.parametrize(
    "get, inspect",
    [
        (psm, lambda o: reverse(MeetingType.snippet_viewset.get_url_name("inspect"), args=[o.pk])),
        (
            lambda: FormDefinition.objects.get(key="psm-report"),
            lambda o: reverse(FormDefinition.snippet_viewset.get_url_name("inspect"), args=[o.pk]),
        ),
        (psm_page, lambda o: reverse("procedure_pages_inspect", args=[o.pk])),
    ],
    ids=["meeting type", "form", "procedure page"],
)
def test_the_auditor_opens_policy_read_only(client, loaded, get, inspect):
    auditor = UserFactory(username="auditor", role=Role.AUDITOR)
    client.force_login(auditor)
    obj = get()
    response = client.get(inspect(obj))
    assert response.status_code == 200
    assert (obj.title if hasattr(obj, "title") else obj.name) in response.content.decode()
    if isinstance(obj, ProcedurePage):
        edit = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    else:
        edit = snippet_edit_url(obj)
    assert client.get(edit).status_code in (302, 403)


def test_the_read_only_procedure_listing_is_for_readers_only(client, loaded):
    client.force_login(UserFactory(username="auditor", role=Role.AUDITOR))
    index = client.get(reverse("procedure_pages_index"))
    assert index.status_code == 200 and "Placement stability meeting" in index.content.decode()
    client.force_login(UserFactory(role=Role.TEAM_MANAGER))
    assert client.get(reverse("procedure_pages_index")).status_code in (302, 403)


def test_a_validation_error_quotes_the_values_just_typed__G2(client, loaded):
    client.force_login(policy_owner("owner-a"))
    mt = psm()
    response = client.post(
        snippet_edit_url(mt),
        meeting_type_form_data(mt, earliest_days=9, latest_days=3) | {"action-submit": "action-submit"},
    )
    html = response.content.decode()
    assert "The latest day (3) cannot be before the earliest day (9)." in html
    # The timing list is a block widget: the values typed come back in its data, as typed.
    assert "&quot;latest&quot;: &quot;3&quot;" in html
    assert "&quot;earliest&quot;: &quot;9&quot;" in html
