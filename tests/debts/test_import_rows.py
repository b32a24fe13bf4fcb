"""The import reads every row that holds data, whatever the <dimension> tag says; it refuses zip bombs."""

import re
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.styles import Font

from debts import importer
from debts.models import ImportJob
from households.models import Household
from tests.debts.test_import import debt, job_errors, row, thai_headers, upload
from tests.factories import CenterFactory
from tests.households.factories import make_national_id

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์ทดสอบแถว")


def workbook_bytes(rows, *, empty_formatted_rows=0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(thai_headers())
    for values in rows:
        sheet.append(values)
    for number in range(len(rows) + 2, len(rows) + 2 + empty_formatted_rows):
        for column in range(1, 20):
            sheet.cell(row=number, column=column).font = Font(bold=True)  # formatted, no value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """The same .xlsx with some of its zip entries replaced, as another tool would have written them."""
    source, buffer = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replacements.get(info.filename, source.read(info.filename)))
        for name, content in replacements.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return buffer.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    xml = zipfile.ZipFile(BytesIO(data)).read(SHEET)
    stale, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)
    assert count == 1
    return rewrite(data, {SHEET: stale})


def three_households():
    return [row(national_id=make_national_id(10 + index), **debt()) for index in range(3)]


def recorded_totals(monkeypatch) -> list[int]:
    """Every total_rows the import records for the progress bar."""
    totals, original = [], importer._progress

    def spy(job, **fields):
        if "total_rows" in fields:
            totals.append(fields["total_rows"])
        original(job, **fields)

    monkeypatch.setattr(importer, "_progress", spy)
    return totals


def test_a_tag_that_understates_the_rows_loses_none(client, officer, center, monkeypatch):
    totals = recorded_totals(monkeypatch)
    file = SimpleUploadedFile("registry.xlsx", with_dimension(workbook_bytes(three_households()), "A1:S2"))
    client.force_login(officer)
    upload(client, center, file)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert (job.households_created, job.lines_created, job.checked_rows) == (3, 3, 3)
    assert Household.objects.filter(center=center).count() == 3
    assert set(totals) == {3}


def test_a_tag_that_overstates_the_rows_counts_the_real_ones(client, officer, center, monkeypatch):
    totals = recorded_totals(monkeypatch)
    file = SimpleUploadedFile("registry.xlsx", with_dimension(workbook_bytes(three_households()), "A1:S5000"))
    client.force_login(officer)
    upload(client, center, file)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert (job.households_created, job.checked_rows, job.total_rows) == (3, 3, 3)
    assert set(totals) == {3}  # the progress bar never showed 4,999 rows to check


def test_trailing_formatted_empty_rows_are_not_data(client, officer, center, monkeypatch):
    totals = recorded_totals(monkeypatch)
    data = workbook_bytes(three_households(), empty_formatted_rows=300)
    assert b'<dimension ref="A1:S304"' in zipfile.ZipFile(BytesIO(data)).read(SHEET)
    client.force_login(officer)
    upload(client, center, SimpleUploadedFile("registry.xlsx", data))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert (job.households_created, job.total_rows) == (3, 3)
    assert set(totals) == {3}


def test_rows_beyond_a_stale_tag_count_for_the_limit(client, officer, center, settings):
    settings.HOUSEHOLD_IMPORT_MAX_ROWS = 2
    file = SimpleUploadedFile("registry.xlsx", with_dimension(workbook_bytes(three_households()), "A1:S2"))
    client.force_login(officer)
    errors, page = job_errors(client, upload(client, center, file))
    assert [error["code"] for error in errors] == ["file.too_many_rows"]
    assert "เกิน 2 แถว" in page
    assert not Household.objects.exists()


def test_an_import_that_reads_fewer_rows_than_the_file_holds_saves_nothing(
    client, officer, center, monkeypatch
):
    read_rows = importer._rows

    def losing_the_last_row(sheet):
        return list(read_rows(sheet))[:-1]

    monkeypatch.setattr(importer, "_rows", losing_the_last_row)
    file = SimpleUploadedFile("registry.xlsx", workbook_bytes(three_households()))
    client.force_login(officer)
    errors, page = job_errors(client, upload(client, center, file))
    assert [error["code"] for error in errors] == ["file.rows_lost"]
    assert "2 จาก 3 แถว" in page
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert not Household.objects.exists()


def test_a_zip_bomb_is_refused_as_too_large_when_unpacked(client, officer, center, monkeypatch):
    monkeypatch.setattr(importer, "MAX_UNPACKED_BYTES", 1024 * 1024)
    data = rewrite(workbook_bytes([row()]), {"xl/media/padding.bin": b"\0" * (2 * 1024 * 1024)})
    assert len(data) < 100 * 1024
    client.force_login(officer)
    errors, page = job_errors(client, upload(client, center, SimpleUploadedFile("registry.xlsx", data)))
    assert [error["code"] for error in errors] == ["file.too_large_unpacked"]
    assert "เมื่อแตกไฟล์" in page
    assert "5 MB" not in page
    assert not Household.objects.exists()


STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(data: bytes, part: str, size: int) -> bytes:
    """The workbook with a shared strings part of about `size` bytes, declared where Excel declares it."""
    archive = zipfile.ZipFile(BytesIO(data))
    types = archive.read("[Content_Types].xml").replace(
        b"</Types>", f'<Override PartName="/{part}" ContentType="{STRINGS_TYPE}"/></Types>'.encode()
    )
    item = "<si><t>ก</t></si>"
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + item * (size // len(item.encode()))
        + "</sst>"
    ).encode()
    return rewrite(data, {"[Content_Types].xml": types, part: strings})


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/strings.xml"])
def test_shared_strings_that_inflate_are_refused(client, officer, center, monkeypatch, part):
    monkeypatch.setattr(importer, "MAX_SHARED_STRINGS_BYTES", 100 * 1024)
    small = with_shared_strings(workbook_bytes([row()]), part, 50 * 1024)
    client.force_login(officer)
    upload(client, center, SimpleUploadedFile("registry.xlsx", small))
    assert Household.objects.count() == 1  # a workbook with shared strings is read
    bomb = with_shared_strings(workbook_bytes([row(national_id=make_national_id(2))]), part, 200 * 1024)
    errors, page = job_errors(client, upload(client, center, SimpleUploadedFile("registry.xlsx", bomb)))
    assert [error["code"] for error in errors] == ["file.too_large_unpacked"]
    assert "เมื่อแตกไฟล์" in page
    assert Household.objects.count() == 1


def test_a_real_file_is_far_below_the_unpacked_limits(client, officer, center):
    rows = [row(national_id=make_national_id(100 + index), **debt()) for index in range(300)]
    client.force_login(officer)
    upload(client, center, SimpleUploadedFile("registry.xlsx", workbook_bytes(rows)))
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
