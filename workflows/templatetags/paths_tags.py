"""Template tags of the alternative paths (issue 10): the meeting page's not-held link and linked meetings,
and the home page's "Meetings to consider" panel. Each asks the one rule in workflows.paths or
workflows.case_triggers; templates never compute."""

from django import template
from django.utils import timezone

from ..case_triggers import consider_tasks_waiting
from ..choices import NOT_HELD_SOURCES
from ..linked_meetings import linked_meetings_of
from ..not_held import not_held_decider_refusal

register = template.Library()

HOME_TASKS = 5


@register.inclusion_tag("workflows/includes/meeting_paths.html", takes_context=True)
def meeting_paths(context, meeting) -> dict:
    user = context["request"].user
    links = linked_meetings_of(meeting, user)
    return {
        "meeting": meeting,
        "linked_from": links["linked_from"],
        "linked": links["linked"],
        "may_record_not_held": meeting.state in NOT_HELD_SOURCES
        and not_held_decider_refusal(meeting, user) is None,
    }


@register.inclusion_tag("workflows/includes/home_consider_tasks.html")
def home_consider_tasks(user) -> dict:
    # One query: the panel shows while a task waits for this user's decision; decided ones stay on the list.
    return {"waiting": list(consider_tasks_waiting(user)[:HOME_TASKS]), "today": timezone.localdate()}
