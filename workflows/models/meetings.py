"""The meeting, its state machine (transitions with their conditions and permissions), its approvals,
its transition history and its invitees (G3, G7)."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from audit.history import TrackedHistory, TrackedManager
from forms_builder.answers import section_answered
from portal.choices import Role

from .. import lateness
from .. import permissions as may
from ..choices import (
    NOT_HELD_SOURCES,
    OPEN_STATES,
    ApprovalGate,
    Attendance,
    MeetingState,
    ParticipantRole,
    Requirement,
)
from ..choices import Decision as DecisionChoice
from ..not_held import not_held_decider_refusal, not_held_refusal
from ..policy import decline_needs_reason, transition_refusal
from .meeting_types import MeetingType


def _transition_allowed(meeting: Meeting, name: str) -> bool:
    return transition_refusal(meeting, name) is None


def can_approve(meeting: Meeting) -> bool:
    return _transition_allowed(meeting, "approve")


def can_decline(meeting: Meeting) -> bool:
    return bool(meeting.decline_reason.strip()) or not decline_needs_reason(meeting)


def can_schedule(meeting: Meeting) -> bool:
    return _transition_allowed(meeting, "schedule")


def can_approve_minutes(meeting: Meeting) -> bool:
    return _transition_allowed(meeting, "approve_minutes")


def can_circulate(meeting: Meeting) -> bool:
    return _transition_allowed(meeting, "circulate")


def can_close(meeting: Meeting) -> bool:
    return _transition_allowed(meeting, "close")


def has_cancel_reason(meeting: Meeting) -> bool:
    return bool(meeting.cancel_reason.strip())


def can_record_not_held(meeting: Meeting) -> bool:
    """A not-held path applies and what it asks for (reason, document) is there (issue 10)."""
    return not_held_refusal(meeting) is None


def may_record_not_held(meeting: Meeting, user) -> bool:
    """The user is one of the path's deciders for this child (issue 10)."""
    return not_held_decider_refusal(meeting, user) is None


class MeetingQuerySet(models.QuerySet):
    """Overdue as workflows.lateness defines it: the one filter and the one column every list uses."""

    def overdue(self, today: date) -> MeetingQuerySet:
        return self.filter(lateness.meeting_overdue_q(today))

    def with_overdue(self, today: date) -> MeetingQuerySet:
        return self.annotate(is_overdue=lateness.overdue_annotation(lateness.meeting_overdue_q(today)))


