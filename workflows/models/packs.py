"""Procedure packs: a council's pack, its settings (mailboxes, local systems) and its own words for
roles, categories and relationships (issue 10). Edited in Wagtail with revisions."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, RevisionMixin

from ..choices import Calendar
from ..vocabulary_kinds import vocabulary_entry_problems


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
        problems = vocabulary_entry_problems(self.kind, self.key, self.label, self.maps_to)
        if problems:
            raise ValidationError(problems)
