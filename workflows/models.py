"""Procedure packs, meeting-type policies and the meetings they govern.

A `MeetingType` holds the *values* of the rule kinds the engine knows (eligibility, triggers, approval
gates, timing, chair, invitees, reports, minutes, after the meeting, provider notice). Publishing it
creates a Revision; every `Meeting` keeps the revision that applied when it was requested, so later edits
never change the rules under a meeting already running.
"""

from __future__ import annotations

from datetime import date
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

from audit.history import TrackedHistory, TrackedManager, TrackedQuerySet
from portal.choices import PlacementCategory, Role

from . import blocks as policy_blocks
from . import lateness
from . import permissions as may
from .choices import (
    NOT_HELD_SOURCES,
    OPEN_STATES,
    ActionStatus,
    ApprovalGate,
    Attendance,
    Calendar,
    MeetingState,
    MinutesApprover,
    ParticipantRole,
    Requirement,
)
from .choices import Decision as DecisionChoice

# --------------------------------------------------------------------------------------------------
# Packs and policies (edited in Wagtail)
# --------------------------------------------------------------------------------------------------


class ProcedurePack(RevisionMixin, ClusterableModel):
    """One council's set of procedures (e.g. the county pack: PSM and DM). Its local names are settings,
    its own words the vocabulary rows (issue 10). Every save in the CMS keeps a revision (settings and
    vocabulary included, as a cluster) and a log entry, so who changed which word and when is on record.
    """

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="procedure_pack")

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
        InlinePanel(
            "vocabulary",
            label="The council's own words (purposes, orders, team kinds, roles, people, flags, terms)",
            heading="Vocabulary",
        ),
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

    @property
    def revisions(self):
        return self._revisions


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


class VocabularyKind(models.TextChoices):
    """The lists a pack edits (issue 10, "the council's own vocabulary")."""

    PLACEMENT_PURPOSE = "placement_purpose", "Placement purpose"
    LEGAL_ORDER = "legal_order", "Legal order"
    TEAM_KIND = "team_kind", "Team kind (mapped onto a built-in kind)"
    ROLE = "role", "Council role (mapped onto a built-in permission set)"
    PERSON_KIND = "person_kind", "Kind of person who can raise a concern or attend"
    REQUEST_FLAG = "request_flag", "Request flag"
    TERM = "term", "Term (the portal's word the council renames)"


class PackVocabulary(Orderable):
    """One entry of one of a pack's lists: a key the rules and the case record store, and its label.

    Rows rather than a StreamField: each row is one (kind, key) pair the database keeps unique per pack,
    the CMS shows them in the pack's own edit page (InlinePanel), and `pack_vocabularies` reads them with
    one query. `maps_to` is the built-in team kind (for a team kind) or the built-in role whose
    permissions a council role carries (for a role); other kinds leave it empty. For a term, `key` is the
    portal's word (see `workflows.vocabularies.TERMS`) and `label` the council's.
    """

    pack = ParentalKey(ProcedurePack, on_delete=models.CASCADE, related_name="vocabulary")
    kind = models.CharField(max_length=30, choices=VocabularyKind.choices)
    key = models.SlugField(max_length=60, help_text="Short code stored in the case record, e.g. bridging.")
    label = models.CharField(max_length=150, help_text="The words people see, e.g. Bridging placement.")
    maps_to = models.CharField(
        max_length=40,
        blank=True,
        help_text="For a council role: the built-in role whose permissions it has (e.g. team_manager). "
        "For a team kind: the built-in kind it behaves as. Leave empty otherwise.",
    )

    panels = [FieldPanel("kind"), FieldPanel("key"), FieldPanel("label"), FieldPanel("maps_to")]

    class Meta(Orderable.Meta):
        verbose_name = "vocabulary entry"
        verbose_name_plural = "vocabulary"
        constraints = [
            models.UniqueConstraint(fields=["pack", "kind", "key"], name="pack_vocabulary_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    def clean(self) -> None:
        from .vocabularies import vocabulary_entry_problems

        problems = vocabulary_entry_problems(self.kind, self.key, self.label, self.maps_to)
        if problems:
            raise ValidationError(problems)


def _rule_list(name: str) -> StreamField:
    from .rule_blocks import RULE_LISTS

    child, block, _first, help_text = RULE_LISTS[name]
    return StreamField([(child, block())], blank=True, default=list, help_text=help_text)


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

    # The small core (issue 10): who asks, what the request form asks, who arranges, the minutes.
    requester_roles = models.JSONField(default=list, blank=True)
    requester_must_be_childs_social_worker = models.BooleanField(default=False)
    triggers = StreamField([("trigger", policy_blocks.TriggerBlock())], blank=True, default=list)
    support_tried_required = models.BooleanField(default=False)
    support_tried_label = models.CharField(max_length=200, blank=True)
    calendar = models.CharField(
        max_length=3, choices=Calendar.choices, blank=True, help_text="Leave empty to use the pack's."
    )
    scheduler_roles = models.JSONField(default=list, blank=True)
    minimum_notice_period_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Agency contracts should give at least this notice (B9)."
    )
    child_invite_decision_required = models.BooleanField(default=True)
    minutes_form_key = models.SlugField(max_length=80, blank=True)
    minutes_due_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Working days after the meeting the chair's minutes are due (P8)."
    )
    minutes_approvers = models.JSONField(default=list, blank=True)
    actions_need_owner_due_evaluation = models.BooleanField(default=True)
    confidentiality_statement = models.TextField(blank=True)
    share_approved_minutes_with = models.CharField(
        max_length=80, blank=True, help_text="Pack setting key of a mailbox, e.g. pdm_mailbox (D12)."
    )
    file_documents = models.BooleanField(default=True)
    iro_tracks_actions = models.BooleanField(default=False)
    quarterly_collation = models.BooleanField(default=False)
    no_provider_notice_before_meeting = models.BooleanField(default=False)
    rule_references = models.JSONField(
        default=dict,
        blank=True,
        help_text="Procedure references of the core settings, by topic: request, scheduler, minutes, "
        'minutes_due, minutes_approval, contract, notice (e.g. {"request": "P1"}).',
    )

    # Rule lists (issue 10): each entry has "applies when", an optional rule reference and its payload.
    eligibility = _rule_list("eligibility")
    exclusions = _rule_list("exclusions")
    requirement = _rule_list("requirement")
    prerequisites = _rule_list("prerequisites")
    timing = _rule_list("timing")
    gates = _rule_list("gates")
    chairs = _rule_list("chairs")
    invitees = _rule_list("invitees")
    reports = _rule_list("reports")
    circulation = _rule_list("circulation")
    case_notes = _rule_list("case_notes")
    follow_ups = _rule_list("follow_ups")
    notifications = _rule_list("notifications")
    outcome_questions = _rule_list("outcome_questions")
    not_held = _rule_list("not_held")
    linked_meetings = _rule_list("linked_meetings")
    recurrence = _rule_list("recurrence")

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
    from .policy import decline_needs_reason

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
    from .paths import not_held_refusal

    return not_held_refusal(meeting) is None


def may_record_not_held(meeting: Meeting, user) -> bool:
    """The user is one of the path's deciders for this child (issue 10)."""
    from .paths import not_held_decider_refusal

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
        from django.urls import reverse

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


from .models_paths import CaseTrigger, ConsiderMeetingTask  # noqa: E402 - the alternative paths' tables

__all__ = [
    "CaseTrigger",
    "ConsiderMeetingTask",
    "Action",
    "ActionStatusChange",
    "LookedAfterReview",
    "Decision",
    "FiledDocument",
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
