"""Oversight dashboards (stability indicators, due soon, compliance), named returns and their background
exports. Thin views: parse the choice, call the module that computes, render or export."""

from __future__ import annotations

import tempfile
from datetime import date

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from portal.choices import Role
from portal.selectors import children_for_user

from . import charts, compliance, duesoon, stability
from .forms import ComplianceForm, DueSoonForm, StabilityForm
from .models import ExportJob, ExportLog
from .returns import RETURNS, background_threshold, export_job_start, return_count, return_write
from .selectors import may_use_dashboards
from .tables import GOVUK_ATTRS, ROW_ATTRS, _date

PER_PAGE = 25
# Roles that may see the export log of every user (SPEC Roles: auditors' exports are logged and read).
EXPORT_LOG_ROLES = frozenset({Role.AUDITOR, Role.QUALITY_REVIEW_MANAGER})


def may_read_export_log(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in EXPORT_LOG_ROLES)


def _allowed(request: HttpRequest) -> None:
    if not may_use_dashboards(request.user):
        raise PermissionDenied("Dashboards are for managers, IROs, quality and review and auditors.")


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in (*names, "format", "page", "sort"):
        query.pop(name, None)
    return query.urlencode()


def _export(request: HttpRequest, key: str, params: dict) -> HttpResponse:
    """Small returns download at once; big ones are built in the background (status page)."""
    named = RETURNS[key]
    params = {
        k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items() if v not in (None, "")
    }
    rows = return_count(key=key, user=request.user, params=params)
    if rows > background_threshold():
        job = export_job_start(key=key, user=request.user, params=params, rows_expected=rows)
        return redirect("dashboards:export_status", pk=job.pk)
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    return_write(target=spool, key=key, user=request.user, params=params)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=named.filename(params),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# ------------------------------------------------------------------------------- stability indicators


@login_required
def stability_view(request: HttpRequest) -> HttpResponse:
    """The DfE placement stability indicators on a cut-off date, their trend over 8 quarters and the
    children behind each figure, for the children the user may see."""
    _allowed(request)
    form = StabilityForm(request.GET)
    chosen = form.chosen()
    on, reading = chosen["on"], chosen["reading"] or stability.READING_DFE
    if request.GET.get("format") == "xlsx" and not form.errors:
        return _export(request, "placement_stability", {"on": on, "reading": reading})
    children = children_for_user(request.user)
    ends = stability.quarter_ends(on)
    if on not in ends:
        ends = [*ends[1:], on]
    trend = stability.stability_figures(children, ends, reading=reading)
    figures = trend[on]
    figure = request.GET.get("figure", "")
    drill = figures.rows(figure) if figure in stability.FIGURES else None
    page = Paginator(drill, PER_PAGE).get_page(request.GET.get("page")) if drill is not None else None
    labels = [f"{d:%b %y}" for d in ends]
    short_values = [trend[d].three_or_more_percent for d in ends]
    long_values = [trend[d].long_term_percent for d in ends]
    return render(
        request,
        "dashboards/stability.html",
        {
            "title": "Placement stability indicators",
            "kind": "stability",
            "form": form,
            "figures": figures,
            "figure_names": stability.FIGURES,
            "figure": figure,
            "figure_title": stability.FIGURES.get(figure, ""),
            "page": page,
            "trend": [(d, trend[d]) for d in ends],
            "short_chart": charts.line_chart(
                chart_id="stability-short",
                title="Per cent of children looked after with three or more placements in 12 months",
                labels=labels,
                values=short_values,
                suffix="%",
                top=100,
            ),
            "long_chart": charts.line_chart(
                chart_id="stability-long",
                title="Per cent of the long-term cohort in the same placement for two years",
                labels=labels,
                values=long_values,
                suffix="%",
                top=100,
            ),
            "query": _query_without(request, "figure"),
            "export_query": _query_without(request, "figure"),
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------------------ due soon


class DueSoonTable(tables.Table):
    due = tables.Column(verbose_name="Due")
    what = tables.Column(verbose_name="What is due")
    ref = tables.Column(verbose_name="Meeting")
    child_last = tables.Column(verbose_name="Child", order_by=("child_last", "child_first"))
    team_name = tables.Column(verbose_name="Team", default="—")
    why = tables.Column(verbose_name="How the deadline was worked out", orderable=False)

    class Meta:
        attrs = GOVUK_ATTRS
        row_attrs = ROW_ATTRS
        empty_text = "Nothing you may see falls due in this time."
        order_by = ("due",)

    def render_due(self, value) -> str:
        return _date(value)

    def render_what(self, record: dict) -> str:
        return format_html(
            '{}<br><span class="govuk-hint govuk-!-font-size-16">{}</span>',
            record["what"],
            duesoon.KIND_LABELS[record["kind"]],
        )

    def render_ref(self, record: dict) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("workflows:meeting_detail", args=[record["meeting_pk"]]),
            record["ref"] or "—",
        )

    def render_child_last(self, record: dict) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{} {}</a>',
            reverse("child_detail", args=[record["child_pk"]]),
            record["child_first"],
            record["child_last"],
        )