class Meeting(ConcurrentTransitionMixin, models.Model):
    """One meeting about one child's placement (G3). Its state changes only through transitions."""

    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="meetings")
    policy_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="+", help_text="Policy that applied."
    )
    procedure_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(
        max_length=30,
        choices=MeetingState.choices,
        default=MeetingState.REQUESTED,
        protected=True,
        db_index=True,
    )

    child = models.ForeignKey("portal.Child", on_delete=models.PROTECT, related_name="meetings")
    placement = models.ForeignKey("portal.Placement", on_delete=models.PROTECT, related_name="meetings")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    concern_raised_on = models.DateField(null=True, blank=True)
    concern_raised_by = models.CharField(max_length=200, blank=True)
    concern_raised_by_kind = models.SlugField(
        max_length=40, blank=True, help_text="Who raised the concern: a person kind from the pack."
    )
    request_flags = models.JSONField(
        default=list, blank=True, help_text="The request form's policy flags that were ticked."
    )
    facts = models.JSONField(
        default=dict, blank=True, help_text="The fact snapshot the policy was evaluated on at the request."
    )
    decision = models.JSONField(
        default=dict, blank=True, help_text="What the policy decided for this case (policy_evaluate), stored."
    )
    notified_on = models.DateField(null=True, blank=True)
    anchor_on = models.DateField(null=True, blank=True)
    triggers = models.JSONField(default=list, blank=True)
    support_tried = models.TextField(blank=True)
    request_details = models.TextField(blank=True)
    is_late = models.BooleanField(default=False)

    earliest_on = models.DateField(null=True, blank=True, db_index=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    deadline_explanation = models.TextField(blank=True)
    minutes_due_on = models.DateField(null=True, blank=True, db_index=True)
    minutes_due_explanation = models.TextField(blank=True)

    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )
    venue = models.CharField(max_length=255, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    held_at = models.DateTimeField(null=True, blank=True)
    child_invited = models.BooleanField(null=True, blank=True)
    child_invite_reason = models.TextField(blank=True)
    after_deadline = models.BooleanField(
        default=False,
        help_text="Arranged or held after the latest date the procedure allows (P3, D2, B1). "
        "The deadline does not move, so the meeting counts as late.",
    )
    late_reason = models.TextField(blank=True, help_text="Why the meeting is after its latest allowed date.")

    provider_notice_given_on = models.DateField(null=True, blank=True)
    immediate_safeguarding_move = models.BooleanField(default=False)
    provider_notice_note = models.TextField(blank=True)

    key_issues = models.TextField(blank=True)
    minutes_text = models.TextField(blank=True)
    wishes_and_feelings = models.TextField(blank=True)
    wishes_and_feelings_recorded = models.BooleanField(default=False)
    confidentiality_statement = models.TextField(blank=True)
    minutes_submission_id = models.PositiveBigIntegerField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    circulated_to = models.JSONField(default=list, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    outcome_answers = models.JSONField(default=dict, blank=True)

    decline_reason = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Alternative paths (issue 10): the decision that the meeting will not be held, and the meeting whose
    # request or closing started this one (a linked meeting type in the same pack).
    not_held_reason = models.TextField(blank=True)
    not_held_submission_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The document the not-held path asked for (a forms_builder submission).",
    )
    linked_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="linked_meetings",
        help_text="The meeting whose request or closing started this one (a linked meeting).",
    )

    objects = MeetingQuerySet.as_manager()
    # Who changed which detail, when (state changes are in MeetingTransition).
    changes = TrackedHistory(excluded_fields=["state"])

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="meeting_state_due"),
            models.Index(fields=["meeting_type", "state"], name="meeting_type_state"),
            models.Index(fields=["child", "-requested_at"], name="meeting_child_requested"),
            models.Index(fields=["state", "minutes_due_on"], name="meeting_state_minutes_due"),
            models.Index(fields=["chair", "state"], name="meeting_chair_state"),
            # Lists (issue 12): a visible child's meetings in page order, and every meeting in page
            # order (auditors), each covering the state so counts and page ids come from the index.
            models.Index(
                fields=["child", "due_on", "id"],
                include=["state", "minutes_due_on"],
                name="meeting_child_due_id",
            ),
            models.Index(fields=["due_on", "id"], include=["state", "minutes_due_on"], name="meeting_due_id"),
            # Requests waiting for a decision, oldest first, read in order by a wide scope (the home page)
            models.Index(fields=["state", "requested_at", "id"], name="meeting_state_requested"),
        ]
        constraints = [
            # A linked meeting type is started once per meeting it is linked from (issue 10).
            models.UniqueConstraint(
                fields=["linked_from", "meeting_type"],
                condition=models.Q(linked_from__isnull=False),
                name="meeting_linked_once_per_type",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.meeting_type.code} (new)"

    def get_absolute_url(self) -> str:
        return reverse("workflows:meeting_detail", args=[self.pk])

    @cached_property
    def policy(self) -> MeetingType:
        """The meeting type as published when this meeting was requested (never the current draft)."""
        return self.policy_revision.as_object()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue_parts(self, today: date) -> set[str]:
        """Which deadlines of this meeting have passed unmet: "meeting", "minutes" (workflows.lateness)."""
        return lateness.meeting_overdue_parts(self, today)

    @property
    def lacks_wishes_and_feelings(self) -> bool:
        """G6: a held meeting whose record lacks the child's wishes and feelings is flagged."""
        held = self.state not in {
            MeetingState.REQUESTED,
            MeetingState.AWAITING_APPROVAL,
            MeetingState.APPROVED,
            MeetingState.DECLINED,
            MeetingState.SCHEDULED,
            MeetingState.CANCELLED,
            MeetingState.NOT_HELD,
        }
        return held and not self.wishes_and_feelings_recorded and not self.wishes_and_feelings_in_forms()

    def wishes_and_feelings_in_forms(self) -> bool:
        """G6: whether the submitted minutes or a received report answered its wishes-and-feelings
        section (the child's view recorded in the social worker's report counts)."""
        ids = [self.minutes_submission_id] if self.minutes_submission_id else []
        ids += [
            pk
            for pk in self.reports.filter(received_at__isnull=False).values_list("submission_id", flat=True)
            if pk
        ]
        if not ids:
            return False
        try:
            model = apps.get_model("forms_builder", "FormSubmission")
        except LookupError:
            return False

        submitted = model.objects.filter(pk__in=ids, status="submitted").select_related("revision")
        return any(section_answered(s.spec, s.data, "wishes_and_feelings") for s in submitted)

    # Transitions change state only; services own the transaction, the history row and side effects.

    @transition(
        field=state,
        source=MeetingState.REQUESTED,
        target=MeetingState.AWAITING_APPROVAL,
        permission=may.may_submit,
    )
    def submit(self) -> None:
        """The requester sends the request for approval (P1, P2)."""

    @transition(
        field=state,
        source=MeetingState.AWAITING_APPROVAL,
        target=MeetingState.APPROVED,
        conditions=[can_approve],
        permission=may.may_decide,
    )
    def approve(self) -> None:
        """Every approval gate of the policy has approved (P2, B1, D3)."""

    @transition(
        field=state,
        source=MeetingState.AWAITING_APPROVAL,
        target=MeetingState.DECLINED,
        conditions=[can_decline],
        permission=may.may_decide,
    )
    def decline(self) -> None:
        """A gate declined; the reason is shown to the requester (P2)."""

    @transition(
        field=state,
        source=[MeetingState.APPROVED, MeetingState.SCHEDULED],
        target=MeetingState.SCHEDULED,
        conditions=[can_schedule],
        permission=may.may_schedule,
    )
    def schedule(self) -> None:
        """Chair, date and venue set within the policy's window (P3, P4, D2, D5, B1, B5)."""

    @transition(
        field=state, source=MeetingState.SCHEDULED, target=MeetingState.HELD, permission=may.may_record_held
    )
    def record_held(self) -> None:
        """The meeting took place; attendance recorded (G3)."""

    @transition(
        field=state,
        source=[MeetingState.HELD, MeetingState.MINUTES_DRAFTED],
        target=MeetingState.MINUTES_DRAFTED,
        permission=may.may_draft_minutes,
    )
    def draft_minutes(self) -> None:
        """Minutes, decisions and actions recorded (P6, G4, G6)."""

    @transition(
        field=state,
        source=MeetingState.MINUTES_DRAFTED,
        target=MeetingState.MINUTES_APPROVED,
        conditions=[can_approve_minutes],
        permission=may.may_approve_minutes,
    )
    def approve_minutes(self) -> None:
        """Minutes approved by the policy's approver (P6, D9)."""

    @transition(
        field=state,
        source=MeetingState.MINUTES_APPROVED,
        target=MeetingState.CIRCULATED,
        conditions=[can_circulate],
        permission=may.may_circulate,
    )
    def circulate(self) -> None:
        """Minutes sent to every attendee and the policy's circulation roles (P7, D9)."""

    @transition(
        field=state,
        source=MeetingState.CIRCULATED,
        target=MeetingState.CLOSED,
        conditions=[can_close],
        permission=may.may_close,
    )
    def close(self) -> None:
        """Outcomes answered; case note, filing and follow-ups follow (G5, D10, D11)."""

    @transition(
        field=state,
        source=OPEN_STATES,
        target=MeetingState.CANCELLED,
        conditions=[has_cancel_reason],
        permission=may.may_cancel,
    )
    def cancel(self) -> None:
        """Cancelled with a reason from any open state (G8)."""

    @transition(
        field=state,
        source=NOT_HELD_SOURCES,
        target=MeetingState.NOT_HELD,
        conditions=[can_record_not_held],
        permission=may_record_not_held,
    )
    def record_not_held(self) -> None:
        """The policy's not-held path: the requirement ends with a recorded decision (issue 10)."""


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Meeting history cannot be changed (G7).")

    def delete(self):
        raise PermissionError("Meeting history cannot be deleted (G7).")


class MeetingApproval(models.Model):
    """One recorded decision at an approval gate (P2, B1, D3: both late-request approvals recorded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="approvals")
    gate = models.CharField(max_length=20, choices=ApprovalGate.choices)
    role = models.CharField(max_length=40, choices=Role.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=DecisionChoice.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    objects = HistoryQuerySet.as_manager()  # rows are added, never changed (G7; triggers: audit.append_only)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["meeting", "gate", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.get_decision_display().lower()} ({self.get_gate_display()})"


class MeetingTransition(models.Model):
    """Who moved a meeting from which state to which, when and why (G7). Rows are never changed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="history")
    name = models.CharField(max_length=40)
    source = models.CharField(max_length=30, choices=MeetingState.choices)
    target = models.CharField(max_length=30, choices=MeetingState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.source} -> {self.target}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Meeting history cannot be changed (G7).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Meeting history cannot be deleted (G7).")


class Invitee(models.Model):
    """Someone invited to (or deliberately not invited to) a meeting, and whether they came (G3, G6)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=40, choices=ParticipantRole.choices)
    requirement = models.CharField(max_length=20, choices=Requirement.choices, default=Requirement.REQUIRED)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.INVITED)
    not_invited_reason = models.TextField(blank=True)
    part_only = models.BooleanField(default=False)

    objects = TrackedManager()
    changes = TrackedHistory()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["user", "meeting"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.attendance == Attendance.NOT_INVITED and not self.not_invited_reason.strip():
            raise ValidationError({"not_invited_reason": "Say why this person was not invited (G3)."})
