"""The meeting type: the policy of one kind of meeting, as the values of the rule kinds the engine knows
(eligibility, timing, gates, chair, invitees, reports...). Publishing it creates a Revision; every meeting
keeps the revision that applied when it was requested."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from .. import blocks as policy_blocks
from ..choices import Calendar
from ..policy_validation import policy_problems
from ..rule_blocks import RULE_LISTS
from .packs import ProcedurePack


def _rule_list(name: str) -> StreamField:
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
        errors = policy_problems(self)
        if errors:
            raise ValidationError(errors)
