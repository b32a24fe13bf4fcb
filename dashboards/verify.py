"""Proof that the summary tables equal the ledger (`manage.py verify_rollups`).

(a) every center's stored rows and due dates equal a fresh computation from its records;
(b) every district row (and due date) equals the sum of its centers' rows, and each province's months and
    due dates (`ProvinceMonth`, `ProvinceDue`) the sums of its districts';
(c) every center and district has a row for every month from its first to the current one (the readers
    sum districts month by month);
(d) at every level, the current figures of the summary tables equal a live SQL recomputation
    (`dashboards.live`) for the figures it computes.
Centers are read in chunks (a few queries per chunk), in district order so that each district is checked
as soon as its centers are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from centers.models import Center
from core.thai import fiscal_year, fiscal_year_bounds
from geography.models import District

from . import live, series
from .models import FIGURES, MONEY_FIGURES, NATION_CODE, AreaDue, AreaMonth, Level, ProvinceDue, ProvinceMonth
from .rollups import carry_into_current_month, current_month, dense, due_fold, empty_values, folded
from .series import ZERO, money


def _compare(
    where: str, mine: dict[date, dict], theirs: dict[date, dict], what: tuple[str, str]
) -> list[str]:
    found = []
    for month in sorted(mine.keys() | theirs.keys()):
        a, b = mine.get(month) or empty_values(), theirs.get(month) or empty_values()
        for name in FIGURES:
            if a[name] != b[name]:
                found.append(f"{where} {month:%Y-%m} {name}: {what[0]} {a[name]}, {what[1]} {b[name]}")
    return found


def _dense_all(rows: dict[date, dict], current: date) -> dict[date, dict]:
    return dense(rows, min(rows), current) if rows else {}


def _add_into(total: dict[date, dict], rows: dict[date, dict]) -> None:
    for month, values in rows.items():
        into = total.setdefault(month, empty_values())
        for name in FIGURES:
            into[name] += values[name]


def _rows_of(level: str, codes: list[str] | None = None) -> dict[str, dict[date, dict]]:
    queryset = AreaMonth.objects.filter(level=level)
    if codes is not None:
        queryset = queryset.filter(code__in=codes)
    result: dict[str, dict[date, dict]] = defaultdict(dict)
    for row in queryset.values("code", "parent_code", "month", *FIGURES).iterator(chunk_size=5000):
        result[row["code"]][row["month"]] = row
    return result


def _gaps(where: str, rows: dict[date, dict], current: date) -> list[str]:
    """A note when the area lacks a row for a month from its first to the current one."""
    if not rows:
        return []
    missing = series.months_between(min(rows), current) - len([month for month in rows if month <= current])
    if missing or max(rows) != current:
        return [f"{where}: rows from {min(rows):%Y-%m} to {max(rows):%Y-%m}, {missing} months missing"]
    return []


def _chunks_by_district(chunk_size: int) -> Iterator[list[tuple[int, str]]]:
    centers = Center.objects.order_by("village__subdistrict__district_id", "pk").values_list(
        "pk", "village__subdistrict__district_id"
    )
    chunk: list[tuple[int, str]] = []
    for pk, district in centers.iterator(chunk_size=5000):
        if len(chunk) >= chunk_size and chunk[-1][1] != district:
            yield chunk
            chunk = []
        chunk.append((pk, district))
    if chunk:
        yield chunk


def verify(*, chunk_size: int = 500, report: Callable[[str], None] = print) -> list[str]:
    """Every difference found, one line each. The current month is carried first, as any reader would."""
    carry_into_current_month()
    today = timezone.localdate()
    current = current_month()
    found: list[str] = []

    def note(lines: list[str]) -> None:
        for line in lines:
            report(line)
        found.extend(lines)

    # (a) the centers, and (b) each district from its centers.
    seen_districts: set[str] = set()
    seen_centers: set[str] = set()
    for chunk in _chunks_by_district(chunk_size):
        ids = [pk for pk, _district in chunk]
        codes = [str(pk) for pk in ids]
        seen_centers.update(codes)
        inputs = series.load_inputs(ids)
        stored = _rows_of(Level.CENTER, codes)
        stored_dues: dict[str, dict] = defaultdict(dict)
        for due in AreaDue.objects.filter(level=Level.CENTER, code__in=codes).values():
            stored_dues[due["code"]][(due["kind"], due["due_on"])] = (due["amount"], due["count"])
        districts = sorted({district for _pk, district in chunk})
        seen_districts.update(districts)
        sums: dict[str, dict[date, dict]] = {district: {} for district in districts}
        for pk, district in chunk:
            code = str(pk)
            computed = series.compute(inputs[pk], today)
            mine = _dense_all(stored.get(code, {}), current)
            note(_gaps(f"center {code}", stored.get(code, {}), current))
            note(_compare(f"center {code}", mine, computed.rows(), ("stored", "ledger")))
            wrong_parent = {row["parent_code"] for row in stored.get(code, {}).values()} - {district}
            if wrong_parent:
                note([f"center {code}: filed under district {sorted(wrong_parent)}, is in {district}"])
            dues = {key: (money(amount), count) for key, (amount, count) in stored_dues.get(code, {}).items()}
            if dues != computed.dues:
                note(
                    [
                        f"center {code} due dates: stored {sorted(dues.items(), key=str)}, "
                        f"ledger {sorted(computed.dues.items(), key=str)}"
                    ]
                )
            _add_into(sums[district], mine)
        stored_districts = _rows_of(Level.DISTRICT, districts)
        for district in districts:
            note(_gaps(f"district {district}", stored_districts.get(district, {}), current))
            theirs = _dense_all(stored_districts.get(district, {}), current)
            note(_compare(f"district {district}", theirs, sums[district], ("stored", "sum of its centers")))
    orphans = (
        set(AreaMonth.objects.filter(level=Level.CENTER).values_list("code", flat=True).distinct())
        - seen_centers
    )
    for code in sorted(orphans):
        note([f"center {code}: rows for a center that does not exist"])

    # (b) districts without centers now, and the districts' due dates.
    districts = _rows_of(Level.DISTRICT)
    for district in sorted(set(districts) - seen_districts):
        note(
            _compare(
                f"district {district}",
                _dense_all(districts[district], current),
                {},
                ("stored", "sum of its centers"),
            )
        )
    # The provinces' months (appended differences and merged rows alike) against their districts'.
    by_province: dict[str, dict[date, dict]] = defaultdict(dict)
    for rows in districts.values():
        for month, row in rows.items():
            _add_into(by_province[row["parent_code"]], {month: row})
    provinces: dict[str, dict[date, dict]] = defaultdict(dict)
    sums = {name: Sum(name) for name in FIGURES}
    for row in ProvinceMonth.objects.values("code", "month").annotate(**sums).order_by():
        provinces[row["code"]][row["month"]] = {
            name: money(row[name]) if name in MONEY_FIGURES else row[name] for name in FIGURES
        }
    for code in sorted(by_province.keys() | provinces.keys()):
        note(
            _compare(
                f"province {code}",
                provinces.get(code, {}),
                by_province.get(code, {}),
                ("stored", "sum of its districts"),
            )
        )
    # A district files its due dates older than the month's fold as one (`rollups.folded`): both sides alike.
    fold = due_fold(current)
    province_of = dict(District.objects.values_list("code", "province_id"))
    sums: dict[tuple, tuple] = {}
    stored: dict[tuple, tuple] = {}
    for into, level, code_field in ((sums, Level.CENTER, "parent_code"), (stored, Level.DISTRICT, "code")):
        for row in (
            AreaDue.objects.filter(level=level)
            .values(code_field, "kind", "due_on")
            .annotate(a=Sum("amount"), n=Sum("count"))
            .order_by()
        ):
            key = (row[code_field], row["kind"], folded(row["due_on"], fold))
            amount, count = into.get(key, (ZERO, 0))
            into[key] = (amount + money(row["a"]), count + row["n"])
    for key in sorted(sums.keys() | stored.keys(), key=str):
        if sums.get(key) != stored.get(key):
            note(
                [
                    f"district {key[0]} due {key[1]} {key[2]}: stored {stored.get(key)}, "
                    f"sum of its centers {sums.get(key)}"
                ]
            )
    # The provinces' due dates (appended differences and merged rows alike) against their districts'.
    due_by_province: dict[tuple, tuple] = {}
    for (district, kind, due_on), (amount, count) in stored.items():
        key = (province_of.get(district, district[:2]), kind, due_on)
        total, number = due_by_province.get(key, (ZERO, 0))
        due_by_province[key] = (total + amount, number + count)
    province_dues: dict[tuple, tuple] = {}
    for row in ProvinceDue.objects.values("code", "kind", "due_on", "amount", "count"):
        key = (row["code"], row["kind"], folded(row["due_on"], fold))
        total, number = province_dues.get(key, (ZERO, 0))
        province_dues[key] = (total + money(row["amount"]), number + row["count"])
    for key in sorted(due_by_province.keys() | province_dues.keys(), key=str):
        if due_by_province.get(key, (ZERO, 0)) != province_dues.get(key, (ZERO, 0)):
            note(
                [
                    f"province {key[0]} due {key[1]} {key[2]}: stored {province_dues.get(key)}, "
                    f"sum of its districts {due_by_province.get(key)}"
                ]
            )
    others = AreaMonth.objects.exclude(level__in=[Level.CENTER, Level.DISTRICT]).count()
    others += AreaDue.objects.exclude(level__in=[Level.CENTER, Level.DISTRICT]).count()
    if others:
        note([f"{others} rows of provinces or the nation among the centers' and districts' rows"])

    # (d) the current figures against a live recomputation.
    for level in (Level.NATION, Level.PROVINCE, Level.DISTRICT, Level.CENTER):
        live_figures = live.figures_by_area(level)
        rolled = rollup_figures(level, today)
        for code in sorted(live_figures.keys() | rolled.keys()):
            a, b = rolled.get(code) or live._empty(), live_figures.get(code) or live._empty()
            for name in live.LIVE_FIGURES:
                if a[name] != b[name]:
                    note([f"{level} {code} now {name}: summary tables {a[name]}, live {b[name]}"])
    return found


def rollup_figures(level: str, today: date) -> dict[str, dict[str, Any]]:
    """The current figures of every area of `level` as the summary tables give them (the `live` names): a
    province's or the nation's are its districts' summed."""
    if level in (Level.PROVINCE, Level.NATION):
        province_of = dict(District.objects.values_list("code", "province_id"))
        result: dict[str, dict[str, Any]] = {}
        for district, figures in _stored_figures(Level.DISTRICT, today).items():
            code = NATION_CODE if level == Level.NATION else province_of[district]
            into = result.setdefault(code, live._empty())
            for name, value in figures.items():
                into[name] += value
        return result
    return _stored_figures(level, today)


