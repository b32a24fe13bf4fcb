"""Excel (.xlsx) exports, all made here: a title row naming the area, the fiscal year and when the file
was made; a frozen, bold header row in the user's language with columns wide enough for it; then the
rows. Dates are real dates shown with the Buddhist year (`DATE_FORMAT`), money has two decimals,
`Percent` values are Excel percentages."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.thai import fiscal_year, format_date_be

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
# A real date, shown with the Buddhist year: calendar 07 (Thai Buddhist) in Excel's locale code; LibreOffice
# reads the same code.
DATE_FORMAT = "[$-1070000]dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
HEADER_ROW = 2  # row 1 holds the title
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Percent:
    """A percentage as the pages show it (6.3 for 6.3%); written as the fraction 0.063 in % format."""

    value: Decimal


@dataclass
class Sheet:
    title: Any
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def xlsx_response(
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    area: str,
    fiscal_year_be: int | None = None,
) -> HttpResponse:
    """An attachment with one sheet."""
    return workbook_response(
        filename=filename, sheets=[Sheet(title, headers, rows)], area=area, fiscal_year_be=fiscal_year_be
    )


def user_area(user: Any) -> str:
    """The area a user's exports cover: their office's province or district, or the whole country."""
    area = getattr(user, "office_area", None)
    return str(area) if area is not None else _("All of Thailand")


def export_title(*, subject: Any, area: str, fiscal_year_be: int | None) -> str:
    """The first line of every sheet: what, where, which fiscal year (the current one by default; 0 for all
    years) and when the file was made (BE date and time)."""
    now = timezone.localtime()
    year = fiscal_year(now.date()) if fiscal_year_be is None else fiscal_year_be
    period = _("fiscal year %(year)s") % {"year": year} if year else _("all fiscal years")
    return _("%(subject)s · %(area)s · %(period)s · made on %(date)s at %(time)s") % {
        "subject": subject, "area": area, "period": period,
        "date": format_date_be(now.date()), "time": now.strftime("%H:%M"),
    }  # fmt: skip


def workbook_response(
    *, filename: str, sheets: Sequence[Sheet], area: str, fiscal_year_be: int | None = None
) -> HttpResponse:
    """An attachment with a sheet per table, each with the title row and the frozen header row.
    Decimals become numbers with 2 decimals; dates real dates in BE; `Percent` a percentage; lazy
    translations text; text starting with "=" stays text."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=str(spec.title)[:31])
        headers = [str(header) for header in spec.headers]
        # Write-only sheets take their widths and panes before the first row.
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _width(header)
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        title = WriteOnlyCell(
            sheet, value=export_title(subject=spec.title, area=area, fiscal_year_be=fiscal_year_be)
        )
        title.font = Font(bold=True, size=13)
        sheet.append([title])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
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


def _width(header: str) -> float:
    """A column width that fits its header. Thai vowels and tone marks above or below a letter take no
    width of their own, so they are not counted."""
    visible = sum(1 for char in header if not ("\u0e31" <= char <= "\u0e3a" or "\u0e47" <= char <= "\u0e4e"))
    return min(max(visible * 1.3 + 2, MIN_WIDTH), MAX_WIDTH)  # Thai letters are wider than a "0"


def _cell(sheet: Any, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=value.value / 100)
        cell.number_format = PERCENT_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        cell.number_format = f"{DATE_FORMAT} hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
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
