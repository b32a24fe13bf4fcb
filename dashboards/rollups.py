"""Keeping the summary tables (`AreaMonth`, `AreaDue` and the provinces' `ProvinceMonth`, `ProvinceDue`) equal
to the ledger.

- `refresh_center(center_id)` runs inside the transaction of every write that changes a center's figures
  (see `dashboards.apps`): it locks the center, recomputes its series (`series.compute`), writes the
  center's rows, and adds the differences to its district's rows with increments done by the database
  (`figure = figure + difference`, as `F()` does), having locked the rows in one order for everyone (month,
  then district; due dates by date), so that two writes in the same district wait for each other instead of
  deadlocking or losing a change. The provinces' figures (`ProvinceMonth`) and due dates (`ProvinceDue`)
  only get the same differences appended as rows, never changed, so writes in two districts never wait for
  each other; the nation has no rows (the sum of its provinces' when read). It runs in every write, so it
  speaks plain SQL (about 20 statements) rather than the ORM, whose compiling cost more than the work.
- `carry_into_current_month()` runs first in every refresh and every dashboard read, and does its work once
  a month: the first of them carries every center and district into the new month (see `CarriedMonth`), so
  that each has a row for every month and figures that move with the calendar alone are right without
  anyone running a command: PAR30 at the month's end, a center founded during the month, October's
  recognitions. The others find the month done (one indexed lookup) or wait for it (an advisory lock on
  PostgreSQL). It also folds the districts' old due dates (`fold_district_dues`) and merges the provinces'
  rows (`merge_province_dues`, `merge_province_months`, which a reader also runs when it finds too many
  appended rows).
- `rebuild(...)` empties both tables and recomputes them from the ledger, in chunks of centers, the
  districts by grouped sums (`manage.py rebuild_rollups`).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from centers.models import Center, Recognition
from contracts.arrears import at_risk_cutoff
from core.thai import fiscal_year
from geography.models import District

from . import series
from .models import (
    FIGURES,
    FLOWS,
    MONEY_FIGURES,
    STOCKS,
    AreaDue,
    AreaMonth,
    CarriedMonth,
    DueKind,
    Level,
    ProvinceDue,
    ProvinceMonth,
)
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
        """(level, code, parent code) of the areas whose rows hold the center's figures: its district."""
        return [(Level.DISTRICT, self.district, self.province)]


def due_fold(month: date) -> date:
    """The day before which a due date is more than 30 days past on every day from the first of `month` on:
    from then on, the readers' tests (overdue: before today; PAR30: before `at_risk_cutoff(today)`) treat all
    such dates alike. A district keeps them as one row per kind, dated the day before (`folded`)."""
    return at_risk_cutoff(month)


def folded(due_on: date | None, fold: date) -> date | None:
    """The date a district files a due date under: the day before `fold` for any earlier date. Folding with
    an earlier month's `fold` is exact too (a date folded then is as old now), so a write that began before
    a month's carry and files its due dates with the month before it leaves nothing wrong."""
    return fold - timedelta(days=1) if due_on is not None and due_on < fold else due_on


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


def places(center_ids: Iterable[int]) -> dict[int, Place]:
    return {
        pk: Place(district, province)
        for pk, district, province in Center.objects.filter(pk__in=list(center_ids)).values_list(
            "pk", "village__subdistrict__district_id", "village__subdistrict__district__province_id"
        )
    }


# --- one center -------------------------------------------------------------------------------------------
#
# This runs inside every write that changes a center: it works on plain tuples (a month's figures in the
# order of FIGURES, stocks first) and plain SQL, whose statements hold only our own table and column names.

Row = tuple[Any, ...]
ROW_ZERO: Row = tuple(zero_of(name) for name in FIGURES)
FLOW_ZERO: Row = ROW_ZERO[len(STOCKS) :]
MONEY_INDEXES = tuple(i for i, name in enumerate(FIGURES) if name in MONEY_FIGURES)
RANK_SQL = (
    "CASE level " + " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in LEVEL_RANK.items()) + " END"
)
MONTHS = AreaMonth._meta.db_table
DUES = AreaDue._meta.db_table
DISTRICTS = District._meta.db_table
MONTH_COLUMNS = ["level", "code", "parent_code", "month", *FIGURES]
DUE_COLUMNS = ["level", "code", "parent_code", "kind", "due_on", "amount", "count"]
PROVINCE_DUES = ProvinceDue._meta.db_table
PROVINCE_DUE_COLUMNS = ["code", "kind", "due_on", "amount", "count", "merged"]
PROVINCE_MONTHS = ProvinceMonth._meta.db_table
PROVINCE_MONTH_COLUMNS = ["code", "month", *FIGURES, "merged"]
DUE_ORDER_SQL = f"{RANK_SQL}, code, kind, due_on IS NOT NULL, due_on"  # as `_due_order`, NULL first
DueKey = tuple[str, str, str, date | None]  # level, code, kind, due on


def _carried_row(row: Row) -> Row:
    return row[: len(STOCKS)] + FLOW_ZERO


