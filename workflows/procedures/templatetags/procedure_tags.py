"""`{% load procedure_tags %}{% procedure_says meeting_code pack_slug "who_chairs" %}`: a GOV.UK details
component "What the procedure says" quoting one section of the live procedure, for the meeting screens."""

from __future__ import annotations

from django import template

from ..models import SECTIONS
from ..selectors import procedure_page_live, procedure_section

register = template.Library()


@register.inclusion_tag("procedures/includes/procedure_says.html", takes_context=True)
def procedure_says(context, meeting_code: str, pack_slug: str, section: str, summary: str = ""):
    page = procedure_page_live(meeting_code=meeting_code or "", pack_slug=pack_slug or "")
    html = procedure_section(meeting_code=meeting_code or "", pack_slug=pack_slug or "", section=section)
    request = context.get("request")
    return {
        "html": html,
        "heading": SECTIONS[section],
        "summary": summary or "What the procedure says",
        "page_title": page.title if page else "",
        "page_url": f"{page.get_url(request)}#{section}" if page else "",
    }
