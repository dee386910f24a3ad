"""The outbox: every message the portal sends, written in the transaction of the change that causes it.

A message row commits with the change or not at all, so a process that dies between the commit and the
queue loses nothing: the sweep finds the row still pending and delivers it. Delivery claims a row by a
compare-and-set on its status with a lease, so two workers (or a retried task) never both send it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    TASK = "task", "Background task"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"


class OutboxMessage(models.Model):
    """One message to one recipient (or one durable task run), sent at most once per dedupe key."""

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    topic = models.CharField(max_length=80, help_text="What caused it, e.g. a task name.")
    reference = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="What it is about, e.g. a meeting reference."
    )
    recipient = models.CharField(max_length=254, blank=True, help_text="E-mail address (e-mail channel).")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    task = models.CharField(max_length=200, blank=True, help_text="Dotted task name (task channel).")
    task_args = models.JSONField(default=list, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True)

    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(help_text="Not tried before this time (back-off after a failure).")
    lease_until = models.DateTimeField(null=True, blank=True, help_text="A sending claim expires then.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_status_available")]

    def __str__(self) -> str:
        return f"{self.topic} to {self.recipient or self.task} ({self.status})"


class QueueHeartbeat(models.Model):
    """One row per django-q2 cluster name: when a scheduled task last ran (the queue health check)."""

    name = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.beat_at:%Y-%m-%d %H:%M:%S}"