def _dense_rows(rows: dict[date, Row], first: date, last: date) -> dict[date, Row]:
    """As `dense`, for rows as tuples."""
    result: dict[date, Row] = {}
    before = [month for month in rows if month < first]
    previous = _carried_row(rows[max(before)]) if before else ROW_ZERO
    for i in range(series.months_between(first, last)):
        month = add_months(first, i)
        row = rows.get(month)
        if row is None:
            result[month] = previous
        else:
            result[month] = row
            previous = _carried_row(row)
    return result


def _difference(new: Row, old: Row) -> Values:
    return {FIGURES[i]: a - b for i, (a, b) in enumerate(zip(new, old, strict=True)) if a != b}


def _as_row(values: Iterable[Any]) -> Row:
    """Figures (stocks first) read with plain SQL: PostgreSQL gives decimals, SQLite floats (back to the
    satang here)."""
    row = tuple(values)
    if connection.vendor == "postgresql":
        return row
    converted = list(row)
    for i in MONEY_INDEXES:
        if i < len(converted):
            converted[i] = series.money(converted[i])
    return tuple(converted)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _execute(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _marks(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def refresh_center(center_id: int) -> None:
    """Bring the center's rows and its ancestors' rows in step with its records (inside the caller's
    transaction; a transaction of its own when called outside one). No savepoint of its own: when it fails,
    the write that called it fails with it (its figures are never left behind its records)."""
    with transaction.atomic(savepoint=False):
        carry_into_current_month()
        _refresh(center_id)


def _refresh(center_id: int) -> None:
    today = timezone.localdate()
    current = month_start(today)
    code = str(center_id)
    place = _lock_center(center_id)
    new_rows: dict[date, Row] = {}
    new_dues: dict[tuple[str, date | None], tuple[Decimal, int]] = {}
    if place is not None:
        computed = series.compute(series.load_inputs([center_id])[center_id], today)
        new_rows, new_dues = computed.tuples(), computed.dues
    # The center's stored rows, and its ancestors' rows for the current month (usually all that changes).
    ancestors = [(level, area_code) for level, area_code, _parent in place.ancestors()] if place else []
    stored: dict[date, tuple[str, Row]] = {}
    current_rows: dict[Area, Row] = {}
    for level, area_code, month, parent, *values in _fetch(
        f"SELECT level, code, month, parent_code, {', '.join(FIGURES)} FROM {MONTHS} "  # noqa: S608
        "WHERE (level = %s AND code = %s)" + " OR (level = %s AND code = %s AND month = %s)" * len(ancestors),
        [Level.CENTER, code, *(value for area in ancestors for value in (*area, current))],
    ):
        if level == Level.CENTER:
            stored[_as_date(month)] = (parent, _as_row(values))
        else:
            current_rows[(level, area_code)] = _as_row(values)
    stored_dues = {
        (kind, due_on): (parent, series.money(amount), count)
        for kind, due_on, parent, amount, count in _fetch(
            f"SELECT kind, due_on, parent_code, amount, count FROM {DUES} "  # noqa: S608
            "WHERE level = %s AND code = %s",
            [Level.CENTER, code],
        )
    }
    filed_under = {parent for parent, _row in stored.values()} | {p for p, _a, _c in stored_dues.values()}
    old_place = _old_place(filed_under, place)
    old_rows = {month: row for month, (_parent, row) in stored.items()}

    # The center's own rows: those that changed written over the stored ones, those it no longer has deleted.
    changed = [
        month
        for month, values in new_rows.items()
        if month not in stored or stored[month][0] != place.district or stored[month][1] != values
    ]
    gone = [month for month in stored if month not in new_rows]
    if gone:
        _execute(
            f"DELETE FROM {MONTHS} WHERE level = %s AND code = %s AND month IN ({_marks(gone)})",  # noqa: S608
            [Level.CENTER, code, *gone],
        )
    if changed:
        _upsert_months([[Level.CENTER, code, place.district, m, *new_rows[m]] for m in sorted(changed)])

    # The ancestors: what the center adds now, less what it added before (to its old ancestors if moved).
    first = min([*new_rows, *old_rows], default=current)
    new_dense = _dense_rows(new_rows, first, current) if new_rows else {}
    old_dense = _dense_rows(old_rows, first, current) if old_rows else {}
    new_chain = {(level, c): parent for level, c, parent in place.ancestors()} if place else {}
    old_chain = {(level, c): parent for level, c, parent in old_place.ancestors()} if old_place else {}
    parents = {**old_chain, **new_chain}
    months = new_dense.keys() | old_dense.keys()
    by_side: dict[tuple[bool, bool], dict[date, Values]] = {}  # alike for the areas in the same chains
    deltas: dict[Area, dict[date, Values]] = {}
    for area in parents:
        side = (area in new_chain, area in old_chain)
        if side not in by_side:
            by_month = {}
            for month in months:
                new = new_dense.get(month, ROW_ZERO) if side[0] else ROW_ZERO
                old = old_dense.get(month, ROW_ZERO) if side[1] else ROW_ZERO
                if new != old:
                    by_month[month] = _difference(new, old)
            by_side[side] = by_month
        deltas[area] = by_side[side]
    _add_to_ancestors(deltas, parents, current, current_rows)

    # Due dates: the center's rows replaced, the differences added to the ancestors.
    old_due_values = {key: (amount, count) for key, (_parent, amount, count) in stored_dues.items()}
    if old_due_values != new_dues or (stored_dues and old_place != place):
        _write_center_dues(code, place, old_due_values, new_dues, moved=old_place != place)
        due_deltas: dict[Area, dict[tuple[str, date | None], list[Any]]] = {}
        province_deltas: dict[tuple[str, str, date | None], list[Any]] = {}
        fold = due_fold(current)
        for chain, dues, sign in ((place, new_dues, 1), (old_place, old_due_values, -1)):
            if chain is None:
                continue
            for level, area_code, _parent in chain.ancestors():
                by_key = due_deltas.setdefault((level, area_code), {})
                for (kind, due_on), (amount, count) in dues.items():
                    into = by_key.setdefault((kind, folded(due_on, fold)), [ZERO, 0])
                    into[0] += sign * amount
                    into[1] += sign * count
            for (kind, due_on), (amount, count) in dues.items():
                into = province_deltas.setdefault((chain.province, kind, folded(due_on, fold)), [ZERO, 0])
                into[0] += sign * amount
                into[1] += sign * count
        _add_dues_to_ancestors(due_deltas, parents)
        _append_province_dues(province_deltas)


def _write_center_dues(
    code: str,
    place: Place | None,
    old: dict[tuple[str, date | None], tuple[Decimal, int]],
    new: dict[tuple[str, date | None], tuple[Decimal, int]],
    *,
    moved: bool,
) -> None:
    """The center's due dates: those that changed rewritten (all of them when it moved)."""
    if moved:
        _execute(f"DELETE FROM {DUES} WHERE level = %s AND code = %s", [Level.CENTER, code])  # noqa: S608
        gone, changed, added = [], [], sorted(new.items(), key=_due_order)
    else:
        gone = [key for key in old if key not in new]
        changed = [(key, values) for key, values in new.items() if key in old and old[key] != values]
        added = sorted(((key, values) for key, values in new.items() if key not in old), key=_due_order)
    if gone:
        keys = [(Level.CENTER, code, kind, due_on) for kind, due_on in gone]
        _execute(f"DELETE FROM {DUES} WHERE {_due_where(keys)}", _due_params(keys))  # noqa: S608
    for (kind, due_on), (amount, count) in changed:
        key = [(Level.CENTER, code, kind, due_on)]
        _execute(
            f"UPDATE {DUES} SET amount = %s, count = %s WHERE {_due_where(key)}",  # noqa: S608
            [amount, count, *_due_params(key)],
        )
    if added:
        _insert_dues(
            [
                [Level.CENTER, code, place.district, kind, due_on, amount, count]
                for (kind, due_on), (amount, count) in added
            ]
        )


def _lock_center(center_id: int) -> Place | None:
    """Lock the center's row, so that two writes to one center's figures wait for each other; where it is."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # Nested subqueries rather than a join of four tables: PostgreSQL plans them in a third of the time.
    found = _fetch(
        "SELECT s.district_id, (SELECT d.province_id FROM geography_district d WHERE d.code = s.district_id) "  # noqa: S608
        "FROM geography_subdistrict s WHERE s.code = (SELECT v.subdistrict_id FROM geography_village v "
        f"WHERE v.id = (SELECT c.village_id FROM {Center._meta.db_table} c WHERE c.id = %s{lock}))",
        [center_id],
    )
    return Place(*found[0]) if found else None


def _old_place(filed_under: set[str], place: Place | None) -> Place | None:
    """Where the stored rows put the center (it may have moved to another district since)."""
    if not filed_under:
        return None
    district = max(filed_under)  # one district, unless a failed write left two: any is a start
    if place is not None and district == place.district:
        return place
    province = District.objects.filter(pk=district).values_list("province_id", flat=True).first()
    return Place(district, province or district[:2])


def _due_order(item):
    (kind, due_on), _values = item
    return (kind, due_on is not None, due_on or date.min)


def _upsert_months(rows: list[list[Any]]) -> None:
    """Insert the rows, each written over the stored row of its area and month if there is one."""
    placeholders = f"({_marks(MONTH_COLUMNS)})"
    updates = ", ".join(f"{name} = excluded.{name}" for name in MONTH_COLUMNS[2:])
    for i in range(0, len(rows), 200):
        batch = rows[i : i + 200]
        _execute(
            f"INSERT INTO {MONTHS} ({', '.join(MONTH_COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([placeholders] * len(batch))} "
            f"ON CONFLICT (level, code, month) DO UPDATE SET {updates}",
            [value for row in batch for value in row],
        )


def _insert_dues(rows: list[list[Any]]) -> None:
    placeholders = f"({_marks(DUE_COLUMNS)})"
    for i in range(0, len(rows), 200):
        batch = rows[i : i + 200]
        _execute(
            f"INSERT INTO {DUES} ({', '.join(DUE_COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([placeholders] * len(batch))}",
            [value for row in batch for value in row],
        )


def _add_to_ancestors(
    deltas: dict[Area, dict[date, Values]],
    parents: dict[Area, str],
    current: date,
    current_rows: dict[Area, Row],
) -> None:
    """Add each ancestor's monthly differences, in one global order: month, then level, then code.

    Rows an ancestor lacks from its first changed month to the current month are first created (one
    statement, in that order) with the stocks of its latest earlier row (they were carried forward until
    now) plus the difference. The rows that existed are then locked in that order (one statement) and the
    differences added with increments done by the database, one statement per run of months that change
    alike, for all the ancestors it changes alike (one statement for the three, usually).
    """
    work: list[tuple[date, int, str, str, Values]] = []
    starts: dict[Area, date] = {}
    for (level, area_code), by_month in deltas.items():
        if not by_month:
            continue
        start = min(by_month)
        starts[(level, area_code)] = start
        for i in range(series.months_between(start, current)):
            month = add_months(start, i)
            work.append((month, LEVEL_RANK[level], level, area_code, by_month.get(month, {})))
    if not work:
        return
    if all(start == current and area in current_rows for area, start in starts.items()):
        existing = {area: {current: _carried_row(current_rows[area])} for area in starts}  # read already
    else:
        existing = _existing_stocks(starts)
    work.sort(key=lambda item: item[:4])
    missing: list[list[Any]] = []
    created: dict[tuple[str, str, date], list[Any]] = {}
    for month, _rank, level, area_code, delta in work:
        rows = existing[(level, area_code)]
        if month in rows:
            continue
        earlier = max((m for m in rows if m < month), default=None)
        base = rows[earlier] if earlier is not None else ROW_ZERO
        rows[month] = base  # a later missing month carries the same stocks
        values = [value + delta.get(name, 0) for name, value in zip(FIGURES, base, strict=True)]
        created[(level, area_code, month)] = values
        missing.append([level, area_code, parents[(level, area_code)], month.isoformat(), *values])
    inserted = _insert_months(missing)
    _append_province_months(work, created, inserted, parents)
    by_area: dict[Area, list[tuple[date, Values]]] = {}
    for month, _rank, level, area_code, delta in work:
        if delta and (level, area_code, month) not in inserted:
            by_area.setdefault((level, area_code), []).append((month, delta))
    if not by_area:
        return
    # Per ancestor: its runs of consecutive months to change (to lock), and of months that change alike.
    locks: list[tuple[str, str, date, date]] = []
    runs: dict[tuple[date, date, tuple[tuple[str, Any], ...]], list[Area]] = {}
    for area, items in by_area.items():
        lock_start, run_start, run_end, run_delta = None, None, items[0][0], None
        for month, delta in [*items, (None, None)]:
            follows = month is not None and month == add_months(run_end, 1)
            if lock_start is not None and not follows:
                locks.append((*area, lock_start, run_end))
                lock_start = None
            if run_delta is not None and (delta != run_delta or not follows):
                runs.setdefault((run_start, run_end, tuple(run_delta.items())), []).append(area)
                run_delta = None
            if month is None:
                break
            if lock_start is None:
                lock_start = month
            if run_delta is None:
                run_start, run_delta = month, delta
            run_end = month
    # Lock every row to change, in the global order, before changing any.
    where = " OR ".join(["(level = %s AND code = %s AND month BETWEEN %s AND %s)"] * len(locks))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    _fetch(
        f"SELECT id FROM {MONTHS} WHERE {where} ORDER BY month, {RANK_SQL}, code{lock}",  # noqa: S608
        [value for item in locks for value in item],
    )
    for (run_start, run_end, changes), areas in runs.items():
        _execute(
            f"UPDATE {MONTHS} SET {', '.join(f'{name} = {name} + %s' for name, _value in changes)} "  # noqa: S608
            f"WHERE month BETWEEN %s AND %s AND ({' OR '.join(['(level = %s AND code = %s)'] * len(areas))})",
            [*(value for _name, value in changes), run_start, run_end, *(v for area in areas for v in area)],
        )


def _append_province_months(
    work: list[tuple[date, int, str, str, Values]],
    created: dict[tuple[str, str, date], list[Any]],
    inserted: set[tuple[str, str, date]],
    parents: dict[Area, str],
) -> None:
    """Append to each province what its districts' rows change by (one statement): a row this write
    created counts whole (the district had none for that month), any other its difference. No row is read,
    locked or changed, so writes in different districts of a province never wait for each other."""
    changes: dict[tuple[str, date], list[Any]] = {}
    for month, _rank, level, area_code, delta in work:
        key = (level, area_code, month)
        if key in inserted:
            values = created[key]
        elif delta:
            values = [delta.get(name, 0) for name in FIGURES]
        else:
            continue
        into = changes.get((parents[(level, area_code)], month))
        changes[(parents[(level, area_code)], month)] = (
            values if into is None else [a + b for a, b in zip(into, values, strict=True)]
        )
    rows = [[code, month, *values, False] for (code, month), values in sorted(changes.items()) if any(values)]
    for i in range(0, len(rows), 200):
        batch = rows[i : i + 200]
        _execute(
            f"INSERT INTO {PROVINCE_MONTHS} ({', '.join(PROVINCE_MONTH_COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([f'({_marks(PROVINCE_MONTH_COLUMNS)})'] * len(batch))}",
            [value for row in batch for value in row],
        )


def _insert_months(rows: list[list[Any]]) -> set[tuple[str, str, date]]:
    """Insert the rows (in their order) unless another transaction did: the (level, code, month) inserted."""
    inserted: set[tuple[str, str, date]] = set()
    placeholders = f"({_marks(MONTH_COLUMNS)})"
    for i in range(0, len(rows), 200):
        batch = rows[i : i + 200]
        for level, area_code, month in _fetch(
            f"INSERT INTO {MONTHS} ({', '.join(MONTH_COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([placeholders] * len(batch))} "
            "ON CONFLICT DO NOTHING RETURNING level, code, month",
            [value for row in batch for value in row],
        ):
            inserted.add((level, area_code, _as_date(month)))
    return inserted


def _existing_stocks(starts: dict[Area, date]) -> dict[Area, dict[date, Row]]:
    """For each ancestor: its rows from its start month on, and its latest row before it when it has none at
    its start, each as carried into a month without a row (its stocks, no flows)."""
    result: dict[Area, dict[date, Row]] = {area: {} for area in starts}
    columns = f"level, code, month, {', '.join(STOCKS)}"
    found = _fetch(
        f"SELECT {columns} FROM {MONTHS} WHERE "  # noqa: S608
        + " OR ".join(["(level = %s AND code = %s AND month >= %s)"] * len(starts)),
        [value for (level, area_code), start in starts.items() for value in (level, area_code, start)],
    )
    at_start = {
        (level, area_code)
        for level, area_code, month, *_stocks in found
        if starts[(level, area_code)] == _as_date(month)
    }
    before = [(area, start) for area, start in starts.items() if area not in at_start]
    if before:
        latest = (
            f"SELECT * FROM (SELECT {columns} FROM {MONTHS} WHERE level = %s AND code = %s AND month < %s "  # noqa: S608
        )
        found += _fetch(
            " UNION ALL ".join(
                [latest + f"ORDER BY month DESC LIMIT 1) AS before{i}" for i in range(len(before))]
            ),
            [value for (level, area_code), start in before for value in (level, area_code, start)],
        )
    for level, area_code, month, *stocks in found:
        result[(level, area_code)][_as_date(month)] = _as_row(stocks) + FLOW_ZERO
    return result


def _add_dues_to_ancestors(
    deltas: dict[Area, dict[tuple[str, date | None], list[Any]]], parents: dict[Area, str]
) -> None:
    """Add each ancestor's differences by due date, in one global order: level, code, then the due date.

    As for the months: the rows missing are first created (one statement, in that order), the others then
    locked in that order (one statement, which reads them) and changed with increments done by the
    database, one statement per difference (usually one for the three ancestors); a row left at zero is
    deleted."""
    items = sorted(
        (
            (LEVEL_RANK[level], area_code, kind, due_on, amount, count, level)
            for (level, area_code), by_key in deltas.items()
            for (kind, due_on), (amount, count) in by_key.items()
            if amount or count
        ),
        key=lambda item: (item[0], item[1], *_due_order(((item[2], item[3]), None))),
    )
    if not items:
        return
    change: dict[DueKey, tuple[Decimal, int]] = {
        (level, area_code, kind, due_on): (amount, count)
        for _rank, area_code, kind, due_on, amount, count, level in items
    }
    keys = list(change)
    existing = {
        (level, area_code, kind, None if due_on is None else _as_date(due_on))
        for level, area_code, kind, due_on in _fetch(
            f"SELECT level, code, kind, due_on FROM {DUES} WHERE {_due_where(keys)}",  # noqa: S608
            _due_params(keys),
        )
    }
    missing = [key for key in keys if key not in existing]
    inserted: set[DueKey] = set()
    if missing:
        for level, area_code, kind, due_on in _fetch(
            f"INSERT INTO {DUES} ({', '.join(DUE_COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([f'({_marks(DUE_COLUMNS)})'] * len(missing))} "
            "ON CONFLICT DO NOTHING RETURNING level, code, kind, due_on",
            [
                value
                for key in missing
                for value in (key[0], key[1], parents[key[:2]], key[2], key[3], *change[key])
            ],
        ):
            inserted.add((level, area_code, kind, None if due_on is None else _as_date(due_on)))
    to_change = [key for key in keys if key not in inserted]
    if not to_change:
        return
    # Lock the rows to change in the global order (reading what they hold) before changing any.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    after: dict[DueKey, tuple[int, Decimal, int]] = {}
    for pk, level, area_code, kind, due_on, amount, count in _fetch(
        f"SELECT id, level, code, kind, due_on, amount, count FROM {DUES} "  # noqa: S608
        f"WHERE {_due_where(to_change)} ORDER BY {DUE_ORDER_SQL}{lock}",
        _due_params(to_change),
    ):
        key = (level, area_code, kind, None if due_on is None else _as_date(due_on))
        after[key] = (pk, series.money(amount) + change[key][0], count + change[key][1])
    emptied = [pk for pk, amount, count in after.values() if not amount and not count]
    by_change: dict[tuple[Decimal, int], list[int]] = {}
    for key, (pk, amount, count) in after.items():
        if amount or count:
            by_change.setdefault(change[key], []).append(pk)
    for (amount, count), pks in by_change.items():
        _execute(
            f"UPDATE {DUES} SET amount = amount + %s, count = count + %s WHERE id IN ({_marks(pks)})",  # noqa: S608
            [amount, count, *pks],
        )
    if emptied:
        _execute(f"DELETE FROM {DUES} WHERE id IN ({_marks(emptied)})", emptied)  # noqa: S608
    for key in to_change:
        if key not in after:  # deleted by another write since it was read (it fell to zero): made again
            _add_due_row(key, change[key], parents)


def _append_province_dues(deltas: dict[tuple[str, str, date | None], list[Any]]) -> None:
    """Append the provinces' differences (one statement): no row is read, locked or changed, so writes in
    different districts of a province never wait for each other."""
    rows = [
        [*key, amount, count, False]
        for key, (amount, count) in sorted(deltas.items(), key=str)
        if amount or count
    ]
    if rows:
        _execute(
            f"INSERT INTO {PROVINCE_DUES} ({', '.join(PROVINCE_DUE_COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([f'({_marks(PROVINCE_DUE_COLUMNS)})'] * len(rows))}",
            [value for row in rows for value in row],
        )


MERGE_AFTER = 5000  # appended rows a reader tolerates before merging them (the national page reads them all)
MERGE_LOCKS = {ProvinceDue: 5_818_002, ProvinceMonth: 5_818_003}  # PostgreSQL advisory locks, like CARRY_LOCK


def merge_province_dues() -> int | None:
    """Replace every province due row by one row per province, kind and due date (those older than the
    month's fold under one date, as `folded` files them), dropping the keys at zero; the number of rows
    merged, or None when another merge is running (it does the same)."""
    fold = due_fold(current_month())
    return _merge(
        ProvinceDue,
        PROVINCE_DUE_COLUMNS,
        3,
        lambda code, kind, due_on: (code, kind, folded(None if due_on is None else _as_date(due_on), fold)),
        lambda amount, count: (series.money(amount), count),
        keep_zero=False,
    )


def merge_province_months() -> int | None:
    """Replace every province month row by one row per province and month (a province keeps a month whose
    figures are all zero, as its districts keep their rows); the number of rows merged, or None when another
    merge is running."""
    return _merge(
        ProvinceMonth,
        PROVINCE_MONTH_COLUMNS,
        2,
        lambda code, month: (code, _as_date(month)),
        lambda *values: _as_row(values),
        keep_zero=True,
    )


def _merge(model, columns, keys: int, key_of, values_of, *, keep_zero: bool) -> int | None:
    """One merge of a table that writes append to: `columns` are its `keys` key columns, its values, then
    `merged`; `key_of` and `values_of` read a row's key and values.

    One `DELETE ... RETURNING` takes exactly the rows it removes, so a write that appends meanwhile keeps
    its rows whether it commits before or after; only merges take the advisory lock, which writes never
    wait for."""
    table = model._meta.db_table
    with transaction.atomic():
        if (
            connection.vendor == "postgresql"
            and not _fetch("SELECT pg_try_advisory_xact_lock(%s)", [MERGE_LOCKS[model]])[0][0]
        ):
            return None
        rows = _fetch(f"DELETE FROM {table} RETURNING {', '.join(columns[:-1])}", [])  # noqa: S608
        sums: dict[tuple[Any, ...], list[Any]] = {}
        for row in rows:
            key, values = key_of(*row[:keys]), values_of(*row[keys:])
            into = sums.get(key)
            sums[key] = list(values) if into is None else [a + b for a, b in zip(into, values, strict=True)]
        merged = [
            [*key, *values, True] for key, values in sorted(sums.items(), key=str) if keep_zero or any(values)
        ]
        _copy_rows(model, columns, merged)
    return len(rows)


def _due_where(keys: list[DueKey]) -> str:
    return " OR ".join(
        "(level = %s AND code = %s AND kind = %s AND due_on IS NULL)"
        if due_on is None
        else "(level = %s AND code = %s AND kind = %s AND due_on = %s)"
        for _level, _code, _kind, due_on in keys
    )


def _due_params(keys: list[DueKey]) -> list[Any]:
    return [value for key in keys for value in (key if key[3] is not None else key[:3])]


def _add_due_row(key: DueKey, change: tuple[Decimal, int], parents: dict[Area, str]) -> None:
    """One ancestor's due date on its own: incremented, or created when no other write did meanwhile."""
    level, area_code, kind, due_on = key
    amount, count = change
    where, params = _due_where([key]), _due_params([key])
    update = f"UPDATE {DUES} SET amount = amount + %s, count = count + %s WHERE {where}"  # noqa: S608
    if not _execute(update, [amount, count, *params]):
        created = _execute(
            f"INSERT INTO {DUES} ({', '.join(DUE_COLUMNS)}) VALUES ({_marks(DUE_COLUMNS)}) "  # noqa: S608
            "ON CONFLICT DO NOTHING",
            [level, area_code, parents[(level, area_code)], kind, due_on, amount, count],
        )
        if created:
            return
        _execute(update, [amount, count, *params])
    _execute(f"DELETE FROM {DUES} WHERE ({where}) AND amount = 0 AND count = 0", params)  # noqa: S608


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
        ProvinceDue.objects.all().delete()
        ProvinceMonth.objects.all().delete()
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
        sum_districts()
        # Every center is dense to the current month: the month is carried.
        CarriedMonth.objects.update_or_create(month=month_start(today), defaults={"centers": len(ids)})
    if connection.vendor == "postgresql":
        # Fresh statistics: the planner otherwise guesses a handful of rows and sorts where it should hash.
        with connection.cursor() as cursor:
            for model in (AreaMonth, AreaDue, ProvinceDue, ProvinceMonth):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "centers": len(ids),
        "center_rows": month_rows,
        "center_due_rows": due_rows,
        "district_rows": AreaMonth.objects.filter(level=Level.DISTRICT).count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def sum_districts() -> None:
    """District rows as grouped sums of their centers' rows (every center being dense to the current month, a
    plain sum is the sum carried forward). The SQL holds only our own table and column names, no input."""
    sums = ", ".join(f"SUM(a.{name})" for name in FIGURES)
    figure_columns = ", ".join(FIGURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MONTHS} (level, code, parent_code, month, {figure_columns}) "  # noqa: S608
            f"SELECT 'district', a.parent_code, d.province_id, a.month, {sums} FROM {MONTHS} a "
            f"JOIN {DISTRICTS} d ON d.code = a.parent_code WHERE a.level = 'center' "
            "GROUP BY a.parent_code, d.province_id, a.month"
        )
        cursor.execute(
            f"INSERT INTO {DUES} (level, code, parent_code, kind, due_on, amount, count) "  # noqa: S608
            "SELECT 'district', a.parent_code, d.province_id, a.kind, a.due_on, SUM(a.amount), SUM(a.count) "
            f"FROM {DUES} a JOIN {DISTRICTS} d ON d.code = a.parent_code WHERE a.level = 'center' "
            "GROUP BY a.parent_code, d.province_id, a.kind, a.due_on"
        )
    fold_district_dues(current_month())
    sum_provinces()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROVINCE_DUES} ({', '.join(PROVINCE_DUE_COLUMNS)}) "  # noqa: S608
            f"SELECT parent_code, kind, due_on, SUM(amount), SUM(count), TRUE FROM {DUES} "
            "WHERE level = 'district' GROUP BY parent_code, kind, due_on"
        )


