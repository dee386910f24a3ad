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
