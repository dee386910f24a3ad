"""Defaults used when the pack defines no ladder or template for a kind of lateness (documented in
docs/reminders.md). A policy owner overrides any of them with an EscalationLadder or MessageTemplate
snippet in the CMS. `template_problem` says whether a policy owner's template may be saved."""

from __future__ import annotations

import re

from django.template import Engine, TemplateSyntaxError

RECIPIENTS = ("owner", "team_manager", "head_of_service", "iro")

# Working days, on the pack's calendar, counted from the date the thing fell due.
DEFAULT_LADDERS: dict[str, list[dict]] = {
    "meeting_late": [
        {"after_working_days": 0, "to": "owner"},
        {"after_working_days": 3, "to": "team_manager"},
        {"after_working_days": 8, "to": "head_of_service"},
    ],
    "meeting_due": [{"after_working_days": 0, "to": "owner"}],
    "approval_waiting": [
        {"after_working_days": 1, "to": "owner"},
        {"after_working_days": 3, "to": "head_of_service"},
    ],
    "report_due": [{"after_working_days": 0, "to": "owner"}],
    "report_late": [
        {"after_working_days": 0, "to": "owner"},
        {"after_working_days": 3, "to": "team_manager"},
    ],
    "minutes_late": [
        {"after_working_days": 0, "to": "owner"},
        {"after_working_days": 3, "to": "team_manager"},
    ],
    "action_due": [{"after_working_days": 0, "to": "owner"}],
    "action_overdue": [
        {"after_working_days": 0, "to": "owner"},
        {"after_working_days": 0, "to": "iro"},
        {"after_working_days": 5, "to": "team_manager"},
    ],
    # A follow-up task created when a meeting closed (e.g. the looked-after review after a disruption
    # meeting) that nobody has started by its due date.
    "follow_up_not_started": [
        {"after_working_days": 0, "to": "owner"},
        {"after_working_days": 0, "to": "iro"},
        {"after_working_days": 3, "to": "team_manager"},
        {"after_working_days": 8, "to": "head_of_service"},
    ],
}

# How many working days ahead "due soon" looks (pack setting reminder_due_soon_days overrides).
DUE_SOON_WORKING_DAYS = 3

TEMPLATE_VARIABLES = {
    "recipient_name": "who the message is to",
    "owner_name": "who owns the next step",
    "what": "what is due, e.g. the report's name or the action",
    "reference": "the meeting reference",
    "child_reference": "the child's case number (never the name)",
    "due_date": "the date it is or was due, e.g. Thu 24 Dec 2026",
    "working_days_late": "working days since it fell due (0 on the day)",
    "escalated": "yes when this message escalates someone else's reminder, otherwise empty",
    "link": "the address of the page where it is done",
}

_FOOT = "\n\nOpen it here: {{ link }}\n"
_LATE = "({{ working_days_late }} working day{{ working_days_late|pluralize }} late)"
_ESC = (
    "{% if escalated %}This is an escalation: {{ owner_name }} was reminded and it is still "
    "outstanding.\n\n{% endif %}"
)

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "meeting_late": (
        "{{ reference }}: meeting not held by its deadline",
        _ESC + "The meeting {{ reference }} for child {{ child_reference }} was due by {{ due_date }} and "
        "has not been held " + _LATE + "." + _FOOT,
    ),
    "meeting_due": (
        "{{ reference }}: meeting due by {{ due_date }}",
        "The meeting {{ reference }} for child {{ child_reference }} must be held by {{ due_date }}." + _FOOT,
    ),
    "approval_waiting": (
        "{{ reference }}: request waiting for your approval",
        _ESC + "The request {{ reference }} for child {{ child_reference }} has been waiting for approval "
        "since {{ due_date }}." + _FOOT,
    ),
    "report_due": (
        "{{ reference }}: {{ what }} due by {{ due_date }}",
        "{{ what }} for meeting {{ reference }} (child {{ child_reference }}) is due by {{ due_date }}."
        + _FOOT,
    ),
    "report_late": (
        "{{ reference }}: {{ what }} is late",
        _ESC
        + "{{ what }} for meeting {{ reference }} (child {{ child_reference }}) was due by {{ due_date }} "
        "and has not been received " + _LATE + "." + _FOOT,
    ),
    "minutes_late": (
        "{{ reference }}: minutes are late",
        _ESC + "The minutes of meeting {{ reference }} (child {{ child_reference }}) were due by "
        "{{ due_date }} and are not yet approved " + _LATE + "." + _FOOT,
    ),
    "action_due": (
        "Action due by {{ due_date }}: {{ what }}",
        "An action from meeting {{ reference }} (child {{ child_reference }}) is due by {{ due_date }}: "
        "{{ what }}" + _FOOT,
    ),
    "action_overdue": (
        "Action overdue: {{ what }}",
        _ESC
        + "An action from meeting {{ reference }} (child {{ child_reference }}) owned by {{ owner_name }} "
        "was due by {{ due_date }} and is not done " + _LATE + ": {{ what }}" + _FOOT,
    ),
    "follow_up_not_started": (
        "Follow-up not started: {{ what }}",
        _ESC
        + "A follow-up from meeting {{ reference }} (child {{ child_reference }}) owned by {{ owner_name }} "
        "was due by {{ due_date }} and has not been started " + _LATE + ": {{ what }}" + _FOOT,
    ),
}

# Policy owners' templates are rendered with no loaders, tags or filters beyond the built-ins.
TEMPLATE_ENGINE = Engine(loaders=[], autoescape=True, libraries={}, debug=False)


def template_problem(source: str) -> str:
    """A plain-English problem with a message template, or "" when it is fine."""
    try:
        TEMPLATE_ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        return f"The wording has a template mistake: {exc}"
    unknown = sorted(set(re.findall(r"{{\s*(\w+)", source)) - set(TEMPLATE_VARIABLES))
    if unknown:
        return "These are not variables you can use: " + ", ".join(unknown) + "."
    return ""
