"""What is kept on the child's record: looked-after reviews, documents filed when a meeting closes and
the reports a meeting asks for (G5, G7, issue 13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from audit.history import TrackedHistory, TrackedManager

from ..choices import ParticipantRole
from .meetings import HistoryQuerySet, Meeting


class LookedAfterReview(models.Model):
    """A child's looked-after review as recorded by their IRO from the review pack (issue 13). The
    child's last review date is the latest of these; the pack lists what happened since."""

    child = models.ForeignKey("portal.Child", on_delete=models.PROTECT, related_name="looked_after_reviews")
    held_on = models.DateField(db_index=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["child", "held_on"], name="la_review_child_held")]

    def __str__(self) -> str:
        return f"Looked-after review {self.held_on:%d %b %Y}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("A recorded review cannot be changed (G7).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A recorded review cannot be deleted (G7).")


def _filed_path(instance: FiledDocument, filename: str) -> str:
    return f"filed/{instance.child_id}/{instance.meeting_id}/{filename}"


class FiledDocument(models.Model):
    """An immutable HTML snapshot of approved minutes or a submitted report, filed on a record when the
    meeting closes (G5, issue 13). Stored through Django's storage API; the checksum (SHA-256 of the
    stored bytes) shows it was never changed. Rows are never changed or deleted (audit.append_only).

    `record` says whose record it is filed on (the pack's case_notes rule: child, carer_household,
    provider or home); `child` is always the child the meeting was about, and decides who may read it.
    """

    class Record(models.TextChoices):
        CHILD = "child", "The child's record"
        CARER_HOUSEHOLD = "carer_household", "The carers' household record"
        PROVIDER = "provider", "The provider's record"
        HOME = "home", "The home's record"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="filed_documents")
    child = models.ForeignKey("portal.Child", on_delete=models.PROTECT, related_name="filed_documents")
    record = models.CharField(max_length=20, choices=Record.choices, default=Record.CHILD)
    carer_household = models.ForeignKey(
        "portal.CarerHousehold", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "portal.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    home = models.ForeignKey("portal.Home", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case_note = models.ForeignKey(
        "portal.CaseNote", null=True, blank=True, on_delete=models.PROTECT, related_name="filed_documents"
    )
    note_type = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20)  # minutes or report
    source_key = models.CharField(max_length=60, help_text="minutes, or report:<id>")
    title = models.CharField(max_length=255)
    file = models.FileField(upload_to=_filed_path, max_length=300)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the stored file.")
    form_version = models.CharField(max_length=255, blank=True)
    submission_id = models.PositiveBigIntegerField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "record", "source_key"], name="filed_once_per_record")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("A filed document cannot be changed (G7).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A filed document cannot be deleted (G7).")


class MeetingReport(models.Model):
    """A report the policy requires, who writes it and when it is due (P2, P8, D8, B6), and the form
    builder's submission that answers it once attached."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    form_key = models.SlugField(max_length=80)
    label = models.CharField(max_length=200)
    author_role = models.CharField(max_length=40, choices=ParticipantRole.choices)
    timing = models.CharField(max_length=20)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    due_explanation = models.TextField(blank=True)
    submission = models.ForeignKey(
        "forms_builder.FormSubmission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TrackedManager()
    changes = TrackedHistory()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["received_at", "due_on"], name="report_received_due")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_received(self) -> bool:
        return self.received_at is not None
