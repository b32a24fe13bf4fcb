"""The Excel import of a center's registry: the template, good files, bad rows listed by row and column in
the reader's language, refused files, and all-or-nothing."""

import uuid
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from debts.importer import COLUMNS
from debts.models import DebtBalance, DebtLine, ImportJob
from households import national_id
from households.models import Household, PersonalDataLog
from tests.factories import CenterFactory, VillageFactory
from tests.households.factories import HouseholdFactory, make_national_id


def thai_headers() -> list[str]:
    with translation.override("th"):
        return [str(column.label) for column in COLUMNS]


def row(**values):
    """A row of the template: household columns filled with good values unless given."""
    data = {
        "house_number": "12/1", "moo": None, "head_name": "นางบัวคำ ใจปิง", "national_id": make_national_id(1),
        "phone": "0812345678", "members": 4, "occupations": "ทำนา", "surveyed_on": "15/01/2567",
        "surveyed_by": "นางสำรวจ ดี",
    }  # fmt: skip
    data.update(values)
    return [data.get(column.key) for column in COLUMNS]


def debt(**values):
    data = {
        "creditor_type": "ธ.ก.ส.", "creditor_name": "สาขาสันทราย", "original_amount": 50000,
        "balance": 30000, "interest_rate": 7, "rate_unit": "ต่อปี", "instalment": 1500,
        "instalment_frequency": "ทุกเดือน", "purpose": "ทำนา", "collateral": "โฉนด",
    }  # fmt: skip
    data.update(values)
    return data


