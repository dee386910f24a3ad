"""Filing on close (G5, issue 13): the approved minutes and each received report are filed as immutable
HTML snapshots through Django's storage API on the child's record (and the carers' household record
when the pack's case_notes rule says so), with the case note of the pack's type linking to them.
"""

import hashlib

import pytest
from django.db import connection
from django.urls import reverse

from audit.append_only import protected_tables
from portal.models import CaseNote
from workflows import services
from workflows.filing import filed_document_intact, filing_rules, meeting_file
from workflows.models import FiledDocument, Meeting

from .factories import hold_and_minute
from .test_form_links import _minutes_answers, _start_minutes, held_psm  # noqa: F401 - fixture
from .test_general import scheduled_psm


def _close(people, county, django_capture_on_commit_callbacks, *, case_notes=None):
    meeting = hold_and_minute(scheduled_psm(people, county), people)
    if case_notes is not None:
        Meeting.objects.filter(pk=meeting.pk).update(decision={**meeting.decision, "case_notes": case_notes})
        meeting.refresh_from_db()
    meeting = services.minutes_approve(meeting=meeting, by=meeting.chair)
    meeting = services.minutes_circulate(meeting=meeting, by=meeting.chair)
    with django_capture_on_commit_callbacks(execute=True):
        return services.meeting_close(meeting=meeting, by=meeting.chair)


def test_close_files_minutes_and_reports_on_the_child_with_the_case_note_linking__G5_issue13(
    county, people, django_capture_on_commit_callbacks
):
    meeting = _close(people, county, django_capture_on_commit_callbacks)
    docs = list(FiledDocument.objects.filter(meeting=meeting).order_by("pk"))
    received = list(meeting.reports.filter(received_at__isnull=False).order_by("pk"))
    assert received, "the PSM pack asks for a report with the request"
    assert [d.source_key for d in docs] == ["minutes", *[f"report:{r.pk}" for r in received]]
    note = CaseNote.objects.get(child=meeting.child, source_reference=meeting.reference)
    assert note.note_type == "Placement stability meeting"  # the county pack's case note type
    assert all(d.record == "child" and d.case_note == note and d.filed_by == meeting.chair for d in docs)
    minutes = docs[0].file.read().decode()
    assert "Night-time behaviour; carers exhausted." in minutes  # the key issues recorded
    assert "Arrange weekend respite" in minutes and meeting.confidentiality_statement in minutes
    for doc in docs:
        with doc.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == doc.checksum
        assert filed_document_intact(doc)
    # The child's documents list points at the filed copies.
    urls = set(meeting.child.documents.values_list("url", flat=True))
    assert {reverse("workflows:filed_document", args=[d.pk]) for d in docs} == urls


def test_filing_twice_files_nothing_twice_and_snapshots_are_append_only__issue13(
    county, people, django_capture_on_commit_callbacks
):
    meeting = _close(people, county, django_capture_on_commit_callbacks)
    count = FiledDocument.objects.count()
    assert meeting_file(meeting) == [] and FiledDocument.objects.count() == count
    doc = FiledDocument.objects.first()
    doc.title = "changed"
    with pytest.raises(PermissionError):
        doc.save()
    with pytest.raises(PermissionError):
        doc.delete()
    assert FiledDocument._meta.db_table in protected_tables(connection.alias)


def test_the_packs_case_notes_rule_files_on_the_carers_household_too__issue13(
    county, people, django_capture_on_commit_callbacks
):
    rule = [
        {"record": "child", "note_type": "Stability meeting minutes"},
        {"record": "carer_household", "note_type": "Carer review evidence"},
    ]
    meeting = _close(people, county, django_capture_on_commit_callbacks, case_notes=rule)
    assert [(r.record, r.note_type) for r in filing_rules(meeting)] == [
        ("child", "Stability meeting minutes"),
        ("carer_household", "Carer review evidence"),
    ]
    household = FiledDocument.objects.filter(meeting=meeting, record="carer_household")
    assert household.exists()
    assert set(household.values_list("carer_household_id", flat=True)) == {
        meeting.placement.carer_household_id
    }
    assert CaseNote.objects.get(child=meeting.child).note_type == "Stability meeting minutes"


def test_download_is_scoped_to_who_may_see_the_child__issue13(
    client, county, people, django_capture_on_commit_callbacks
):
    meeting = _close(people, county, django_capture_on_commit_callbacks)
    doc = FiledDocument.objects.filter(meeting=meeting, source_key="minutes").get()
    url = reverse("workflows:filed_document", args=[doc.pk])
    client.force_login(people.social_worker)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"Night-time behaviour" in b"".join(response.streaming_content)
    page = client.get(reverse("child_detail", args=[meeting.child.pk])).content.decode()
    assert url in page  # the case note links to its filed copy
    client.force_login(people.other_manager)  # another team's manager: not their child
    assert client.get(url).status_code == 404


def test_snapshot_renders_with_the_form_version_it_was_written_on__issue13(
    held_psm,  # noqa: F811 - fixture
    people,
    django_capture_on_commit_callbacks,
):
    from forms_builder.models import FormDefinition
    from forms_builder.services import form_definition_publish, submission_submit

    submission = _start_minutes(held_psm, people.fostering_manager)
    result = submission_submit(
        submission=submission,
        data=_minutes_answers(submission, people.ssw.pk),
        expected_version=submission.version,
        by=people.fostering_manager,
    )
    assert result.ok, result.errors
    heading = submission.spec.sections[0].heading
    # The policy owner renames the first section and publishes a new version before the meeting closes.
    definition = FormDefinition.objects.get(key="psm-minutes")
    body = definition.body.raw_data
    body[0]["value"]["heading"] = "Renamed in version 2"
    definition.body = body
    form_definition_publish(definition=definition)
    meeting = Meeting.objects.get(pk=held_psm.pk)
    meeting = services.minutes_approve(meeting=meeting, by=meeting.chair)
    meeting = services.minutes_circulate(meeting=meeting, by=meeting.chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(meeting=meeting, by=meeting.chair)
    doc = FiledDocument.objects.get(meeting=meeting, record="child", source_key="minutes")
    html = doc.file.read().decode()
    assert heading in html and "Renamed in version 2" not in html
    assert doc.submission_id == submission.pk
    assert (
        doc.form_version.endswith(f"version {submission.version_number}") and submission.version_number == 1
    )
