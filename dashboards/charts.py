"""Small accessible SVG charts drawn on the server: no JavaScript, no CDN, no inline styles.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says what it shows; the page
puts the same numbers beside it in a GOV.UK table for screen readers and for anyone who would rather
read. Colours and fonts come from classes styled in static/dashboards/charts.css (presentation
attributes only, so a strict Content-Security-Policy style-src is respected).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56


def _nice_max(value: float) -> float:
    """The top of the axis: four gridline steps of 1, 2 or 5 times a power of ten, covering ``value``."""
    step = 1.0
    while step * 4 < value:
        for factor in (2, 2.5, 2):
            step *= factor
            if step * 4 >= value:
                break
    return step * 4


def _svg(title: str, desc: str, body: list[str], chart_id: str) -> SafeString:
    head = format_html(
        '<svg class="portal-chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}"'
        ' width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id,
        WIDTH,
        HEIGHT,
        title,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every part is escaped above or below


def _axes(top_value: float, suffix: str) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top_value * i / 4
        y = TOP + plot_h - plot_h * i / 4
        label = f"{value:g}{suffix}"
        parts.append(
            f'<line class="portal-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="portal-chart__tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    suffix: str = "",
    top: float | None = None,
) -> SafeString:
    """Vertical bars, one per label."""
    top_value = top or _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    body = _axes(top_value, suffix)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * (value or 0) / top_value
        x = LEFT + slot * i + slot * 0.15
        body.append(
            f'<rect class="portal-chart__bar" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.7:.1f}"'
            f' height="{h:.1f}"/>'
            f'<text class="portal-chart__label" x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}"'
            f' text-anchor="middle">{escape(str(label)[:14])}</text>'
        )
    desc = "; ".join(f"{label}: {value:g}{suffix}" for label, value in zip(labels, values, strict=True))
    return _svg(title, desc or "No data.", body, chart_id)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    suffix: str = "",
    top: float | None = None,
) -> SafeString:
    """One line across the labels (months or quarters); a missing value breaks the line."""
    known = [v for v in values if v is not None]
    top_value = top or _nice_max(max(known, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(values) - 1, 1)
    body = _axes(top_value, suffix)
    points: list[str] = []
    segments: list[list[str]] = [points]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + step * i
        body.append(
            f'<text class="portal-chart__label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{escape(str(label))}</text>"
        )
        if value is None:
            points = []
            segments.append(points)
            continue
        y = TOP + plot_h - plot_h * value / top_value
        points.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle class="portal-chart__point" cx="{x:.1f}" cy="{y:.1f}" r="4"/>')
    for segment in segments:
        if len(segment) > 1:
            body.append(f'<polyline class="portal-chart__line" fill="none" points="{" ".join(segment)}"/>')
    desc = "; ".join(
        f"{label}: {'no data' if value is None else f'{value:g}{suffix}'}"
        for label, value in zip(labels, values, strict=True)
    )
    return _svg(title, desc or "No data.", body, chart_id)
