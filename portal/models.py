"""Case records: the part of a case management system the meetings need (G1, G3)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from . import dates
from .choices import (
    AGENCY_CATEGORIES,
    AccessReason,
    CarerKind,
    Gender,
    InvolvementRole,
    LegalStatus,
    PlacementCategory,
    PlacementTypeCode,
    ProviderCode,
    ProviderKind,
    ReasonForChange,
    Role,
    TeamKind,
    placement_category_for,
)
from .vocabulary import vocabulary


class Team(models.Model):
    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=40, choices=TeamKind.choices, db_index=True)
    council_kind = models.SlugField(
        max_length=60,
        blank=True,
        help_text="The council's own kind of team, from a pack's team kinds (e.g. adoption_permanence). "
        "The team then behaves as the built-in kind it maps onto.",
    )
    area = models.CharField(max_length=100, blank=True, help_text="Locality the team covers.")
    manager = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_keys(self) -> set[str]:
        """The kinds a rule naming team kinds can match: the built-in one and the council's own."""
        return {k for k in (self.kind, self.council_kind) if k}

    def clean(self) -> None:
        if self.council_kind and not vocabulary().team_kind_behaves_as(self.council_kind):
            raise ValidationError(
                {"council_kind": f"No pack has a team kind “{self.council_kind}”; add it to a pack first."}
            )

    def save(self, *args, **kwargs) -> None:
        # A council's kind of team behaves as its mapped built-in kind (issue 10): `kind` follows it.
        if self.council_kind:
            mapped = vocabulary().team_kind_behaves_as(self.council_kind)
            if mapped and mapped != self.kind:
                self.kind = mapped
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "kind"}
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A member of staff. `role` is the person's primary role; groups mirror it for Wagtail."""

    role = models.CharField(max_length=40, choices=Role.choices, blank=True, db_index=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    job_title = models.CharField(max_length=150, blank=True)
    council_role = models.SlugField(
        max_length=60,
        blank=True,
        help_text="The council's own role, from a pack's roles (e.g. practice_consultant). The person "
        "then has the permissions of the built-in role it maps onto, and its name is their job title.",
    )
    # Set by the nightly access check (portal.access.wide_scopes_mark), read with the user at no cost:
    # lists read a wide scope in page order instead of sorting every visible id (issue 12). It changes
    # how a list is read, never what it holds.
    has_wide_scope = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        """The person's job as people see it: the council role's name when they have one (issue 10)."""
        if self.council_role:
            label = vocabulary().role_label(self.council_role)
            if label:
                return label
        return Role(self.role).label if self.role else ""

    @property
    def job_title_shown(self) -> str:
        """The job title people see: the council role's name, else the job title typed in."""
        if self.council_role:
            label = vocabulary().role_label(self.council_role)
            if label:
                return label
        return self.job_title

    def clean(self) -> None:
        super().clean()
        if self.council_role and not vocabulary().role_permission_set(self.council_role):
            raise ValidationError(
                {"council_role": f"No pack has a council role “{self.council_role}”; add it to a pack first."}
            )

    def save(self, *args, **kwargs) -> None:
        # A council role carries its mapped built-in role's permissions: `role` follows it, so every
        # permission check (which reads `role`) treats a practice consultant mapped onto team manager as a
        # team manager. Nobody sets the two apart by hand.
        if self.council_role:
            mapped = vocabulary().role_permission_set(self.council_role)
            if mapped and mapped != self.role:
                self.role = mapped
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "role"}
        super().save(*args, **kwargs)


class CarerHousehold(models.Model):
    """Foster carers or connected-person carers living as one household."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=CarerKind.choices, db_index=True)
    local_reference = models.CharField(max_length=30, unique=True, help_text="Case record number.")
    approved_on = models.DateField(null=True, blank=True)
    area = models.CharField(max_length=100, blank=True)
    supervising_social_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervised_carers"
    )
    provider = models.ForeignKey(
        "portal.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carer_households",
        help_text="The fostering agency, for agency carers.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """An agency provider: an independent fostering agency or a children's home provider."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=ProviderKind.choices, db_index=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Home(models.Model):
    """A children's home: the council's own (no provider) or an agency's."""

    name = models.CharField(max_length=200)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="homes"
    )
    area = models.CharField(max_length=100, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=20, blank=True)
    manager_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    local_reference = models.CharField(
        max_length=30, unique=True, help_text="The child's number in the case record system."
    )
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    area = models.CharField("Locality", max_length=100, db_index=True)
    social_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_children"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    iro = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iro_children",
        verbose_name="IRO",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def age_on(self, on: date) -> int:
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    def get_absolute_url(self) -> str:
        return reverse("child_detail", args=[self.pk])


