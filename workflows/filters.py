"""The meeting list's filters (django-filter, as on the dashboards): status, meeting type, open only.

Unknown values are ignored (the list shows everything the user may see), never an error page.
"""

from __future__ import annotations

import django_filters

from portal.govuk_forms import ChoiceForm

from .choices import FINISHED_STATES, MeetingState
from .models import MeetingType

CLOSED_STATES = FINISHED_STATES  # closed, cancelled, declined, and not held (issue 10)


def meeting_type_choices() -> list[tuple[str, str]]:
    return list(MeetingType.objects.order_by("code").values_list("code", "name").distinct())


class MeetingListFilter(django_filters.FilterSet):
    """Drawn by the one GOV.UK field template (issue 15), side by side above the list."""

    state = django_filters.ChoiceFilter(choices=MeetingState.choices, empty_label="Any", label="Status")
    type = django_filters.ChoiceFilter(
        field_name="meeting_type__code", choices=meeting_type_choices, empty_label="Any", label="Meeting"
    )
    open = django_filters.ChoiceFilter(
        choices=[("1", "Open meetings only")], method="filter_open", label="Open"
    )

    class Meta:
        form = ChoiceForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("state", "type"):  # side by side; a select is drawn as govuk-select already
            self.form.fields[name].group_classes = "govuk-!-display-inline-block govuk-!-margin-right-3"

    def filter_open(self, queryset, name, value):
        return queryset.exclude(state__in=CLOSED_STATES) if value == "1" else queryset
