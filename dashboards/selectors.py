"""Reads for the dashboard pages: figures of one area and of the areas one level down, from the summary
tables only, in a fixed number of queries whatever the data size.

Centers and districts have rows of their own (`AreaMonth`, `AreaDue`); a province's figures are the sum of
its rows in `ProvinceMonth` (and, on the national page, `ProvinceDue`), which hold appended differences
(summed when read, as they are when merged), and the nation's the sum of every province's. Every area has a
row for every month from its first to the current one (see `rollups.carry_into_current_month`). A fiscal
year's stocks come from the row of its last month (the current month while the year runs); flows are summed
over the year's months. "All time" takes the stocks of today's month and the flows of every month.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from contracts.arrears import at_risk_cutoff, par30_percent
from core.money import money, percent
from core.thai import fiscal_year, fiscal_year_bounds

from . import rollups
from .models import (
    FIGURES,
    FLOWS,
    MONEY_FIGURES,
    STOCKS,
    AreaDue,
    AreaMonth,
    DueKind,
    Level,
    ProvinceDue,
    ProvinceMonth,
)
from .rollups import carry_into_current_month

ZERO = Decimal("0.00")
FY_COUNTS = ("centers_recognised", "centers_visited_fy")  # flows that count centers once per fiscal year
CHILD_LEVEL = {
    Level.NATION: Level.PROVINCE,
    Level.PROVINCE: Level.DISTRICT,
    Level.DISTRICT: Level.CENTER,
    Level.CENTER: None,
}


def _zero(name: str) -> Decimal | int:
    return ZERO if name in MONEY_FIGURES else 0


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """What a dashboard covers: one fiscal year (BE) or all time (`fy` None), as seen on `today`."""

    fy: int | None
    today: date
    first_month: date | None  # None: from the first row
    stock_month: date  # the month whose (carried) row gives the stocks

    @classmethod
    def of(cls, fy: int | None, today: date) -> Period:
        this_month = month_start(today)
        if fy is None:
            return cls(fy=None, today=today, first_month=None, stock_month=this_month)
        start, end = fiscal_year_bounds(fy)
        return cls(fy=fy, today=today, first_month=start, stock_month=min(month_start(end), this_month))

    @property
    def is_now(self) -> bool:
        """Whether the stocks are today's (the current fiscal year, or all time)."""
        return self.stock_month == month_start(self.today)

    @property
    def current_fy(self) -> int:
        return fiscal_year(self.today)

    def months(self, first_row_month: date | None) -> list[date]:
        """The months of the period, for charts: its first month (or the first row) to the stock month."""
        first = self.first_month or first_row_month
        if first is None:
            return []
        months = []
        month = first
        while month <= self.stock_month:
            months.append(month)
            month = next_month(month)
        return months


@dataclass
class Figures:
    """The figures of one area for a period: raw stocks and flows plus what is derived from them."""

    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _stocks_of(row: AreaMonth | dict | None) -> dict[str, Any]:
    if row is None:
        return {name: _zero(name) for name in STOCKS}
    if isinstance(row, dict):  # from `values()` or a sum: every stock is there
        return {name: row[name] for name in STOCKS}
    return {name: getattr(row, name) for name in STOCKS}


def _dues(*, arrears: Decimal, overdue: Decimal, overdue_contracts: int, par30: Decimal,
          recs_open: int, recs_overdue: int) -> dict[str, Any]:  # fmt: skip
    return {
        "arrears_total": arrears,
        "overdue": overdue,
        "contracts_overdue": overdue_contracts,
        "par30_now": par30,
        "recommendations_open_now": recs_open,
        "recommendations_overdue": recs_overdue,
    }


