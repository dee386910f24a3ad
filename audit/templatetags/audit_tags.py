from django import template

from audit.selectors import meeting_changes as changes_for

register = template.Library()


@register.inclusion_tag("audit/_meeting_changes.html")
def meeting_changes(meeting, user):
    """`{% meeting_changes meeting request.user %}`: the table of recorded changes, scoped to the user."""
    return {"changes": changes_for(meeting=meeting, user=user)}
