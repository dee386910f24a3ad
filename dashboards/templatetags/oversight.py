"""Template helpers for the dashboards: charts of the disruption themes and who reads the export log."""

from django import template
from django.utils.safestring import SafeString

from dashboards.charts import bar_chart
from dashboards.oversight_views import may_read_export_log as allowed

register = template.Library()


@register.simple_tag
def theme_chart(theme: dict, number: int) -> SafeString:
    """A bar chart of one disruption theme (D12); the page shows the same counts as a table."""
    labels = [label for label, _count in theme["counts"]]
    values = [count for _label, count in theme["counts"]]
    return bar_chart(chart_id=f"theme-{number}", title=theme["title"], labels=labels, values=values)


@register.filter
def may_read_export_log(user) -> bool:
    return allowed(user)