@login_required
def due_soon_view(request: HttpRequest) -> HttpResponse:
    """What falls due in the next N working days (G2), each with its deadline's explanation."""
    _allowed(request)
    form = DueSoonForm(request.GET)
    chosen = form.chosen()
    team, meeting_type = chosen.get("team"), chosen.get("meeting_type")
    params = {
        "days": chosen["days"],
        "kind": chosen.get("kind") or "",
        "team": team.pk if team else None,
        "meeting_type": meeting_type.pk if meeting_type else None,
    }
    if request.GET.get("format") == "xlsx" and not form.errors:
        return _export(request, "due_soon", params)
    items = duesoon.due_soon(
        request.user,
        days=chosen["days"],
        kinds=[params["kind"]] if params["kind"] else None,
        team_id=params["team"],
        meeting_type_id=params["meeting_type"],
    )
    table = DueSoonTable(items)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "dashboards/due_soon.html",
        {
            "title": "Due soon",
            "kind": "due_soon",
            "form": form,
            "table": table,
            "days": chosen["days"],
            "today": timezone.localdate(),
            "export_query": _query_without(request),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------- compliance


def _compliance_choice(request: HttpRequest) -> tuple[ComplianceForm, dict]:
    form = ComplianceForm(request.GET)
    chosen = form.chosen()
    team = chosen.get("team")
    return form, {
        "first": chosen["first"],
        "last": chosen["last"],
        "team_id": team.pk if team else None,
        "team": team,
    }


@login_required
def compliance_view(request: HttpRequest) -> HttpResponse:
    """Each measure's share met in the period, linking to its list, and its trend by month."""
    _allowed(request)
    form, choice = _compliance_choice(request)
    team = choice["team"]
    if request.GET.get("format") == "xlsx" and not form.errors:
        params = {"first": choice["first"], "last": choice["last"]}
        if team:
            params |= {"team": team.pk, "team_name": team.name}
        return _export(request, "compliance", params)
    today = timezone.localdate()
    figures = compliance.figures(
        user=request.user, first=choice["first"], last=choice["last"], today=today, team_id=choice["team_id"]
    )
    chart_slug = request.GET.get("trend") or figures[0].measure.slug if figures else ""
    measure = compliance.measure_by_slug(chart_slug) or (figures[0].measure if figures else None)
    trend = (
        compliance.trend(measure, user=request.user, today=today, team_id=choice["team_id"])
        if measure
        else []
    )
    return render(
        request,
        "dashboards/compliance.html",
        {
            "title": "Compliance",
            "kind": "compliance",
            "form": form,
            "figures": figures,
            "choice": choice,
            "trend_measure": measure,
            "trend": trend,
            "trend_chart": charts.line_chart(
                chart_id="compliance-trend",
                title=f"{measure.heading}: per cent met by month" if measure else "No measures",
                labels=[f"{start:%b %y}" for start, _f in trend],
                values=[f.percent for _start, f in trend],
                suffix="%",
                top=100,
            )
            if measure
            else "",
            "query": _query_without(request, "trend"),
            "export_query": _query_without(request, "trend"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def compliance_cases_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The list behind one compliance figure: its count is the figure."""
    _allowed(request)
    measure = compliance.measure_by_slug(slug)
    if measure is None:
        raise Http404("No such measure.")
    form, choice = _compliance_choice(request)
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in {"met", "missed"} else ""
    cases = compliance.cases(
        measure,
        user=request.user,
        first=choice["first"],
        last=choice["last"],
        today=timezone.localdate(),
        team_id=choice["team_id"],
        outcome=outcome,
    )
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/compliance_cases.html",
        {
            "title": measure.heading,
            "kind": "compliance",
            "measure": measure,
            "form": form,
            "choice": choice,
            "outcome": outcome,
            "page": page,
            "model": cases.model.__name__,
            "query": _query_without(request, "outcome"),
        },
    )


# ------------------------------------------------------------------------------ returns and their log


# The dashboard where each return's period or date is chosen (and checked) before it is downloaded.
RETURN_DASHBOARDS = {
    "disruptions_quarterly": "dashboards:disruptions",
    "placement_stability": "dashboards:stability",
    "compliance": "dashboards:compliance",
    "due_soon": "dashboards:due_soon",
    "dashboard_meetings": "dashboards:meetings",
    "dashboard_actions": "dashboards:actions",
}


@require_GET
@login_required
def return_view(request: HttpRequest, key: str) -> HttpResponse:
    """The IRO actions return here; the others download from their own dashboards, which check the
    period first, so a hand-made address without one is sent there with a sentence (never a 500)."""
    _allowed(request)
    if key not in RETURNS:
        raise Http404("No such return.")
    if key == "iro_actions":
        return _export(request, key, {"status": request.GET.get("status", "")})
    params = dict(request.GET.items())
    try:
        return _export(request, key, params)
    except (KeyError, ValueError):
        messages.error(
            request, f"Choose the period for the {RETURNS[key].title.lower()} here, then download it."
        )
        return redirect(RETURN_DASHBOARDS[key])


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background export's progress; the page refreshes itself (meta refresh) until it is done."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    running = job.status in {ExportJob.Status.QUEUED, ExportJob.Status.RUNNING}
    return render(
        request,
        "dashboards/export_status.html",
        {
            "title": RETURNS[job.return_key].title if job.return_key in RETURNS else "Export",
            "kind": "exports",
            "job": job,
            "running": running,
            "jobs": ExportJob.objects.filter(user=request.user)[:10],
        },
    )


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if job.status != ExportJob.Status.READY or not job.file:
        raise Http404("This export is not ready, or its file has been deleted after its time limit.")
    if job.expires_at and job.expires_at < timezone.now():
        raise Http404("This export's file has been deleted after its time limit.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


@login_required
def export_log(request: HttpRequest) -> HttpResponse:
    """Who exported which return, with which filters, how many rows and when (auditors)."""
    _allowed(request)
    if not may_read_export_log(request.user):
        raise PermissionDenied("The export log is for auditors and quality and review managers.")
    logs = ExportLog.objects.select_related("user")
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/export_log.html",
        {"title": "Export log", "kind": "export_log", "page": page, "returns": RETURNS},
    )
