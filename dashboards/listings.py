"""The two list dashboards described once: what each lists (always scoped to what the user may see), how it
filters and sorts, and the columns and rows of its Excel export. The pages (dashboards.views) and the
background exports (dashboards.returns) both read these descriptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django_filters import FilterSet

from portal.paging import ordered_to_the_row
from workflows.choices import ActionStatus, MeetingState

from .exports import ACTION_COLUMNS, MEETING_COLUMNS
from .filters import ActionFilter, MeetingFilter
from .selectors import actions_dashboard, meetings_dashboard
from .tables import ActionTable, MeetingTable

EXPORT_CHUNK = 2000
MEETING_STATES = dict(MeetingState.choices)
ACTION_STATUSES = dict(ActionStatus.choices)


def _name(first: str | None, last: str | None, username: str | None = None) -> str:
    """As User.get_full_name(), falling back to the username; "" when there is nobody."""
    return f"{first or ''} {last or ''}".strip() or (username or "")


def _meeting_rows(queryset) -> Iterator[list[Any]]:
    """The export's 13 columns read as plain values, exactly those columns, in chunks (no model rows,
    no related objects): the database does the joins once (and the request's day in Europe/London),
    the writer gets tuples."""
    columns = ordered_to_the_row(queryset).values_list(
        "reference",
        "meeting_type__code",
        "child__first_name",
        "child__last_name",
        "child__local_reference",
        "child__team__name",
        "child__area",
        "state",
        "requested_at__date",  # the day in the current time zone, worked out by the database
        "due_on",
        "minutes_due_on",
        "scheduled_for",
        "chair__first_name",
        "chair__last_name",
        "chair__username",
        "is_overdue",
    )
    for row in columns.iterator(chunk_size=EXPORT_CHUNK):
        (ref, code, first, last, child_ref, team, area, state, requested, due, minutes_due, scheduled,
         chair_first, chair_last, chair_username, overdue) = row  # fmt: skip
        yield [
            ref or f"{code} (new)",
            code,
            f"{first} {last}",
            child_ref,
            team or "",
            area,
            MEETING_STATES.get(state, state),
            requested,
            due,
            minutes_due,
            scheduled,
            _name(chair_first, chair_last, chair_username),
            "Yes" if overdue else "No",
        ]


def _action_rows(queryset) -> Iterator[list[Any]]:
    columns = ordered_to_the_row(queryset).values_list(
        "description",
        "child__first_name",
        "child__last_name",
        "meeting__reference",
        "meeting__meeting_type__code",
        "owner_id",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "owner_name",
        "due_on",
        "evaluation",
        "status",
        "is_overdue",
    )
    for row in columns.iterator(chunk_size=EXPORT_CHUNK):
        (description, first, last, ref, code, owner_id, owner_first, owner_last, owner_username,
         owner_name, due, evaluation, status, overdue) = row  # fmt: skip
        yield [
            description,
            f"{first} {last}",
            ref or f"{code} (new)",
            _name(owner_first, owner_last, owner_username) if owner_id else owner_name,
            due,
            evaluation,
            ACTION_STATUSES.get(status, status),
            "Yes" if overdue else "No",
        ]


@dataclass(frozen=True)
class Dashboard:
    """One dashboard: what it lists, how it filters and sorts, and the columns of its Excel export."""

    kind: str
    title: str
    queryset: Callable[[Any], QuerySet]
    filter_class: type[FilterSet]
    table_class: type[tables.Table]
    headers: list[str]
    rows: Callable[[QuerySet], Iterator[list[Any]]]


# Meetings the user may see; the filter offers overdue first (P3, D2, B1, P8).
MEETINGS_DASHBOARD = Dashboard(
    kind="meetings",
    title="Meetings dashboard",
    queryset=meetings_dashboard,
    filter_class=MeetingFilter,
    table_class=MeetingTable,
    headers=MEETING_COLUMNS,
    rows=_meeting_rows,
)

# Actions from minutes, tracked to completion (IROs: their children's, D11).
ACTIONS_DASHBOARD = Dashboard(
    kind="actions",
    title="Actions dashboard",
    queryset=actions_dashboard,
    filter_class=ActionFilter,
    table_class=ActionTable,
    headers=ACTION_COLUMNS,
    rows=_action_rows,
)
# Every list dashboard by kind (its page, and the background export task: dashboards.returns).
DASHBOARDS = {d.kind: d for d in (MEETINGS_DASHBOARD, ACTIONS_DASHBOARD)}
