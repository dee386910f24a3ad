"""Drafts are never lost: autosave, page saves, stale saves refused with the text kept, access rules."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms_builder.choices import ReportStatus, SubmissionStatus
from forms_builder.models import FormDraftConflict
from forms_builder.services import (
    StaleDraft,
    minutes_action_problems,
    report_status,
    submission_save_draft,
    submission_start,
    submission_submit,
)
from forms_builder.spec import pack_sections_to_stream_data
from tests.factories import UserFactory

from .helpers import complete_answers, load_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(case):
    definition = load_form("psm-minutes")
    return submission_start(
        definition=definition, child=case["child"], placement=case["placement"], by=case["worker"]
    )


def test_autosave_saves_as_the_worker_types_and_returns_the_new_version(client, case, draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:autosave", args=[draft.pk])
    response = client.post(url, {"version": draft.version, "summary": "Half-written summary"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["version"] == draft.version + 1
    draft.refresh_from_db()
    assert draft.data["summary"] == "Half-written summary"


def test_draft_survives_logging_out_and_is_listed_in_my_drafts(client, case, draft):
    client.force_login(case["worker"])
    client.post(
        reverse("forms_builder:autosave", args=[draft.pk]), {"version": draft.version, "summary": "Kept"}
    )
    client.logout()
    response = client.get(reverse("forms_builder:edit", args=[draft.pk]))
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(case["worker"])
    drafts = client.get(reverse("forms_builder:drafts")).content.decode()
    assert reverse("forms_builder:edit", args=[draft.pk]) in drafts
    page = client.get(reverse("forms_builder:edit", args=[draft.pk])).content.decode()
    assert ">Kept</textarea>" in page


def test_page_save_draft_keeps_text_and_redirects_back(client, case, draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[draft.pk])
    response = client.post(url, {"version": draft.version, "save": "1", "purpose": "Why we met"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["purpose"] == "Why we met"


def test_second_save_on_a_stale_version_is_refused_and_its_text_kept(client, case, draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[draft.pk])
    started_from = draft.version
    # First window saves.
    assert (
        client.post(url, {"version": started_from, "save": "1", "summary": "First text"}).status_code == 302
    )
    # Second window still holds the old version.
    response = client.post(url, {"version": started_from, "save": "1", "summary": "Second text"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved by someone else (or in another window) since you opened it" in page
    assert ">Second text</textarea>" in page
    draft.refresh_from_db()
    assert draft.data["summary"] == "First text"
    conflict = FormDraftConflict.objects.get(submission=draft)
    assert conflict.data["summary"] == "Second text" and conflict.by == case["worker"]
    # The page now carries the current version: saving again deliberately keeps the second text.
    assert f'name="version" value="{draft.version}"' in page


def test_autosave_conflict_answers_409_with_a_message(client, case, draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:autosave", args=[draft.pk])
    client.post(url, {"version": draft.version, "summary": "one"})
    response = client.post(url, {"version": draft.version, "summary": "two"})
    assert response.status_code == 409
    assert "since you opened it" in json.loads(response.content)["message"]
    assert FormDraftConflict.objects.filter(submission=draft, data__summary="two").exists()


def test_stale_draft_error_carries_the_users_data(case, draft):
    submission_save_draft(
        submission=draft, data={"summary": "a"}, expected_version=draft.version, by=case["worker"]
    )
    with pytest.raises(StaleDraft) as exc:
        submission_save_draft(submission=draft, data={"summary": "b"}, expected_version=1, by=case["worker"])
    assert exc.value.data["summary"] == "b"


def test_other_people_get_404_and_colleagues_read_only(client, case, draft):
    stranger = UserFactory(role="social_worker")
    client.force_login(stranger)
    for name in ("forms_builder:edit", "forms_builder:view", "forms_builder:print"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert client.post(reverse("forms_builder:autosave", args=[draft.pk]), {"version": 1}).status_code == 404
    # The supervising social worker works with the child: may read, may not edit.
    client.force_login(case["ssw"])
    assert client.get(reverse("forms_builder:view", args=[draft.pk])).status_code == 200
    assert client.get(reverse("forms_builder:edit", args=[draft.pk])).status_code == 404


def test_start_for_a_child_the_user_does_not_work_with_is_404(client, case):
    load_form("psm-report")
    client.force_login(UserFactory(role="social_worker"))
    url = reverse("forms_builder:start", args=["psm-report"])
    assert client.get(url, {"child": case["child"].pk}).status_code == 404


def test_errors_name_the_question_and_why_and_text_is_kept(client, case, draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[draft.pk])
    response = client.post(
        url,
        {
            "version": draft.version,
            "submit": "1",
            "purpose": "Typed purpose",
            "date_child_placed": "31/02/2026",
            "risk_of_harm": "yes",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "“Summary”: it is required." in page
    assert "“Date child placed” must be a real date" in page
    assert "Answer “Who is at risk, and of what?”: it is required." in page
    assert ">Typed purpose</textarea>" in page
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT and draft.data["purpose"] == "Typed purpose"


def test_hidden_conditional_question_is_not_required_and_not_kept(case, draft):
    answers = complete_answers(draft.spec, person_pk=case["ssw"].pk)
    answers["risk_of_harm"] = "no"
    answers["risk_of_harm_details"] = ""
    answers["matching_meeting_held"] = "no"
    answers["matching_meeting_details"] = "Left over from before"
    result = submission_submit(
        submission=draft, data=answers, expected_version=draft.version, by=case["worker"]
    )
    assert result.ok, result.errors
    assert "matching_meeting_details" not in result.submission.data


def test_shown_conditional_question_is_required(case, draft):
    answers = complete_answers(draft.spec, person_pk=case["ssw"].pk)
    answers["risk_of_harm"] = "yes"
    answers["risk_of_harm_details"] = ""
    result = submission_submit(
        submission=draft, data=answers, expected_version=draft.version, by=case["worker"]
    )
    assert not result.ok
    assert result.errors == [
        ("id_risk_of_harm_details", "Answer “Who is at risk, and of what?”: it is required.")
    ]


def test_minutes_action_without_owner_due_date_or_evaluation_cannot_be_submitted__P6(case, draft):
    answers = complete_answers(draft.spec, person_pk=case["ssw"].pk)
    answers["actions"] = [{"action": "Arrange respite", "owner": "", "due_on": "", "evaluation": ""}]
    result = submission_submit(
        submission=draft, data=answers, expected_version=draft.version, by=case["worker"]
    )
    messages = [m for _, m in result.errors]
    assert "Actions, row 1: Owner is required." in messages
    assert "Actions, row 1: Due by is required." in messages
    assert "Actions, row 1: How the outcome will be evaluated is required." in messages
    assert minutes_action_problems(submission=result.submission) == [
        "Action 1 has no owner, no due by, no how the outcome will be evaluated (P6)."
    ]


def test_minutes_rows_give_the_engine_actions_and_decisions__P6(case, draft):
    from forms_builder.answers import submission_rows

    answers = complete_answers(draft.spec, person_pk=case["ssw"].pk)
    result = submission_submit(
        submission=draft, data=answers, expected_version=draft.version, by=case["worker"]
    )
    assert result.ok, result.errors
    actions = submission_rows(result.submission, "actions")
    assert len(actions) == 2
    assert actions[0]["owner"] == case["ssw"].pk
    assert actions[0]["due_on"].isoformat() == "2026-03-27"
    assert actions[0]["evaluation"]
    assert submission_rows(result.submission, "decisions")[0]["decision"]
    assert result.submission.answers["risk_of_harm"] is True
    assert minutes_action_problems(submission=result.submission) == []


def test_minutes_pages_show_the_confidentiality_statement__G4(client, case, draft):
    client.force_login(case["worker"])
    statement = draft.definition.confidentiality_statement
    for name in ("forms_builder:edit", "forms_builder:view", "forms_builder:print"):
        page = client.get(reverse(name, args=[draft.pk])).content.decode()
        assert "Confidentiality statement" in page and statement.split(":")[0] in page


def test_report_status_for_the_meeting_page(case, draft):
    from datetime import date

    assert report_status(submission=None, due_on=date(2026, 5, 1), today=date(2026, 4, 1)) == "not_started"
    assert report_status(submission=draft, due_on=date(2026, 5, 1), today=date(2026, 4, 1)) == "draft"
    assert (
        report_status(submission=draft, due_on=date(2026, 3, 1), today=date(2026, 4, 1)) == ReportStatus.LATE
    )
    assert (
        report_status(submission=None, due_on=date(2026, 3, 1), today=date(2026, 4, 1)) == ReportStatus.LATE
    )
    draft.status = SubmissionStatus.SUBMITTED
    assert report_status(submission=draft, due_on=date(2026, 3, 1), today=date(2026, 4, 1)) == "submitted"


@pytest.fixture
def upload_form(db, case):
    from forms_builder.models import FormDefinition
    from forms_builder.services import form_definition_publish

    definition = FormDefinition(key="evidence", title="Evidence", kind="request")
    definition.body = pack_sections_to_stream_data(
        [
            {
                "key": "main",
                "heading": "Evidence",
                "fields": [
                    {
                        "key": "letter",
                        "type": "file",
                        "label": "Letter from the school",
                        "required": True,
                        "allowed_extensions": ["pdf", "txt"],
                        "max_size_mb": 1,
                    }
                ],
            }
        ]
    )
    form_definition_publish(definition=definition)
    return submission_start(definition=definition, child=case["child"], by=case["worker"])


def test_upload_is_stored_through_storage_and_downloadable(client, case, upload_form):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[upload_form.pk])
    letter = SimpleUploadedFile("letter.txt", b"hello", content_type="text/plain")
    response = client.post(url, {"version": upload_form.version, "submit": "1", "letter": letter})
    assert response.status_code == 302
    upload_form.refresh_from_db()
    assert upload_form.status == SubmissionStatus.SUBMITTED
    assert upload_form.data["letter"]["name"] == "letter.txt"
    download = client.get(reverse("forms_builder:file", args=[upload_form.pk, "letter"]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"hello"


def test_upload_of_wrong_type_or_size_is_refused_with_a_message(client, case, upload_form):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[upload_form.pk])
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    page = client.post(url, {"version": upload_form.version, "save": "1", "letter": bad}).content.decode()
    assert "the file must be one of these types: pdf, txt" in page
    upload_form.refresh_from_db()
    big = SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1), content_type="application/pdf")
    page = client.post(url, {"version": upload_form.version, "submit": "1", "letter": big}).content.decode()
    assert "the file must be smaller than 1 MB" in page
    upload_form.refresh_from_db()
    assert "letter" not in upload_form.data and upload_form.status == SubmissionStatus.DRAFT


def test_add_and_remove_rows_work_without_javascript(client, case, draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[draft.pk])
    response = client.post(
        url,
        {
            "version": draft.version,
            "add_row": "actions",
            "actions-rows": "1",
            "actions-0-action": "Book respite",
        },
    )
    assert response.status_code == 302 and "?add=actions" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'name="actions-rows" value="2"' in page
    assert 'value="Book respite"' not in page  # long text cells are textareas
    assert ">Book respite</textarea>" in page
    draft.refresh_from_db()
    response = client.post(
        url,
        {
            "version": draft.version,
            "remove_row": "actions-0",
            "actions-rows": "2",
            "actions-0-action": "Book respite",
            "actions-1-action": "Second",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [row["action"] for row in draft.data["actions"]] == ["Second"]


def test_report_status_tag_renders_for_the_meeting_page():
    from django.template.loader import render_to_string

    assert "Late" in render_to_string("forms_builder/includes/report_status_tag.html", {"status": "late"})
    assert "Not started" in render_to_string("forms_builder/includes/report_status_tag.html", {"status": ""})


def test_two_people_editing_one_draft_second_save_refused_and_kept(client, case, draft):
    from django.test import Client

    from forms_builder.services import submission_share

    chair = UserFactory(role="team_manager")
    submission_share(submission=draft, user=chair, by=case["worker"])
    url = reverse("forms_builder:edit", args=[draft.pk])
    minute_taker, chair_client = client, Client()
    minute_taker.force_login(case["worker"])
    chair_client.force_login(chair)
    # Both open the draft at the same version.
    opened = draft.version
    assert f'name="version" value="{opened}"' in chair_client.get(url).content.decode()
    assert (
        minute_taker.post(url, {"version": opened, "save": "1", "summary": "Minute taker's text"}).status_code
        == 302
    )
    response = chair_client.post(url, {"version": opened, "save": "1", "summary": "Chair's text"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in page and ">Chair&#x27;s text</textarea>" in page
    draft.refresh_from_db()
    assert draft.data["summary"] == "Minute taker's text"
    assert FormDraftConflict.objects.get(submission=draft, by=chair).data["summary"] == "Chair's text"
    assert (
        reverse("forms_builder:edit", args=[draft.pk])
        in chair_client.get(reverse("forms_builder:drafts")).content.decode()
    )


def test_my_drafts_page_query_count_does_not_grow_with_drafts(client, case, django_assert_max_num_queries):
    for key in ("psm-report", "dm-request", "dm-minutes"):
        submission_start(definition=load_form(key), child=case["child"], by=case["worker"])
    client.force_login(case["worker"])
    with django_assert_max_num_queries(6):
        page = client.get(reverse("forms_builder:drafts"))
    assert page.status_code == 200 and page.content.decode().count("/forms/submissions/") == 3
