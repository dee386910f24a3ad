"""Filing on close (G5, issue 13): the approved minutes and each submitted report become immutable HTML
snapshots on the records the pack names, and the case note of the pack's type links to them.

Which records: the meeting's policy decision `case_notes` list, entries {record, note_type} with record
one of child, carer_household, provider or home (the rule list engineer R is rebuilding); when there is
none, today's `meeting_type.case_note_type` on the child's record. The child's record always gets
the documents. Filing is idempotent: a document is
filed once per meeting, record and source (minutes, report:<id>).

A snapshot renders with the form version it was written on (the submission's own revision, never the
form's current one), and records that version, the SHA-256 of the stored bytes, who and when.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from forms_builder.answers import display_sections
from forms_builder.models import FormSubmission
from portal.models import CaseNote

from .models import FiledDocument, Meeting


@dataclass(frozen=True)
class FilingRule:
    record: str
    note_type: str


def filing_rules(meeting: Meeting) -> list[FilingRule]:
    """The records this meeting files on, from the stored decision, else the meeting type's note type."""
    rows = (meeting.decision or {}).get("case_notes") if isinstance(meeting.decision, dict) else None
    rules = []
    for row in rows or []:
        if isinstance(row, dict) and row.get("record") in FiledDocument.Record.values:
            rules.append(FilingRule(row["record"], str(row.get("note_type") or "")))
    if not any(r.record == FiledDocument.Record.CHILD for r in rules):
        # The child's record always gets the documents (G5), with today's note type when none is given.
        rules.insert(0, FilingRule(FiledDocument.Record.CHILD, meeting.policy.case_note_type))
    return rules


def _record_target(meeting: Meeting, record: str) -> dict | None:
    """The foreign keys for a record, or None when the meeting has no such record (e.g. no carers)."""
    placement = meeting.placement
    if record == FiledDocument.Record.CHILD:
        return {}
    if record == FiledDocument.Record.CARER_HOUSEHOLD and placement.carer_household_id:
        return {"carer_household_id": placement.carer_household_id}
    if record == FiledDocument.Record.PROVIDER and placement.provider_id:
        return {"provider_id": placement.provider_id}
    if record == FiledDocument.Record.HOME and placement.home_id:
        return {"home_id": placement.home_id}
    return None


def _submission(pk: int | None):
    if not pk:
        return None

    return FormSubmission.objects.select_related("revision", "definition").filter(pk=pk).first()


def _form_context(submission) -> dict:
    """The submission rendered with its own version of the form."""
    if submission is None:
        return {"sections": [], "form_version": ""}

    definition = submission.version_definition
    return {
        "sections": display_sections(submission.spec, submission.data),
        "definition": definition,
        "form_version": f"{definition.title}, version {submission.version_number}",
    }


@dataclass(frozen=True)
class Snapshot:
    kind: str
    source_key: str
    title: str
    html: str
    submission_id: int | None
    form_version: str


def snapshots(meeting: Meeting) -> list[Snapshot]:
    """The approved minutes and each received report, each rendered as a self-contained HTML page."""
    policy = meeting.policy
    out = []
    if meeting.minutes_approved_at:
        submission = _submission(meeting.minutes_submission_id)
        context = {"meeting": meeting, "kind": "minutes", **_form_context(submission)}
        context["title"] = f"{policy.name} minutes {meeting.reference}"
        context["actions"] = list(meeting.actions.select_related("owner"))
        context["decisions"] = list(meeting.decisions.all())
        html = render_to_string("workflows/filed_snapshot.html", context)
        sub_id = submission.pk if submission else None
        out.append(Snapshot("minutes", "minutes", context["title"], html, sub_id, context["form_version"]))
    for report in meeting.reports.filter(received_at__isnull=False).order_by("pk"):
        submission = _submission(report.submission_id)
        context = {"meeting": meeting, "kind": "report", "report": report, **_form_context(submission)}
        context["title"] = f"{report.label} ({meeting.reference})"
        html = render_to_string("workflows/filed_snapshot.html", context)
        sub_id = submission.pk if submission else None
        key = f"report:{report.pk}"
        out.append(Snapshot("report", key, context["title"], html, sub_id, context["form_version"]))
    return out


def meeting_file(meeting: Meeting) -> list[FiledDocument]:
    """File the meeting's minutes and reports on each record the pack names; returns the new rows."""
    meeting = Meeting.objects.select_related(
        "meeting_type__pack", "child", "chair", "placement", "minutes_approved_by"
    ).get(pk=meeting.pk)
    rules = filing_rules(meeting)
    documents = snapshots(meeting)
    filed: list[FiledDocument] = []
    body = (
        f"{meeting.policy.name} held {meeting.held_at:%d %b %Y}. Minutes approved and circulated."
        if meeting.held_at
        else f"{meeting.policy.name} closed."
    )
    with transaction.atomic():
        for rule in rules:
            target = _record_target(meeting, rule.record)
            if target is None:
                continue
            note = None
            if rule.record == FiledDocument.Record.CHILD and rule.note_type:
                note, _ = CaseNote.objects.get_or_create(
                    child=meeting.child,
                    note_type=rule.note_type,
                    source_reference=meeting.reference,
                    defaults={"body": body, "created_by": meeting.chair},
                )
            for snap in documents:
                if FiledDocument.objects.filter(
                    meeting=meeting, record=rule.record, source_key=snap.source_key
                ).exists():
                    continue
                data = snap.html.encode("utf-8")
                doc = FiledDocument(
                    meeting=meeting,
                    child=meeting.child,
                    record=rule.record,
                    case_note=note,
                    note_type=rule.note_type,
                    kind=snap.kind,
                    source_key=snap.source_key,
                    title=snap.title,
                    checksum=hashlib.sha256(data).hexdigest(),
                    form_version=snap.form_version,
                    submission_id=snap.submission_id,
                    filed_by=meeting.chair,
                    filed_at=timezone.now(),
                    **target,
                )
                name = f"{snap.source_key.replace(':', '-')}-{doc.checksum[:12]}.html"
                doc.file.save(name, ContentFile(data), save=False)
                doc.save()
                filed.append(doc)
    return filed


def filed_document_intact(doc: FiledDocument) -> bool:
    """Whether the stored bytes still match the checksum taken when it was filed."""
    with doc.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == doc.checksum
