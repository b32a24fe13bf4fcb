"""Rows of the summary tables, made directly (the pages only read them; the engine's tests fill them)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dashboards.models import MONEY_FIGURES, AreaDue, AreaMonth, DueKind, Level


def _money(figures: dict[str, Any]) -> dict[str, Any]:
    return {name: Decimal(str(value)) if name in MONEY_FIGURES else value for name, value in figures.items()}


def month_row(level: str, code: str, month: date, *, parent_code: str = "", **figures: Any) -> AreaMonth:
    """One AreaMonth row; `month` may be any day of the month. Money figures may be given as str or int."""
    return AreaMonth.objects.create(
        level=level, code=str(code), parent_code=parent_code, month=month.replace(day=1), **_money(figures)
    )


def due_row(
    level: str,
    code: str,
    kind: str,
    due_on: date | None,
    *,
    parent_code: str = "",
    amount: str | int = "0",
    count: int = 0,
) -> AreaDue:
    return AreaDue.objects.create(
        level=level,
        code=str(code),
        parent_code=parent_code,
        kind=kind,
        due_on=due_on,
        amount=Decimal(str(amount)),
        count=count,
    )


def months_from(first: date, count: int) -> list[date]:
    """`count` first days of months from the month of `first` on."""
    months = []
    year, month = first.year, first.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = year + month // 12, month % 12 + 1
    return months


def grow(
    level: str,
    code: str,
    *,
    children: int,
    months: int,
    last_month: date,
    parent_code: str = "",
    child_codes: list[str] | None = None,
) -> list[str]:
    """An area with a row a month and `children` areas one level down with a row a month each, plus
    arrears and recommendations due on many dates: to check that page queries do not grow with the data.
    Returns the children's codes."""
    child_level = {
        Level.NATION: Level.PROVINCE,
        Level.PROVINCE: Level.DISTRICT,
        Level.DISTRICT: Level.CENTER,
        Level.CENTER: None,
    }[Level(level)]
    first = months_from(last_month, 1)[0]
    year, month = first.year, first.month
    for _ in range(months - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    span = months_from(date(year, month, 1), months)
    rows = []
    dues = []
    codes = child_codes or [
        f"{code}{index:02d}" if child_level != Level.CENTER else str(900000 + index)
        for index in range(children)
    ]
    for index, month_start in enumerate(span):
        rows.append(
            AreaMonth(
                level=level,
                code=code,
                parent_code=parent_code,
                month=month_start,
                centers_active=children,
                debt_now=Decimal(1000 * (index + 1)),
                savings=Decimal(10 * index),
                visits=index,
            )
        )
    for child_index, child_code in enumerate(codes if child_level else []):
        for index, month_start in enumerate(span):
            rows.append(
                AreaMonth(
                    level=child_level,
                    code=child_code,
                    parent_code=code,
                    month=month_start,
                    centers_active=1,
                    households_enrolled=child_index + index,
                    debt_at_enrolment=Decimal(5000),
                    debt_now=Decimal(5000 - child_index - index),
                    visits=1,
                )
            )
            for kind in (DueKind.ARREARS, DueKind.RECOMMENDATION):
                dues.append(
                    AreaDue(
                        level=child_level,
                        code=child_code,
                        parent_code=code,
                        kind=kind,
                        due_on=month_start,
                        amount=Decimal(7),
                        count=1,
                    )
                )
    for index, month_start in enumerate(span):
        for kind in (DueKind.ARREARS, DueKind.RECOMMENDATION):
            dues.append(
                AreaDue(
                    level=level,
                    code=code,
                    parent_code=parent_code,
                    kind=kind,
                    due_on=month_start,
                    amount=Decimal(index),
                    count=1,
                )
            )
    AreaMonth.objects.bulk_create(rows, batch_size=2000)
    AreaDue.objects.bulk_create(dues, batch_size=2000)
    return codes


def set_month(level: str, code: str, month: date, *, parent_code: str = "", **figures: Any) -> AreaMonth:
    """The row of an area for a month with these figures, whether or not one exists already (where the
    rollup engine has filled the tables, as in the browser tests on the demo data)."""
    row, _created = AreaMonth.objects.update_or_create(
        level=level, code=str(code), month=month.replace(day=1),
        defaults={"parent_code": parent_code, **_money(figures)},
    )  # fmt: skip
    return row
