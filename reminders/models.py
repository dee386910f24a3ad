"""In-app notifications, escalation ladders and message templates (issue 13).

A notification is written by a post_save on the outbox row, so it commits in the same transaction as the
message (and the change that caused it) or not at all. Ladders and templates are snippets the policy
owner edits in the CMS; when none is defined the defaults in `reminders.defaults` apply.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .defaults import RECIPIENTS, TEMPLATE_VARIABLES, template_problem


class LatenessKind(models.TextChoices):
    MEETING_LATE = "meeting_late", "Meeting not held by its deadline"
    MEETING_DUE = "meeting_due", "Meeting due soon"
    APPROVAL_WAITING = "approval_waiting", "Request waiting for approval"
    REPORT_DUE = "report_due", "Report due soon"
    REPORT_LATE = "report_late", "Report late"
    MINUTES_LATE = "minutes_late", "Minutes not drafted or approved by their due date"
    ACTION_DUE = "action_due", "Action due soon"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    FOLLOW_UP_NOT_STARTED = "follow_up_not_started", "Follow-up not started by its due date"


class Notification(models.Model):
    """One message to one signed-in worker, shown in the portal. Only its user ever sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.OneToOneField(
        "outbox.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    subject = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    link = models.CharField(max_length=255, blank=True, help_text="Where the thing to do is.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return self.subject


def _validate_steps(steps) -> None:
    if not isinstance(steps, list) or not steps:
        raise ValidationError('Give at least one step, e.g. [{"after_working_days": 0, "to": "owner"}].')
    previous = -1
    for n, step in enumerate(steps, 1):
        if not isinstance(step, dict) or set(step) != {"after_working_days", "to"}:
            raise ValidationError(f"Step {n} needs exactly 'after_working_days' and 'to'.")
        days = step["after_working_days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValidationError(f"Step {n}: the number of working days must be a whole number, 0 or more.")
        if days <= previous:
            raise ValidationError(f"Step {n} must come later than step {n - 1}.")
        if step["to"] not in RECIPIENTS:
            raise ValidationError(f"Step {n}: send to one of {', '.join(RECIPIENTS)}.")
        previous = days


class EscalationLadder(models.Model):
    """Who is reminded, and after how many working days each next person is told (per meeting type)."""

    meeting_type = models.ForeignKey(
        "workflows.MeetingType", on_delete=models.CASCADE, related_name="escalation_ladders"
    )
    kind = models.CharField(max_length=30, choices=LatenessKind.choices)
    steps = models.JSONField(
        validators=[_validate_steps],
        help_text=(
            'A list of steps, each {"after_working_days": N, "to": WHO}. N counts working days on the '
            "pack's calendar from the date the thing fell due (0 = the first day it is late or due). WHO is "
            "one of: owner (the person who owns the next step), team_manager (the owner's team manager), "
            "head_of_service (the user named by the pack setting head_of_service), iro (the child's IRO)."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting_type", "kind"], name="one_ladder_per_type_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_type}: {self.get_kind_display()}"


class MessageTemplate(models.Model):
    """The wording of one kind of reminder; Django template syntax with the variables listed."""

    key = models.CharField(max_length=30, choices=LatenessKind.choices, unique=True)
    subject = models.CharField(
        max_length=255,
        help_text="Variables you can use: " + ", ".join("{{ " + v + " }}" for v in TEMPLATE_VARIABLES),
    )
    body = models.TextField(
        help_text="Variables you can use: "
        + "; ".join("{{ " + v + " }} (" + d + ")" for v, d in TEMPLATE_VARIABLES.items())
    )

    def __str__(self) -> str:
        return self.get_key_display()

    def clean(self) -> None:
        errors = {}
        for name in ("subject", "body"):
            problem = template_problem(getattr(self, name))
            if problem:
                errors[name] = problem
        if errors:
            raise ValidationError(errors)
