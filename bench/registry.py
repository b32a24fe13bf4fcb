"""A debt registry workbook of a given size, with the import template's Thai headers, for the benchmarks
(bench/import.py times its import, bench/uploads.py measures a worker's memory while reading it).

Households have 0 to 4 debts, one row per debt; a household without debts still takes one row.
"""

from __future__ import annotations

from io import BytesIO

DEBTS = [
    ("ธ.ก.ส.", "ธ.ก.ส. สาขาเมือง", 80000, 52000, 7, "ต่อปี", 1800, "ทุกเดือน"),
    ("กองทุนหมู่บ้าน", "กองทุนหมู่บ้าน", 20000, 12500.5, 6, "ต่อปี", 1000, "ทุกเดือน"),
    ("นายทุนเงินกู้", "นายทุนในหมู่บ้าน", 10000, 14000, 20, "ต่อเดือน", 100, "ทุกวัน"),
    ("วงแชร์", "วงแชร์ในหมู่บ้าน", 15000, 9000, 3, "ต่อเดือน", 1500, "ทุกเดือน"),
]
DEBTS_PER_HOUSEHOLD = [3, 2, 1, 4, 0]


def registry_file(rows: int) -> tuple[bytes, int]:
    """An .xlsx registry of exactly `rows` rows, and the number of households in it (Django set up)."""
    from django.utils import translation
    from openpyxl import Workbook

    from debts.importer import COLUMNS
    from households import national_id

    with translation.override("th"):
        headers = [str(column.label) for column in COLUMNS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ทะเบียนหนี้สิน")
    sheet.append(headers)
    written = households = 0
    while written < rows:
        households += 1
        identity = national_id.with_check_digit(f"3500199{households:05d}")
        house = [f"{households}/1", None, f"นายทดสอบ ครัวเรือนที่{households}", identity, "0812345678", 4,
                 "ทำนา", "15/01/2567", "นางสำรวจ ทดสอบ"]  # fmt: skip
        debts = DEBTS[: DEBTS_PER_HOUSEHOLD[households % len(DEBTS_PER_HOUSEHOLD)]] or [None]
        for debt in debts[: rows - written]:
            sheet.append([*house, *debt, "ทำนา", ""] if debt else [*house, *[None] * 10])
            written += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), households
