"""Excel (.xlsx) exports: a header row in the user's language, then the rows; dates are written as BE text."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.thai import format_date_be_numeric

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


@dataclass
class Sheet:
    title: Any
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """An attachment with one sheet."""
    return workbook_response(filename=filename, sheets=[Sheet(title, headers, rows)])


def workbook_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An attachment with a sheet per table. Decimals become numbers with 2 decimals; dates become
    dd/mm/BBBB; lazy translations become text; text starting with "=" stays text."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=str(spec.title)[:31])
        header_cells = []
        for header in spec.headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def applied_filters(filterset: Any, *, hidden: Sequence[str] = ("q",)) -> str:
    """The filters a bound django-filter FilterSet applied, from its cleaned data, for a log: `name=value`
    pairs; a record as its name and id; the fields in `hidden` (free text that may name a person) as "…"."""
    if not filterset.is_bound:
        return ""
    pairs = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        if name in hidden:
            shown = "…"
        elif isinstance(value, Model):
            shown = f"{value} (#{value.pk})"
        else:
            shown = str(value)
        pairs.append(f"{name}={shown}")
    return ", ".join(sorted(pairs))


def filters_refused(request: HttpRequest, filterset: Any) -> HttpResponse:
    """400: an export is made with exactly the filters asked for, or not at all (never a wider one)."""
    errors = [
        f"{filterset.form.fields[name].label}: {' '.join(messages)}"
        if name in filterset.form.fields
        else " ".join(messages)
        for name, messages in filterset.form.errors.items()
    ]
    return render(request, "core/export_refused.html", {"errors": errors}, status=400)


def _cell(sheet: Any, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, date):
        return format_date_be_numeric(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)  # lazy translations and other objects become text
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # typed text stays text: never a formula in the reader's Excel
        return cell
    return text
