"""Server-drawn SVG charts: accessible (role, title, description), escaped, no inline style or script."""

import re

import pytest
from django.urls import reverse

from dashboards.charts import bar_chart, line_chart
from tests.dashboards.test_disruptions import disrupted as disrupted_fixture

disrupted = disrupted_fixture


def test_bar_chart_describes_its_numbers_and_escapes_labels():
    svg = bar_chart(chart_id="t", title="Age <when>", labels=["Under 5", "<b>"], values=[3, 1])
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">Age &lt;when&gt;</title>' in svg
    assert '<desc id="t-desc">Under 5: 3; &lt;b&gt;: 1</desc>' in svg
    assert len(re.findall(r'<rect class="portal-chart__bar"', svg)) == 2
    assert "style=" not in svg and "<script" not in svg and "<b>" not in svg


def test_bar_heights_are_in_proportion():
    svg = bar_chart(chart_id="t", title="x", labels=["a", "b"], values=[4, 2])
    heights = [float(h) for h in re.findall(r'class="portal-chart__bar"[^>]*height="([\d.]+)"', svg)]
    assert heights[0] == pytest.approx(2 * heights[1])


def test_line_chart_breaks_at_missing_values_and_says_so():
    svg = line_chart(
        chart_id="l", title="x", labels=["Jan", "Feb", "Mar", "Apr"], values=[10, None, 20, 30], top=100
    )
    assert svg.count("<polyline") == 1  # Jan stands alone; Mar to Apr is one segment
    assert "Feb: no data" in svg and "Apr: 30" in svg


@pytest.mark.django_db
def test_disruption_themes_have_a_chart_beside_each_table__D12(client, people, disrupted):
    client.force_login(people.pdm)
    page = client.get(
        reverse("dashboards:disruptions"), {"year": disrupted["year"], "quarter": disrupted["quarter"]}
    )
    text = page.content.decode()
    assert text.count('<svg class="portal-chart"') == 6  # one per theme
    assert "dashboards/charts.css" in text
