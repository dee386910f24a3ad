"""Everything that changes form data: start, save a draft, submit, publish a definition."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import get_valid_filename
from wagtail.models import Revision

from audit.history import records_actor
from portal.models import Child, Placement, User

from .answers import parse_date, submission_rows
from .choices import FieldType, ReportStatus, SubmissionStatus
from .forms import LONG_TEXT_MAX, TEXT_MAX, FileField, SubmissionForm, build_form_class
from .models import FormDefinition, FormDraftConflict, FormSubmission
from .prefill import PrefillContext, prefill_value
from .selectors import people_for_child
from .signals import SubmissionForbidden, SubmissionRefused, submission_submitting, submission_write_check
from .spec import FormSpec, spec_for_revision

# Prefill sources that name a person: a person question stores the user's pk instead of the name.
PERSON_SOURCES = {
    "social_worker": lambda c: c["child"].social_worker,
    "iro": lambda c: c["child"].iro,
    "supervising_social_worker": lambda c: getattr(
        getattr(c.get("placement"), "carer_household", None), "supervising_social_worker", None
    ),
    "meeting_chair": lambda c: getattr(c.get("meeting"), "chair", None),
}


class SubmissionNotEditable(Exception):
    """The submission was already submitted: it can only be read."""


class DraftTooLong(ValueError):
    """An answer is longer than its question holds: nothing is saved (never cut short silently).

    ``errors`` are (anchor id, sentence) for the error summary; the text stays on the worker's page."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__(" ".join(message for _, message in errors))


def text_limit(field_type: str) -> int:
    """The documented maximum length of a free-text answer (a table cell too) of this type."""
    return LONG_TEXT_MAX if field_type == FieldType.LONG_TEXT else TEXT_MAX


def _too_long(spec: FormSpec, data: dict[str, Any]) -> list[tuple[str, str]]:
    def sentence(label: str, length: int, limit: int) -> str:
        return (
            f"“{label}” is too long to save: it has {length:,} characters and can hold at most {limit:,}. "
            "Shorten it and save again. Nothing was saved; your text is still on this page."
        )

    errors = []
    for f in spec.fields():
        value = data.get(f.key)
        if f.type in (FieldType.TEXT, FieldType.LONG_TEXT) and isinstance(value, str):
            if len(value) > text_limit(f.type):
                errors.append((f"id_{f.key}", sentence(f.label, len(value), text_limit(f.type))))
        elif f.type == FieldType.REPEATING_GROUP and isinstance(value, list):
            for i, row in enumerate(value):
                for c in f.columns:
                    cell = row.get(c.key) if isinstance(row, dict) else None
                    if isinstance(cell, str) and len(cell) > text_limit(c.type):
                        label = f"{f.label}, row {i + 1}: {c.label}"
                        errors.append(
                            (f"id_{f.key}-{i}-{c.key}", sentence(label, len(cell), text_limit(c.type)))
                        )
    return errors


class StaleDraft(Exception):
    """Someone saved this draft after the version this save started from. Carries the refused text."""

    def __init__(self, *, submission: FormSubmission, data: dict[str, Any], conflict: FormDraftConflict):
        self.submission = submission
        self.data = data
        self.conflict = conflict
        self.current_version = conflict.found_version
        super().__init__(
            "This draft was saved by someone else (or in another window) since you opened it. "
            "Your changes were not saved over theirs; they are shown below and kept on record."
        )


@dataclass
class SubmitResult:
    submission: FormSubmission
    form: SubmissionForm
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def form_definition_publish(*, definition: FormDefinition, user: User | None = None) -> Revision:
    """Save and publish a new version (used by packs and tests; the CMS does the same)."""
    definition.full_clean()
    if definition.pk is None:
        definition.live = False
        definition.save()
    revision = definition.save_revision(user=user)
    revision.publish(user=user)
    definition.refresh_from_db()
    return revision


def prefill_context(
    *, child: Child, placement: Placement | None = None, meeting: Any = None
) -> PrefillContext:
    return {"child": child, "placement": placement, "meeting": meeting}


def _option_for(column: Any, text: str) -> str:
    """The column's option that says the same as `text` (same words, or the same first word)."""
    if column.type != FieldType.SINGLE_CHOICE:
        return text
    wanted = text.strip().lower()
    for option in column.options:
        if option.strip().lower() == wanted:
            return option
    first = wanted.split(" ")[-1] if wanted.startswith("sent ") else wanted.split(" ")[0]
    for option in column.options:
        if option.strip().lower().split(" ")[0] == first:
            return option
    return ""


