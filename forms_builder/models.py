"""Versioned form definitions (edited in Wagtail) and the submissions workers fill in.

A submission keeps a protected link to the exact published revision it was filled in on and is
always rendered with that revision, so editing a form never changes what an auditor sees.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, Revision, RevisionMixin, WorkflowMixin
from wagtail.search import index

from audit.history import TrackedHistory, TrackedManager

from .answers import typed_answers
from .blocks import FormBodyBlock
from .choices import FormKind, SubmissionStatus
from .forms import build_form_class
from .rendering import sections_for
from .spec import FormSpec, kind_problems, spec_for_revision, spec_from_body, spec_problems


class FormDefinition(
    WorkflowMixin, DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, models.Model
):
    """A no-code form: sections of questions. Each publish makes a new immutable version, approved by a
    second policy owner through the "Policy change approval" workflow."""

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="form_definition",
        for_concrete_model=False,
    )

    key = models.SlugField(max_length=80, unique=True, help_text="Used by procedure packs, e.g. psm-report.")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, help_text="Who fills this form in and when.")
    kind = models.CharField(max_length=20, choices=FormKind.choices, default=FormKind.REPORT)
    confidentiality_statement = models.TextField(
        blank=True, help_text="Shown at the top of minutes (G4). Written by the pack."
    )
    body = StreamField(FormBodyBlock(), blank=True, use_json_field=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="form_definition")

    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("kind")]

    class Meta:
        ordering = ["title"]
        verbose_name = "form"
        verbose_name_plural = "forms"

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @cached_property
    def spec(self) -> FormSpec:
        return spec_from_body(self.body)

    def clean(self) -> None:
        super().clean()
        spec = spec_from_body(self.body)
        problems = spec_problems(spec) + kind_problems(spec, self.kind)
        if self.kind == FormKind.MINUTES and not self.confidentiality_statement.strip():
            problems.append("Minutes forms carry the pack's confidentiality statement (G4): fill it in.")
        if problems:
            raise ValidationError(problems)

    def save_revision(
        self, *args: Any, overwrite_revision: Revision | None = None, **kwargs: Any
    ) -> Revision:
        """Never overwrite a published revision or one a submission points at: versions are immutable."""
        if overwrite_revision is not None and (
            overwrite_revision.pk == self.live_revision_id
            or FormSubmission.objects.filter(revision=overwrite_revision).exists()
        ):
            overwrite_revision = None
        return super().save_revision(*args, overwrite_revision=overwrite_revision, **kwargs)

    def get_preview_template(self, request, mode_name):
        return "forms_builder/preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        form = build_form_class(spec_from_body(self.body), people=[])()
        context.update(definition=self, sections=sections_for(form))
        return context


class FormSubmission(models.Model):
    """One worker's answers to one published version of a form, for one child."""

    definition = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="submissions")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The exact published version the worker filled in.",
    )
    child = models.ForeignKey("portal.Child", on_delete=models.PROTECT, related_name="form_submissions")
    placement = models.ForeignKey(
        "portal.Placement", null=True, blank=True, on_delete=models.PROTECT, related_name="form_submissions"
    )
    subject_reference = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="What this is for, e.g. a meeting reference."
    )
    return_url = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="form_submissions"
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_form_submissions",
        help_text="Others who may edit this draft (e.g. the chair and the minute taker of one meeting).",
    )
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True
    )
    data = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Goes up on every save (optimistic locking).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Who saved, shared or submitted which version, when. The answers are not copied on every
    # autosave: a submitted form cannot change, and a refused save is kept in FormDraftConflict.
    objects = TrackedManager()
    changes = TrackedHistory(excluded_fields=["data"], m2m_fields=["collaborators"])

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["author", "status"]),
            models.Index(fields=["child", "definition"]),
        ]

    def __str__(self) -> str:
        return f"{self.definition.title} for {self.child}"

    def get_absolute_url(self) -> str:
        if self.status == SubmissionStatus.DRAFT:
            return reverse("forms_builder:edit", args=[self.pk])
        return reverse("forms_builder:view", args=[self.pk])

    def can_edit(self, user) -> bool:
        if not user.is_authenticated:
            return False
        return self.author_id == user.pk or self.collaborators.filter(pk=user.pk).exists()

    @property
    def is_draft(self) -> bool:
        return self.status == SubmissionStatus.DRAFT

    @cached_property
    def version_definition(self) -> FormDefinition:
        """The definition as it was in the version this submission was filled in on."""
        return self.revision.as_object()

    @cached_property
    def version_number(self) -> int:
        """Which revision of the form this is (1 = first saved), for auditors."""
        return Revision.objects.filter(
            base_content_type_id=self.revision.base_content_type_id,
            object_id=self.revision.object_id,
            pk__lte=self.revision_id,
        ).count()

    @cached_property
    def spec(self) -> FormSpec:
        return spec_for_revision(self.revision)

    @property
    def answers(self) -> dict[str, Any]:
        """A typed read of the answers: dates, numbers, booleans, user pks, lists of row dicts."""
        return typed_answers(self.spec, self.data)


class FormDraftConflict(models.Model):
    """Text a worker tried to save over someone else's newer save: kept, never discarded."""

    submission = models.ForeignKey(FormSubmission, on_delete=models.CASCADE, related_name="conflicts")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)
    expected_version = models.PositiveIntegerField()
    found_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Conflicting save on {self.submission} by {self.by}"
