"""Procedure pages edited by policy owners in Wagtail (issue 4, "Procedures in the CMS").

A pack's procedures sit under one `ProcedureIndexPage`; each meeting type has one `ProcedurePage` whose
sections have fixed keys (`SECTIONS`) so the meeting screens can quote a section ("What the procedure
says"). Pages are readable only by signed-in workers. Publishing goes through the "Policy owner approval"
workflow: a second policy owner approves (never the one who submitted or wrote the change).

Section text may hold placeholders such as ``{case_record_system}``: local names are pack settings (data),
filled in when the page is shown (see `workflows.procedures.rendering`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import GroupApprovalTask, Page

from workflows.policy_check import PolicyCheckRefused
from workflows.policy_check_views import policy_check_refusal_record

from .rendering import render_section, settings_for_pack
from .timescales import procedure_timescale

# Fixed section keys and their headings, in reading order.
SECTIONS: dict[str, str] = {
    "purpose": "What the meeting is for",
    "when_to_hold": "When to hold it",
    "who_chairs": "Who chairs it",
    "timescales": "Timescales",
    "who_attends": "Who is invited",
    "after_meeting": "After the meeting",
}

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class SignedInOnlyMixin:
    """Named by migration 0001 as a base class. Sign-in for every served page is one rule, the
    `before_serve_page` hook in portal/wagtail_hooks.py."""


class ProcedureIndexPage(SignedInOnlyMixin, Page):
    """The procedures of one pack (e.g. the county's PSM and DM procedures)."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    pack_slug = models.SlugField(
        max_length=60, blank=True, help_text="The procedure pack these pages belong to, e.g. county."
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("pack_slug")]
    subpage_types = ["procedures.ProcedurePage"]
    template = "procedures/procedure_index_page.html"

    class Meta:
        verbose_name = "procedure index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["intro_html"] = render_section(self.intro, settings_for_pack(self.pack_slug))
        context["procedures"] = ProcedurePage.objects.child_of(self).live().order_by("path")
        return context


class ProcedurePage(SignedInOnlyMixin, Page):
    """The procedure for one meeting type in one pack, in fixed sections."""

    meeting_code = models.CharField(max_length=20, help_text="The meeting type's code, e.g. PSM.")
    pack_slug = models.SlugField(max_length=60, help_text="The procedure pack, e.g. county.")
    summary = models.TextField(blank=True, help_text="One or two sentences shown in lists.")
    purpose = RichTextField("What the meeting is for", blank=True, features=RICH_TEXT_FEATURES)
    when_to_hold = RichTextField("When to hold it", blank=True, features=RICH_TEXT_FEATURES)
    who_chairs = RichTextField("Who chairs it", blank=True, features=RICH_TEXT_FEATURES)
    timescales = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    who_attends = RichTextField("Who is invited", blank=True, features=RICH_TEXT_FEATURES)
    after_meeting = RichTextField("After the meeting", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("meeting_code"), FieldPanel("pack_slug"), FieldPanel("summary")], heading="Meeting"
        ),
        FieldPanel("purpose"),
        FieldPanel("when_to_hold"),
        FieldPanel("who_chairs"),
        FieldPanel("timescales"),
        FieldPanel("who_attends"),
        FieldPanel("after_meeting"),
    ]
    parent_page_types = ["procedures.ProcedureIndexPage"]
    subpage_types: list[str] = []
    template = "procedures/procedure_page.html"

    class Meta:
        verbose_name = "procedure"

    def clean(self) -> None:
        super().clean()
        self.meeting_code = (self.meeting_code or "").strip().upper()
        clash = ProcedurePage.objects.filter(meeting_code=self.meeting_code, pack_slug=self.pack_slug)
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if clash.exists():
            message = f"The {self.pack_slug} pack already has a procedure for {self.meeting_code}."
            raise ValidationError({"meeting_code": message})

    def section_raw(self, key: str) -> str:
        if key not in SECTIONS:
            raise KeyError(f"Unknown procedure section {key!r}; use one of {', '.join(SECTIONS)}.")
        return getattr(self, key) or ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        values = settings_for_pack(self.pack_slug)
        context["sections"] = [
            {"key": key, "heading": heading, "html": render_section(self.section_raw(key), values)}
            for key, heading in SECTIONS.items()
            if self.section_raw(key).strip()
        ]

        context["timescale"] = procedure_timescale(self)
        return context


class PolicyOwnerApprovalTask(GroupApprovalTask):
    """Group approval in which nobody approves their own change: the person who submitted the page, or
    who wrote the revision under review, cannot approve or reject it; another member of the group must."""

    class Meta:
        verbose_name = "Group approval by a second person"
        verbose_name_plural = "Group approvals by a second person"

    @staticmethod
    def _authors(obj) -> set[int]:
        state = getattr(obj, "current_workflow_state", None)
        if state is None:
            return set()
        authors = {state.requested_by_id}
        task_state = state.current_task_state
        if task_state is not None and task_state.revision_id and task_state.revision.user_id:
            authors.add(task_state.revision.user_id)
        return authors - {None}

    def get_actions(self, obj, user):
        if user.pk in self._authors(obj):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        if action_name not in {name for name, _label, _modal in self.get_actions(obj, user)}:
            raise PermissionDenied("A second policy owner must approve this change, not its author.")

        try:
            return super().on_action(task_state, user, action_name, **kwargs)
        except PolicyCheckRefused as refused:
            # The approval was undone with its transaction; the change stays in moderation.
            return policy_check_refusal_record(
                obj=obj, by=user, revision=task_state.revision, refused=refused
            )

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve, but never a change they submitted or wrote."


class ShippedVersion(models.Model):
    """What a procedure pack last shipped for one CMS object (a meeting type, a procedure page, a form).

    `load_packs` never changes live content that exists: it creates what is missing (recording the
    revision it published) and, when the pack ships something different from what it last shipped,
    saves the shipped version as a draft revision that is not live (`pending_revision`) for a policy
    owner to review. The fingerprint (a hash of the shipped content) tells "the pack changed" from "the
    pack is the same", so loading an unchanged pack again writes nothing.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=255)
    pack_slug = models.SlugField(max_length=60, blank=True)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the content the pack last shipped.")
    loaded_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the pack published when it created the object.",
    )
    pending_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A newer shipped version, saved as a draft and not live, waiting for a policy owner.",
    )
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kept_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="shipped_version_per_object")
        ]

    def __str__(self) -> str:
        return f"Shipped version of {self.content_type.model} {self.object_id}"
