"""Small helpers for the meeting templates."""

from datetime import date

from django import forms, template
from django.utils.html import format_html

from ..forms import GovukDateWidget
from ..procedures.models import SECTIONS
from ..procedures.selectors import procedure_page_live, procedure_section
from ..selectors import meetings_for_user

register = template.Library()


@register.filter
def widget_kind(bound_field) -> str:
    """The GOV.UK component a field needs: radios, checkboxes, checkbox, textarea, select or input type."""
    widget = bound_field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "govuk_date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect: ask first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return getattr(widget, "input_type", "text") or "text"


@register.filter
def first_input_id(bound_field) -> str:
    """The id an error summary link should focus: the first option of a group, else the input."""
    kind = widget_kind(bound_field)
    if kind == "govuk_date":
        return f"{bound_field.html_name}-{date_parts(bound_field)['first_error']}"
    return f"{bound_field.auto_id}_0" if kind in {"radios", "checkboxes"} else bound_field.auto_id


@register.filter
def date_parts(bound_field) -> dict:
    """Day, month and year as typed (or from the initial date), and which box the error is about."""
    if bound_field.form.is_bound:
        widget = bound_field.field.widget
        raw = widget.value_from_datadict(bound_field.form.data, bound_field.form.files, bound_field.html_name)
        value = [str(v or "") for v in (list(raw) + ["", "", ""])[:3]]
    else:
        initial = bound_field.value()
        value = [initial.day, initial.month, initial.year] if isinstance(initial, date) else ["", "", ""]
    parts = dict(zip(("day", "month", "year"), value, strict=True))
    first = next((name for name in ("day", "month", "year") if not str(parts[name]).strip()), "day")
    return {**parts, "first_error": first if any(str(v).strip() for v in value) else "day"}


@register.filter
def is_optional(bound_field) -> bool:
    """GOV.UK marks optional questions, not required ones: "(optional)" after the label."""
    field = bound_field.field
    return bool(getattr(field, "optional", not field.required))


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
