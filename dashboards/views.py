"""Managers', IROs' and auditors' dashboards: filtered, paginated, sortable, exportable to Excel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, islice
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_tables2 import RequestConfig

from portal.paging import capped_count
from portal.selectors import children_for_user
from workflows.models import MeetingType
from workflows.selectors import meetings_for_user

from .disruptions import disruption_quarter_collation
from .exports import xlsx_response
from .filters import QuarterForm
from .listings import ACTIONS_DASHBOARD, EXPORT_CHUNK, MEETINGS_DASHBOARD, Dashboard
from .returns import background_threshold, export_job_start
from .selectors import may_use_dashboards
from .tables import CappedPaginator, IdsFirstData

PER_PAGE = 25


def _allowed(request: HttpRequest) -> None:
    if not may_use_dashboards(request.user):
        raise PermissionDenied("Dashboards are for managers, IROs, quality and review and auditors.")


def _visible_children(user, rows) -> set[int]:
    """Children on this page the user may open (one query): other names are plain text, not a 404 link."""
    ids = {row.record.child_id for row in rows}
    return set(children_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k not in {"format", "page", "sort"} and v}


def dashboard_view(dashboard: Dashboard) -> Callable[[HttpRequest], HttpResponse]:
    """The page of one list dashboard: scoped, filtered, sortable, paginated; its Excel export, built in
    the background when it is big."""

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        return _respond(dashboard, request)

    view.__doc__ = f"{dashboard.title}: scoped to what the user may see, filtered, sortable, exportable."
    return view


def _respond(dashboard: Dashboard, request: HttpRequest) -> HttpResponse:
    _allowed(request)
    filterset = dashboard.filter_class(request.GET or None, queryset=dashboard.queryset(request.user))
    if request.GET.get("format") == "xlsx":
        # A big export is built in the background instead. The export's first rows (one chunk at
        # most, so memory stays flat) are read before anything is written: when they are all there
        # is, the usual small export needs no count query; past them, the count decides.
        threshold = background_threshold()
        rows = dashboard.rows(filterset.qs)
        first = list(islice(rows, min(threshold, EXPORT_CHUNK) + 1))
        if len(first) > threshold or (
            len(first) > EXPORT_CHUNK and capped_count(filterset.qs, threshold) > threshold
        ):
            rows.close()  # the rest is never read
            job = export_job_start(
                key=f"dashboard_{dashboard.kind}",
                user=request.user,
                params=_filters(request),
                rows_expected=filterset.qs.count(),
            )
            return redirect("dashboards:export_status", pk=job.pk)
        return xlsx_response(
            user=request.user,
            kind=dashboard.kind,
            filters=_filters(request),
            filename=f"{dashboard.kind}-{timezone.localdate():%Y-%m-%d}.xlsx",
            title=dashboard.kind.capitalize(),
            headers=dashboard.headers,
            rows=chain(first, rows),
        )
    table = dashboard.table_class(IdsFirstData(filterset.qs))
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
            "title": dashboard.title,
            "filter": filterset,
            "table": table,
            "export_query": query.urlencode(),
            "today": timezone.localdate(),
            "kind": dashboard.kind,
        },
    )


meetings = dashboard_view(MEETINGS_DASHBOARD)
actions = dashboard_view(ACTIONS_DASHBOARD)


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
