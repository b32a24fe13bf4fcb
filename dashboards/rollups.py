"""Keeping the summary tables (`AreaMonth`, `AreaDue`) equal to the ledger.

- `refresh_center(center_id)` runs inside the transaction of every write that changes a center's figures
  (see `dashboards.apps`): it locks the center, recomputes its series (`series.compute`), writes the
  center's rows, and adds the differences to its district, province and nation with increments done by the
  database (`F()`), one row at a time in one order for everyone (month, then nation, province, district),
  so that two writes in the same district wait for each other instead of deadlocking or losing a change.
- `rebuild(...)` empties both tables and recomputes them from the ledger, in chunks of centers, the
  ancestors by grouped sums (`manage.py rebuild_rollups`).

An area with no row for a month carries its latest earlier row's stocks (flows zero). A refresh extends its
center to the current month; an ancestor row missing for a month that a refresh touches is first created
from the ancestor's latest earlier row, so every ancestor row stays the sum of its children carried forward.
The one stock that moves with the calendar alone, PAR30 at a month end, is as of each center's latest refresh
(today's PAR30 comes from `AreaDue`, which is keyed by date): run `rebuild_rollups --stale` early each month
to carry every center into the new month (see the README). The fiscal-year counts (centers recognised,
centers visited) are flows, so a new fiscal year starts from zero without any write.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from centers.models import Center

from . import series
from .models import FIGURES, FLOWS, NATION_CODE, STOCKS, AreaDue, AreaMonth, Level
from .series import ZERO, add_months, month_start, zero_of

LEVEL_RANK = {Level.NATION: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.CENTER: 3}
Area = tuple[str, str]  # (level, code)
Values = dict[str, Any]


@dataclass(frozen=True)
class Place:
    """Where a center sits: its district and province codes."""

    district: str
    province: str

    def ancestors(self) -> list[tuple[str, str, str]]:
        """(level, code, parent code) from the nation down to the district."""
        return [
            (Level.NATION, NATION_CODE, ""),
            (Level.PROVINCE, self.province, NATION_CODE),
            (Level.DISTRICT, self.district, self.province),
        ]


def current_month() -> date:
    return month_start(timezone.localdate())


def empty_values() -> Values:
    return {name: zero_of(name) for name in FIGURES}


def carried(values: Values) -> Values:
    """A month with no row: the stocks of the latest earlier row, no flows."""
    return {**{name: values[name] for name in STOCKS}, **{name: zero_of(name) for name in FLOWS}}


def dense(rows: dict[date, Values], first: date, last: date) -> dict[date, Values]:
    """`rows` (month: values) for every month from `first` to `last`: zero before the first row, carried
    forward after each row."""
    result: dict[date, Values] = {}
    before = [month for month in rows if month < first]
    previous = carried(rows[max(before)]) if before else empty_values()
    for i in range(series.months_between(first, last)):
        month = add_months(first, i)
        if month in rows:
            result[month] = rows[month]
            previous = carried(rows[month])
        else:
            result[month] = previous
    return result


def difference(new: Values, old: Values) -> Values:
    return {name: new[name] - old[name] for name in FIGURES if new[name] != old[name]}


def row_values(row: AreaMonth) -> Values:
    return {name: getattr(row, name) for name in FIGURES}


def places(center_ids: Iterable[int]) -> dict[int, Place]:
    return {
        pk: Place(district, province)
        for pk, district, province in Center.objects.filter(pk__in=list(center_ids)).values_list(
            "pk", "village__subdistrict__district_id", "village__subdistrict__district__province_id"
        )
    }


# --- one center -------------------------------------------------------------------------------------------


def refresh_center(center_id: int) -> None:
    """Bring the center's rows and its ancestors' rows in step with its records (inside the caller's
    transaction; a transaction of its own when called outside one)."""
    with transaction.atomic():
        _refresh(center_id)


def _refresh(center_id: int) -> None:
    today = timezone.localdate()
    current = month_start(today)
    code = str(center_id)
    located = (
        Center.objects.select_for_update(of=("self",))
        .filter(pk=center_id)
        .values_list("village__subdistrict__district_id", "village__subdistrict__district__province_id")
        .first()
    )
    new_rows: dict[date, Values] = {}
    new_dues: dict[tuple[str, date | None], tuple[Decimal, int]] = {}
    place = Place(*located) if located else None
    if place is not None:
        computed = series.compute(series.load_inputs([center_id])[center_id], today)
        new_rows, new_dues = computed.rows(), computed.dues
    stored = {row.month: row for row in AreaMonth.objects.filter(level=Level.CENTER, code=code)}
    stored_dues = {
        (due.kind, due.due_on): due for due in AreaDue.objects.filter(level=Level.CENTER, code=code)
    }
    old_place = _old_place(stored, stored_dues, place)
    old_rows = {month: row_values(row) for month, row in stored.items()}

    # The center's own rows.
    first = min([*new_rows, *old_rows], default=current)
    new_dense = dense(new_rows, first, current) if new_rows else {}
    old_dense = dense(old_rows, first, current) if old_rows else {}
    changed = [
        month
        for month, values in new_rows.items()
        if month not in stored
        or stored[month].parent_code != place.district
        or difference(values, old_rows[month])
    ]
    gone = [row.pk for month, row in stored.items() if month not in new_rows or month in changed]
    if gone:
        AreaMonth.objects.filter(pk__in=gone).delete()
    if changed:
        AreaMonth.objects.bulk_create(
            [
                AreaMonth(level=Level.CENTER, code=code, parent_code=place.district, month=m, **new_rows[m])
                for m in sorted(changed)
            ]
        )

    # The ancestors: what the center adds now, less what it added before (to its old ancestors if moved).
    deltas: dict[Area, dict[date, Values]] = {}
    parents: dict[Area, str] = {}
    new_chain = {(level, c): parent for level, c, parent in place.ancestors()} if place else {}
    old_chain = {(level, c): parent for level, c, parent in old_place.ancestors()} if old_place else {}
    parents = {**old_chain, **new_chain}
    nothing = empty_values()
    for area in parents:
        by_month = {}
        for month in new_dense.keys() | old_dense.keys():
            new = new_dense.get(month, nothing) if area in new_chain else nothing
            old = old_dense.get(month, nothing) if area in old_chain else nothing
            if new is not old:
                change = difference(new, old)
                if change:
                    by_month[month] = change
        deltas[area] = by_month
    _add_to_ancestors(deltas, parents, current)

    # Due dates: the center's rows replaced, the differences added to the ancestors.
    old_due_values = {key: (due.amount, due.count) for key, due in stored_dues.items()}
    if old_due_values != new_dues or (stored_dues and old_place != place):
        AreaDue.objects.filter(level=Level.CENTER, code=code).delete()
        AreaDue.objects.bulk_create(
            [
                AreaDue(
                    level=Level.CENTER,
                    code=code,
                    parent_code=place.district,
                    kind=kind,
                    due_on=due_on,
                    amount=amount,
                    count=count,
                )
                for (kind, due_on), (amount, count) in sorted(new_dues.items(), key=_due_order)
            ]
        )
        due_deltas: dict[Area, dict[tuple[str, date | None], list[Any]]] = {}
        for chain, dues, sign in ((place, new_dues, 1), (old_place, old_due_values, -1)):
            if chain is None:
                continue
            for level, area_code, _parent in chain.ancestors():
                by_key = due_deltas.setdefault((level, area_code), {})
                for key, (amount, count) in dues.items():
                    into = by_key.setdefault(key, [ZERO, 0])
                    into[0] += sign * amount
                    into[1] += sign * count
        _add_dues_to_ancestors(due_deltas, parents)


def _old_place(stored, stored_dues, place: Place | None) -> Place | None:
    """Where the stored rows put the center (it may have moved to another district since)."""
    parents = {row.parent_code for row in stored.values()} | {due.parent_code for due in stored_dues.values()}
    if not parents:
        return None
    district = max(parents)  # one district, unless a failed write left two: any is a start
    if place is not None and district == place.district:
        return place
    from geography.models import District

    province = District.objects.filter(pk=district).values_list("province_id", flat=True).first()
    return Place(district, province or district[:2])


def _due_order(item):
    (kind, due_on), _values = item
    return (kind, due_on is not None, due_on or date.min)


def _add_to_ancestors(
    deltas: dict[Area, dict[date, Values]], parents: dict[Area, str], current: date
) -> None:
    """Add each ancestor's monthly differences, in one global order: month, then level, then code.

    Rows an ancestor lacks from its first changed month to the current month are first created (one
    statement, in that order) with the stocks of its latest earlier row (they were carried forward until
    now) plus the difference. The rows that existed are then locked in that order (one statement) and the
    differences added with increments done by the database, one statement per run of months that change
    alike.
    """
    work: list[tuple[date, int, str, str, Values]] = []
    starts: dict[Area, date] = {}
    for (level, area_code), by_month in deltas.items():
        nonzero = {m: d for m, d in ((m, _nonzero(v)) for m, v in by_month.items()) if d}
        if not nonzero:
            continue
        starts[(level, area_code)] = min(nonzero)
        for i in range(series.months_between(min(nonzero), current)):
            month = add_months(min(nonzero), i)
            work.append((month, LEVEL_RANK[level], level, area_code, nonzero.get(month, {})))
    if not work:
        return
    existing = _existing_stocks(starts)
    work.sort(key=lambda item: item[:4])
    missing: list[list[Any]] = []
    for month, _rank, level, area_code, delta in work:
        rows = existing[(level, area_code)]
        if month in rows:
            continue
        earlier = [m for m in rows if m < month]
        base = carried(rows[max(earlier)]) if earlier else empty_values()
        rows[month] = base  # a later missing month carries the same stocks
        values = [base[name] + delta.get(name, 0) for name in FIGURES]
        missing.append([level, area_code, parents[(level, area_code)], month.isoformat(), *values])
    inserted = _insert_months(missing)
    updates = [
        (month, rank, level, area_code, delta)
        for month, rank, level, area_code, delta in work
        if delta and (level, area_code, month) not in inserted
    ]
    if not updates:
        return
    # Lock every row to change, in the global order, before changing any.
    lock = Q()
    for month, _rank, level, area_code, _delta in updates:
        lock |= Q(level=level, code=area_code, month=month)
    rank = Case(
        *(When(level=level, then=Value(r)) for level, r in LEVEL_RANK.items()), output_field=IntegerField()
    )
    list(
        AreaMonth.objects.filter(lock)
        .annotate(rank=rank)
        .order_by("month", "rank", "code")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    by_area: dict[Area, list[tuple[date, Values]]] = {}
    for month, _rank, level, area_code, delta in updates:
        by_area.setdefault((level, area_code), []).append((month, delta))
    for (level, area_code), items in sorted(
        by_area.items(), key=lambda item: (LEVEL_RANK[item[0][0]], item[0][1])
    ):
        run_start, run_end, run_delta = None, None, None
        for month, delta in [*items, (None, None)]:
            if run_delta is not None and (delta != run_delta or month != add_months(run_end, 1)):
                AreaMonth.objects.filter(
                    level=level, code=area_code, month__range=(run_start, run_end)
                ).update(**{name: F(name) + value for name, value in run_delta.items()})
                run_delta = None
            if delta is None:
                break
            if run_delta is None:
                run_start, run_delta = month, delta
            run_end = month


def _insert_months(rows: list[list[Any]]) -> set[tuple[str, str, date]]:
    """Insert the rows (in their order) unless another transaction did: the (level, code, month) inserted."""
    inserted: set[tuple[str, str, date]] = set()
    table = AreaMonth._meta.db_table
    placeholders = f"({', '.join(['%s'] * len(MONTH_COLUMNS))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 200):
            batch = rows[i : i + 200]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(MONTH_COLUMNS)}) VALUES "  # noqa: S608 (our own names)
                f"{', '.join([placeholders] * len(batch))} "
                "ON CONFLICT DO NOTHING RETURNING level, code, month",
                [value for row in batch for value in row],
            )
            for level, area_code, month in cursor.fetchall():
                inserted.add(
                    (level, area_code, month if isinstance(month, date) else date.fromisoformat(month))
                )
    return inserted


def _nonzero(values: Values) -> Values:
    return {name: value for name, value in values.items() if value}


def _existing_stocks(starts: dict[Area, date]) -> dict[Area, dict[date, Values]]:
    """For each ancestor: its rows from its start month on, and its latest row before it (stocks only)."""
    result: dict[Area, dict[date, Values]] = {area: {} for area in starts}
    condition = Q()
    for (level, area_code), start in starts.items():
        condition |= Q(level=level, code=area_code, month__gte=start)
    found = list(AreaMonth.objects.filter(condition).values("level", "code", "month", *STOCKS))
    for (level, area_code), start in starts.items():
        if not any(r["level"] == level and r["code"] == area_code and r["month"] == start for r in found):
            before = (
                AreaMonth.objects.filter(level=level, code=area_code, month__lt=start)
                .order_by("-month")
                .values("level", "code", "month", *STOCKS)
                .first()
            )
            if before:
                found.append(before)
    for row in found:
        result[(row["level"], row["code"])][row["month"]] = carried({**empty_values(), **row})
    return result


MONTH_COLUMNS = ["level", "code", "parent_code", "month", *FIGURES]
DUE_COLUMNS = ["level", "code", "parent_code", "kind", "due_on", "amount", "count"]


def _add_dues_to_ancestors(
    deltas: dict[Area, dict[tuple[str, date | None], list[Any]]], parents: dict[Area, str]
) -> None:
    touched = Q()
    for (level, area_code), by_key in sorted(
        deltas.items(), key=lambda item: (LEVEL_RANK[item[0][0]], item[0][1])
    ):
        for (kind, due_on), (amount, count) in sorted(
            by_key.items(), key=lambda item: _due_order((item[0], 0))
        ):
            if not amount and not count:
                continue
            key = Q(level=level, code=area_code, kind=kind) & (
                Q(due_on__isnull=True) if due_on is None else Q(due_on=due_on)
            )
            touched |= key
            if AreaDue.objects.filter(key).update(amount=F("amount") + amount, count=F("count") + count):
                continue
            table = AreaDue._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(DUE_COLUMNS)}) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [
                        level,
                        area_code,
                        parents[(level, area_code)],
                        kind,
                        due_on and due_on.isoformat(),
                        amount,
                        count,
                    ],
                )
                inserted = cursor.rowcount == 1
            if not inserted:
                AreaDue.objects.filter(key).update(amount=F("amount") + amount, count=F("count") + count)
    if touched:
        AreaDue.objects.filter(touched, amount=0, count=0).delete()


# --- everything -------------------------------------------------------------------------------------------


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def center_month_rows(center_id: int, district: str, computed: series.Series) -> Iterator[list[Any]]:
    code = str(center_id)
    for i, month in enumerate(computed.months):
        yield [Level.CENTER, code, district, month, *(computed.values[name][i] for name in FIGURES)]


def center_due_rows(center_id: int, district: str, computed: series.Series) -> Iterator[list[Any]]:
    for (kind, due_on), (amount, count) in sorted(computed.dues.items(), key=_due_order):
        yield [Level.CENTER, str(center_id), district, kind, due_on, amount, count]


def _copy_rows(model: type, columns: list[str], rows: list[list[Any]]) -> None:
    """Insert many rows: COPY on PostgreSQL, batched INSERTs elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(r"\N" if value is None else str(value) for value in row))
            buffer.write("\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer
            )
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500)