def _stored_figures(level: str, today: date) -> dict[str, dict[str, Any]]:
    current = series.month_start(today)
    fy_start, _end = fiscal_year_bounds(fiscal_year(today))
    latest = AreaMonth.objects.filter(level=level, code=OuterRef("code"), month__lte=current).order_by(
        "-month"
    )
    stocks = list(live.LIVE_STOCKS)
    result: dict[str, dict[str, Any]] = {}
    rows = AreaMonth.objects.filter(level=level, month=Subquery(latest.values("month")[:1])).values(
        "code", "month", *stocks
    )
    for row in rows.iterator(chunk_size=5000):
        figures = live._empty()
        for name in stocks:
            figures[name] = row[name]
        result[row["code"]] = figures
    totals = (
        AreaMonth.objects.filter(level=level)
        .values("code")
        .annotate(p=Sum("repaid_principal"), i=Sum("repaid_interest"))
        .order_by()
    )
    for row in totals:
        figures = result.setdefault(row["code"], live._empty())
        figures["repaid_principal_total"] = money(row["p"])
        figures["repaid_interest_total"] = money(row["i"])
    for row in (
        AreaMonth.objects.filter(level=level, month__gte=fy_start, month__lte=current)
        .values("code")
        .annotate(n=Sum("visits"), c=Sum("centers_visited_fy"))
        .order_by()
    ):
        figures = result.setdefault(row["code"], live._empty())
        figures["visits_fy"] = row["n"] or 0
        figures["centers_visited_fy"] = row["c"] or 0
    for figures in result.values():
        for name in ("capital", "contract_outstanding", "savings"):
            figures[name] = money(figures[name])
    return result
