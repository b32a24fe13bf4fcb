"""Excel import of a center's debt registry: the template, the checks, and the all-or-nothing save.

One sheet, one row per debt line; the household columns repeat on each of its rows (rows with the same
national ID are one household) and a household without debts has one row with the debt columns empty.

The upload is read once, in the request, and never stored (it holds personal data). Every row is checked
first, reporting progress on the ImportJob row that the page polls; errors are kept by row and column as codes
and parameters, so that they are shown in the reader's language. Only a file without a single error is saved,
in one transaction, in batches.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import fromstring as xml_fromstring
from simple_history.utils import bulk_create_with_history

from centers.models import Center
from centers.services import lock_center_for_edit
from core import events
from core.thai import (
    DATE_ERROR_MESSAGES,
    MONEY_ERROR_MESSAGES,
    ThaiDateError,
    ThaiMoneyError,
    parse_date_be,
    parse_money,
    thai_digits_to_arabic,
    to_be_year,
    to_money,
)
from households import national_id
from households.models import Household, HouseholdStatus, PersonalDataLog
from households.services import household_villages, personal_data_log_write

from .models import (
    RATE_PLACES,
    SECTOR_OF,
    CreditorType,
    DebtBalance,
    DebtLine,
    Frequency,
    ImportJob,
    RateUnit,
    annual_rate,
    balance_is_plausible,
)

BATCH_SIZE = 500
PROGRESS_EVERY = 500
MAX_STORED_ERRORS = 500
# Zip bomb guards, checked on the sizes the zip declares before openpyxl opens it (Python's zipfile stops
# reading an entry at its declared size, so a lying header fails its CRC rather than inflating further).
# The real 10,000-row file unpacks to ~5 MB, its shared strings to ~1 MB. openpyxl holds every shared string
# in memory: bench/uploads.py measured 150 MB for 20 MB of short distinct strings, hence the cap of 10 MB.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
OLDEST_YEAR_BE = 2500


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    required: bool = False
    width: int = 16
    part: str = "household"  # or "debt"


COLUMNS: tuple[Column, ...] = (
    Column("house_number", _("House number"), required=True, width=12),
    Column("moo", _("Village number (moo)"), width=10),
    Column("head_name", _("Head of household"), required=True, width=28),
    Column("national_id", _("National ID (13 digits)"), required=True, width=20),
    Column("phone", _("Phone"), width=14),
    Column("members", _("Members"), required=True, width=10),
    Column("occupations", _("Occupations"), width=20),
    Column("surveyed_on", _("Surveyed on (dd/mm/yyyy BE)"), required=True, width=16),
    Column("surveyed_by", _("Surveyed by"), required=True, width=22),
    Column("creditor_type", _("Creditor"), width=30, part="debt"),
    Column("creditor_name", _("Creditor name"), width=22, part="debt"),
    Column("original_amount", _("Amount borrowed (baht)"), width=16, part="debt"),
    Column("balance", _("Outstanding on the survey date (baht)"), width=16, part="debt"),
    Column("interest_rate", _("Interest rate (%)"), width=12, part="debt"),
    Column("rate_unit", _("Rate per (year, month, day)"), width=14, part="debt"),
    Column("instalment", _("Instalment (baht)"), width=14, part="debt"),
    Column("instalment_frequency", _("Instalment paid"), width=16, part="debt"),
    Column("purpose", _("Purpose"), width=20, part="debt"),
    Column("collateral", _("Collateral or guarantor"), width=22, part="debt"),
)
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}
DEBT_KEYS = tuple(column.key for column in COLUMNS if column.part == "debt")
HOUSEHOLD_KEYS = tuple(column.key for column in COLUMNS if column.part == "household")
TEXT_LIMITS = {
    "house_number": 20, "head_name": 200, "phone": 20, "occupations": 300, "surveyed_by": 200,
    "creditor_name": 200, "purpose": 200, "collateral": 200,
}  # fmt: skip

MESSAGES: dict[str, Promise] = {
    "file.too_large": _("The file is larger than %(limit)s MB. Split the registry into smaller files."),
    "file.too_large_unpacked": _(
        "The file is too large when unpacked (more than %(limit)s MB of data inside the .xlsx). It may be "
        "damaged or not a registry: save it again from the template, or split it into smaller files."
    ),
    "file.not_excel": _(
        "This is not an Excel file (.xlsx). Download the template, fill it in and upload it."
    ),
    "file.old_excel": _("This is an old Excel 97–2003 file (.xls). Open it in Excel and save it as .xlsx."),
    "file.macro": _("Files with macros (.xlsm) are not accepted. Save the workbook as .xlsx."),
    "file.unreadable": _("The file could not be read as an Excel workbook. Is it damaged?"),
    "file.wrong_template": _(
        "This is not the household registry template: column %(column)s should be “%(expected)s” but is "
        "“%(found)s”. Download the template and copy the data into it."
    ),
    "file.empty": _("The file has no rows under the header."),
    "file.too_many_rows": _("The file has more than %(limit)s rows. Split it into smaller files."),
    "file.rows_lost": _(
        "Only %(read)s of the file's %(rows)s rows could be read, so nothing was saved. Save the file again "
        "in Excel and upload it again."
    ),
    "file.save_failed": _(
        "The file could not be saved: the center was changed while it was imported. Upload it again."
    ),
    "required": _("This column is required."),
    "formula": _("This cell holds a formula. Enter values only (copy, then paste as values)."),
    "text_too_long": _("At most %(limit)s characters."),
    "text_is_date": _(
        "Excel turned this into a date. Format the column as text and type it again, for example 12/1."
    ),
    "integer": _("Enter a whole number."),
    "members_range": _("A household has from 1 to 99 members."),
    "moo_unknown": _(
        "There is no village with this number (moo) in the center's subdistrict. Add the village first."
    ),
    "negative": _("Amounts cannot be negative."),
    "rate": _("Enter the rate as a number, for example 1.5."),
    "rate_places": _("Rates have at most 3 decimal places."),
    "rate_without_unit": _("Give the unit of the rate: per year, per month or per day."),
    "unit_without_rate": _("Give the rate, or leave its unit empty."),
    "choice": _("“%(value)s” is not one of the choices in the template's list."),
    "debt_incomplete": _("A debt needs its creditor, the amount borrowed and the amount outstanding."),
    "instalment_without_frequency": _("Say how often the instalment is paid."),
    "implausible_balance": _(
        "%(balance)s baht is far more than was borrowed, or more than a household usually owes. Check it; "
        "if it is right, tick the confirmation box when uploading."
    ),
    "date.number": _(
        "This number is not a date. Enter the date as dd/mm/yyyy in the Buddhist Era, or as an Excel date."
    ),
    "date.be_in_date_cell": _(
        "Excel read this date as the Christian-era year %(year)s: a Buddhist Era year was typed into a date "
        "cell. Type the date as text, for example 24/03/2564."
    ),
    "date.future": _("The date cannot be in the future."),
    "date.too_old": _("The date is before %(year)s BE; check the year."),
    "id.duplicate_in_file": _(
        "The same national ID is also on row %(row)s with different household details."
    ),
    "id.exists": _("A household with this national ID is already registered in this center."),
    **{f"date.{code}": message for code, message in DATE_ERROR_MESSAGES.items()},
    **{f"money.{code}": message for code, message in MONEY_ERROR_MESSAGES.items()},
    **{f"id.{code}": message for code, message in national_id.ERROR_MESSAGES.items()},
}


def error_message(error: dict[str, Any]) -> str:
    return str(MESSAGES[error["code"]]) % (error.get("params") or {})


def column_label(key: str | None) -> str:
    return str(COLUMNS[COLUMN_INDEX[key]].label) if key in COLUMN_INDEX else ""


def column_letter(key: str | None) -> str:
    return get_column_letter(COLUMN_INDEX[key] + 1) if key in COLUMN_INDEX else ""


class RowError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        super().__init__(code)


class ImportFileError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        super().__init__(code)


# --- choices typed in cells --------------------------------------------------------------------------------

_NOISE = re.compile(r"[\s%().,]|ร้อยละ|ต่อ|per|every|ทุก|ราย")


def _choice_key(text: str) -> str:
    return _NOISE.sub("", str(text).lower())


# Short names people write in a registry, besides the labels of the choices.
CREDITOR_ALIASES = {
    "ธกส": "baac", "baac": "baac", "ออมสิน": "gsb", "ธนาคาร": "commercial_bank", "สหกรณ์ออมทรัพย์": "cooperative",
    "บัตรเครดิต": "credit_card", "สินเชื่อบุคคล": "credit_card", "ลีสซิ่ง": "leasing", "เช่าซื้อ": "leasing",
    "กยศ": "student_loan", "กองทุนหมู่บ้านและชุมชนเมือง": "village_fund", "กองทุนเงินล้าน": "village_fund",
    "กลุ่มออมทรัพย์": "savings_group", "สัจจะ": "savings_group", "กขคจ": "kkkj", "กองทุนสตรี": "women_fund",
    "สวัสดิการชุมชน": "welfare_fund", "นายทุน": "money_lender", "เงินกู้นอกระบบ": "money_lender",
    "ญาติ": "relatives", "เพื่อน": "relatives", "ร้านค้า": "shop_credit", "เชื่อของ": "shop_credit",
    "แชร์": "rotating_credit", "เล่นแชร์": "rotating_credit",
}  # fmt: skip


def _choice_lookup(
    choices: Iterable[tuple[str, Promise]], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """Codes by every spelling a person might type: the code, the label in Thai and in English, aliases."""
    lookup: dict[str, str] = {_choice_key(alias): code for alias, code in (aliases or {}).items()}
    for code, label in choices:
        lookup[_choice_key(code)] = code
        for language in ("th", "en"):
            with translation.override(language):
                lookup[_choice_key(str(label))] = code
    return lookup


def _labels(choices: Iterable[tuple[str, Promise]]) -> list[str]:
    return [str(label) for _code, label in choices]


# --- the template ------------------------------------------------------------------------------------------


def build_template() -> bytes:
    """The registry template in the active language: the sheet to fill, the lists, and how to fill it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Debt registry"))[:31]
    lists = workbook.create_sheet(str(_("Lists"))[:31])
    guide = workbook.create_sheet(str(_("How to fill in"))[:31])

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    household_fill = PatternFill("solid", fgColor="DDEBF7")
    debt_fill = PatternFill("solid", fgColor="FCE4D6")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font, cell.alignment = bold, wrap
        cell.fill = household_fill if column.part == "household" else debt_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"
    # Text cells for the ID and the phone, so that Excel keeps every digit and the leading zero.
    for key in ("national_id", "phone", "house_number"):
        sheet.column_dimensions[column_letter(key)].number_format = "@"

    for list_index, (key, choices) in enumerate(
        [
            ("creditor_type", CreditorType.choices),
            ("rate_unit", RateUnit.choices),
            ("instalment_frequency", Frequency.choices),
        ],
        start=1,
    ):
        labels = _labels(choices)
        list_letter = get_column_letter(list_index)
        lists.cell(row=1, column=list_index, value=column_label(key)).font = bold
        for row, label in enumerate(labels, start=2):
            lists.cell(row=row, column=list_index, value=label)
        lists.column_dimensions[list_letter].width = 34
        validation = DataValidation(
            type="list",
            formula1=f"'{lists.title}'!${list_letter}$2:${list_letter}${len(labels) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=str(_("Choose from the list")),
            error=str(_("Choose a value from the list.")),
        )
        sheet.add_data_validation(validation)
        validation.add(f"{column_letter(key)}2:{column_letter(key)}{settings.HOUSEHOLD_IMPORT_MAX_ROWS + 1}")

    guide.column_dimensions["A"].width = 110
    lines = [
        _("How to fill in the debt registry"),
        _("One row per debt. A household with several debts has several rows: repeat its details on each."),
        _("A household without debts has one row with the debt columns empty."),
        _("Rows with the same national ID are one household; their household details must be the same."),
        _("Columns marked in blue are about the household, in orange about one debt."),
        _("Dates: dd/mm/yyyy in the Buddhist Era, for example 24/03/2564, or an Excel date."),
        _("Amounts in baht, for example 25000 or 25,000.50. No formulas: values only."),
        _("Village number (moo): leave empty for the center's own village."),
        _("The outstanding amount is what was still owed on the survey date."),
        _("Interest: the rate and its unit, for example 2 per month, or 0.5 per day."),
        _("The file holds personal data: keep it safe and delete it once it is imported."),
    ]
    for row, text in enumerate(lines, start=1):
        cell = guide.cell(row=row, column=1, value=str(text))
        cell.alignment = wrap
        if row == 1:
            cell.font = Font(bold=True, size=14)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the file ----------------------------------------------------------------------------------------------


