"""Procedure packs, meeting-type policies and the meetings they govern.

A `MeetingType` holds the *values* of the rule kinds the engine knows (eligibility, triggers, approval
gates, timing, chair, invitees, reports, minutes, after the meeting, provider notice). Publishing it
creates a Revision; every `Meeting` keeps the revision that applied when it was requested, so later edits
never change the rules under a meeting already running.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin, WorkflowMixin

from audit.history import TrackedHistory, TrackedManager
from portal.choices import PlacementCategory, Role

from . import blocks as policy_blocks
from .choices import (
    OPEN_STATES,
    ActionStatus,
    Anchor,
    ApprovalGate,
    Attendance,
    Calendar,
    DayUnit,
    MeetingState,
    MinutesApprover,
    ParticipantRole,
    Requirement,
)
from .choices import Decision as DecisionChoice

# --------------------------------------------------------------------------------------------------
# Packs and policies (edited in Wagtail)
# --------------------------------------------------------------------------------------------------


class ProcedurePack(ClusterableModel):
    """One council's set of procedures (e.g. the county pack: PSM and DM). Its local names are settings."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    council_name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    default_calendar = models.CharField(
        max_length=3,
        choices=Calendar.choices,
        default=Calendar.ENG,
        help_text="Whose bank holidays working days skip (G2).",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("council_name"),
        FieldPanel("description"),
        FieldPanel("default_calendar"),
        InlinePanel("settings", label="Settings (mailboxes, local systems, people)"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def setting(self, key: str, default: str = "") -> str:
        """The value of one of the pack's settings, e.g. `case_record_system`."""
        for row in self.settings.all():
            if row.key == key:
                return row.value
        return default

    def settings_dict(self) -> dict[str, str]:
        return {row.key: row.value for row in self.settings.all()}


class PackSetting(Orderable):
    """A local name the procedures mention: a mailbox, a system, a team, a person to contact."""

    pack = ParentalKey(ProcedurePack, on_delete=models.CASCADE, related_name="settings")
    key = models.SlugField(max_length=80, help_text="Code used by the policy, e.g. conference_request_queue.")
    label = models.CharField(max_length=150)
    value = models.CharField(max_length=500)

    panels = [FieldPanel("key"), FieldPanel("label"), FieldPanel("value")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["pack", "key"], name="pack_setting_key_unique")]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


def _role_list_help(extra: str = "") -> str:
    return ("Choose one or more. " + extra).strip()


