"""`{% load history_tags %}{% meeting_changes meeting request.user %}`: the meeting page's table of
recorded changes other than state changes (G7), scoped to the user."""

from django import template

from ..meeting_changes import meeting_changes as changes_for

register = template.Library()


@register.inclusion_tag("workflows/includes/meeting_changes.html")
def meeting_changes(meeting, user):
    """The table of recorded changes, or nothing for someone who may not see the meeting."""
    return {"changes": changes_for(meeting=meeting, user=user)}
