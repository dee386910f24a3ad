"""Filters for the dashboards (django-filter); every choice list is itself scoped or reference data."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from portal.models import Team
from workflows.choices import ActionStatus, MeetingState
from workflows.lateness import action_overdue_q, meeting_overdue_q
from workflows.models import MeetingType

from .forms import ChoiceForm

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class _GovukMixin:
    """GOV.UK fields and classes on every widget, so the filter form looks like the rest of the site."""

    class Meta:
        form = ChoiceForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():  # a select is drawn as govuk-select already
            if not isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "govuk-input govuk-input--width-10"


class MeetingFilter(_GovukMixin, django_filters.FilterSet):
    meeting_type = django_filters.ModelChoiceFilter(
        queryset=MeetingType.objects.order_by("pack__name", "name"), empty_label="Any", label="Meeting type"
    )
    state = django_filters.ChoiceFilter(choices=MeetingState.choices, empty_label="Any", label="Status")
    team = django_filters.ModelChoiceFilter(
        field_name="child__team", queryset=Team.objects.order_by("name"), empty_label="Any", label="Team"
    )
    area = django_filters.CharFilter(field_name="child__area", lookup_expr="iexact", label="Locality")
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO[1:], empty_label="Any", method="filter_overdue", label="Overdue"
    )
    due_from = django_filters.DateFilter(
        field_name="due_on",
        lookup_expr="gte",
        label="Due from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label="Due to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter_overdue(self, queryset, name, value):
        overdue = meeting_overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)


class ActionFilter(_GovukMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, empty_label="Any", label="Status")
    meeting_type = django_filters.ModelChoiceFilter(
        field_name="meeting__meeting_type",
        queryset=MeetingType.objects.order_by("pack__name", "name"),
        empty_label="Any",
        label="Meeting type",
    )
    team = django_filters.ModelChoiceFilter(
        field_name="child__team", queryset=Team.objects.order_by("name"), empty_label="Any", label="Team"
    )
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO[1:], empty_label="Any", method="filter_overdue", label="Overdue"
    )

    def filter_overdue(self, queryset, name, value):
        late = action_overdue_q(timezone.localdate())
        return queryset.filter(late) if value == "yes" else queryset.exclude(late)


QUARTERS = [
    ("1", "January to March"),
    ("2", "April to June"),
    ("3", "July to September"),
    ("4", "October to December"),
]


class QuarterForm(ChoiceForm):
    """Which calendar quarter's disruptions to collate (D12); the current quarter when not chosen."""

    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        # a text input with a numeric keyboard (GOV.UK advice), so a mistyped year is shown back as typed
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the year as a number, like 2026.",
            "required": "Enter the year.",
            "min_value": "The year must be 2000 or later.",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        choices=QUARTERS,
        coerce=int,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose a quarter.", "required": "Choose a quarter."},
    )

    def __init__(self, data=None, *, today=None) -> None:
        today = today or timezone.localdate()
        self.current = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
        super().__init__(data if data and {"year", "quarter"} & data.keys() else None, initial=self.current)
        self.fields["year"].validators.append(
            MaxValueValidator(today.year, f"The year must be {today.year} or earlier.")
        )

    def chosen(self) -> dict[str, int]:
        """The valid choice, or the current quarter while nothing (or nothing valid) is chosen."""
        if self.is_bound and self.is_valid():
            return {"year": self.cleaned_data["year"], "quarter": self.cleaned_data["quarter"]}
        return self.current