def rebuild(*, chunk_size: int = 500, report: Callable[[str], None] = print) -> dict[str, Any]:
    """Empty the summary tables and recompute them from the ledger, in one transaction."""
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        # Lock every center: writes (and their refreshes) wait until the rebuild is done.
        ids = list(Center.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        AreaMonth.objects.all().delete()
        AreaDue.objects.all().delete()
        where = places(ids)
        month_rows = due_rows = 0
        for number, chunk in enumerate(chunks(ids, chunk_size), start=1):
            inputs = series.load_inputs(chunk)
            months: list[list[Any]] = []
            dues: list[list[Any]] = []
            for center_id in chunk:
                computed = series.compute(inputs[center_id], today)
                district = where[center_id].district
                months.extend(center_month_rows(center_id, district, computed))
                dues.extend(center_due_rows(center_id, district, computed))
            _copy_rows(AreaMonth, MONTH_COLUMNS, months)
            _copy_rows(AreaDue, DUE_COLUMNS, dues)
            month_rows += len(months)
            due_rows += len(dues)
            done = min(number * chunk_size, len(ids))
            report(f"  centers {done}/{len(ids)}: {time.perf_counter() - started:.1f} s")
        sum_ancestors()
    if connection.vendor == "postgresql":
        # Fresh statistics: the planner otherwise guesses a handful of rows and sorts where it should hash.
        with connection.cursor() as cursor:
            for model in (AreaMonth, AreaDue):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    counts = {
        level: AreaMonth.objects.filter(level=level).count()
        for level in (Level.DISTRICT, Level.PROVINCE, Level.NATION)
    }
    return {
        "centers": len(ids),
        "center_rows": month_rows,
        "center_due_rows": due_rows,
        "ancestor_rows": counts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def sum_ancestors() -> None:
    """District, province and nation rows as grouped sums of the level below (every center being dense to
    the current month, a plain sum is the sum carried forward). The SQL holds only our own table and column
    names, no input."""
    months, dues = AreaMonth._meta.db_table, AreaDue._meta.db_table
    district_table = "geography_district"
    sums = ", ".join(f"SUM(a.{name})" for name in FIGURES)
    figure_columns = ", ".join(FIGURES)
    steps = [
        (
            f"INSERT INTO {months} (level, code, parent_code, month, {figure_columns}) "  # noqa: S608
            f"SELECT 'district', a.parent_code, d.province_id, a.month, {sums} FROM {months} a "
            f"JOIN {district_table} d ON d.code = a.parent_code WHERE a.level = 'center' "
            "GROUP BY a.parent_code, d.province_id, a.month"
        ),
        (
            f"INSERT INTO {months} (level, code, parent_code, month, {figure_columns}) "  # noqa: S608
            f"SELECT 'province', a.parent_code, '{NATION_CODE}', a.month, {sums} FROM {months} a "
            "WHERE a.level = 'district' GROUP BY a.parent_code, a.month"
        ),
        (
            f"INSERT INTO {months} (level, code, parent_code, month, {figure_columns}) "  # noqa: S608
            f"SELECT 'nation', '{NATION_CODE}', '', a.month, {sums} FROM {months} a "
            "WHERE a.level = 'province' GROUP BY a.month"
        ),
        (
            f"INSERT INTO {dues} (level, code, parent_code, kind, due_on, amount, count) "  # noqa: S608
            "SELECT 'district', a.parent_code, d.province_id, a.kind, a.due_on, SUM(a.amount), SUM(a.count) "
            f"FROM {dues} a JOIN {district_table} d ON d.code = a.parent_code WHERE a.level = 'center' "
            "GROUP BY a.parent_code, d.province_id, a.kind, a.due_on"
        ),
        (
            f"INSERT INTO {dues} (level, code, parent_code, kind, due_on, amount, count) "  # noqa: S608
            f"SELECT 'province', a.parent_code, '{NATION_CODE}', a.kind, a.due_on, "
            "SUM(a.amount), SUM(a.count) "
            f"FROM {dues} a WHERE a.level = 'district' GROUP BY a.parent_code, a.kind, a.due_on"
        ),
        (
            f"INSERT INTO {dues} (level, code, parent_code, kind, due_on, amount, count) "  # noqa: S608
            f"SELECT 'nation', '{NATION_CODE}', '', a.kind, a.due_on, SUM(a.amount), SUM(a.count) "
            f"FROM {dues} a WHERE a.level = 'province' GROUP BY a.kind, a.due_on"
        ),
    ]
    with connection.cursor() as cursor:
        for sql in steps:
            cursor.execute(sql)


def refresh_stale(*, report: Callable[[str], None] = print) -> int:
    """Refresh, one transaction each, every center whose rows stop before the current month (run early in
    each month: figures that move with the calendar, such as PAR30, then follow)."""
    current = current_month()
    fresh = set(AreaMonth.objects.filter(level=Level.CENTER, month=current).values_list("code", flat=True))
    stale = [pk for pk in Center.objects.order_by("pk").values_list("pk", flat=True) if str(pk) not in fresh]
    for number, center_id in enumerate(stale, start=1):
        refresh_center(center_id)
        if number % 1000 == 0:
            report(f"  {number}/{len(stale)} centers")
    return len(stale)
