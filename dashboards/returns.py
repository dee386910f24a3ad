"""Named Excel returns with documented column layouts (README, "Excel returns").

Every return is one sheet of data and a second sheet, "About this export", saying who exported it,
when and with which filters. Dates are real date cells; the header is bold, filled, frozen and
auto-filtered; columns have set widths; text that a spreadsheet would run as a formula stays text
(dashboards.exports). Returns with more rows than settings.EXPORT_BACKGROUND_ROWS are built by a
django-q2 task while the user watches a status page; the file is kept for settings.EXPORT_FILE_HOURS.
Every return written is logged in ExportLog.

All writing goes through `write_rows`, which hands the rows to the dashboards' one writer
(`dashboards.exports.xlsx_write`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task

from outbox.services import message_queue
from portal.models import User
from portal.selectors import children_for_user
from workflows.models import Meeting
from workflows.selectors import meetings_for_user

from . import compliance, duesoon, stability
from .disruptions import disruption_quarter_collation
from .exports import ACTION_COLUMNS, MEETING_COLUMNS, column_width, xlsx_write
from .listings import DASHBOARDS
from .models import ExportJob, ExportLog
from .selectors import actions_dashboard


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 18
    kind: str = "text"  # text, date, number (documentation; cells are typed by their values)


def write_rows(
    target: Any,
    *,
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filters_description: Sequence[tuple[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one data sheet and the "About this export" sheet to ``target``; returns the row count.
    The dashboards' writer (XlsxWriter, constant memory) does the writing."""
    return xlsx_write(
        target,
        title=sheet_name,
        headers=[c.header for c in columns],
        rows=rows,
        about=filters_description,
        widths=[c.width for c in columns],
        progress=progress,
    )


# ------------------------------------------------------------------------------------------ the returns


@dataclass(frozen=True)
class Source:
    """What a return holds for one user and one set of parameters."""

    count: int
    rows: Iterator[Sequence[Any]]
    filters: list[tuple[str, Any]]


@dataclass(frozen=True)
class NamedReturn:
    key: str
    title: str
    sheet_name: str
    columns: list[Column]
    build: Callable[[User, dict], Source]

    def filename(self, params: dict) -> str:
        suffix = "-".join(str(v) for v in params.values() if v) or timezone.localdate().isoformat()
        return f"{self.key.replace('_', '-')}-{suffix}.xlsx"


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


DISRUPTION_COLUMNS = [
    Column("Meeting", 14),
    Column("Child's local reference", 16),
    Column("Area", 14),
    Column("Placement type", 24),
    Column("Fostering agency or provider", 28),
    Column("Placement started", 14, "date"),
    Column("Placement ended", 14, "date"),
    Column("Ratified as permanent on", 14, "date"),
    Column("Age when the placement ended", 10, "number"),
    Column("Days in the home", 10, "number"),
    Column("Days from ratification as permanent", 12, "number"),
    Column("Meeting held on", 14, "date"),
    Column("Minutes approved on", 14, "date"),
]


def _disruptions(user: User, params: dict) -> Source:
    """One row per disruption meeting in the quarter, the same meetings as the themes page (D12)."""
    year, quarter = int(params["year"]), int(params["quarter"])
    report = disruption_quarter_collation(year=year, quarter=quarter, meetings=meetings_for_user(user))
    by_pk = {
        m.pk: m
        for m in Meeting.objects.filter(pk__in=[r["meeting_pk"] for r in report["meetings"]]).select_related(
            "placement"
        )
    }

    def rows() -> Iterator[list]:
        for r in report["meetings"]:
            m = by_pk[r["meeting_pk"]]
            p = m.placement
            yield [
                r["reference"],
                r["child_reference"],
                r["area"],
                r["placement_type"],
                r["provider"],
                p.start_date,
                p.end_date,
                p.ratified_permanent_on,
                r["age_at_disruption"],
                r["days_in_home"],
                r["days_from_ratification"],
                timezone.localtime(m.held_at).date() if m.held_at else None,
                timezone.localtime(m.minutes_approved_at).date() if m.minutes_approved_at else None,
            ]

    return Source(len(report["meetings"]), rows(), [("Year", year), ("Quarter", quarter)])