def sum_provinces(month: date | None = None) -> None:
    """The province month rows (merged) made anew as the sums of their districts' rows: of every month, or of
    `month` alone (the rows it replaces are deleted first)."""
    sums = ", ".join(f"SUM({name})" for name in FIGURES)
    where, params = ("AND month = %s", [month]) if month is not None else ("", [])
    _execute(f"DELETE FROM {PROVINCE_MONTHS} WHERE TRUE {where}", params)  # noqa: S608
    _execute(
        f"INSERT INTO {PROVINCE_MONTHS} ({', '.join(PROVINCE_MONTH_COLUMNS)}) "  # noqa: S608
        f"SELECT parent_code, month, {sums}, TRUE FROM {MONTHS} WHERE level = 'district' {where} "
        "GROUP BY parent_code, month",
        params,
    )


# --- a new month ------------------------------------------------------------------------------------------

CARRY_LOCK = 5_818_001  # the PostgreSQL advisory lock of the carry: any constant, the same in every process


def carry_into_current_month() -> int:
    """Carry every center and district into the current month, once a month; the number of centers carried.

    The first caller of a month (a write's refresh, a dashboard read) does it, in its caller's transaction or
    one of its own; on PostgreSQL an advisory lock makes the others wait for it and then find the month done.
    A center without a row for a month had no write since its latest row (a write extends its center to the
    current month), so its new row carries that row's stocks, with no flows, except what moves with the
    calendar alone, computed as `series.compute` does: PAR30 at the month's end (its due dates in `AreaDue`
    are still those of its latest row), whether it is active and founded by then, and, in October, whether
    it is recognised for the fiscal year. Each district's row is then the sum of its centers' rows. Months
    with no request at all are carried one by one."""
    current = current_month()
    if CarriedMonth.objects.filter(month=current).exists():
        return 0
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            _fetch("SELECT pg_advisory_xact_lock(%s)", [CARRY_LOCK])
            if CarriedMonth.objects.filter(month=current).exists():
                return 0
        latest = _fetch(
            f"SELECT MIN(latest) FROM (SELECT MAX(month) AS latest FROM {MONTHS} "  # noqa: S608
            "WHERE level IN (%s, %s) GROUP BY level, code) AS areas",
            [Level.CENTER, Level.DISTRICT],
        )[0][0]
        carried = 0
        month = current if latest is None else add_months(_as_date(latest), 1)
        while month <= current:
            carried += _carry(month)
            month = add_months(month, 1)
        fold_district_dues(current)
        merge_province_dues()
        merge_province_months()
        CarriedMonth.objects.create(month=current, centers=carried)
    return carried


