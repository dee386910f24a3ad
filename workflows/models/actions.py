"""What a meeting decided and the actions it agreed, with each action's status history (P6, D11, G7).
Rows replaced when minutes are re-recorded are kept, marked superseded."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from audit.history import TrackedHistory, TrackedManager, TrackedQuerySet

from .. import lateness
from ..choices import ActionStatus
from .meetings import HistoryQuerySet, Meeting


class CurrentRecordManager(TrackedManager):
    """Only the current rows. Decisions and actions replaced when minutes are re-recorded are kept on
    record, marked superseded with who and when (G7, issue 11): `all_objects` reads them too."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(superseded_at__isnull=True)


class ActionQuerySet(TrackedQuerySet):
    """Overdue as workflows.lateness defines it for actions: open after the due date."""

    def overdue(self, today: date) -> ActionQuerySet:
        return self.filter(lateness.action_overdue_q(today))

    def with_overdue(self, today: date) -> ActionQuerySet:
        return self.annotate(is_overdue=lateness.overdue_annotation(lateness.action_overdue_q(today)))


class ActionManager(CurrentRecordManager.from_queryset(ActionQuerySet)):
    pass


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CurrentRecordManager()
    all_objects = TrackedManager()
    changes = TrackedHistory()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    """An agreed action with a named owner, a due date and how its outcome is judged (P6, D11)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    child = models.ForeignKey("portal.Child", on_delete=models.CASCADE, related_name="meeting_actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    evaluation = models.TextField(blank=True, help_text="How everyone will know the outcome was achieved.")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    follow_up_key = models.CharField(max_length=60, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActionManager()
    all_objects = TrackedManager.from_queryset(ActionQuerySet)()
    changes = TrackedHistory()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["child", "status"], name="action_child_status"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            # Lists (issue 12): as on meetings, covering the status for counts and page ids, and the
            # superseded time the default manager filters on, so they stay index-only scans.
            models.Index(
                fields=["child", "due_on", "id"],
                include=["status", "superseded_at"],
                name="action_child_due_id",
            ),
            models.Index(fields=["due_on", "id"], include=["status", "superseded_at"], name="action_due_id"),
            # The owner's branch in page order: without it PostgreSQL walks action_due_id filtering on
            # the owner, and for someone who owns none it reads all 2,000,000 rows (the manager's
            # actions page at full scale: 766 ms in EXPLAIN ANALYZE, bench/plans).
            models.Index(
                fields=["owner", "due_on", "id"],
                include=["status", "superseded_at"],
                name="action_owner_due_id",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    @property
    def missing(self) -> list[str]:
        """What P6 needs and this action lacks."""
        missing = []
        if not (self.owner_id or self.owner_name.strip()):
            missing.append("a named owner")
        if not self.due_on:
            missing.append("a timescale")
        if not self.evaluation.strip():
            missing.append("how its outcome will be evaluated")
        return missing


class ActionStatusChange(models.Model):
    """One change to an action's status, with who, when and why (issue 13). Rows are never changed
    or deleted (G7; database triggers: audit.append_only).

    `note` is what the status needs: progress so far (in progress), what was done (done), the reason
    (dropped), or why the due date changed. `evaluated` (done only) is how the outcome was evaluated.
    """

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="status_changes")
    source = models.CharField(max_length=20, choices=ActionStatus.choices)
    target = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    evaluated = models.TextField(blank=True)
    due_on_before = models.DateField(null=True, blank=True)
    due_on_after = models.DateField(null=True, blank=True)
    review = models.ForeignKey(
        "LookedAfterReview", null=True, blank=True, on_delete=models.PROTECT, related_name="action_changes"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["action", "at"], name="action_change_action_at")]

    def __str__(self) -> str:
        return f"{self.action}: {self.source} -> {self.target}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("An action's status history cannot be changed (G7).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("An action's status history cannot be deleted (G7).")