STABILITY_COLUMNS = [
    Column("Child", 24),
    Column("Child's local reference", 16),
    Column("Team", 22),
    Column("Date of birth", 14, "date"),
    Column("Age on the date", 8, "number"),
    Column("Looked after since", 14, "date"),
    Column("Placements in the previous 12 months", 12, "number"),
    Column("Three or more placements", 10),
    Column("In current placement since", 14, "date"),
    Column("Current placement type (SSDA903)", 10),
    Column("Placed for adoption", 10),
    Column("Under 16 and looked after 2.5 years or more", 12),
    Column("Same placement 2 years or more (or adoption rule)", 12),
]


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _stability(user: User, params: dict) -> Source:
    on = date.fromisoformat(params["on"])
    reading = params.get("reading") or stability.READING_DFE
    figures = stability.stability_on(children_for_user(user), on, reading=reading)
    rows = (
        [
            c.name,
            c.local_reference,
            c.team,
            c.date_of_birth,
            c.age,
            c.looked_after_since,
            c.placements_in_year,
            _yes(c.three_or_more),
            c.current_placement_since,
            c.current_placement_type,
            _yes(c.placed_for_adoption),
            _yes(c.long_term_cohort),
            _yes(c.long_term_stable),
        ]
        for c in figures.children
    )
    return Source(
        len(figures.children), rows, [("Cut-off date", on), ("Counting", dict(stability.READINGS)[reading])]
    )


IRO_ACTION_COLUMNS = [
    Column("Action", 40),
    Column("Child", 24),
    Column("Child's local reference", 16),
    Column("Child's IRO", 22),
    Column("Meeting", 14),
    Column("Meeting type", 10),
    Column("Owner", 22),
    Column("Due", 12, "date"),
    Column("How the outcome is evaluated", 40),
    Column("Status", 10),
    Column("Completed on", 12, "date"),
    Column("Overdue", 8),
]


def _iro_actions(user: User, params: dict) -> Source:
    """Agreed actions the child's IRO tracks to completion (D11), as far as the user may see them."""
    actions = actions_dashboard(user).select_related("child__iro")
    if params.get("status"):
        actions = actions.filter(status=params["status"])
    rows = (
        [
            a.description,
            a.child.full_name,
            a.child.local_reference,
            _name(a.child.iro) if a.child.iro_id else "",
            str(a.meeting),
            a.meeting.meeting_type.code,
            a.owner_label,
            a.due_on,
            a.evaluation,
            a.get_status_display(),
            timezone.localtime(a.completed_at).date() if a.completed_at else None,
            _yes(a.is_overdue),
        ]
        for a in actions.iterator(chunk_size=2000)
    )
    return Source(actions.count(), rows, [("Status", params.get("status") or "Any")])


COMPLIANCE_COLUMNS = [
    Column("Measure", 44),
    Column("Meeting type", 34),
    Column("Counted", 30),
    Column("Cases", 10, "number"),
    Column("Met", 10, "number"),
    Column("Missed", 10, "number"),
    Column("Per cent met", 10, "number"),
]


def _compliance(user: User, params: dict) -> Source:
    first, last = date.fromisoformat(params["first"]), date.fromisoformat(params["last"])
    team_id = int(params["team"]) if params.get("team") else None
    figures = compliance.figures(
        user=user, first=first, last=last, today=timezone.localdate(), team_id=team_id
    )
    rows = (
        [
            f.measure.title,
            f.measure.meeting_type_name or "All",
            f.measure.day_label,
            f.total,
            f.met,
            f.missed,
            f.percent,
        ]
        for f in figures
    )
    filters = [("From", first), ("To", last), ("Team", params.get("team_name") or "All teams")]
    return Source(len(figures), rows, filters)


DUE_SOON_COLUMNS = [
    Column("Due", 12, "date"),
    Column("What", 28),
    Column("Kind", 22),
    Column("Meeting", 14),
    Column("Meeting type", 10),
    Column("Child", 24),
    Column("Team", 22),
    Column("How the deadline was worked out", 70),
]


def _due_soon(user: User, params: dict) -> Source:
    days = int(params.get("days") or duesoon.DEFAULT_DAYS)
    items = duesoon.due_soon(
        user,
        days=days,
        kinds=[params["kind"]] if params.get("kind") else None,
        team_id=int(params["team"]) if params.get("team") else None,
        meeting_type_id=int(params["meeting_type"]) if params.get("meeting_type") else None,
    )
    rows = (
        [
            i["due"],
            i["what"],
            duesoon.KIND_LABELS[i["kind"]],
            i["ref"],
            i["type_code"],
            f"{i['child_first']} {i['child_last']}",
            i["team_name"] or "",
            i["why"],
        ]
        for i in items.iterator()
    )
    return Source(items.count(), rows, [("Working days ahead", days), ("Kind", params.get("kind") or "All")])