def derive(
    stocks: dict[str, Any],
    flows: dict[str, Any],
    dues: dict[str, Any] | None,
    period: Period,
    fy_flows: dict[str, Any] | None = None,
) -> Figures:
    """Stocks, flows and the figures computed from them. `dues` (from AreaDue) only count for "now".
    `fy_flows`: the flows of the current fiscal year when the period is all time (centers recognised and
    visited are counted per fiscal year)."""
    values: dict[str, Any] = {**stocks, **flows}
    for name in FY_COUNTS:
        values[name] = (fy_flows or flows)[name]
    # Enrolled or debt-free (`contracts.progress.IN_PROGRAMME`): the households whose debt went down are some
    # of these, never more.
    values["households_in_programme"] = stocks["households_enrolled"] + stocks["households_debt_free"]
    reduced = stocks["debt_at_enrolment"] - stocks["debt_now"]
    values["debt_reduced"] = reduced
    values["debt_reduced_pct"] = percent(reduced, stocks["debt_at_enrolment"])
    values["centers_not_visited"] = max(stocks["centers_active"] - values["centers_visited_fy"], 0)
    values["repaid"] = flows["repaid_principal"] + flows["repaid_interest"]
    if period.is_now and dues is not None:
        values["par30"] = dues["par30_now"]
        values["overdue"] = dues["overdue"]
        values["on_time"] = stocks["contract_outstanding"] - dues["overdue"]
        values["contracts_overdue"] = dues["contracts_overdue"]
        values["recommendations_open"] = dues["recommendations_open_now"]
        values["recommendations_overdue"] = dues["recommendations_overdue"]
    else:  # a past year: what the row of its last month says; "overdue today" has no meaning there
        values["par30"] = stocks["par30_outstanding"]
        values["overdue"] = None
        values["on_time"] = None
        values["contracts_overdue"] = None
        values["recommendations_overdue"] = None
    values["par30_pct"] = par30_percent(values["par30"], stocks["contract_outstanding"])
    return Figures(values)


# --- where an area's figures are stored -------------------------------------------------------------------

STORED = (Level.CENTER, Level.DISTRICT)
PROVINCE_ROWS = {AreaMonth: ProvinceMonth, AreaDue: ProvinceDue}  # a province's rows, summed when read


def stored_rows(model: type[Model], level: str, code: str) -> QuerySet:
    """The stored rows that make up an area: its own (a center, a district); for a province, its month rows
    of appended differences (`ProvinceMonth`) and its districts' due dates; for the nation, every province's
    and every district's. (The national page reads the provinces' due dates from `ProvinceDue`, see
    `children_dues`; a province's own page sums its districts, which it reads anyway.)"""
    if level in STORED:
        return model.objects.filter(level=level, code=code)
    if model is AreaMonth:
        rows = ProvinceMonth.objects.all()
        return rows.filter(code=code) if level == Level.PROVINCE else rows
    rows = model.objects.filter(level=Level.DISTRICT)
    return rows.filter(parent_code=code) if level == Level.PROVINCE else rows


def children_rows(model: type[Model], child_level: str, code: str) -> tuple[QuerySet, str]:
    """The stored rows of an area's children, and the column that names the child: the centers of a
    district and the districts of a province (one row each for a month or a due date), the nation's
    provinces (several, to be summed)."""
    if child_level == Level.PROVINCE:
        return PROVINCE_ROWS[model].objects.all(), "code"
    return model.objects.filter(level=child_level, parent_code=code), "code"


@functools.cache
def _sums(names: tuple[str, ...]) -> dict[str, Any]:
    """The aggregates that sum `names`. Built once: an expression computes its identity (which Django's
    compiler asks for) once per instance, a few milliseconds a page for some 200 of them."""
    return {name: Coalesce(Sum(name), _zero(name)) for name in names}