def workbook_file(rows, *, headers=None, name="registry.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or thai_headers())
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์ทดสอบนำเข้า")


def upload(client, center, file, **extra):
    data = {
        "center": center.pk,
        "file": file,
        "privacy_notice_version": "2",
        "token": str(uuid.uuid4()),
        **extra,
    }
    return client.post(reverse("debts:import_start"), data)


def job_errors(client, response):
    page = client.get(response.url)
    return page.context["errors"], page.content.decode()


def test_template_has_the_thai_headers_and_lists(client, officer):
    client.force_login(officer)
    response = client.get(reverse("debts:import_template"))
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == thai_headers()
    assert "บ้านเลขที่" in thai_headers()
    assert sheet.data_validations.dataValidation  # drop-down lists for creditor, rate unit, instalment
    assert len(workbook.sheetnames) == 3


def test_a_good_file_is_imported_whole(client, officer, center):
    neighbour = VillageFactory(moo=center.village.moo % 99 + 1)
    surveyed = date(2024, 1, 15)
    rows = [
        # one household with three debts over three rows: an Excel date, dashes in the ID, amounts as text
        row(**debt(), surveyed_on=surveyed),
        row(**debt(creditor_type="village_fund", original_amount="20,000", balance="8,000.50",
                   interest_rate="0.5", rate_unit="month", instalment=None, instalment_frequency=None),
            surveyed_on=surveyed),
        row(**debt(creditor_type="Money lender", original_amount=10000, balance=12000, interest_rate=20,
                   rate_unit="% ต่อเดือน", instalment=100, instalment_frequency="ทุกวัน"),
            surveyed_on=surveyed),
        # one household without debts, another village of the subdistrict, its ID as a number with dashes
        row(house_number="7", moo=neighbour.moo, head_name="นายทองสุข คำมา",
            national_id=national_id.formatted(make_national_id(2))),
        # one household with one debt, ID typed as a number, BE text date, phone as a number
        row(house_number="8", head_name="นางแสงเดือน ศรีวิชัย", national_id=int(make_national_id(3)),
            phone=812345678, **debt(creditor_type="แชร์", rate_unit="ต่อวัน", interest_rate=1, balance=0)),
    ]  # fmt: skip
    client.force_login(officer)
    response = upload(client, center, workbook_file(rows))
    job = ImportJob.objects.get()
    assert response.url == reverse("debts:import_job", args=[job.token])
    assert (job.status, job.total_rows, job.households_created, job.lines_created) == ("done", 5, 3, 4)

    first = Household.objects.get(national_id_hash=national_id.keyed_hash(make_national_id(1)))
    assert (first.center, first.village, first.surveyed_on, first.privacy_notice_version) == (
        center, center.village, date(2024, 1, 15), "2",
    )  # fmt: skip
    assert first.history.get().history_user == officer
    lines = {line.creditor_type: line for line in first.debt_lines.all()}
    assert set(lines) == {"baac", "village_fund", "money_lender"}
    assert lines["village_fund"].current_balance == Decimal("8000.50")
    assert lines["money_lender"].annual_rate == Decimal("240.000")
    assert lines["money_lender"].monthly_instalment == Decimal("3041.67")
    assert DebtBalance.objects.filter(line__household=first).count() == 3
    assert Household.objects.get(head_name="นายทองสุข คำมา").village == neighbour
    third = Household.objects.get(head_name="นางแสงเดือน ศรีวิชัย")
    assert third.phone == "0812345678"
    assert third.debt_lines.get().status == "paid_off"
    log = PersonalDataLog.objects.get()
    assert (log.action, log.user, log.row_count, log.district_id) == ("import", officer, 5, "5001")
    page = client.get(response.url).content.decode()
    assert "3 ครัวเรือน" in page


def test_bad_rows_are_listed_by_row_and_column_in_thai_and_nothing_is_saved(client, officer, center):
    HouseholdFactory(center=center, national_id=make_national_id(9))
    rows = [
        row(**debt()),  # row 2: fine
        row(national_id="1-1037-02071-81-2", head_name="ก"),  # row 3: check digit
        row(national_id=make_national_id(4), **debt(original_amount=-5)),  # row 4: negative
        row(national_id=make_national_id(5), **debt(rate_unit=None)),  # row 5: rate without unit
        row(national_id=make_national_id(6), surveyed_on="15/01/2024"),  # row 6: CE year
        row(national_id=make_national_id(7), members="=2+2"),  # row 7: a formula
        row(
            national_id=make_national_id(8), **debt(creditor_type="ธนาคารบนดาวอังคาร")
        ),  # row 8: unknown choice
        row(house_number="99", **debt()),  # row 9: same ID as row 2, other details
        row(national_id=make_national_id(9)),  # row 10: already in the center
        row(national_id=make_national_id(10), surveyed_on=date(2567, 1, 15)),  # row 11: BE in a date cell
        row(national_id=make_national_id(11), surveyed_on=45306),  # row 12: a number, not a date
        row(
            national_id=make_national_id(12), **debt(balance=900000)
        ),  # row 13: implausible without confirming
        row(national_id=make_national_id(13), house_number=date(2024, 1, 12)),  # row 14: Excel made a date
    ]
    client.force_login(officer)
    response = upload(client, center, workbook_file(rows))
    errors, page = job_errors(client, response)
    found = {(error["row"], error["letter"]) for error in errors}
    assert found == {
        (3, "D"), (4, "L"), (5, "O"), (6, "H"), (7, "F"), (8, "J"), (9, "D"), (10, "D"), (11, "H"), (12, "H"),
        (13, "M"), (14, "A"),
    }  # fmt: skip
    for message in (
        "เลขตรวจสอบ", "จำนวนเงินต้องไม่ติดลบ", "ต่อปี ต่อเดือน หรือต่อวัน", "ปี ค.ศ.", "สูตร", "ไม่อยู่ในรายการ",
        "แถวที่ 2", "ลงทะเบียนในศูนย์นี้แล้ว", "พิมพ์ปี พ.ศ. ลงในช่องวันที่", "ไม่ใช่วันที่", "ติ๊กช่องยืนยัน",
        "Excel เปลี่ยนเป็นวันที่",
    ):  # fmt: skip
        assert message in page, message
    assert "ไม่ได้บันทึก" in page
    assert Household.objects.count() == 1  # only the one made before
    assert not DebtLine.objects.exists()
    assert ImportJob.objects.get().status == "failed"

    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(response.url).content.decode()
    assert "Amounts cannot be negative." in page
    assert "Amount borrowed (baht)" in page


def test_a_large_balance_is_imported_once_confirmed(client, officer, center):
    client.force_login(officer)
    upload(client, center, workbook_file([row(**debt(balance=900000))]), confirm_large_balances="on")
    assert DebtLine.objects.get().current_balance == Decimal("900000.00")


def test_one_bad_row_among_many_saves_nothing(client, officer, center):
    rows = [row(national_id=make_national_id(100 + index), **debt()) for index in range(300)]
    rows.append(row(national_id=make_national_id(999), members=0))
    client.force_login(officer)
    response = upload(client, center, workbook_file(rows))
    errors, _page = job_errors(client, response)
    assert [(error["row"], error["letter"]) for error in errors] == [(302, "F")]
    assert not Household.objects.exists()
    assert not DebtLine.objects.exists()
    assert not PersonalDataLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("registry.csv", "บ้านเลขที่,หมู่ที่\n12,1\n".encode(), "ไม่ใช่ไฟล์ Excel"),
        ("registry.xlsx", b"%PDF-1.7 not a spreadsheet", "ไม่ใช่ไฟล์ Excel"),
        ("registry.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("registry.xlsx", b"PK\x03\x04 broken zip", "ไม่ใช่ไฟล์ Excel"),
    ],
)
def test_files_that_are_not_excel_are_refused(client, officer, center, name, content, message):
    client.force_login(officer)
    response = upload(client, center, SimpleUploadedFile(name, content))
    errors, page = job_errors(client, response)
    assert len(errors) == 1
    assert errors[0]["row"] is None
    assert message in page
    assert not Household.objects.exists()


