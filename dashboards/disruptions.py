"""The quarterly collation of disruption meetings (D12): which disruption meetings had their minutes
approved in a calendar quarter, the themes the analysis looks at, and the month of the divisional meeting
that discusses them. Read for the dashboards and the named returns, always inside what the user may see.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from workflows.choices import MeetingState
from workflows.models import Meeting, MeetingType


def _collated_type_ids() -> list[int]:
    return [mt.pk for mt in MeetingType.objects.only("pk", "quarterly_collation") if mt.quarterly_collation]


DEFAULT_COLLATION_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def _quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1, 2, 3 or 4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def collation_months(meeting_type: MeetingType) -> dict[int, int]:
    """Quarter -> month of the divisional meeting.

    From the pack setting `collation_meeting_months` ("4,7,10,1"), else April, July, October, January.
    """
    raw = meeting_type.pack.setting("collation_meeting_months")
    try:
        months = [int(m) for m in raw.split(",")] if raw else []
    except ValueError:
        months = []
    return (
        dict(zip((1, 2, 3, 4), months, strict=True)) if len(months) == 4 else dict(DEFAULT_COLLATION_MONTHS)
    )


def disruption_quarter_collation(
    *, year: int, quarter: int, meetings: QuerySet[Meeting] | None = None
) -> dict:
    """The disruption meetings whose minutes were approved in calendar quarter `quarter` of `year`, with
    the themes the analysis looks at (D12), and the month of the divisional meeting that discusses them.

    `meetings` scopes the collation (a screen passes `meetings_for_user(user)`); all meetings by default.
    """
    start, end = _quarter_bounds(year, quarter)
    type_ids = _collated_type_ids()
    meetings = (
        (Meeting.objects.all() if meetings is None else meetings)
        .filter(
            meeting_type_id__in=type_ids,
            minutes_approved_at__date__gte=start,
            minutes_approved_at__date__lt=end,
        )
        .exclude(state=MeetingState.CANCELLED)
        .select_related("child", "placement__provider", "meeting_type__pack")
        .order_by("minutes_approved_at")
    )
    rows = []
    for m in meetings:
        p = m.placement
        ended = p.end_date
        rows.append(
            {
                "reference": m.reference,
                "meeting_pk": m.pk,
                "child_reference": m.child.local_reference,
                "age_at_disruption": m.child.age_on(ended) if ended else None,
                "area": m.child.area,
                "placement_type": p.get_category_display(),
                "provider": p.provider.name if p.provider_id else "In-house",
                "days_in_home": (ended - p.start_date).days if ended else None,
                "days_from_ratification": (ended - p.ratified_permanent_on).days
                if ended and p.ratified_permanent_on
                else None,
            }
        )
    month = DEFAULT_COLLATION_MONTHS[quarter]
    first = MeetingType.objects.filter(pk__in=type_ids).select_related("pack").first()
    if first:
        month = collation_months(first)[quarter]
    meeting_year = year + 1 if quarter == 4 else year
    return {
        "year": year,
        "quarter": quarter,
        "from": start,
        "to": end,
        "last_day": end - timedelta(days=1),
        "divisional_meeting": date(meeting_year, month, 1),
        "meetings": rows,
        "themes": disruption_themes(rows),
    }


AGE_BANDS = ((5, "Under 5"), (10, "5 to 9"), (16, "10 to 15"), (None, "16 and over"))
DURATION_BANDS = (
    (183, "Under 6 months"),
    (365, "6 to 12 months"),
    (730, "1 to 2 years"),
    (None, "Over 2 years"),
)


def _band(value: int | None, bands: tuple, missing: str) -> str:
    if value is None:
        return missing
    return next(label for limit, label in bands if limit is None or value < limit)


def _counted(labels: list[str], order: list[str] | None = None) -> list[tuple[str, int]]:
    """(label, count) pairs: in the bands' order when given, else most frequent first, then by name."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if order is not None:
        return [(label, counts[label]) for label in order if label in counts]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def disruption_themes(rows: list[dict]) -> list[dict]:
    """The themes D12 names, each as counts: age of the child, area, placement type, provider, time in
    the home, and time from ratification as permanent to the disruption."""
    age_order = [label for _limit, label in AGE_BANDS] + ["Not recorded"]
    duration_order = [label for _limit, label in DURATION_BANDS] + ["Not recorded"]
    return [
        {
            "title": "Age of the child when the placement ended",
            "counts": _counted(
                [_band(r["age_at_disruption"], AGE_BANDS, "Not recorded") for r in rows], age_order
            ),
        },
        {"title": "Area", "counts": _counted([r["area"] or "Not recorded" for r in rows])},
        {"title": "Placement type", "counts": _counted([r["placement_type"] for r in rows])},
        {"title": "Fostering agency or provider", "counts": _counted([r["provider"] for r in rows])},
        {
            "title": "Time in the home",
            "counts": _counted(
                [_band(r["days_in_home"], DURATION_BANDS, "Not recorded") for r in rows], duration_order
            ),
        },
        {
            "title": "Time from ratification as permanent to the disruption",
            "counts": _counted(
                [_band(r["days_from_ratification"], DURATION_BANDS, "Not recorded") for r in rows],
                duration_order,
            ),
        },
    ]