def _exact(values: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Sums to the satang: SQLite adds decimals as floats; PostgreSQL's numeric sums are exact already."""
    if connection.vendor != "sqlite":
        return {name: values[name] for name in names}
    return {name: money(values[name]) if name in MONEY_FIGURES else values[name] for name in names}


# --- one area ---------------------------------------------------------------------------------------------


def area_rows(level: str, code: str, period: Period | None = None) -> list[AreaMonth]:
    """The months of one area, oldest first (one query): its own rows, or its districts' summed by month.
    With a fiscal year's `period`, only its months (every area has a row for each month since its first)."""
    rows = stored_rows(AreaMonth, level, code)
    if period is not None and period.first_month is not None:
        rows = rows.filter(month__gte=period.first_month, month__lte=period.stock_month)
    if level in STORED:
        return list(rows.order_by("month"))
    return [
        AreaMonth(level=level, code=code, month=row["month"], **_exact(row, FIGURES))
        for row in rows.order_by().values("month").annotate(**_sums(FIGURES)).order_by("month")
    ]


def carried(rows: Sequence[AreaMonth], month: date) -> AreaMonth | None:
    """The row for `month`, or the latest earlier one (nothing changed since); None before the first row."""
    found = None
    for row in rows:
        if row.month > month:
            break
        found = row
    return found


def flows_over(rows: Iterable[AreaMonth], period: Period) -> dict[str, Any]:
    totals = {name: _zero(name) for name in FLOWS}
    for row in rows:
        if period.first_month is not None and row.month < period.first_month:
            continue
        if row.month > period.stock_month:
            continue
        for name in FLOWS:
            totals[name] += getattr(row, name)
    return totals


@functools.lru_cache(maxsize=4)
def _due_aggregates(today: date) -> dict[str, Any]:
    arrears = Q(kind=DueKind.ARREARS)
    recommendation = Q(kind=DueKind.RECOMMENDATION)
    overdue = Q(due_on__lt=today)
    par = Q(due_on__lt=at_risk_cutoff(today))  # contracts.arrears: more than 30 days past due today
    return {
        "arrears": Coalesce(Sum("amount", filter=arrears), ZERO),
        "overdue": Coalesce(Sum("amount", filter=arrears & overdue), ZERO),
        "overdue_contracts": Coalesce(Sum("count", filter=arrears & overdue), 0),
        "par30": Coalesce(Sum("amount", filter=arrears & par), ZERO),
        "recs_open": Coalesce(Sum("count", filter=recommendation), 0),
        "recs_overdue": Coalesce(Sum("count", filter=recommendation & overdue), 0),
    }


def area_dues(level: str, code: str, today: date) -> dict[str, Any]:
    return _dues(**stored_rows(AreaDue, level, code).aggregate(**_due_aggregates(today)))


MONTH_STOCKS = ("debt_now", "contract_outstanding", "savings", "households_enrolled", "households_debt_free")
MONTH_FLOWS = ("repaid_principal", "saved", "visits")


def month_by_month(rows: Sequence[AreaMonth], period: Period) -> list[dict[str, Any]]:
    """One entry a month of the period: stocks carried forward, flows of that month (zero without a row)."""
    by_month = {row.month: row for row in rows}
    series = []
    carried_row = None
    earlier = [row for row in rows if period.first_month is not None and row.month < period.first_month]
    if earlier:
        carried_row = earlier[-1]
    for month in period.months(rows[0].month if rows else None):
        own = by_month.get(month)
        carried_row = own or carried_row
        entry: dict[str, Any] = {"month": month}
        for name in MONTH_STOCKS:
            entry[name] = getattr(carried_row, name) if carried_row else _zero(name)
        for name in MONTH_FLOWS:
            entry[name] = getattr(own, name) if own else _zero(name)
        series.append(entry)
    return series


# --- the areas one level down ----------------------------------------------------------------------------


def children_stocks(level: str, code: str, month: date) -> dict[str, dict[str, Any]]:
    """For each child of an area: its stocks at the end of `month` (every child has a row for it; the nation's
    provinces sum theirs, merged when a reader finds too many appended).

    A child belongs to the area its row names as parent (a center that moved counts where it is)."""
    rows, key = children_rows(AreaMonth, level, code)
    rows = rows.filter(month=month)
    if level != Level.PROVINCE:
        return {row.pop(key): _stocks_of(row) for row in rows.values(key, *STOCKS)}
    found = list(
        rows.order_by().values(key).annotate(**_sums(STOCKS), appended=Count("pk", filter=Q(merged=False)))
    )
    if sum(row.pop("appended") for row in found) > rollups.MERGE_AFTER:
        rollups.merge_province_months()  # the same sums in fewer rows: what was read stays right
    return {row.pop(key): _exact(row, STOCKS) for row in found}


def children_flows(level: str, code: str, period: Period) -> dict[str, dict[str, Any]]:
    rows, key = children_rows(AreaMonth, level, code)
    rows = rows.filter(month__lte=period.stock_month)
    if period.first_month is not None:
        rows = rows.filter(month__gte=period.first_month)
    return {row.pop(key): _exact(row, FLOWS) for row in rows.order_by().values(key).annotate(**_sums(FLOWS))}


def children_dues(level: str, code: str, today: date) -> dict[str, dict[str, Any]]:
    """For each child of an area: its amounts due today. The nation's provinces from their own rows
    (`ProvinceDue`, a few per date however many districts), merged when a reader finds too many appended."""
    rows, key = children_rows(AreaDue, level, code)
    if level != Level.PROVINCE:
        return {
            row.pop(key): _dues(**row)
            for row in rows.order_by().values(key).annotate(**_due_aggregates(today))
        }
    found = list(
        rows.order_by()
        .values(key)
        .annotate(**_due_aggregates(today), appended=Count("pk", filter=Q(merged=False)))
    )
    if sum(row.pop("appended") for row in found) > rollups.MERGE_AFTER:
        rollups.merge_province_dues()  # the same sums in fewer rows: what was read stays right
    return {row.pop(key): _dues(**row) for row in found}


# --- the whole dashboard ---------------------------------------------------------------------------------


@dataclass
class Dashboard:
    level: str
    code: str
    period: Period
    figures: Figures
    months: list[dict[str, Any]]
    children: list[dict[str, Any]]  # {"code", "figures"}, the best first (see RANKING)
    child_level: str | None
    first_row_month: date | None

    @property
    def has_data(self) -> bool:
        return self.first_row_month is not None


def _ranking_key(child: dict[str, Any]) -> tuple:
    figures = child["figures"]
    pct = figures["debt_reduced_pct"]
    return (pct is None, -(pct or 0), -figures["households_in_programme"], child["code"])


def chart_rows(level: str, code: str, period: Period) -> list[AreaMonth]:
    """The month-by-month figures of the charts of a province or the nation for the period's months (one
    query): its districts' rows summed by month, only the columns the charts draw."""
    names = (*MONTH_STOCKS, *MONTH_FLOWS)
    rows = stored_rows(AreaMonth, level, code).filter(month__lte=period.stock_month)
    if period.first_month is not None:
        rows = rows.filter(month__gte=period.first_month)
    rows = rows.order_by().values("month").annotate(**_sums(names))
    return [
        AreaMonth(level=level, code=code, month=row["month"], **_exact(row, names))
        for row in rows.order_by("month")
    ]


def _first_month(level: str, code: str) -> date | None:
    """The area's first month (a query only for a period with no rows of its own)."""
    return stored_rows(AreaMonth, level, code).aggregate(first=Min("month"))["first"]


def _total(parts: Iterable[dict[str, Any]], names: Iterable[str]) -> dict[str, Any]:
    total = {name: _zero(name) for name in names}
    for part in parts:
        for name in total:
            total[name] += part[name]
    return total


EMPTY_DUES = _dues(arrears=ZERO, overdue=ZERO, overdue_contracts=0, par30=ZERO, recs_open=0, recs_overdue=0)


def dashboard_for(*, level: str, code: str, period: Period) -> Dashboard:
    """All the figures of one dashboard page, in a fixed number of queries: the carry's check, then 4 for the
    children (5 for all time) and 2 for a center's or district's own rows and due dates, or 1 for a
    province's or the nation's charts (its figures are its children's summed, which the ranking reads
    anyway)."""
    carry_into_current_month()
    this_year = Period.of(period.current_fy, period.today) if period.fy is None else None
    empty_flows = {name: _zero(name) for name in FLOWS}
    child_level = CHILD_LEVEL[Level(level)]
    children: list[dict[str, Any]] = []
    if child_level is not None:
        stocks_by_child = children_stocks(child_level, code, period.stock_month)
        flows_by_child = children_flows(child_level, code, period)
        fy_flows_by_child = children_flows(child_level, code, this_year) if this_year else {}
        dues_by_child = children_dues(child_level, code, period.today) if period.is_now else {}
        for child_code, child_stocks in stocks_by_child.items():
            child_figures = derive(
                child_stocks,
                flows_by_child.get(child_code, empty_flows),
                dues_by_child.get(child_code, EMPTY_DUES),
                period,
                fy_flows_by_child.get(child_code, empty_flows) if this_year else None,
            )
            children.append({"code": child_code, "figures": child_figures})
        children.sort(key=_ranking_key)

    if level in STORED:
        rows = area_rows(level, code, period)
        stocks = _stocks_of(carried(rows, period.stock_month))
        flows = flows_over(rows, period)
        fy_flows = flows_over(rows, this_year) if this_year else None
        dues = area_dues(level, code, period.today) if period.is_now else None
    else:
        rows = chart_rows(level, code, period)
        stocks = _total(stocks_by_child.values(), STOCKS)
        flows = _total(flows_by_child.values(), FLOWS)
        fy_flows = _total(fy_flows_by_child.values(), FLOWS) if this_year else None
        dues = _total(dues_by_child.values(), EMPTY_DUES) if period.is_now else None
    figures = derive(stocks, flows, dues, period, fy_flows)
    months = month_by_month(rows, period)
    return Dashboard(
        level=level,
        code=code,
        period=period,
        figures=figures,
        months=months,
        children=children,
        child_level=child_level,
        first_row_month=rows[0].month if rows else _first_month(level, code),
    )
