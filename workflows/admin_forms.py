"""The Wagtail edit form of a meeting-type policy: lists of codes shown as checkboxes, errors in words."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from portal.choices import PlacementCategory, Role

from .choices import MinutesApprover


def _checkboxes(choices: list[tuple[str, str]], help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class MeetingTypeForm(WagtailAdminModelForm):
    """JSON list fields edited as checkboxes; `MeetingType.clean()` explains any inconsistency."""

    eligible_categories = _checkboxes(
        PlacementCategory.choices, "Leave all unticked for every placement type."
    )
    requester_roles = _checkboxes(Role.choices, "Leave all unticked to let anyone involved request.")
    approver_roles = _checkboxes(Role.choices, "Any one of these roles may approve a request.")
    late_approver_roles = _checkboxes(Role.choices, "Every one of these roles must agree to a late request.")
    scheduler_roles = _checkboxes(Role.choices, "Who arranges the meeting (venue, invitations).")
    minutes_approvers = _checkboxes([*MinutesApprover.choices, *Role.choices], "Who may approve the minutes.")