def _carry(month: date) -> int:
    """Carry the centers and districts whose latest row is the month before into `month`."""
    previous = add_months(month, -1)
    end = series.month_end(month)
    stocks = ", ".join(f"a.{name}" for name in STOCKS)
    lacking = (
        f"FROM {MONTHS} a WHERE a.level = %s AND a.month = %s AND NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {MONTHS} b WHERE b.level = a.level AND b.code = a.code AND b.month = %s)"
    )
    rows = _fetch(f"SELECT a.code, a.parent_code, {stocks} {lacking}", [Level.CENTER, previous, month])
    ids = [int(code) for code, *_rest in rows]
    centers: dict[int, tuple[str, date]] = {}
    recognised: set[int] = set()
    for chunk in chunks(ids, 5000):
        for pk, status, founded_on, founded_year in Center.objects.filter(pk__in=chunk).values_list(
            "pk", "status", "founded_on", "founded_year"
        ):
            centers[pk] = (status, series.founding_date(founded_on, founded_year))
        if month.month == 10:
            recognised.update(
                Recognition.objects.filter(
                    center_id__in=chunk, fiscal_year=fiscal_year(month), stage=Recognition.Stage.SELECTED
                ).values_list("center_id", flat=True)
            )
    at_risk = {
        code: series.money(amount)
        for code, amount in _fetch(
            f"SELECT code, SUM(amount) FROM {DUES} WHERE level = %s AND kind = %s AND due_on < %s "  # noqa: S608
            "GROUP BY code",
            [Level.CENTER, DueKind.ARREARS, at_risk_cutoff(end)],
        )
    }
    new_rows = []
    for code, parent, *values in rows:
        pk = int(code)
        if pk not in centers:  # deleted meanwhile: its refresh removes its rows
            continue
        status, founded = centers[pk]
        row = dict(zip(STOCKS, _as_row(values), strict=True))
        row["centers_active"] = int(status == Center.Status.ACTIVE and founded <= end)
        row["par30_outstanding"] = at_risk.get(code, ZERO)
        row.update({name: zero_of(name) for name in FLOWS})
        row["centers_recognised"] = int(pk in recognised)
        new_rows.append([Level.CENTER, code, parent, month, *(row[name] for name in FIGURES)])
    _copy_rows(AreaMonth, MONTH_COLUMNS, new_rows)
    # Districts: carried (a district left without centers keeps its row), then the sum of their centers.
    flows = ", ".join(["0"] * len(FLOWS))
    _execute(
        f"INSERT INTO {MONTHS} ({', '.join(MONTH_COLUMNS)}) "
        f"SELECT a.level, a.code, a.parent_code, %s, {stocks}, {flows} {lacking}",
        [month, Level.DISTRICT, previous, month],
    )
    sums = ", ".join(f"SUM(a.{name})" for name in FIGURES)
    updates = ", ".join(f"{name} = excluded.{name}" for name in FIGURES)
    _execute(
        f"INSERT INTO {MONTHS} ({', '.join(MONTH_COLUMNS)}) "  # noqa: S608
        f"SELECT %s, a.parent_code, d.province_id, a.month, {sums} FROM {MONTHS} a "
        f"JOIN {DISTRICTS} d ON d.code = a.parent_code WHERE a.level = %s AND a.month = %s "
        f"GROUP BY a.parent_code, d.province_id, a.month "
        f"ON CONFLICT (level, code, month) DO UPDATE SET {updates}",
        [Level.DISTRICT, Level.CENTER, month],
    )
    sum_provinces(month)
    return len(new_rows)