def _dashboard_export(kind: str) -> Callable[[User, dict], Source]:
    """A dashboard's own export (meetings, actions) as a return, so a big one can be built in the
    background with the same scope, filters and columns as the download."""

    def build(user: User, params: dict) -> Source:
        dashboard = DASHBOARDS[kind]
        rows = dashboard.filter_class(params or None, queryset=dashboard.queryset(user)).qs
        filters = [(f"Filter: {k}", v) for k, v in sorted(params.items())] or [("Filters", "None")]
        return Source(rows.count(), dashboard.rows(rows), filters)

    return build


RETURNS = {
    r.key: r
    for r in [
        NamedReturn(
            "disruptions_quarterly",
            "Quarterly disruption return",
            "Disruptions",
            DISRUPTION_COLUMNS,
            _disruptions,
        ),
        NamedReturn(
            "placement_stability",
            "Placement stability return",
            "Placement stability",
            STABILITY_COLUMNS,
            _stability,
        ),
        NamedReturn("iro_actions", "IRO actions return", "IRO actions", IRO_ACTION_COLUMNS, _iro_actions),
        NamedReturn("compliance", "Compliance figures", "Compliance", COMPLIANCE_COLUMNS, _compliance),
        NamedReturn("due_soon", "Due soon", "Due soon", DUE_SOON_COLUMNS, _due_soon),
        NamedReturn(
            "dashboard_meetings",
            "Meetings",
            "Meetings",
            [Column(h, column_width(h)) for h in MEETING_COLUMNS],
            _dashboard_export("meetings"),
        ),
        NamedReturn(
            "dashboard_actions",
            "Actions",
            "Actions",
            [Column(h, column_width(h)) for h in ACTION_COLUMNS],
            _dashboard_export("actions"),
        ),
    ]
}


def _about(named: NamedReturn, user: User, filters: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [
        ("Return", named.title),
        ("Exported by", _name(user)),
        ("Exported at", timezone.localtime()),
        *filters,
    ]


def return_write(*, target: Any, key: str, user: User, params: dict, progress=None) -> int:
    """Write return ``key`` for ``user`` to ``target`` and log it; returns the number of rows."""
    named = RETURNS[key]
    source = named.build(user, params)
    count = write_rows(
        target,
        sheet_name=named.sheet_name,
        columns=named.columns,
        rows=source.rows,
        filters_description=_about(named, user, source.filters),
        progress=progress,
    )
    ExportLog.objects.create(user=user, kind=key, filters=params, rows=count)
    return count


def background_threshold() -> int:
    return int(getattr(settings, "EXPORT_BACKGROUND_ROWS", 5000))


def return_count(*, key: str, user: User, params: dict) -> int:
    return RETURNS[key].build(user, params).count


def export_job_start(*, key: str, user: User, params: dict, rows_expected: int = 0) -> ExportJob:
    """Queue a return to be built in the background (django-q2); the user follows its status page."""
    job = ExportJob.objects.create(user=user, return_key=key, params=params, rows_expected=rows_expected)
    transaction.on_commit(lambda: async_task("dashboards.returns.export_job_run", job.pk))
    return job


def export_job_run(job_id: int) -> str:
    """The django-q2 task: build the file, save it, notify the user by e-mail when they have one."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows)

    try:
        with tempfile.TemporaryFile(suffix=".xlsx") as spool:
            count = return_write(
                target=spool, key=job.return_key, user=job.user, params=job.params, progress=progress
            )
            spool.seek(0)
            job.file.save(RETURNS[job.return_key].filename(job.params), File(spool), save=False)
    except Exception as error:
        job.status, job.error = ExportJob.Status.FAILED, str(error)[:2000]
        job.finished_at = timezone.now()
        job.save()
        raise
    job.rows_written, job.status = count, ExportJob.Status.READY
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + timedelta(hours=int(getattr(settings, "EXPORT_FILE_HOURS", 24)))
    job.save()
    if job.user.email:
        link = reverse("dashboards:export_status", args=[job.pk])
        message_queue(
            topic="dashboards.export_ready",
            event=str(job.pk),
            to=[job.user.email],
            users_by_address={job.user.email: job.user},
            subject=f"Your {RETURNS[job.return_key].title.lower()} is ready",
            body="The spreadsheet you asked for is ready to download until "
            f"{timezone.localtime(job.expires_at):%-d %B %Y at %H:%M}: {link}",
            reference=link,
        )
    return job.file.name


def exports_expire(now=None) -> int:
    """Delete the files of background exports past their time limit (run by a django-q2 schedule)."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.READY, expires_at__lt=now):
        if job.file:
            job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["status", "file"])
        expired += 1
    return expired
