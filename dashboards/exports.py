"""Excel returns written row by row with XlsxWriter in constant-memory mode, so memory stays flat.

XlsxWriter was measured against openpyxl's write-only mode (with lxml) on the same rows: about 2.4
times faster (bench/dashboards.py prints both). Every text value is written with `write_string`, so it
is never read as a formula, a number or a link; text that a spreadsheet would run as a formula
(starting with = + - @) also gets Excel's quote prefix, so editing the cell keeps it text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

from .models import ExportLog

FORMULA_PREFIXES = ("=", "+", "-", "@")

# The column layouts of the meetings and actions dashboards' exports (README: Excel returns).
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
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # each row goes to a temporary file as soon as the next one starts
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def column_width(header: str) -> int:
    """A readable width for a column: its header's length, between 12 and 50 characters."""
    return max(12, min(50, len(str(header)) + 4))


def xlsx_write(
    target: Any,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    about: Sequence[tuple[str, Any]] = (),
    widths: Sequence[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one sheet to `target` (a path or binary file); returns the number of data rows.

    The one Excel writer of the dashboards and the named returns. The header is bold, shaded, frozen
    and filtered; columns get `widths` (or a width from their header); `progress` hears every 1,000
    rows; `about` (who exported it, when, with which filters) becomes a second sheet, "About this
    export", ending with the row count."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#D9E2F3", "bottom": 1})
    quoted = workbook.add_format({"quote_prefix": True})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})

    def write(target_sheet: Any, row: int, col: int, value: Any) -> None:
        """One typed cell: text stays text (formula-like text quoted), dates are real dates."""
        if value is None or value == "":
            return
        if isinstance(value, str):
            if value.startswith(FORMULA_PREFIXES):
                target_sheet.write_string(row, col, value, quoted)
            else:
                target_sheet.write_string(row, col, value)
        elif isinstance(value, bool):
            target_sheet.write_string(row, col, "Yes" if value else "No")
        elif isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            target_sheet.write_datetime(row, col, local.replace(tzinfo=None), moment)
        elif isinstance(value, date):
            target_sheet.write_datetime(row, col, value, day)
        elif isinstance(value, int | float):
            target_sheet.write_number(row, col, value)
        else:
            target_sheet.write_string(row, col, str(value))

    sheet.freeze_panes(1, 0)
    for col, header in enumerate(headers):
        sheet.set_column(col, col, widths[col] if widths else column_width(header))
        sheet.write_string(0, col, str(header), header_format)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            write(sheet, count, col, value)
        if progress and count % 1000 == 0:
            progress(count)
    if headers:
        sheet.autofilter(0, 0, count, len(headers) - 1)
    if about:
        notes = workbook.add_worksheet("About this export")
        notes.set_column(0, 0, 24)
        notes.set_column(1, 1, 60)
        notes.write_string(0, 0, "About this export", bold)
        for line, (label, value) in enumerate([*about, ("Rows", count)], start=1):
            notes.write_string(line, 0, str(label), bold)
            write(notes, line, 1, value)
    workbook.close()
    return count


def export_about(*, user: Any, title: str, filters: dict[str, Any], rows: int | None = None) -> list[tuple]:
    """The lines of an export's "About this export" sheet: what, who, when, which filters."""
    lines = [
        ("Export", title),
        ("Exported by", f"{user} ({getattr(user, 'username', '')})"),
        ("Exported at", timezone.localtime().strftime("%d/%m/%Y %H:%M")),
    ]
    chosen = [(k, v) for k, v in sorted(filters.items()) if v not in ("", None, [], ())]
    lines += [
        (
            f"Filter: {k}",
            v if isinstance(v, str) else ", ".join(map(str, v)) if isinstance(v, list | tuple) else v,
        )
        for k, v in chosen
    ]
    if not chosen:
        lines.append(("Filters", "None: every row the exporter may see"))
    return lines


def xlsx_response(
    *,
    user: Any,
    kind: str,
    filters: dict[str, Any],
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> FileResponse:
    """A download built in a temporary file (not in memory), logged, then streamed to the browser."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    about = export_about(user=user, title=title, filters=filters)
    count = xlsx_write(spool, title=title, headers=headers, rows=rows, about=about)
    ExportLog.objects.create(user=user, kind=kind, filters=filters, rows=count)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
