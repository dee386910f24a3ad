"""Policy owners' side: admin validation messages and immutable published versions."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from forms_builder.choices import SubmissionStatus
from forms_builder.models import FormDefinition, FormSubmission
from forms_builder.services import (
    form_definition_publish,
    post_data_for,
    submission_save_draft,
    submission_start,
    submission_submit,
)
from forms_builder.spec import FormSpec, kind_problems, spec_from_pack_sections, spec_problems
from tests.factories import UserFactory

from .helpers import complete_answers, load_form

pytestmark = pytest.mark.django_db


def field(key, label, type_="text", **extra):
    value = {
        "key": key,
        "label": label,
        "help_text": "",
        "condition_field": extra.get("condition_field", ""),
        "condition_value": extra.get("condition_value", ""),
        "prefill": extra.get("prefill", ""),
    }
    if extra.get("required"):
        value["required"] = "on"
    if "options" in extra:
        value["options"] = extra["options"]
    return (type_, value)


def admin_post(
    fields, *, key="test-form", title="Test form", kind="report", statement="", role="wishes_and_feelings"
):
    return nested_form_data(
        {
            "title": title,
            "key": key,
            "kind": kind,
            "description": "",
            "confidentiality_statement": statement,
            "body": streamfield(
                [
                    (
                        "section",
                        {
                            "key": "main",
                            "heading": "Main section",
                            "guidance": "",
                            "role": role,
                            "fields": streamfield(fields),
                        },
                    )
                ]
            ),
            "action-publish": "action-publish",
        }
    )


@pytest.fixture
def policy_owner(client):
    user = UserFactory(role="policy_owner", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


ADD_URL = "wagtailsnippets_forms_builder_formdefinition:add"


def test_admin_refuses_a_condition_pointing_at_a_missing_field(client, policy_owner):
    data = admin_post(
        [
            field("placed", "Is the child placed?", "yes_no"),
            field("details", "Details", "long_text", condition_field="plaaced", condition_value="yes"),
        ]
    )
    response = client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "its condition points at the field “plaaced”, which does not exist" in content
    assert not FormDefinition.objects.filter(key="test-form").exists()


def test_admin_refuses_a_duplicate_field_key(client, policy_owner):
    data = admin_post([field("summary", "Summary"), field("summary", "Summary again")])
    response = client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert "duplicate field key “summary”" in response.content.decode()
    assert not FormDefinition.objects.filter(key="test-form").exists()


def test_admin_publishes_a_valid_form_as_a_new_version(client, policy_owner):
    data = admin_post(
        [
            field("placed", "Is the child placed?", "yes_no", required=True),
            field("details", "Details", "long_text", condition_field="placed", condition_value="yes"),
        ]
    )
    response = client.post(reverse(ADD_URL), data)
    assert response.status_code == 302
    definition = FormDefinition.objects.get(key="test-form")
    assert definition.live and definition.live_revision_id
    assert definition.spec.field_map()["details"].condition_field == "placed"


def test_minutes_without_confidentiality_statement_are_refused__G4(client, policy_owner):
    response = client.post(reverse(ADD_URL), admin_post([field("summary", "Summary")], kind="minutes"))
    assert response.status_code == 200
    assert "confidentiality statement (G4)" in response.content.decode()


def test_report_without_a_wishes_and_feelings_section_is_refused__G6(client, policy_owner):
    response = client.post(reverse(ADD_URL), admin_post([field("summary", "Summary")], role=""))
    assert response.status_code == 200
    assert "a section marked as the child&#x27;s wishes and feelings (G6)" in response.content.decode()


def test_minutes_without_owner_due_date_and_evaluation_columns_are_refused__P6():
    spec = _spec([{"key": "summary", "type": "long_text", "label": "Summary"}])
    assert "Minutes need a table with the key “actions” (P6)." in kind_problems(spec, "minutes")
    spec = _spec(
        [
            {
                "key": "actions",
                "type": "repeating_group",
                "label": "Actions",
                "columns": [
                    {"key": "action", "label": "Action", "required": True},
                    {"key": "owner", "label": "Owner", "type": "text", "required": True},
                    {"key": "due_on", "label": "Due", "type": "date", "required": True},
                ],
            }
        ]
    )
    problems = kind_problems(spec, "minutes")
    assert any("“owner” column of type person" in p for p in problems)
    assert any("“evaluation” column" in p for p in problems)


def _spec(fields) -> FormSpec:
    return spec_from_pack_sections([{"key": "main", "heading": "Main", "fields": fields}])


def test_unknown_prefill_source_is_refused_with_a_clear_message():
    problems = spec_problems(
        _spec([{"key": "name", "type": "text", "label": "Name", "prefill": "child_shoe_size"}])
    )
    assert problems == ["Question “Name”: the prefill source “child_shoe_size” does not exist."]


def test_condition_value_must_be_an_answer_the_question_can_have():
    problems = spec_problems(
        _spec(
            [
                {"key": "placed", "type": "yes_no", "label": "Placed?"},
                {
                    "key": "why",
                    "type": "text",
                    "label": "Why",
                    "condition": {"field": "placed", "value": "maybe"},
                },
            ]
        )
    )
    assert problems == [
        "Question “Why”: its condition value “maybe” is not an answer “Placed?” can have (no, yes)."
    ]


def test_editing_a_published_form_leaves_old_submissions_on_their_version(case):
    definition = load_form("psm-report")
    worker = case["worker"]
    old = submission_start(definition=definition, child=case["child"], placement=case["placement"], by=worker)
    answers = complete_answers(old.spec, person_pk=case["ssw"].pk)
    result = submission_submit(submission=old, data=answers, expected_version=old.version, by=worker)
    assert result.ok, result.errors
    old_revision = old.revision_id
    old_data = dict(FormSubmission.objects.get(pk=old.pk).data)

    # A policy owner renames a question and adds a required one, then publishes.
    body = definition.body.raw_data
    body[0]["value"]["heading"] = "Carers and child (renamed)"
    body[0]["value"]["fields"].append(
        {
            "type": "text",
            "value": {"key": "new_question", "label": "A new question", "required": True, "prefill": ""},
        }
    )
    definition.body = body
    new_revision = form_definition_publish(definition=definition)
    assert new_revision.pk != old_revision

    old.refresh_from_db()
    assert old.revision_id == old_revision
    assert old.data == old_data
    assert "new_question" not in old.spec.field_map()
    assert old.spec.sections[0].heading == "Carers and child"

    other = UserFactory(role="social_worker")
    new = submission_start(definition=definition, child=case["child"], by=other)
    assert new.revision_id == new_revision.pk
    assert new.spec.sections[0].heading == "Carers and child (renamed)"
    assert "new_question" in new.spec.field_map()


def test_old_submission_renders_with_its_own_version(client, case):
    definition = load_form("dm-request")
    worker = case["worker"]
    old = submission_start(definition=definition, child=case["child"], placement=case["placement"], by=worker)
    submission_submit(
        submission=old,
        data=complete_answers(old.spec, person_pk=case["ssw"].pk),
        expected_version=old.version,
        by=worker,
    )
    body = definition.body.raw_data
    body[0]["value"]["heading"] = "Who this request is about"
    definition.body = body
    form_definition_publish(definition=definition)

    client.force_login(worker)
    page = client.get(reverse("forms_builder:view", args=[old.pk])).content.decode()
    assert "Child and carers" in page
    assert "Who this request is about" not in page


def test_a_revision_with_submissions_is_protected(case):
    definition = load_form("dm-request")
    submission = submission_start(definition=definition, child=case["child"], by=case["worker"])
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        submission.revision.delete()
    with pytest.raises(ProtectedError):
        definition.delete()


def test_cms_never_overwrites_a_revision_a_submission_uses(case):
    definition = load_form("dm-request")
    submission = submission_start(definition=definition, child=case["child"], by=case["worker"])
    used = submission.revision
    definition.title = "Changed"
    revision = definition.save_revision(overwrite_revision=used)
    assert revision.pk != used.pk
    used.refresh_from_db()
    assert used.content["title"] == "Disruption meeting request form"


def test_draft_save_keeps_only_this_versions_questions(case):
    definition = load_form("dm-request")
    submission = submission_start(definition=definition, child=case["child"], by=case["worker"])
    saved = submission_save_draft(
        submission=submission,
        data={"child_name": "Sam", "not_a_question": "x"},
        expected_version=submission.version,
        by=case["worker"],
    )
    assert saved.data == {"child_name": "Sam"}
    assert saved.status == SubmissionStatus.DRAFT
    assert post_data_for(saved.spec, saved.data)["child_name"] == "Sam"


def test_read_only_view_says_which_version_was_filled_in(client, case):
    definition = load_form("dm-request")
    worker = case["worker"]
    first = submission_start(definition=definition, child=case["child"], by=worker)
    definition.description = "Changed description"
    form_definition_publish(definition=definition)
    second = submission_start(
        definition=definition, child=case["child"], by=worker, subject_reference="other"
    )
    client.force_login(worker)
    assert (
        f"Version 1 (revision #{first.revision_id})"
        in client.get(reverse("forms_builder:view", args=[first.pk])).content.decode()
    )
    assert (
        f"Version 2 (revision #{second.revision_id})"
        in client.get(reverse("forms_builder:view", args=[second.pk])).content.decode()
    )


def test_policy_owner_preview_shows_the_form_as_workers_will_see_it(rf, case):
    definition = load_form("psm-minutes")
    request = rf.get("/")
    request.user = UserFactory(role="policy_owner")
    response = definition.serve_preview(request, "")
    content = (
        response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    )
    assert "Confidentiality statement" in content
    assert "Discussion around matching" in content
    assert 'name="actions-0-owner"' in content


def test_policy_owner_sees_the_forms_list_and_edit_page(client, policy_owner):
    definition = load_form("psm-report")
    index = client.get(reverse("wagtailsnippets_forms_builder_formdefinition:list"))
    assert index.status_code == 200 and "Placement stability meeting report" in index.content.decode()
    edit = client.get(reverse("wagtailsnippets_forms_builder_formdefinition:edit", args=[definition.pk]))
    assert edit.status_code == 200 and "Sections and questions" in edit.content.decode()
    history = client.get(
        reverse("wagtailsnippets_forms_builder_formdefinition:history", args=[definition.pk])
    )
    assert history.status_code == 200


def test_prefill_sources_fill_text_date_and_person_questions(case):
    from forms_builder.prefill import PREFILL_SOURCES

    iro = UserFactory(role="iro", first_name="Ira", last_name="Reviewer")
    case["child"].iro = iro
    case["child"].save()
    definition = FormDefinition(key="prefill-check", title="Prefill check", kind="request")
    from forms_builder.spec import pack_sections_to_stream_data

    definition.body = pack_sections_to_stream_data(
        [
            {
                "key": "main",
                "heading": "Main",
                "fields": [
                    {"key": "iro_name", "type": "text", "label": "IRO", "prefill": "iro"},
                    {"key": "iro_person", "type": "person", "label": "IRO person", "prefill": "iro"},
                    {"key": "dob_text", "type": "text", "label": "DOB", "prefill": "child_date_of_birth"},
                    {"key": "dob", "type": "date", "label": "DOB date", "prefill": "child_date_of_birth"},
                    {"key": "meeting", "type": "date", "label": "Meeting", "prefill": "meeting_date"},
                ],
            }
        ]
    )
    form_definition_publish(definition=definition)
    submission = submission_start(definition=definition, child=case["child"], by=case["worker"])
    dob = case["child"].date_of_birth
    assert submission.data == {
        "iro_name": "Ira Reviewer",
        "iro_person": str(iro.pk),
        "dob_text": f"{dob:%d/%m/%Y}",
        "dob": dob.isoformat(),
    }
    assert {"child_name", "child_date_of_birth", "carers", "social_worker", "iro", "meeting_date"} <= set(
        PREFILL_SOURCES
    )
