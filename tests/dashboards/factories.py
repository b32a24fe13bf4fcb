"""Rows of the summary tables, made directly (the pages only read them; the engine's tests fill them).

As the engine keeps them (`dashboards/models.py`): rows only for centers and districts, every one dense from
its first month to the current one, so a province's figures are made as rows of its districts (parent_code =
the province's code); the provinces' month rows (`ProvinceMonth`) are then made anew from the districts'
(`rollups.sum_provinces`), as `rebuild_rollups` makes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dashboards import rollups
from dashboards.models import MONEY_FIGURES, STOCKS, AreaDue, AreaMonth, DueKind, Level

STORED = (Level.CENTER, Level.DISTRICT)


def _money(figures: dict[str, Any]) -> dict[str, Any]:
    return {name: Decimal(str(value)) if name in MONEY_FIGURES else value for name, value in figures.items()}


def _stored(level: str) -> None:
    if level not in STORED:
        raise ValueError(f"{level} has no rows: a province or the nation is the sum of its districts' rows")


def month_row(level: str, code: str, month: date, *, parent_code: str = "", **figures: Any) -> AreaMonth:
    """One AreaMonth row of a center or district; `month` may be any day of the month. Money figures may be
    given as str or int. Alone it leaves the area sparse: `dense_rows` writes every month."""
    _stored(level)
    row = AreaMonth.objects.create(
        level=level, code=str(code), parent_code=parent_code, month=month.replace(day=1), **_money(figures)
    )
    rollups.sum_provinces()
    return row


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
    _stored(level)
    return AreaDue.objects.create(
        level=level,
        code=str(code),
        parent_code=parent_code,
        kind=kind,
        due_on=due_on,
        amount=Decimal(str(amount)),
        count=count,
    )


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_from(first: date, count: int) -> list[date]:
    """`count` first days of months from the month of `first` on."""
    months = [first.replace(day=1)]
    while len(months) < count:
        months.append(next_month(months[-1]))
    return months[:count]


def months_back(count: int) -> list[date]:
    """The `count` months that end with the current one, oldest first."""
    current = timezone.localdate().replace(day=1)
    year, month = current.year, current.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return months_from(date(year, month, 1), count)


def dense_months(
    level: str, code: str, given: dict[date, dict[str, Any]], *, parent_code: str = ""
) -> list[AreaMonth]:
    """The rows of a center or district for every month from the first given month to the current one, as
    the engine keeps them: in a given month (any day of it) its figures (the others zero); in every other
    month the stocks of the latest given month before it, and no flows. Not saved (see `dense_rows`)."""
    _stored(level)
    by_month = {month.replace(day=1): _money(figures) for month, figures in given.items()}
    current = timezone.localdate().replace(day=1)
    if not by_month or max(by_month) > current:
        raise ValueError("dense rows need given months, none after the current month")
    rows = []
    carried: dict[str, Any] = {}
    month = min(by_month)
    while month <= current:
        if month in by_month:
            figures = by_month[month]
            carried = {name: figures[name] for name in STOCKS if name in figures}
        else:
            figures = carried
        rows.append(AreaMonth(level=level, code=str(code), parent_code=parent_code, month=month, **figures))
        month = next_month(month)
    return rows


def dense_rows(
    level: str, code: str, given: dict[date, dict[str, Any]], *, parent_code: str = ""
) -> list[AreaMonth]:
    """`dense_months`, saved."""
    rows = AreaMonth.objects.bulk_create(dense_months(level, code, given, parent_code=parent_code))
    rollups.sum_provinces()
    return rows


def grow(
    level: str, code: str, *, children: int, months: int, child_codes: list[str] | None = None
) -> list[str]:
    """An area with rows for the `months` months up to the current one and `children` areas one level down,
    plus arrears and recommendations due on many dates: to check that page queries do not grow with the
    data. A center and a district have rows of their own (a district's children are centers); a province's
    children are districts; the nation's are provinces, two districts each. Returns the children's codes."""
    span = months_back(months)
    codes = child_codes or [
        str(900000 + index) if level == Level.DISTRICT else f"{code}{index:02d}" for index in range(children)
    ]
    if level == Level.CENTER:
        districts: list[tuple[str, str]] = []
        codes = []
    elif level == Level.DISTRICT:
        districts = [(code, code[:2])]
    elif level == Level.PROVINCE:
        districts = [(district, code) for district in codes]
    else:
        districts = [(f"{province}{index:02d}", province) for province in codes for index in range(2)]

    def flows(index: int) -> dict[str, Any]:
        return {"visits": 1 + index % 3, "repaid_principal": Decimal(10 * index), "saved": Decimal(index)}

    rows: list[AreaMonth] = []
    dues: list[AreaDue] = []

    def add(row_level: str, row_code: str, parent: str, position: int, centers: int) -> None:
        given = {
            month: {
                "centers_active": centers,
                "households_enrolled": position + index,
                "debt_at_enrolment": Decimal(5000 * centers),
                "debt_now": Decimal(5000 * centers - position - index),
                "savings": Decimal(10 * index),
                **flows(index),
            }
            for index, month in enumerate(span)
        }
        rows.extend(dense_months(row_level, row_code, given, parent_code=parent))
        for index, month in enumerate(span):
            for kind in (DueKind.ARREARS, DueKind.RECOMMENDATION):
                dues.append(
                    AreaDue(level=row_level, code=row_code, parent_code=parent, kind=kind, due_on=month,
                            amount=Decimal(7 + index), count=centers)
                )  # fmt: skip

    if level == Level.CENTER:
        add(Level.CENTER, code, "", 0, 1)
    for position, (district, province) in enumerate(districts):
        add(Level.DISTRICT, district, province, position, len(codes) if level == Level.DISTRICT else 1)
    if level == Level.DISTRICT:
        for position, center in enumerate(codes):
            add(Level.CENTER, center, code, position, 1)
    AreaMonth.objects.bulk_create(rows, batch_size=2000)
    AreaDue.objects.bulk_create(dues, batch_size=2000)
    rollups.sum_provinces()
    return codes


def set_month(level: str, code: str, month: date, *, parent_code: str = "", **figures: Any) -> AreaMonth:
    """The row of an area for a month with these figures, whether or not one exists already (where the
    rollup engine has filled the tables, as in the browser tests on the demo data)."""
    _stored(level)
    row, _created = AreaMonth.objects.update_or_create(
        level=level, code=str(code), month=month.replace(day=1),
        defaults={"parent_code": parent_code, **_money(figures)},
    )  # fmt: skip
    return row
