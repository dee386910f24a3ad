"""Small helpers for the meeting templates."""

from django import template
from django.utils.html import format_html

from ..procedures.models import SECTIONS
from ..procedures.selectors import procedure_page_live, procedure_section
from ..selectors import meetings_for_user

register = template.Library()


@register.filter
def overdue_parts(meeting, today) -> set[str]:
    """Which of the meeting's deadlines have passed unmet on ``today`` (workflows.lateness)."""
    return meeting.overdue_parts(today)


@register.inclusion_tag("workflows/includes/child_meetings.html", takes_context=True)
def child_meetings(context, child) -> dict:
    """This child's meetings the user may see, and the way to request one."""
    user = context["request"].user
    meetings = meetings_for_user(user).filter(child=child).order_by("-requested_at")[:20]
    return {"child": child, "meetings": meetings, "read_only": context.get("read_only", False)}


@register.inclusion_tag("workflows/includes/procedure_says.html", takes_context=True)
def procedure_says_once(context, meeting_code: str, pack_slug: str, sections) -> dict:
    """One "What the procedure says" for a screen, with every section it needs inside it (not one
    details component per section, which showed the same summary twice)."""
    names = sections.split() if isinstance(sections, str) else list(sections)
    parts = []
    for name in names:
        html = procedure_section(meeting_code=meeting_code or "", pack_slug=pack_slug or "", section=name)
        if html:
            parts.append({"heading": SECTIONS[name], "html": html})
    page = procedure_page_live(meeting_code=meeting_code or "", pack_slug=pack_slug or "") if parts else None
    request = context.get("request")
    return {
        "parts": parts,
        "page_title": page.title if page else "",
        "page_url": f"{page.get_url(request)}#{names[0]}" if page else "",
    }


STATE_TAG_COLOURS = {
    "requested": "yellow",
    "awaiting_approval": "yellow",
    "approved": "blue",
    "scheduled": "blue",
    "held": "purple",
    "minutes_drafted": "purple",
    "minutes_approved": "green",
    "circulated": "green",
    "closed": "grey",
    "declined": "red",
    "cancelled": "red",
    "not_held": "grey",
}


def state_tag_html(state: str, label: str) -> str:
    """The one status tag of a meeting, the same colour on every page and table (lists, the meeting
    page, the child's page, the dashboards)."""
    colour = STATE_TAG_COLOURS.get(str(state), "grey")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.simple_tag
def state_tag(meeting) -> str:
    return state_tag_html(meeting.state, meeting.get_state_display())
