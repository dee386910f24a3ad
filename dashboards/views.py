"""Managers', IROs' and auditors' dashboards: filtered, paginated, sortable, exportable to Excel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from .exports import xlsx_response
from .filters import ActionFilter, MeetingFilter
from .selectors import actions_dashboard, may_use_dashboards, meetings_dashboard
from .tables import ActionTable, MeetingTable

PER_PAGE = 25
MEETING_COLUMNS = [
    "Meeting",
    "Type",
    "Child",
    "Child's local reference",
    "Team",
    "Locality",
    "Status",
    "Requested on",
    "Meeting due",
    "Minutes due",
    "Scheduled for",
    "Chair",
    "Overdue",
]
ACTION_COLUMNS = [
    "Action",
    "Child",
    "Meeting",
    "Owner",
    "Due",
    "How the outcome is evaluated",
    "Status",
    "Overdue",
]


def _allowed(request: HttpRequest) -> None:
    if not may_use_dashboards(request.user):
        raise PermissionDenied("Dashboards are for managers, IROs, quality and review and auditors.")


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k not in {"format", "page", "sort"} and v}


def _meeting_rows(queryset) -> Iterator[list[Any]]:  # noqa: ANN001
    for m in queryset.iterator(chunk_size=2000):
        yield [
            str(m),
            m.meeting_type.code,
            m.child.full_name,
            m.child.local_reference,
            m.child.team.name if m.child.team_id else "",
            m.child.area,
            m.get_state_display(),
            timezone.localtime(m.requested_at).date(),
            m.due_on,
            m.minutes_due_on,
            m.scheduled_for,
            (m.chair.get_full_name() or m.chair.username) if m.chair_id else "",
            "Yes" if m.is_overdue else "No",
        ]


def _action_rows(queryset) -> Iterator[list[Any]]:  # noqa: ANN001
    for a in queryset.iterator(chunk_size=2000):
        owner = (a.owner.get_full_name() or a.owner.username) if a.owner_id else a.owner_name
        yield [
            a.description,
            a.child.full_name,
            str(a.meeting),
            owner,
            a.due_on,
            a.evaluation,
            a.get_status_display(),
            "Yes" if a.is_overdue else "No",
        ]


def _page(request: HttpRequest, *, filterset, table_class, title: str, template_extra: dict) -> HttpResponse:  # noqa: ANN001
    table = table_class(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "title": title,
            "filter": filterset,
            "table": table,
            "export_query": query.urlencode(),
            "today": timezone.localdate(),
            **template_extra,
        },
    )


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    """Meetings the user may see, overdue first by default filter choice (P3, D2, B1, P8)."""
    _allowed(request)
    filterset = MeetingFilter(request.GET or None, queryset=meetings_dashboard(request.user))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            user=request.user,
            kind="meetings",
            filters=_filters(request),
            filename=f"meetings-{timezone.localdate():%Y-%m-%d}.xlsx",
            title="Meetings",
            headers=MEETING_COLUMNS,
            rows=_meeting_rows(filterset.qs),
        )
    return _page(
        request,
        filterset=filterset,
        table_class=MeetingTable,
        title="Meetings dashboard",
        template_extra={"kind": "meetings"},
    )


@login_required
def actions(request: HttpRequest) -> HttpResponse:
    """Actions from minutes, tracked to completion (IROs: their children's, D11)."""
    _allowed(request)
    filterset = ActionFilter(request.GET or None, queryset=actions_dashboard(request.user))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            user=request.user,
            kind="actions",
            filters=_filters(request),
            filename=f"actions-{timezone.localdate():%Y-%m-%d}.xlsx",
            title="Actions",
            headers=ACTION_COLUMNS,
            rows=_action_rows(filterset.qs),
        )
    return _page(
        request,
        filterset=filterset,
        table_class=ActionTable,
        title="Actions dashboard",
        template_extra={"kind": "actions"},
    )
