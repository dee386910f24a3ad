"""Filters for the dashboards (django-filter); every choice list is itself scoped or reference data."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from portal.models import Team
from workflows.choices import ActionStatus, MeetingState
from workflows.models import MeetingType

from .selectors import meeting_overdue_q

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class _GovukMixin:
    """GOV.UK classes on every widget, so the filter form looks like the rest of the site."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "govuk-select"
            else:
                widget.attrs["class"] = "govuk-input govuk-input--width-10"


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

    def filter_overdue(self, queryset, name, value):  # noqa: ANN001, ANN201, ARG002
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

    def filter_overdue(self, queryset, name, value):  # noqa: ANN001, ANN201, ARG002
        late = {"status": ActionStatus.OPEN, "due_on__lt": timezone.localdate()}
        return queryset.filter(**late) if value == "yes" else queryset.exclude(**late)