def check_file(upload: Any) -> Any:
    """The workbook's first sheet, or ImportFileError: size, type, macros, zip bombs, the header."""
    limit = settings.HOUSEHOLD_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ImportFileError("file.too_large", limit=limit // (1024 * 1024))
    name = (upload.name or "").lower()
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise ImportFileError("file.old_excel")
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise ImportFileError("file.macro")
    if not head.startswith(b"PK\x03\x04") or not name.endswith((".xlsx", ".xltx")):
        raise ImportFileError("file.not_excel")
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            _check_unpacked_sizes(archive)
    except zipfile.BadZipFile:
        raise ImportFileError("file.not_excel") from None
    upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise ImportFileError("file.not_excel")
    if any(entry.startswith("xl/vbaProject") for entry in names):
        raise ImportFileError("file.macro")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write a stale <dimension> tag: read every row there is
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError("file.unreadable") from None
    _check_header(header)
    return sheet


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _check_unpacked_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb by the sizes its entries declare, before anything is inflated.

    openpyxl keeps the shared strings in memory, so they have a lower cap; they are found the way openpyxl
    finds them, by their content type in [Content_Types].xml, wherever the file puts them.
    """
    sizes = {info.filename: info.file_size for info in archive.infolist()}
    if (
        sum(sizes.values()) > MAX_UNPACKED_BYTES
        or sizes.get("[Content_Types].xml", 0) > MAX_CONTENT_TYPES_BYTES
    ):
        raise ImportFileError("file.too_large_unpacked", limit=MAX_UNPACKED_BYTES // (1024 * 1024))
    parts = {SHARED_STRINGS}
    if "[Content_Types].xml" in sizes:
        try:  # the parser openpyxl reads this part with (defusedxml's when installed); the part is small
            types = xml_fromstring(archive.read("[Content_Types].xml"))
        except Exception:  # a damaged manifest: openpyxl would refuse it too
            raise ImportFileError("file.unreadable") from None
        parts |= {
            (element.get("PartName") or "").lstrip("/")
            for element in types
            if element.get("ContentType") == SHARED_STRINGS_TYPE
        }
    if sum(sizes.get(part, 0) for part in parts) > MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError("file.too_large_unpacked", limit=MAX_SHARED_STRINGS_BYTES // (1024 * 1024))


def _header_labels(key: str) -> set[str]:
    labels = set()
    for language in ("th", "en"):
        with translation.override(language):
            labels.add(_header_key(str(COLUMNS[COLUMN_INDEX[key]].label)))
    return labels


def _header_key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _check_header(header: tuple[Any, ...]) -> None:
    cells = list(header) + [None] * (len(COLUMNS) - len(header))
    for index, column in enumerate(COLUMNS):
        if _header_key(cells[index]) not in _header_labels(column.key):
            raise ImportFileError(
                "file.wrong_template",
                column=get_column_letter(index + 1),
                expected=str(column.label),
                found=str(cells[index] or "")[:60],
            )


# --- cells -------------------------------------------------------------------------------------------------


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", " ", str(value)).strip()
    if len(text) > TEXT_LIMITS.get(key, 200):
        raise RowError("text_too_long", limit=TEXT_LIMITS.get(key, 200))
    return text


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise RowError("integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = thai_digits_to_arabic(str(value)).strip()
    if not re.fullmatch(r"\d{1,4}", text):
        raise RowError("integer")
    return int(text)


def _money(value: Any) -> Decimal:
    try:
        if isinstance(value, bool):
            raise ThaiMoneyError("invalid")
        if isinstance(value, float):
            value = Decimal(repr(value))  # the number as Excel shows it, not its binary expansion
            if value != value.quantize(Decimal("0.01")):
                raise ThaiMoneyError("satang")
        amount = to_money(value) if isinstance(value, Decimal | int) else parse_money(str(value))
    except ThaiMoneyError as exc:
        raise RowError(f"money.{exc.code}") from None
    except InvalidOperation:
        raise RowError("money.invalid") from None
    if amount < 0:
        raise RowError("negative")
    return amount


def _rate(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise RowError("rate")
    text = (
        repr(value)
        if isinstance(value, float)
        else thai_digits_to_arabic(str(value)).replace("%", "").strip()
    )
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise RowError("rate") from None
    if not rate.is_finite():
        raise RowError("rate")
    if rate < 0:
        raise RowError("negative")
    if rate != rate.quantize(RATE_PLACES):
        raise RowError("rate_places")
    if rate >= 10_000:
        raise RowError("rate")
    return rate.quantize(RATE_PLACES)


def _date(value: Any, today: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year > today.year + 30 and 1900 <= value.year - 543 <= today.year:
            raise RowError("date.be_in_date_cell", year=value.year)
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raise RowError("date.number")
    else:
        try:
            day = parse_date_be(str(value), min_year_be=OLDEST_YEAR_BE)
        except ThaiDateError as exc:
            raise RowError(f"date.{exc.code}", **exc.params) from None
    if day > today:
        raise RowError("date.future")
    if to_be_year(day.year) < OLDEST_YEAR_BE:
        raise RowError("date.too_old", year=OLDEST_YEAR_BE)
    return day


@sensitive_variables("value")
def _national_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return national_id.normalize(str(value))
    except national_id.NationalIdError as exc:
        raise RowError(f"id.{exc.code}") from None


def _choice(value: Any, lookup: dict[str, str]) -> str:
    code = lookup.get(_choice_key(value))
    if code is None:
        raise RowError("choice", value=str(value)[:40])
    return code


# --- rows --------------------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    household: dict[str, Any]
    national_id: str
    debt: dict[str, Any] | None


@dataclass
class Checker:
    center: Center
    confirm_large_balances: bool
    today: date = field(default_factory=timezone.localdate)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def __post_init__(self) -> None:
        self.villages = {village.moo: village.pk for village in household_villages(self.center)}
        self.creditor_types = _choice_lookup(CreditorType.choices, CREDITOR_ALIASES)
        self.rate_units = _choice_lookup(RateUnit.choices)
        self.frequencies = _choice_lookup(Frequency.choices)

    def add_error(self, row_number: int | None, key: str | None, code: str, **params: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row_number, "column": key, "code": code, "params": params})

    def parse(self, number: int, cells: tuple[Any, ...]) -> ParsedRow | None:
        values: dict[str, Any] = {}
        failed = False
        for column, cell in zip(COLUMNS, cells, strict=False):
            if getattr(cell, "data_type", None) == "f":
                self.add_error(number, column.key, "formula")
                failed = True
                continue
            value = getattr(cell, "value", cell)
            if isinstance(value, str) and not value.strip():
                value = None
            values[column.key] = value
        household, debt = {}, {}
        for key in HOUSEHOLD_KEYS:
            try:
                household[key] = self._household_value(key, values.get(key))
            except RowError as exc:
                self.add_error(number, key, exc.code, **exc.params)
                failed = True
        if any(values.get(key) is not None for key in DEBT_KEYS):
            for key in DEBT_KEYS:
                try:
                    debt[key] = self._debt_value(key, values.get(key))
                except RowError as exc:
                    self.add_error(number, key, exc.code, **exc.params)
                    failed = True
            if not failed:
                failed = not self._check_debt(number, debt)
        if failed:
            return None
        identity = household.pop("national_id")
        return ParsedRow(number, household, identity, debt or None)

    def _household_value(self, key: str, value: Any) -> Any:
        column = COLUMNS[COLUMN_INDEX[key]]
        if value is None:
            if column.required:
                raise RowError("required")
            return self.center.village_id if key == "moo" else ""
        if key == "national_id":
            return _national_id(value)
        if key == "members":
            members = _integer(value)
            if not 1 <= members <= 99:
                raise RowError("members_range")
            return members
        if key == "moo":
            village = self.villages.get(_integer(value))
            if village is None:
                raise RowError("moo_unknown")
            return village
        if key == "surveyed_on":
            return _date(value, self.today)
        if isinstance(value, date):  # Excel turns "12/1" into 12 January unless the column is text
            raise RowError("text_is_date")
        if key == "phone" and isinstance(value, int | float) and not isinstance(value, bool):
            return "0" + _text(value, key)  # Excel drops the leading 0 of a phone number typed as a number
        return _text(value, key)

    def _debt_value(self, key: str, value: Any) -> Any:
        if value is None:
            return None if key in ("original_amount", "balance", "instalment", "interest_rate") else ""
        if key == "creditor_type":
            return _choice(value, self.creditor_types)
        if key == "rate_unit":
            return _choice(value, self.rate_units)
        if key == "instalment_frequency":
            return _choice(value, self.frequencies)
        if key in ("original_amount", "balance", "instalment"):
            return _money(value)
        if key == "interest_rate":
            return _rate(value)
        return _text(value, key)

    def _check_debt(self, number: int, debt: dict[str, Any]) -> bool:
        ok = True
        for key in ("creditor_type", "original_amount", "balance"):
            if debt.get(key) in (None, ""):
                self.add_error(number, key, "debt_incomplete")
                ok = False
        if debt.get("interest_rate") is not None and not debt.get("rate_unit"):
            self.add_error(number, "rate_unit", "rate_without_unit")
            ok = False
        if debt.get("rate_unit") and debt.get("interest_rate") is None:
            self.add_error(number, "interest_rate", "unit_without_rate")
            ok = False
        if debt.get("instalment") and not debt.get("instalment_frequency"):
            self.add_error(number, "instalment_frequency", "instalment_without_frequency")
            ok = False
        balance = debt.get("balance")
        if (
            ok
            and not self.confirm_large_balances
            and not balance_is_plausible(balance, debt.get("original_amount"))
        ):
            self.add_error(number, "balance", "implausible_balance", balance=f"{balance:,.2f}")
            ok = False
        return ok


def _data_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The values of each row under the header that is not empty (a quick pass, to count them)."""
    for values in sheet.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True):
        if any(value not in (None, "") for value in values):
            yield values


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, cells) for each row under the header that is not empty."""
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=len(COLUMNS)), start=2):
        if any(getattr(cell, "value", None) not in (None, "") for cell in cells):
            yield number, cells


# --- the import --------------------------------------------------------------------------------------------


def _progress(job: ImportJob, **fields: Any) -> None:
    """Record progress outside any transaction, so that the page polling the job sees it at once."""
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _fail(job: ImportJob, errors: list[dict[str, Any]], error_count: int) -> ImportJob:
    _progress(
        job,
        status=ImportJob.Status.FAILED,
        errors=errors,
        error_count=error_count,
        finished_at=timezone.now(),
    )
    return job


@sensitive_variables("parsed", "households_by_id")
def registry_import(
    *,
    user: Any,
    center: Center,
    upload: IO[bytes] | Any,
    job: ImportJob,
    privacy_notice_version: str,
    confirm_large_balances: bool = False,
) -> ImportJob:
    """Check every row of an uploaded registry and, only if all are right, save them all in one transaction.

    Must not run inside a transaction: the progress it records is read by another request while it runs.
    """
    if not Center.objects.editable_by(user).filter(pk=center.pk).exists():
        raise PermissionDenied
    try:
        sheet = check_file(upload)
    except ImportFileError as exc:
        return _fail(job, [{"row": None, "column": None, "code": exc.code, "params": exc.params}], 1)

    # A first pass counts the rows that hold data, for the limit and the progress bar; the second checks them.
    total = 0
    for _values in _data_rows(sheet):
        total += 1
        if total > settings.HOUSEHOLD_IMPORT_MAX_ROWS:
            limit = settings.HOUSEHOLD_IMPORT_MAX_ROWS
            return _fail(
                job,
                [{"row": None, "column": None, "code": "file.too_many_rows", "params": {"limit": limit}}],
                1,
            )
    if total == 0:
        return _fail(job, [{"row": None, "column": None, "code": "file.empty", "params": {}}], 1)
    _progress(job, total_rows=total)
    checker = Checker(center=center, confirm_large_balances=confirm_large_balances)
    parsed: list[ParsedRow] = []
    count = 0
    for number, cells in _rows(sheet):
        count += 1
        row = checker.parse(number, cells)
        if row is not None:
            parsed.append(row)
        if count % PROGRESS_EVERY == 0:
            _progress(job, checked_rows=min(count, total))
    if count != total:
        return _rows_lost(job, read=count, rows=total)
    _progress(job, checked_rows=count)

    households_by_id = _group_households(checker, parsed)
    existing = set(Household.objects.filter(center=center).values_list("national_id_hash", flat=True))
    for identity, (first, _household, _debts) in households_by_id.items():
        if national_id.keyed_hash(identity) in existing:
            checker.add_error(first, "national_id", "id.exists")
    if checker.error_count:
        checker.errors.sort(key=lambda error: (error["row"] or 0, COLUMN_INDEX.get(error["column"], 0)))
        return _fail(job, checker.errors, checker.error_count)

    if len(parsed) != count:  # every row either checked right or has an error above; never fewer
        return _rows_lost(job, read=len(parsed), rows=count)

    _progress(job, status=ImportJob.Status.SAVING)
    try:
        households, lines = _save(
            user=user,
            center=center,
            households_by_id=households_by_id,
            privacy_notice_version=privacy_notice_version,
        )
    except _ConflictError:
        return _fail(job, [{"row": None, "column": None, "code": "file.save_failed", "params": {}}], 1)
    except _RowsLostError:
        return _rows_lost(job, read=0, rows=count)
    personal_data_log_write(
        user=user,
        action=PersonalDataLog.Action.IMPORT,
        what=str(
            _(
                "Excel import into %(center)s: %(households)s households, %(lines)s debt lines "
                "(import #%(job)s)"
            )
            % {"center": center.name, "households": households, "lines": lines, "job": job.pk}
        ),
        row_count=count,
        district_id=center.village.subdistrict.district_id,
    )
    _progress(
        job,
        status=ImportJob.Status.DONE,
        households_created=households,
        lines_created=lines,
        finished_at=timezone.now(),
    )
    return job


def _group_households(
    checker: Checker, parsed: list[ParsedRow]
) -> dict[str, tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """{national ID: (first row, household details, debts)}; rows that disagree are errors."""
    grouped: dict[str, tuple[int, dict[str, Any], list[dict[str, Any]]]] = {}
    for row in parsed:
        if row.national_id not in grouped:
            grouped[row.national_id] = (row.number, row.household, [])
        first, household, debts = grouped[row.national_id]
        if row.household != household:
            checker.add_error(row.number, "national_id", "id.duplicate_in_file", row=first)
            continue
        if row.debt:
            debts.append(row.debt)
    return grouped


class _ConflictError(Exception):
    pass


class _RowsLostError(Exception):
    """Fewer households or debt lines were saved than the rows checked: the transaction is rolled back."""


def _rows_lost(job: ImportJob, *, read: int, rows: int) -> ImportJob:
    error = {"row": None, "column": None, "code": "file.rows_lost", "params": {"read": read, "rows": rows}}
    return _fail(job, [error], 1)


@transaction.atomic
def _save(
    *,
    user: Any,
    center: Center,
    households_by_id: dict[str, tuple[int, dict[str, Any], list[dict[str, Any]]]],
    privacy_notice_version: str,
) -> tuple[int, int]:
    lock_center_for_edit(user=user, center_id=center.pk)
    hashes = {identity: national_id.keyed_hash(identity) for identity in households_by_id}
    if Household.objects.filter(center=center, national_id_hash__in=hashes.values()).exists():
        raise _ConflictError
    households = []
    for identity, (_first, details, _debts) in households_by_id.items():
        household = Household(
            center=center,
            village_id=details["moo"],
            house_number=details["house_number"],
            head_name=details["head_name"],
            phone=details["phone"],
            members=details["members"],
            occupations=details["occupations"],
            privacy_notice_version=privacy_notice_version,
            surveyed_by=details["surveyed_by"],
            surveyed_on=details["surveyed_on"],
            status=HouseholdStatus.SURVEYED,
            status_since=details["surveyed_on"],
        )
        household.national_id_encrypted = national_id.encrypt(identity)
        household.national_id_hash = hashes[identity]
        households.append(household)
    households = bulk_create_with_history(households, Household, batch_size=BATCH_SIZE, default_user=user)

    lines, balances = [], []
    for household, (_first, details, debts) in zip(households, households_by_id.values(), strict=True):
        for debt in debts:
            line = DebtLine(
                household=household,
                sector=SECTOR_OF[debt["creditor_type"]],
                creditor_type=debt["creditor_type"],
                creditor_name=debt["creditor_name"],
                original_amount=debt["original_amount"],
                interest_rate=debt["interest_rate"],
                rate_unit=debt["rate_unit"],
                annual_rate=annual_rate(debt["interest_rate"], debt["rate_unit"]),
                instalment=debt["instalment"],
                instalment_frequency=debt["instalment_frequency"],
                purpose=debt["purpose"],
                collateral=debt["collateral"],
                current_balance=debt["balance"],
                balance_as_of=details["surveyed_on"],
            )
            if debt["balance"] == 0:
                line.status, line.closed_on = DebtLine.Status.PAID_OFF, details["surveyed_on"]
            lines.append(line)
    lines = bulk_create_with_history(lines, DebtLine, batch_size=BATCH_SIZE, default_user=user)
    for line in lines:
        balances.append(
            DebtBalance(
                line=line,
                as_of=line.balance_as_of,
                balance=line.current_balance,
                note=str(_("From the Excel import")),
                recorded_by=user,
            )
        )
    bulk_create_with_history(balances, DebtBalance, batch_size=BATCH_SIZE, default_user=user)
    expected_lines = sum(len(debts) for _first, _details, debts in households_by_id.values())
    if len(households) != len(households_by_id) or len(lines) != expected_lines:
        raise _RowsLostError
    events.center_changed(center.pk)  # bulk inserts send no signals: the dashboards' figures follow here
    return len(households), len(lines)