class MeetingType(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """The policy of one kind of meeting. Kinds of rule are code; these fields are their values.

    Publishing creates a Revision. A moderation workflow (e.g. a second policy owner approves) can be
    assigned to meeting types in Wagtail's Settings > Workflows.
    """

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="meeting_type",
        for_concrete_model=False,
    )

    pack = models.ForeignKey(ProcedurePack, on_delete=models.PROTECT, related_name="meeting_types")
    code = models.SlugField(max_length=20, help_text="Short code used in references, e.g. PSM.")
    name = models.CharField(max_length=150)
    summary = models.TextField(blank=True, help_text="One paragraph: what the meeting is for.")
    procedure_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Eligibility (D1, B1)
    eligibility_rule = models.CharField("Rule reference", max_length=20, blank=True)
    eligible_categories = models.JSONField(default=list, blank=True)
    must_be_permanent = models.BooleanField(default=False)
    must_have_ended = models.BooleanField(default=False)
    must_have_ended_unplanned = models.BooleanField(default=False)
    exclusions = StreamField([("exclusion", policy_blocks.ExclusionBlock())], blank=True, default=list)
    minimum_notice_period_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Agency contracts should give at least this notice (B9)."
    )
    contract_rule = models.CharField("Contract rule reference", max_length=20, blank=True)

    # Request and triggers (P1)
    request_rule = models.CharField("Rule reference", max_length=20, blank=True)
    requester_roles = models.JSONField(default=list, blank=True)
    requester_must_be_childs_social_worker = models.BooleanField(default=False)
    triggers = StreamField([("trigger", policy_blocks.TriggerBlock())], blank=True, default=list)
    support_tried_required = models.BooleanField(default=False)
    support_tried_label = models.CharField(max_length=200, blank=True)
    request_routes = StreamField([("route", policy_blocks.RouteBlock())], blank=True, default=list)
    routing_rule = models.CharField("Routing rule reference", max_length=20, blank=True)

    # Approval (P2, B1, D3)
    approval_rule = models.CharField("Rule reference", max_length=20, blank=True)
    approval_required = models.BooleanField(default=True)
    approver_roles = models.JSONField(default=list, blank=True)
    approver_from_child_team = models.BooleanField(
        default=False, help_text="The approver must manage the child's own team."
    )
    decline_needs_reason = models.BooleanField(default=True)
    late_rule = models.CharField("Late request rule reference", max_length=20, blank=True)
    late_after_days = models.PositiveIntegerField(null=True, blank=True)
    late_approver_roles = models.JSONField(default=list, blank=True)

    # Timing (P3, D2, B1, G2)
    timing_rule = models.CharField("Rule reference", max_length=20, blank=True)
    anchor = models.CharField(max_length=30, choices=Anchor.choices, default=Anchor.CONCERN_RAISED)
    earliest_days = models.PositiveIntegerField(null=True, blank=True)
    latest_days = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=10, choices=DayUnit.choices, default=DayUnit.WORKING)
    calendar = models.CharField(
        max_length=3, choices=Calendar.choices, blank=True, help_text="Leave empty to use the pack's."
    )
    scheduler_roles = models.JSONField(default=list, blank=True)
    scheduler_rule = models.CharField("Arrangements rule reference", max_length=20, blank=True)

    # Chair (P4, B5, D5)
    chair_rule = models.CharField("Rule reference", max_length=20, blank=True)
    chair_rules = StreamField([("chair_rule", policy_blocks.ChairRuleBlock())], blank=True, default=list)
    prefer_child_team = models.BooleanField(default=False)
    independence_rule = models.CharField("Independence rule reference", max_length=20, blank=True)
    chair_must_be_independent = models.BooleanField(default=False)

    # Invitees (P5, D6, B8, G6)
    invitee_rule = models.CharField("Rule reference", max_length=20, blank=True)
    invitees = StreamField([("invitee", policy_blocks.InviteeBlock())], blank=True, default=list)
    child_invite_decision_required = models.BooleanField(default=True)

    # Reports (P2, P8, D8, B6)
    report_rule = models.CharField("Rule reference", max_length=20, blank=True)
    required_reports = StreamField(
        [("report", policy_blocks.RequiredReportBlock())], blank=True, default=list
    )

    # Minutes (P6, P7, P8, D9, G4)
    minutes_rule = models.CharField("Rule reference", max_length=20, blank=True)
    minutes_form_key = models.SlugField(max_length=80, blank=True)
    minutes_due_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Working days after the meeting the chair's minutes are due (P8)."
    )
    minutes_due_rule = models.CharField("Minutes due rule reference", max_length=20, blank=True)
    minutes_approvers = models.JSONField(default=list, blank=True)
    minutes_approval_rule = models.CharField("Minutes approval rule reference", max_length=20, blank=True)
    actions_need_owner_due_evaluation = models.BooleanField(default=True)
    confidentiality_statement = models.TextField(blank=True)
    circulation_rule = models.CharField("Circulation rule reference", max_length=20, blank=True)
    circulation = StreamField([("role", policy_blocks.CirculationBlock())], blank=True, default=list)
    share_approved_minutes_with = models.CharField(
        max_length=80, blank=True, help_text="Pack setting key of a mailbox, e.g. pdm_mailbox (D12)."
    )

    # After the meeting (G5, D10, D11, D12)
    case_note_type = models.CharField(max_length=150, blank=True)
    file_documents = models.BooleanField(default=True)
    follow_ups = StreamField([("follow_up", policy_blocks.FollowUpBlock())], blank=True, default=list)
    follow_up_rule = models.CharField("Follow-up rule reference", max_length=20, blank=True)
    iro_tracks_actions = models.BooleanField(default=False)
    outcome_questions = StreamField(
        [("question", policy_blocks.OutcomeQuestionBlock())], blank=True, default=list
    )
    outcome_rule = models.CharField("Outcome rule reference", max_length=20, blank=True)
    quarterly_collation = models.BooleanField(default=False)

    # Provider notice (B3)
    notice_rule = models.CharField("Rule reference", max_length=20, blank=True)
    no_provider_notice_before_meeting = models.BooleanField(default=False)

    class Meta:
        ordering = ["pack__name", "code"]
        constraints = [models.UniqueConstraint(fields=["pack", "code"], name="meeting_type_code_per_pack")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def effective_calendar(self) -> str:
        return self.calendar or (self.pack.default_calendar if self.pack_id else Calendar.ENG)

    def clean(self) -> None:
        """Check the policy makes sense and say what is wrong in words a policy owner understands."""
        from .policy_validation import policy_problems

        errors = policy_problems(self)
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------------------------------
# Meetings
# --------------------------------------------------------------------------------------------------


def _transition_allowed(meeting: Meeting, name: str) -> bool:
    from .policy import transition_refusal

    return transition_refusal(meeting, name) is None


def can_approve(meeting: Meeting) -> bool:
    return _transition_allowed(meeting, "approve")


def can_decline(meeting: Meeting) -> bool:
    return bool(meeting.decline_reason.strip()) or not meeting.policy.decline_needs_reason


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

    def __str__(self) -> str:
        return self.reference or f"{self.meeting_type.code} (new)"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workflows:meeting_detail", args=[self.pk])

    @cached_property
    def policy(self) -> MeetingType:
        """The meeting type as published when this meeting was requested (never the current draft)."""
        return self.policy_revision.as_object()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

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
        }
        return held and not self.wishes_and_feelings_recorded and not self.wishes_and_feelings_in_forms()

    def wishes_and_feelings_in_forms(self) -> bool:
        """G6: whether the submitted minutes or a received report answered its wishes-and-feelings
        section (the child's view recorded in the social worker's report counts)."""
        from django.apps import apps

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
        from forms_builder.answers import section_answered

        submitted = model.objects.filter(pk__in=ids, status="submitted").select_related("revision")
        return any(section_answered(s.spec, s.data, "wishes_and_feelings") for s in submitted)

    # Transitions change state only; services own the transaction, the history row and side effects.

    @transition(field=state, source=MeetingState.REQUESTED, target=MeetingState.AWAITING_APPROVAL)
    def submit(self) -> None:
        """The requester sends the request for approval (P1, P2)."""

    @transition(
        field=state,
        source=MeetingState.AWAITING_APPROVAL,
        target=MeetingState.APPROVED,
        conditions=[can_approve],
    )
    def approve(self) -> None:
        """Every approval gate of the policy has approved (P2, B1, D3)."""

    @transition(
        field=state,
        source=MeetingState.AWAITING_APPROVAL,
        target=MeetingState.DECLINED,
        conditions=[can_decline],
    )
    def decline(self) -> None:
        """A gate declined; the reason is shown to the requester (P2)."""

    @transition(
        field=state,
        source=[MeetingState.APPROVED, MeetingState.SCHEDULED],
        target=MeetingState.SCHEDULED,
        conditions=[can_schedule],
    )
    def schedule(self) -> None:
        """Chair, date and venue set within the policy's window (P3, P4, D2, D5, B1, B5)."""

    @transition(field=state, source=MeetingState.SCHEDULED, target=MeetingState.HELD)
    def record_held(self) -> None:
        """The meeting took place; attendance recorded (G3)."""

    @transition(
        field=state,
        source=[MeetingState.HELD, MeetingState.MINUTES_DRAFTED],
        target=MeetingState.MINUTES_DRAFTED,
    )
    def draft_minutes(self) -> None:
        """Minutes, decisions and actions recorded (P6, G4, G6)."""

    @transition(
        field=state,
        source=MeetingState.MINUTES_DRAFTED,
        target=MeetingState.MINUTES_APPROVED,
        conditions=[can_approve_minutes],
    )
    def approve_minutes(self) -> None:
        """Minutes approved by the policy's approver (P6, D9)."""

    @transition(
        field=state,
        source=MeetingState.MINUTES_APPROVED,
        target=MeetingState.CIRCULATED,
        conditions=[can_circulate],
    )
    def circulate(self) -> None:
        """Minutes sent to every attendee and the policy's circulation roles (P7, D9)."""

    @transition(
        field=state, source=MeetingState.CIRCULATED, target=MeetingState.CLOSED, conditions=[can_close]
    )
    def close(self) -> None:
        """Outcomes answered; case note, filing and follow-ups follow (G5, D10, D11)."""

    @transition(
        field=state, source=OPEN_STATES, target=MeetingState.CANCELLED, conditions=[has_cancel_reason]
    )
    def cancel(self) -> None:
        """Cancelled with a reason from any open state (G8)."""


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