def _attendance_rows(spec: FormSpec, context: PrefillContext) -> dict[str, Any]:
    """G3: the attendance recorded when the meeting was held, carried into the form's attendance table.

    The subject (a meeting) gives ``attendance_rows``: dicts with name, role and attendance (a label such
    as "Present", "Sent apologies", "Did not attend"); they fill the columns with those keys of the first
    table in the section marked as attendance. Someone whose attendance the table cannot say is left
    out rather than recorded wrongly."""
    section = spec.section_with_role("attendance")
    rows = getattr(context.get("meeting"), "attendance_rows", None)
    if section is None or not rows:
        return {}
    group = next((f for f in section.fields if f.type == FieldType.REPEATING_GROUP), None)
    if group is None:
        return {}
    columns = {c.key: c for c in group.columns}
    out = []
    for row in rows:
        cells = dict.fromkeys(columns, "")
        for key, value in row.items():
            if key in columns and value:
                cells[key] = _option_for(columns[key], str(value))
        if "attendance" in columns and row.get("attendance") and not cells["attendance"]:
            continue
        out.append(cells)
    return {group.key: out} if out else {}


def _prefilled(spec: FormSpec, context: PrefillContext) -> dict[str, Any]:
    data: dict[str, Any] = _attendance_rows(spec, context)
    for f in spec.fields():
        if not f.prefill:
            continue
        if f.type == FieldType.PERSON:
            getter = PERSON_SOURCES.get(f.prefill)
            try:
                person = getter(context) if getter else None
            except AttributeError:
                person = None
            if isinstance(person, User):
                data[f.key] = str(person.pk)
            continue
        value = prefill_value(f.prefill, context)
        if value is None:
            continue
        value = str(value)
        parsed = parse_date(value) if len(value) == 10 else None
        if parsed and f.type in (FieldType.TEXT, FieldType.LONG_TEXT):
            value = f"{parsed:%d/%m/%Y}"
        data[f.key] = value
    return data


def submission_write_refusal(
    *, definition_key: str, child: Child, subject_reference: str, by: User, step: str = "start"
) -> str | None:
    """Why `by` may not write this form for its subject (a sentence), or None. Asked by every service
    that changes a submission and by screens deciding whether to offer the link; the subject's app
    answers (a meeting's minutes only by its chair or minute taker, a report only by its author role)."""
    if not subject_reference:
        return None
    for _receiver, refusal in submission_write_check.send(
        sender=FormSubmission,
        definition_key=definition_key,
        child=child,
        subject_reference=subject_reference,
        user=by,
        step=step,
    ):
        if refusal:
            return str(refusal)
    return None


def _check_write(*, submission: FormSubmission, by: User, step: str) -> None:
    refusal = submission_write_refusal(
        definition_key=submission.definition.key,
        child=submission.child,
        subject_reference=submission.subject_reference,
        by=by,
        step=step,
    )
    if refusal:
        raise SubmissionForbidden(refusal)


@records_actor
def submission_start(
    *,
    definition: FormDefinition,
    child: Child,
    by: User,
    placement: Placement | None = None,
    subject_reference: str = "",
    return_url: str = "",
    meeting: Any = None,
) -> FormSubmission:
    """Start (or return to) this author's draft of the published form for the child and subject."""
    if not definition.live or definition.live_revision_id is None:
        raise ValueError(f"The form “{definition.title}” has not been published.")
    subject_reference = subject_reference[:100]
    refusal = submission_write_refusal(
        definition_key=definition.key, child=child, subject_reference=subject_reference, by=by
    )
    if refusal:
        raise SubmissionForbidden(refusal)
    existing = (
        FormSubmission.objects.filter(
            definition=definition,
            child=child,
            author=by,
            status=SubmissionStatus.DRAFT,
            subject_reference=subject_reference,
        )
        .order_by("-updated_at")
        .first()
    )
    if existing is not None:
        return existing
    revision = definition.live_revision
    spec = spec_for_revision(revision)
    context = prefill_context(child=child, placement=placement, meeting=meeting)
    data = _prefilled(spec, context)
    if subject_reference:
        # Re-recording (e.g. minutes revised before approval) starts from what was submitted last,
        # never from a blank form.
        previous = (
            FormSubmission.objects.filter(
                definition=definition,
                child=child,
                status=SubmissionStatus.SUBMITTED,
                subject_reference=subject_reference,
            )
            .order_by("-submitted_at", "-pk")
            .first()
        )
        if previous is not None:
            keys = spec.field_map()
            data = {k: v for k, v in (previous.data or {}).items() if k in keys}
    return FormSubmission.objects.create(
        definition=definition,
        revision=revision,
        child=child,
        placement=placement,
        subject_reference=subject_reference,
        return_url=return_url[:500],
        author=by,
        data=data,
    )


