"""Files and sizes (issue 11): uploads checked by content, served only as downloads through the checked
view, no orphan file after a refused save, and no answer silently cut short."""

import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, URLResolver, reverse
from django.urls.resolvers import RegexPattern

from forms_builder.choices import SubmissionStatus
from forms_builder.models import FormDefinition
from forms_builder.services import (
    DraftTooLong,
    StaleDraft,
    form_definition_publish,
    submission_save_draft,
    submission_start,
)
from forms_builder.spec import pack_sections_to_stream_data
from forms_builder.uploads import content_problem

from .helpers import load_form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.fixture
def upload_form(case):
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
                        "allowed_extensions": ["pdf"],
                        "max_size_mb": 1,
                    },
                    {
                        "key": "other",
                        "type": "file",
                        "label": "Anything else",
                        "allowed_extensions": ["pdf", "png", "docx", "odt", "txt", "html"],
                    },
                ],
            }
        ]
    )
    form_definition_publish(definition=definition)
    return submission_start(definition=definition, child=case["child"], by=case["worker"])


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("letter.pdf", PDF, True),
        ("letter.html.pdf", HTML, False),
        ("photo.png", PNG, True),
        ("photo.png", PDF, False),
        ("report.docx", DOCX, True),
        ("report.docx", _zip({"word/document.xml": b"x"}), False),
        ("report.odt", ODT, True),
        ("report.odt", DOCX, False),
        ("notes.txt", "Notes about the visit – café".encode(), True),
        ("notes.txt", HTML, False),
        ("page.html", HTML, False),
        ("empty.pdf", b"", False),
    ],
)
def test_upload_content_must_match_its_type(name, content, accepted):
    ext = name.rsplit(".", 1)[-1]
    assert (content_problem(io.BytesIO(content), ext) == "") is accepted


def test_html_renamed_pdf_is_refused_for_a_pdf_only_question_and_nothing_is_stored(client, case, upload_form):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[upload_form.pk])
    response = client.post(
        url, {"version": upload_form.version, "save": "1", "letter": _upload("letter.html.pdf", HTML)}
    )
    assert "its content is not a PDF" in response.content.decode()
    upload_form.refresh_from_db()
    assert "letter" not in upload_form.data
    response = client.post(
        url, {"version": upload_form.version, "save": "1", "letter": _upload("letter.pdf", PDF)}
    )
    assert response.status_code == 302
    upload_form.refresh_from_db()
    assert upload_form.data["letter"]["name"] == "letter.pdf"


def test_uploads_are_served_only_as_downloads_through_the_checked_view(client, case, upload_form):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[upload_form.pk])
    client.post(url, {"version": upload_form.version, "save": "1", "letter": _upload("letter.pdf", PDF)})
    upload_form.refresh_from_db()
    download = client.get(reverse("forms_builder:file", args=[upload_form.pk, "letter"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/octet-stream"
    assert b"".join(download.streaming_content) == PDF
    # No route serves MEDIA_URL directly, even with DEBUG on (the demo).
    with override_settings(DEBUG=True):
        import portal.urls

        reloaded = importlib.reload(portal.urls)
        try:
            resolver = URLResolver(RegexPattern(r"^/"), reloaded.urlpatterns)
            with pytest.raises(Resolver404):
                resolver.resolve(f"{settings.MEDIA_URL}{upload_form.data['letter']['path']}")
        finally:
            importlib.reload(portal.urls)


def _stored_files(submission) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "forms" / str(submission.pk)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_save_refused_as_stale_leaves_no_orphan_upload(case, upload_form):
    worker = case["worker"]
    opened_at = upload_form.version
    submission_save_draft(submission=upload_form, data={}, expected_version=opened_at, by=worker)
    before = _stored_files(upload_form)
    with pytest.raises(StaleDraft) as refused:
        submission_save_draft(
            submission=upload_form,
            data={},
            expected_version=opened_at,
            by=worker,
            files={"letter": _upload("letter.pdf", PDF)},
        )
    assert _stored_files(upload_form) == before
    assert "letter" not in refused.value.conflict.data


@pytest.fixture
def minutes_draft(case):
    return submission_start(
        definition=load_form("psm-minutes"),
        child=case["child"],
        placement=case["placement"],
        by=case["worker"],
    )


def test_autosave_of_more_text_than_a_field_holds_says_so_and_saves_nothing(client, case, minutes_draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:autosave", args=[minutes_draft.pk])
    ok = client.post(url, {"version": minutes_draft.version, "summary": "Short summary"})
    assert ok.json()["ok"] is True
    version = ok.json()["version"]
    response = client.post(url, {"version": version, "summary": "x" * 120_000})
    body = response.json()
    assert response.status_code == 400 and body["ok"] is False and body["too_long"] is True
    assert "has 120,000 characters and can hold at most 50,000" in body["message"]
    minutes_draft.refresh_from_db()
    assert minutes_draft.data["summary"] == "Short summary" and minutes_draft.version == version
    # Just over the limit is refused too (not kept cut short), in a table cell as well.
    with pytest.raises(DraftTooLong):
        submission_save_draft(
            submission=minutes_draft,
            data={"actions": [{"action": "y" * 50_001}]},
            expected_version=version,
            by=case["worker"],
        )


def test_page_save_of_too_long_text_keeps_it_on_the_page_with_a_message(client, case, minutes_draft):
    client.force_login(case["worker"])
    url = reverse("forms_builder:edit", args=[minutes_draft.pk])
    text = "z" * 50_001
    response = client.post(url, {"version": minutes_draft.version, "save": "1", "summary": text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "can hold at most 50,000" in page and text in page
    assert "Up to 50,000 characters." in page
    minutes_draft.refresh_from_db()
    assert minutes_draft.status == SubmissionStatus.DRAFT and "summary" not in minutes_draft.data