class Placement(models.Model):
    """One placement of a child with carers or a home (G1, B9), coded as in the SSDA903 return."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    placement_type = models.CharField(max_length=2, choices=PlacementTypeCode.choices)
    provider_code = models.CharField(max_length=3, choices=ProviderCode.choices)
    category = models.CharField(
        max_length=30, choices=PlacementCategory.choices, db_index=True, editable=False
    )
    carer_household = models.ForeignKey(
        CarerHousehold, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    home = models.ForeignKey(Home, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, db_index=True)
    reason_for_change = models.CharField(max_length=5, choices=ReasonForChange.choices, blank=True)
    ended_unplanned = models.BooleanField(
        null=True, blank=True, help_text="Did the placement end abruptly or in an unplanned way?"
    )
    is_permanent = models.BooleanField(default=False, help_text="Ratified as permanent.")
    ratified_permanent_on = models.DateField(null=True, blank=True)
    notice_period_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contract notice period, for agency placements."
    )
    has_contingency_plan = models.BooleanField(
        null=True, blank=True, help_text="Does the contract include contingency plans?"
    )
    contingency_plan = models.TextField(blank=True)
    purpose = models.SlugField(
        max_length=40,
        blank=True,
        help_text="What the placement is for (e.g. long-term, permanent, short-term, bridging, emergency, "
        "short breaks), from the pack's list of placement purposes.",
    )
    legal_order = models.SlugField(
        max_length=40,
        blank=True,
        help_text="The legal order the placement rests on (e.g. special guardianship, adoption), from the "
        "pack's list of legal orders.",
    )
    legal_order_on = models.DateField(null=True, blank=True, help_text="When that order was made.")
    placement_la = models.CharField(
        "Placement local authority",
        max_length=3,
        blank=True,
        help_text="SSDA903 PL_LA: the code of the local authority the placement is in.",
    )

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["child", "-start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} from {dates.day(self.start_date)}"

    @property
    def is_agency(self) -> bool:
        return self.category in AGENCY_CATEGORIES

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def placed_with(self) -> str:
        return str(self.carer_household or self.home or self.provider or "")

    def save(self, *args, **kwargs) -> None:
        self.category = placement_category_for(self.placement_type, self.provider_code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        category = placement_category_for(self.placement_type, self.provider_code)
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The placement cannot end before it starts."
        if self.end_date and self.ended_unplanned is None:
            errors["ended_unplanned"] = "Say whether the placement ended in a planned way."
        if self.is_permanent and not self.ratified_permanent_on:
            errors["ratified_permanent_on"] = "Give the date the placement was ratified as permanent."
        if category in AGENCY_CATEGORIES:
            if not self.provider_id:
                errors["provider"] = "An agency placement needs its provider."
            if self.notice_period_days is None:
                errors["notice_period_days"] = "Record the contract notice period (B9)."
            if self.has_contingency_plan is None:
                errors["has_contingency_plan"] = "Record whether the contract has contingency plans."
        if errors:
            raise ValidationError(errors)


class Involvement(models.Model):
    """Who is involved with which child, from when to when (drives access and chair conflicts)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="involvements")
    role = models.CharField(max_length=40, choices=InvolvementRole.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["user", "child"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) with {self.child}"


class CaseNote(models.Model):
    """A note on the child's record, e.g. the pack's case note type after a meeting (G5)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="case_notes")
    note_type = models.CharField(max_length=150)
    body = models.TextField()
    source_reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.note_type} ({dates.day(self.created_at)})"


class ChildDocument(models.Model):
    """A document filed with the child's documents (minutes and reports, G5)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=100)
    source_reference = models.CharField(max_length=100, blank=True, db_index=True)
    url = models.CharField(max_length=500, blank=True)
    filed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return self.title


class ChildAccess(models.Model):
    """Who may see which child, why, and from when to when: the visibility rule as data (SPEC Roles).

    Rows are written only by `portal.access` (signals keep them in step inside the transaction of
    every change to allocations, involvements, placements, carers, teams and roles; a nightly check
    rebuilds them and reports any difference). `valid_from`/`valid_to` (inclusive, null = open) carry
    the dates of the involvement or placement a row comes from, so a row starts and stops counting on
    its own as days pass. Role-wide scopes (auditors, quality and review, practice development,
    buyers) are not rows: `portal.selectors.children_for_user` answers them with indexed queries.
    A person may hold several rows for one child (several reasons); readers use `child_id IN (...)`.
    """

    user = models.ForeignKey(User, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    child = models.ForeignKey(Child, on_delete=models.DO_NOTHING, related_name="+")
    reason = models.CharField(max_length=30, choices=AccessReason.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["user", "child"], include=["valid_from", "valid_to"], name="child_access_user_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} may see {self.child_id} ({self.reason})"