def _store_uploads(
    *, submission: FormSubmission, spec: FormSpec, files: Any
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check and store uploaded files through Django's storage API; return (values, errors)."""
    stored: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    if not files:
        return stored, errors
    for f in spec.fields():
        if f.type != FieldType.FILE or f.key not in files:
            continue
        upload = files[f.key]
        try:
            FileField(f).clean(upload)
        except Exception as exc:
            errors.append((f"id_{f.key}", " ".join(getattr(exc, "messages", [str(exc)]))))
            continue
        name = get_valid_filename(upload.name.rsplit("/", 1)[-1])[:100] or "upload"
        path = default_storage.save(f"forms/{submission.pk}/{uuid.uuid4().hex}/{name}", upload)
        stored[f.key] = {"name": name, "path": path, "size": upload.size}
    return stored, errors


def _discard_uploads(uploads: dict[str, Any]) -> None:
    for value in uploads.values():
        path = value.get("path") if isinstance(value, dict) else None
        if path:
            default_storage.delete(path)


def _merge(submission: FormSubmission, spec: FormSpec, data: dict[str, Any], uploads: dict[str, Any]):
    """Keep earlier uploads unless a new file replaced them; keep only keys of this version."""
    keys = spec.field_map()
    merged = {k: v for k, v in data.items() if k in keys and keys[k].type != FieldType.FILE}
    for key, f in keys.items():
        if f.type == FieldType.FILE:
            value = uploads.get(key) or (submission.data or {}).get(key)
            if value:
                merged[key] = value
    return merged


@records_actor
def submission_save_draft(
    *,
    submission: FormSubmission,
    data: dict[str, Any],
    expected_version: int,
    by: User,
    files: Any = None,
) -> FormSubmission:
    """Save the answers as they are (valid or not). Refuses a stale save, keeping its text (StaleDraft).

    The returned submission carries ``upload_errors``: uploads refused for type or size.
    """
    if not submission.can_edit(by):
        raise SubmissionNotEditable(
            "Only the author and the people they share it with can change this draft."
        )
    _check_write(submission=submission, by=by, step="save")
    spec = submission.spec
    too_long = _too_long(spec, data)
    if too_long:
        raise DraftTooLong(too_long)
    uploads, upload_errors = _store_uploads(submission=submission, spec=spec, files=files)
    merged = _merge(submission, spec, data, uploads)
    with transaction.atomic():
        updated = FormSubmission.objects.filter(
            pk=submission.pk, version=expected_version, status=SubmissionStatus.DRAFT
        ).update(data=merged, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        # The refused save keeps its text (as a conflict) but not the files it uploaded: no orphans.
        _discard_uploads(uploads)
        current = FormSubmission.objects.get(pk=submission.pk)
        if current.status != SubmissionStatus.DRAFT:
            raise SubmissionNotEditable("This form has already been submitted; it can no longer be changed.")
        kept = _merge(current, spec, data, {})
        conflict = FormDraftConflict.objects.create(
            submission=current,
            by=by,
            data=kept,
            expected_version=expected_version,
            found_version=current.version,
        )
        raise StaleDraft(submission=current, data=kept, conflict=conflict)
    submission.refresh_from_db()
    submission.upload_errors = upload_errors
    return submission


@records_actor
def submission_share(*, submission: FormSubmission, user: User, by: User) -> FormSubmission:
    """Let someone else edit this draft too (their saves are checked against the same version)."""
    if not submission.can_edit(by):
        raise SubmissionNotEditable("Only the people editing this draft can share it.")
    submission.collaborators.add(user)
    return submission


def post_data_for(spec: FormSpec, data: dict[str, Any]) -> QueryDict:
    """Stored answers written back as a posted form (tables as ``<key>-rows``/``<key>-<i>-<col>``)."""
    post = QueryDict(mutable=True)
    for f in spec.fields():
        value = data.get(f.key)
        if f.type == FieldType.FILE:
            continue
        if f.type == FieldType.REPEATING_GROUP:
            rows = value if isinstance(value, list) else []
            post[f"{f.key}-rows"] = str(len(rows))
            for i, row in enumerate(rows):
                for c in f.columns:
                    post[f"{f.key}-{i}-{c.key}"] = str(
                        (row or {}).get(c.key, "") if isinstance(row, dict) else ""
                    )
        elif f.type == FieldType.MULTIPLE_CHOICE:
            post.setlist(f.key, [str(v) for v in value] if isinstance(value, list) else [])
        elif value not in (None, ""):
            post[f.key] = str(value)
    return post


def submission_form(
    *, submission: FormSubmission, data: Any = None, files: Any = None, extra_people: list | None = None
) -> SubmissionForm:
    """The worker's form for this submission's version, bound to posted data or to the stored draft."""
    people = people_for_child(
        child=submission.child,
        placement=submission.placement,
        extra=extra_people,
        subject_reference=submission.subject_reference,
    )
    form_class = build_form_class(submission.spec, people)
    initial_files = {
        k: v
        for k, v in (submission.data or {}).items()
        if isinstance(v, dict) and k in submission.spec.field_map()
    }
    if data is None:
        return form_class(data=post_data_for(submission.spec, submission.data or {}), initial=initial_files)
    return form_class(data=data, files=files, initial=initial_files)


@records_actor
def submission_submit(
    *,
    submission: FormSubmission,
    expected_version: int,
    by: User,
    data: dict[str, Any] | None = None,
    files: Any = None,
) -> SubmitResult:
    """Validate against the version's rules (conditions included) and submit, or save and explain.

    ``data`` is stored-format answers (``form.raw_values()``); None submits the stored draft as is.
    On errors the answers are still saved as the draft, so nothing typed is lost.
    """
    if not submission.is_draft:
        raise SubmissionNotEditable("This form has already been submitted.")
    if not submission.can_edit(by):
        raise SubmissionNotEditable("Only the author and the people they share it with can submit this form.")
    _check_write(submission=submission, by=by, step="submit")
    if data is not None:
        submission = submission_save_draft(
            submission=submission, data=data, expected_version=expected_version, by=by, files=files
        )
        expected_version = submission.version
    form = submission_form(submission=submission, data=post_data_for(submission.spec, submission.data))
    form.is_valid()
    errors = form.error_list() + list(getattr(submission, "upload_errors", []))
    if errors:
        return SubmitResult(submission=submission, form=form, errors=errors)
    values = _merge(submission, submission.spec, form.stored_values(), {})
    try:
        with transaction.atomic():
            updated = FormSubmission.objects.filter(
                pk=submission.pk, version=expected_version, status=SubmissionStatus.DRAFT
            ).update(
                data=values,
                status=SubmissionStatus.SUBMITTED,
                submitted_at=timezone.now(),
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            if updated:
                submitted = FormSubmission.objects.select_related("definition", "revision").get(
                    pk=submission.pk
                )
                submission_submitting.send(sender=FormSubmission, submission=submitted, by=by)
    except SubmissionRefused as refusal:
        submission.refresh_from_db()
        return SubmitResult(submission=submission, form=form, errors=[("main-content", str(refusal))])
    if not updated:
        current = FormSubmission.objects.get(pk=submission.pk)
        conflict = FormDraftConflict.objects.create(
            submission=current,
            by=by,
            data=values,
            expected_version=expected_version,
            found_version=current.version,
        )
        raise StaleDraft(submission=current, data=values, conflict=conflict)
    submission.refresh_from_db()
    return SubmitResult(submission=submission, form=form)


def report_status(
    *, submission: FormSubmission | None, due_on: date | None, today: date | None = None
) -> str:
    """What a meeting page shows for a required report: not started, draft, submitted or late."""
    today = today or timezone.localdate()
    if submission is not None and submission.status == SubmissionStatus.SUBMITTED:
        return ReportStatus.SUBMITTED
    if due_on is not None and today > due_on:
        return ReportStatus.LATE
    if submission is None:
        return ReportStatus.NOT_STARTED
    return ReportStatus.DRAFT


def minutes_action_problems(*, submission: FormSubmission, group_key: str = "actions") -> list[str]:
    """Why minutes can't be sent for approval (P6): actions lacking an owner, a due date or an evaluation."""
    field_spec = submission.spec.field_map().get(group_key)
    if field_spec is None:
        return []
    problems = []
    labels = {c.key: c.label for c in field_spec.columns}
    for i, row in enumerate(submission_rows(submission, group_key), start=1):
        missing = [labels.get(k, k) for k in ("action", "owner", "due_on", "evaluation") if not row.get(k)]
        if missing:
            problems.append(f"Action {i} has no {', no '.join(m.lower() for m in missing)} (P6).")
    return problems