def fold_district_dues(month: date) -> int:
    """Fold each district's due dates before `due_fold(month)` into one row per kind (`folded`); the number of
    rows folded away. The national page sums every district's due dates: about 45 % of them are that old at
    national scale, and need not be told apart any more.

    Run by the month's carry (and `rebuild`), in the caller's transaction. The rows are locked in the writes'
    order and removed by id, and their sums added as a write adds its differences, so that a write that began
    before the carry (and files with the month before) loses nothing: its rows are folded next month. The
    centers' own due dates are never folded."""
    fold = due_fold(month)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    on = fold - timedelta(days=1)
    gone: list[int] = []
    sums: dict[Area, dict[tuple[str, date | None], list[Any]]] = {}
    parents: dict[Area, str] = {}
    for pk, area_code, parent, kind, due_on, amount, count in _fetch(
        f"SELECT id, code, parent_code, kind, due_on, amount, count FROM {DUES} "  # noqa: S608
        f"WHERE level = %s AND due_on < %s ORDER BY {DUE_ORDER_SQL}{lock}",
        [Level.DISTRICT, fold],
    ):
        if _as_date(due_on) == on:  # already the folded row: the sums are added to it
            continue
        gone.append(pk)
        parents[(Level.DISTRICT, area_code)] = parent
        into = sums.setdefault((Level.DISTRICT, area_code), {}).setdefault((kind, on), [ZERO, 0])
        into[0] += series.money(amount)
        into[1] += count
    for chunk in chunks(gone, 500):
        _execute(f"DELETE FROM {DUES} WHERE id IN ({_marks(chunk)})", chunk)  # noqa: S608
    _add_dues_to_ancestors(sums, parents)
    return len(gone)
