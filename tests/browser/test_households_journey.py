"""An officer registers a household with three debts, reveals its ID, and imports a small Excel registry."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from debts.importer import COLUMNS
from debts.models import DebtLine
from households import national_id
from households.models import Household, PersonalDataLog

pytestmark = pytest.mark.browser

NEW_ID = national_id.with_check_digit("310379900123")


def test_officer_registers_a_household_with_three_debts(page, login, demo_site, screenshot):
    login("officer_mueang")
    page.goto(f"{demo_site.url}/households/")
    page.click("text=ลงทะเบียนครัวเรือน")
    page.fill("#id_house_number", "45/2")
    page.fill("#id_head_name", "นางทดสอบ ระบบดี")
    page.fill("#id_national_id", national_id.formatted(NEW_ID))
    page.fill("#id_phone", "0891234567")
    page.fill("#id_members", "๔")  # Thai digits
    page.fill("#id_occupations", "ทำพริกแกง")
    page.check("text=กลุ่มทำพริกแกง")
    page.fill("#id_surveyed_by", "นางสมศรี ใจดี")
    page.fill("#id_surveyed_on", "01/10/2567")
    screenshot("household-form-th")
    page.click("#household-form button[type=submit]")
    page.wait_for_selector("#household-name")
    household = Household.objects.get(head_name="นางทดสอบ ระบบดี")
    assert NEW_ID not in page.url
    assert page.locator("#national-id-masked").inner_text() == national_id.masked(NEW_ID)

    debts = [
        ("baac", "ธ.ก.ส. สาขาเมือง", "80,000", "60,000", "7", "year"),
        ("village_fund", "กองทุนหมู่บ้าน", "20,000", "12,500.50", "6", "year"),
        ("money_lender", "นายทุน", "10,000", "15,000", "20", "month"),
    ]
    for creditor_type, name, borrowed, owed, rate, unit in debts:
        page.click("#add-debt")
        page.select_option("#id_creditor_type", creditor_type)
        page.fill("#id_creditor_name", name)
        page.fill("#id_original_amount", borrowed)
        page.fill("#id_balance", owed)
        page.fill("#id_as_of", "01/10/2567")
        page.fill("#id_interest_rate", rate)
        page.select_option("#id_rate_unit", unit)
        page.click("#debt-form button[type=submit]")
        page.wait_for_selector("#registry")
    assert household.debt_lines.count() == 3
    assert page.locator("#registry-total").inner_text() == "87,500.50 บาท"
    assert page.locator("#registry-total-informal").inner_text() == "15,000.00 บาท"
    assert "นายทุน" in page.locator("#flagged-lines").inner_text()  # 20% a month = 240% a year

    page.click("#reveal-id")  # htmx swaps in the full ID
    page.wait_for_selector("#national-id-value")
    assert page.locator("#national-id-value").inner_text() == national_id.formatted(NEW_ID)
    assert PersonalDataLog.objects.get(action="reveal").household == household
    screenshot("household-page-th")

    page.goto(f"{demo_site.url}/households/?q=ทดสอบ")
    assert "นางทดสอบ ระบบดี" in page.locator("tbody").inner_text()
    assert "87,500.50" in page.locator("tbody").inner_text()


def test_officer_imports_a_small_excel_registry(page, login, demo_site, screenshot, tmp_path):
    with translation.override("th"):
        headers = [str(column.label) for column in COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    people = [("3", "นายนำเข้า หนึ่ง"), ("4", "นางนำเข้า สอง"), ("5", "นายนำเข้า สาม")]
    for index, (house, name) in enumerate(people):
        identity = national_id.with_check_digit(f"31037990{index + 500:04d}")
        household = [house, None, name, identity, "0812345678", 3, "ทำนา", "15/09/2567", "นางสมศรี ใจดี"]
        sheet.append([*household, "ธ.ก.ส.", "สาขาเมือง", 50000, 30000, 7, "ต่อปี", 1500, "ทุกเดือน", "ทำนา", ""])
        sheet.append([*household, "นายทุน", "", 10000, 12000, 10, "ต่อเดือน", 100, "ทุกวัน", "", ""])
    no_debts_id = national_id.with_check_digit("310379900999")
    sheet.append(["6", None, "นางไม่มีหนี้ ดีมาก", no_debts_id, "", 2, "", date(2024, 9, 15), "นางสมศรี ใจดี"])
    path = tmp_path / "registry.xlsx"
    workbook.save(path)

    login("officer_mueang")
    page.goto(f"{demo_site.url}/households/import/")
    with page.expect_download() as download:
        page.click("#download-template")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.set_input_files("#id_file", str(path))
    page.click("#import-submit")
    page.wait_for_selector("#import-done")
    assert "/households/import/" in page.url
    assert "4 ครัวเรือน" in page.locator("#import-done").inner_text()
    assert DebtLine.objects.filter(household__head_name__startswith="นายนำเข้า").count() == 4
    money_lender = DebtLine.objects.get(household__head_name="นายนำเข้า หนึ่ง", creditor_type="money_lender")
    assert money_lender.annual_rate == Decimal("120.000")
    screenshot("household-import-done-th")

    page.click("text=ดูรายชื่อครัวเรือน")
    assert "นางไม่มีหนี้ ดีมาก" in page.locator("tbody").inner_text()
    screenshot("household-list-th")


def test_provincial_staff_see_totals_per_center(page, login, demo_site, screenshot):
    login("province_cm")
    page.goto(f"{demo_site.url}/households/")
    table = page.locator("#center-totals").inner_text()
    assert "ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ" in table
    assert "30" in table
    assert page.locator("#aggregated-note").is_visible()
    assert "นาง" not in table  # no names of people above the district
    screenshot("household-totals-province-th")