def test_a_zip_that_is_not_a_workbook_and_a_macro_workbook_are_refused(client, officer, center):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    client.force_login(officer)
    _errors, page = job_errors(
        client, upload(client, center, SimpleUploadedFile("doc.xlsx", buffer.getvalue()))
    )
    assert "ไม่ใช่ไฟล์ Excel" in page
    macro = workbook_file([row()], name="registry.xlsm")
    _errors, page = job_errors(client, upload(client, center, macro))
    assert "แมโคร" in page


def test_a_wrong_template_is_refused(client, officer, center):
    headers = thai_headers()
    headers[3] = "เลขบัตร"
    client.force_login(officer)
    response = upload(client, center, workbook_file([row()], headers=headers))
    errors, page = job_errors(client, response)
    assert errors[0]["code"] == "file.wrong_template"
    assert "คอลัมน์ D" in page
    assert "เลขบัตร" in page
    assert not Household.objects.exists()


def test_english_headers_are_accepted_too(client, officer, center):
    with translation.override("en"):
        headers = [str(column.label) for column in COLUMNS]
    client.force_login(officer)
    upload(client, center, workbook_file([row()], headers=headers))
    assert Household.objects.count() == 1


def test_an_empty_file_is_refused(client, officer, center):
    client.force_login(officer)
    _errors, page = job_errors(client, upload(client, center, workbook_file([])))
    assert "ไม่มีแถว" in page


def test_a_50_mb_upload_is_refused_unread(client, officer, center):
    client.force_login(officer)
    big = SimpleUploadedFile("registry.xlsx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    response = upload(client, center, big)
    assert response.status_code == 413
    assert "ใหญ่เกิน" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Household.objects.exists()


def test_a_file_just_over_the_limit_is_refused_by_the_check(client, officer, center, settings):
    settings.HOUSEHOLD_IMPORT_MAX_BYTES = 1024
    client.force_login(officer)
    rows = [row(national_id=make_national_id(100 + index), **debt()) for index in range(30)]
    _errors, page = job_errors(client, upload(client, center, workbook_file(rows)))
    assert "ใหญ่เกิน" in page


def test_progress_is_polled_by_token_and_stops_when_done(client, officer, outsider, center):
    client.force_login(officer)
    token = uuid.uuid4()
    url = reverse("debts:import_progress", args=[token])
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert "รอ" in waiting.content.decode()
    upload(client, center, workbook_file([row()]), token=str(token))
    done = client.get(url)
    assert done.status_code == 286  # htmx stops polling
    assert reverse("debts:import_job", args=[token]) in done.content.decode()
    client.force_login(outsider)
    assert client.get(reverse("debts:import_job", args=[token])).status_code == 404
    assert client.get(url).status_code == 404  # another user's job, like every other object


def test_only_editors_import_and_only_into_their_centers(client, provincial, outsider, center):
    client.force_login(provincial)
    assert client.get(reverse("debts:import_start")).status_code == 403
    assert client.get(reverse("debts:import_template")).status_code == 403
    client.force_login(outsider)
    response = upload(client, center, workbook_file([row()]))
    assert response.status_code == 200
    assert "center" in response.context["form"].errors
    assert not ImportJob.objects.exists()
