"""Managers', IROs' and auditors' dashboards: filtered, paginated, sortable, exportable to Excel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_filters import FilterSet
from django_tables2 import RequestConfig

from portal.paging import ordered_to_the_row
from workflows.choices import ActionStatus, MeetingState
from workflows.models import MeetingType
from workflows.selectors import disruption_quarter_collation, meetings_for_user

from .exports import ACTION_COLUMNS, MEETING_COLUMNS, xlsx_response
from .filters import ActionFilter, MeetingFilter, QuarterForm
from .returns import background_threshold, export_job_start
from .selectors import actions_dashboard, may_use_dashboards, meetings_dashboard
from .tables import ActionTable, CappedPaginator, IdsFirstData, MeetingTable

PER_PAGE = 25


def _allowed(request: HttpRequest) -> None:
    if not may_use_dashboards(request.user):
        raise PermissionDenied("Dashboards are for managers, IROs, quality and review and auditors.")


def _visible_children(user, rows) -> set[int]:
    """Children on this page the user may open (one query): other names are plain text, not a 404 link."""
    from portal.selectors import children_for_user

    ids = {row.record.child_id for row in rows}
    return set(children_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k not in {"format", "page", "sort"} and v}


EXPORT_CHUNK = 2000
MEETING_STATES = dict(MeetingState.choices)
ACTION_STATUSES = dict(ActionStatus.choices)


def _name(first: str | None, last: str | None, username: str | None = None) -> str:
    """As User.get_full_name(), falling back to the username; "" when there is nobody."""
    return f"{first or ''} {last or ''}".strip() or (username or "")


def _meeting_rows(queryset) -> Iterator[list[Any]]:
    """The export's 13 columns read as plain values, exactly those columns, in chunks (no model rows,
    no related objects): the database does the joins once, the writer gets tuples."""
    columns = ordered_to_the_row(queryset).values_list(
        "reference",
        "meeting_type__code",
        "child__first_name",
        "child__last_name",
        "child__local_reference",
        "child__team__name",
        "child__area",
        "state",
        "requested_at",
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
            timezone.localtime(requested).date(),
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

    def as_view(self) -> Callable[[HttpRequest], HttpResponse]:
        @login_required
        def view(request: HttpRequest) -> HttpResponse:
            return self.respond(request)

        view.__doc__ = f"{self.title}: scoped to what the user may see, filtered, sortable, exportable."
        return view

    def respond(self, request: HttpRequest) -> HttpResponse:
        _allowed(request)
        filterset = self.filter_class(request.GET or None, queryset=self.queryset(request.user))
        if request.GET.get("format") == "xlsx":
            # Counting stops one past the threshold: a big export is built in the background instead.
            threshold = background_threshold()
            if filterset.qs[: threshold + 1].count() > threshold:
                job = export_job_start(
                    key=f"dashboard_{self.kind}",
                    user=request.user,
                    params=_filters(request),
                    rows_expected=filterset.qs.count(),
                )
                return redirect("dashboards:export_status", pk=job.pk)
            return xlsx_response(
                user=request.user,
                kind=self.kind,
                filters=_filters(request),
                filename=f"{self.kind}-{timezone.localdate():%Y-%m-%d}.xlsx",
                title=self.kind.capitalize(),
                headers=self.headers,
                rows=self.rows(filterset.qs),
            )
        table = self.table_class(IdsFirstData(filterset.qs))
        RequestConfig(request, paginate={"per_page": PER_PAGE, "paginator_class": CappedPaginator}).configure(
            table
        )
        table.visible_children = _visible_children(request.user, table.page.object_list)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        return render(
            request,
            "dashboards/dashboard.html",
            {
                "title": self.title,
                "filter": filterset,
                "table": table,
                "export_query": query.urlencode(),
                "today": timezone.localdate(),
                "kind": self.kind,
            },
        )


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
meetings = MEETINGS_DASHBOARD.as_view()

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
actions = ACTIONS_DASHBOARD.as_view()
# The dashboards whose exports the background export task can build (dashboards.returns).
DASHBOARDS = {d.kind: d for d in (MEETINGS_DASHBOARD, ACTIONS_DASHBOARD)}


COLLATION_COLUMNS = [
    ("reference", "Meeting"),
    ("child_reference", "Child's local reference"),
    ("age_at_disruption", "Age when the placement ended"),
    ("area", "Area"),
    ("placement_type", "Placement type"),
    ("provider", "Fostering agency or provider"),
    ("days_in_home", "Days in the home"),
    ("days_from_ratification", "Days from ratification as permanent"),
]


def _collation_rows(rows: list[dict]) -> Iterator[list[Any]]:
    for r in rows:
        yield [r[key] if r[key] is not None else "" for key, _header in COLLATION_COLUMNS]


@login_required
def disruptions(request: HttpRequest) -> HttpResponse:
    """A quarter's disruption meetings and their themes for the divisional meeting (D12), scoped to the
    meetings the user may see; the list downloads as an Excel spreadsheet (logged)."""
    _allowed(request)
    form = QuarterForm(request.GET)
    chosen = form.chosen()
    report = disruption_quarter_collation(**chosen, meetings=meetings_for_user(request.user))
    if request.GET.get("format") == "xlsx" and not form.errors:
        return xlsx_response(
            user=request.user,
            kind="disruptions",
            filters={k: str(v) for k, v in chosen.items()},
            filename=f"disruptions-{chosen['year']}-q{chosen['quarter']}.xlsx",
            title=f"Disruptions {chosen['year']} Q{chosen['quarter']}",
            headers=[header for _key, header in COLLATION_COLUMNS],
            rows=_collation_rows(report["meetings"]),
        )
    # The meetings collated are named as the packs name them (issue 10), never a fixed phrase.
    names = sorted(
        set(MeetingType.objects.filter(quarterly_collation=True, live=True).values_list("name", flat=True))
    )
    return render(
        request,
        "dashboards/disruptions.html",
        {
            "meeting_names": " and ".join(names) or "Meetings collated each quarter",
            "title": "Disruption themes",
            "kind": "disruptions",
            "form": form,
            "report": report,
            "columns": COLLATION_COLUMNS,
            "export_query": f"year={chosen['year']}&quarter={chosen['quarter']}",
        },
        status=400 if form.errors else 200,
    )
