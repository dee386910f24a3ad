"""Choices on the oversight dashboards (stability, due soon, compliance): plain-English errors, and the
page keeps working with the defaults while a choice is wrong."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from portal.govuk_forms import ChoiceForm, GovukDateField
from portal.models import Team
from workflows.models import MeetingType

from . import duesoon, stability
from .compliance import add_months

INPUT = {"class": "govuk-input govuk-input--width-10"}
SELECT = {"class": "govuk-select"}


class _Defaults(ChoiceForm):
    """A bound form that falls back to its initial values when nothing, or nothing valid, is chosen."""

    def __init__(self, data=None, **kwargs) -> None:
        sent = {k.rsplit("_", 1)[0] if k.endswith(("_day", "_month", "_year")) else k for k in (data or {})}
        data = data if data and set(self.base_fields) & sent else None
        super().__init__(data, **kwargs)

    def chosen(self) -> dict:
        if self.is_bound and self.is_valid():
            return {
                **self._initial_values(),
                **{k: v for k, v in self.cleaned_data.items() if v not in (None, "")},
            }
        return self._initial_values()

    def _initial_values(self) -> dict:
        return {name: self.get_initial_for_field(field, name) for name, field in self.fields.items()}


def _date_field(label: str, required: bool = True) -> GovukDateField:
    """The GOV.UK date input (day, month, year), as on every other page; a link may still give one ISO
    date under the field's name."""
    return GovukDateField(subject=label, label=label, required=required)


class StabilityForm(_Defaults):
    on = _date_field("Cut-off date", required=False)
    reading = forms.ChoiceField(
        label="Counting moves",
        choices=stability.READINGS,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data=None, *, today: date | None = None) -> None:
        today = today or timezone.localdate()
        self.today = today
        super().__init__(
            data, initial={"on": stability.default_cut_off(today), "reading": stability.READING_DFE}
        )

    def clean_on(self) -> date:
        on = self.cleaned_data["on"]
        if on and on > self.today:
            raise forms.ValidationError("The cut-off date must be today or earlier.")
        return on


class DueSoonForm(_Defaults):
    days = forms.IntegerField(
        label="Working days ahead",
        required=False,
        min_value=1,
        max_value=duesoon.MAX_DAYS,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of working days as a whole number, like 5.",
            "required": "Enter the number of working days.",
            "min_value": "Enter at least 1 working day.",
            "max_value": f"Enter {duesoon.MAX_DAYS} working days or fewer.",
        },
    )
    kind = forms.ChoiceField(
        label="What is due",
        choices=[("", "Anything"), *duesoon.KINDS],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="Any",
        widget=forms.Select(attrs=SELECT),
    )
    meeting_type = forms.ModelChoiceField(
        label="Meeting type",
        queryset=MeetingType.objects.order_by("pack__name", "name"),
        required=False,
        empty_label="Any",
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data=None) -> None:
        super().__init__(data, initial={"days": duesoon.DEFAULT_DAYS})


class ComplianceForm(_Defaults):
    first = _date_field("Start of the period", required=False)
    last = _date_field("End of the period", required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="All teams",
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data=None, *, today: date | None = None) -> None:
        today = today or timezone.localdate()
        this_month = date(today.year, today.month, 1)
        first = add_months(this_month, -1)
        # the last full month by default
        super().__init__(data, initial={"first": first, "last": this_month - timedelta(days=1)})

    def clean(self) -> dict:
        data = super().clean()
        first = data.get("first") or self.initial["first"]
        last = data.get("last") or self.initial["last"]
        if first and last and last < first:
            self.add_error("last", "The end of the period must be on or after its start.")
        if first and last and (last - first).days > 366:
            self.add_error("last", "Choose a period of a year or less.")
        return data
