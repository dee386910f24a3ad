"""Tables of the alternative paths (issue 10): case triggers and the tasks they give.

A `CaseTrigger` is pack data a policy owner edits in the CMS (with revisions): when its condition on the
facts of a placement (and the child's or carer household's history) becomes true, the person in the
named role and relationship gets a `ConsiderMeetingTask`: consider the meeting, by a due date, and record
the decision either way (hold: request it; do not hold: say why).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import RevisionMixin

from audit.history import TrackedHistory, TrackedManager
from portal.choices import Role

from ..choices import ConsiderDecision, TaskRelationship, TriggerSubject
from ..condition_blocks import ConditionBlock
from ..conditions import condition_problems


class CaseTrigger(RevisionMixin, models.Model):
    """ "When this becomes true of a case, ask someone to consider this meeting" (issue 10)."""

    pack = models.ForeignKey(
        "workflows.ProcedurePack", on_delete=models.PROTECT, related_name="case_triggers"
    )
    meeting_type = models.ForeignKey(
        "workflows.MeetingType",
        on_delete=models.PROTECT,
        related_name="case_triggers",
        help_text="The meeting to consider. It must belong to the same pack.",
    )
    name = models.CharField(max_length=150, help_text="e.g. Two unplanned endings with one household.")
    rule = models.CharField("Rule reference", max_length=20, blank=True)
    active = models.BooleanField(default=True, help_text="Untick to stop giving new tasks.")
    subject = models.CharField(
        max_length=20,
        choices=TriggerSubject.choices,
        default=TriggerSubject.CHILD,
        help_text="One task per child, or one per carer household (whichever child's placement it was).",
    )
    when = StreamField(
        [("condition", ConditionBlock())],
        max_num=1,
        blank=True,
        default=list,
        help_text="The condition on the placement and the history of the child or household. "
        "Its history windows (e.g. unplanned endings in the last 12 months) count back from the day the "
        "placement ended, or today while it goes on.",
    )
    task_role = models.CharField(
        max_length=40, choices=Role.choices, help_text="The role of the person who considers the meeting."
    )
    task_relationship = models.CharField(
        max_length=40,
        choices=TaskRelationship.choices,
        help_text="Which person of that role: their relationship to the child or the carers.",
    )
    due_days = models.PositiveIntegerField(
        default=10, help_text="Working days (on the pack's calendar) from the task to the decision."
    )
    explanation = models.TextField(
        blank=True, help_text="Shown on the task: why the procedure asks for this meeting to be considered."
    )

    panels = [
        FieldPanel("pack"),
        FieldPanel("meeting_type"),
        FieldPanel("name"),
        FieldPanel("rule"),
        FieldPanel("active"),
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("when")], heading="When"),
        MultiFieldPanel(
            [FieldPanel("task_role"), FieldPanel("task_relationship"), FieldPanel("due_days")],
            heading="Who considers it, and by when",
        ),
        FieldPanel("explanation"),
    ]

    class Meta:
        ordering = ["pack__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def condition(self) -> dict | None:
        """The stored JsonLogic condition, or None (always)."""
        for block in self.when:
            return block.block.get_prep_value(block.value)
        return None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.pack_id and self.meeting_type_id and self.meeting_type.pack_id != self.pack_id:
            errors["meeting_type"] = ["Choose a meeting type of the same pack."]
        problems = condition_problems(self.condition)
        if problems:
            errors["when"] = problems
        if errors:
            raise ValidationError(errors)


class ConsiderMeetingTask(models.Model):
    """One "consider a meeting" task from a case trigger, and the decision recorded on it (issue 10).

    One per (trigger, child or household, qualifying event): `subject_key` is "child:<id>" or
    "household:<id>", `event_key` the placement (and end date) whose facts made the trigger true.
    """

    trigger = models.ForeignKey(CaseTrigger, on_delete=models.PROTECT, related_name="tasks")
    meeting_type = models.ForeignKey("workflows.MeetingType", on_delete=models.PROTECT, related_name="+")
    subject_key = models.CharField(max_length=40)
    event_key = models.CharField(max_length=80)
    child = models.ForeignKey("portal.Child", on_delete=models.PROTECT, related_name="consider_tasks")
    placement = models.ForeignKey("portal.Placement", on_delete=models.PROTECT, related_name="+")
    carer_household = models.ForeignKey(
        "portal.CarerHousehold",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consider_tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consider_tasks",
        help_text="Empty when the case record names nobody in the relationship: anyone of the role who "
        "may see the child can then decide.",
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    due_on = models.DateField(db_index=True)
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    decision = models.CharField(max_length=20, choices=ConsiderDecision.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    meeting = models.ForeignKey(
        "workflows.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consider_tasks",
        help_text="The meeting requested after deciding to hold it.",
    )

    objects = TrackedManager()
    changes = TrackedHistory()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "subject_key", "event_key"], name="consider_task_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["assignee", "decision"], name="consider_task_assignee")]

    def __str__(self) -> str:
        return f"Consider a {self.meeting_type.name.lower()} ({self.trigger.name})"

    @property
    def is_open(self) -> bool:
        return not self.decision
