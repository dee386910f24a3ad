"""Small helpers for the meeting templates."""

from django import forms, template

register = template.Library()


@register.filter
def widget_kind(bound_field) -> str:  # noqa: ANN001
    """The GOV.UK component a field needs: radios, checkboxes, checkbox, textarea, select or input type."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return getattr(widget, "input_type", "text") or "text"


@register.filter
def first_input_id(bound_field) -> str:  # noqa: ANN001
    """The id an error summary link should focus: the first option of a group, else the input."""
    kind = widget_kind(bound_field)
    return f"{bound_field.auto_id}_0" if kind in {"radios", "checkboxes"} else bound_field.auto_id


@register.inclusion_tag("workflows/includes/home_meetings.html")
def home_meetings(user) -> dict:  # noqa: ANN001
    """The worker's meetings at a glance: decisions waiting, open meetings, their open actions."""
    from django.utils import timezone

    from portal.choices import Role

    from ..choices import OPEN_STATES
    from ..selectors import actions_for_iro, actions_for_user, approval_queue_for_user, meetings_for_user

    today = timezone.localdate()
    open_meetings = meetings_for_user(user).filter(state__in=OPEN_STATES)
    return {
        "approvals": len(approval_queue_for_user(user)),
        "open_meetings": open_meetings.count(),
        "overdue_meetings": open_meetings.filter(due_on__lt=today, held_at__isnull=True).count(),
        "actions": actions_for_user(user).count(),
        "tracked": actions_for_iro(user).count() if user.role == Role.IRO else None,
    }


@register.inclusion_tag("workflows/includes/child_meetings.html", takes_context=True)
def child_meetings(context, child) -> dict:  # noqa: ANN001
    """This child's meetings the user may see, and the way to request one."""
    from ..selectors import meetings_for_user

    user = context["request"].user
    meetings = meetings_for_user(user).filter(child=child).order_by("-requested_at")[:20]
    return {"child": child, "meetings": meetings, "read_only": context.get("read_only", False)}
