"""Every export's layout, made once in core.excel: read back with openpyxl."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.excel import DATE_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, Percent, Sheet, workbook_response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime(2025, 11, 15, 9, 30, tzinfo=timezone.get_current_timezone()), tick=False)


def read(response):
    return load_workbook(BytesIO(response.content))


def one_sheet(**kwargs):
    headers = ["วันที่ชำระ", "จำนวนเงิน (บาท)", "หนี้ที่ลดลง (ร้อยละ)", "ชื่อหัวหน้าครัวเรือนผู้กู้ตามสัญญา"]
    rows = [[date(2024, 3, 5), Decimal("2650.00"), Percent(Decimal("6.3")), "สมชาย"]]
    return read(workbook_response(filename="x.xlsx", sheets=[Sheet("ตาราง", headers, rows)], **kwargs)).active


def test_dates_are_real_dates_shown_in_be():
    sheet = one_sheet(area="เชียงใหม่")
    cell = sheet["A3"]
    assert cell.is_date
    assert cell.value.date() == date(2024, 3, 5)
    assert cell.number_format == DATE_FORMAT == "[$-1070000]dd/mm/yyyy"  # calendar 07: Thai Buddhist


def test_money_and_percent_formats():
    sheet = one_sheet(area="เชียงใหม่")
    assert (sheet["B3"].value, sheet["B3"].number_format) == (2650, MONEY_FORMAT)
    assert sheet["C3"].value == pytest.approx(0.063)
    assert sheet["C3"].number_format == PERCENT_FORMAT == "0.0%"


def test_title_frozen_header_and_widths():
    sheet = one_sheet(area="อำเภอเมืองเชียงใหม่", fiscal_year_be=2568)
    assert sheet["A1"].value == (
        "ตาราง · อำเภอเมืองเชียงใหม่ · ปีงบประมาณ 2568 · จัดทำเมื่อ 15 พฤศจิกายน 2568 เวลา 09:30 น."
    )
    assert sheet["A2"].value == "วันที่ชำระ"
    assert sheet["A2"].font.bold
    assert sheet.freeze_panes == "A3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    # the longest header gets the widest column, wide enough for its letters (marks above/below take none)
    assert max(widths, key=widths.get) == "D"
    assert widths["D"] >= 25
    assert all(width >= 8 for width in widths.values())


def test_the_title_defaults_to_the_current_fiscal_year_and_names_all_years():
    assert "ปีงบประมาณ 2569" in one_sheet(area="ทั่วประเทศ")["A1"].value  # 15 Nov 2025: FY 2569
    assert "ทุกปีงบประมาณ" in one_sheet(area="ทั่วประเทศ", fiscal_year_be=0)["A1"].value
