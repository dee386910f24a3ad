"""Excel returns written row by row (openpyxl write-only) so memory stays flat whatever the size.

Text that a spreadsheet would run as a formula (starting with = + - @) is written as text with
Excel's quote prefix: a child's name or a worker's note can never become a formula.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@")


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, date):
        cell.number_format = "dd/mm/yyyy hh:mm" if isinstance(value, datetime) else "dd/mm/yyyy"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_write(target: Any, *, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet to `target` (a path or binary file); returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, h, bold=True) for h in headers])
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
        count += 1
    workbook.save(target)
    return count


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
    from .models import ExportLog

    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    count = xlsx_write(spool, title=title, headers=headers, rows=rows)
    ExportLog.objects.create(user=user, kind=kind, filters=filters, rows=count)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