class CurrentRecordManager(TrackedManager):
    """Only the current rows. Decisions and actions replaced when minutes are re-recorded are kept on
    record, marked superseded with who and when (G7, issue 11): `all_objects` reads them too."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(superseded_at__isnull=True)


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

    objects = CurrentRecordManager()
    all_objects = TrackedManager()
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


class MeetingReport(models.Model):
    """A report the policy requires, who writes it and when it is due (P2, P8, D8, B6).

    `submission_id` is the id of a forms_builder submission; a plain integer so this app does not
    depend on the forms app's migrations.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    form_key = models.SlugField(max_length=80)
    label = models.CharField(max_length=200)
    author_role = models.CharField(max_length=40, choices=ParticipantRole.choices)
    timing = models.CharField(max_length=20)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    due_explanation = models.TextField(blank=True)
    submission_id = models.PositiveBigIntegerField(null=True, blank=True)
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

    @property
    def submission(self):
        """The forms_builder submission, when the forms app is installed and one is attached."""
        if not self.submission_id:
            return None
        from django.apps import apps

        try:
            model = apps.get_model("forms_builder", "FormSubmission")
        except LookupError:
            return None
        return model.objects.filter(pk=self.submission_id).first()


__all__ = [
    "Action",
    "Decision",
    "Invitee",
    "Meeting",
    "MeetingApproval",
    "MeetingReport",
    "MeetingTransition",
    "MeetingType",
    "MinutesApprover",
    "PackSetting",
    "PlacementCategory",
    "ProcedurePack",
]
