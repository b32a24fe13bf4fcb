"""A center's figures month by month, computed from its ledger: the one definition of every figure.

`load_inputs(center_ids)` reads what the computation needs for any number of centers in a fixed number of
queries (11, whatever the number of centers, households or payments), and
`compute(data, today)` turns one center's records into its dense monthly series and its due-date
histograms, without touching the database. `rollups.refresh_center` calls both for one center inside
the transaction of a write; `rollups.rebuild` and `verify_rollups` call them for chunks of centers.

The definitions follow the domain code:

- Months run from the center's first record (its founding date, or the first household survey, contract
  or visit if earlier), never before October 2015 (fiscal year 2559), to the current month. Stocks are as
  at the last day of each month; flows are what happened during it. Records dated before the first month
  count in the stocks of the first month.
- centers_active: 1 while the center's status is active (its current status, for every month) and it was
  founded by the end of the month (founded_on, or 1 January of the founding year when only the year is
  known). capital: the managed capital, the current capital of its member funds counted in it
  (`MemberFund.objects.counted_in_managed_capital`, the center page's figure), for every month (funds keep no
  dated history of their capital). centers_recognised (a flow): 1 in the first month of a fiscal
  year for which the center was *selected* for a recognition (a nomination alone does not count), or in the
  center's first month when that is later. centers_visited_fy (a flow): 1 in the month of the center's first
  visit of a fiscal year. Summed over a fiscal year's months, both count centers.
- Visits count reports that left the draft stage (submitted or accepted: `SHARED_STATUSES`, the same that
  publish recommendations); a returned report counts again once resubmitted. Recommendations are those of
  such reports, made on the visit date; one is open at a month end when its status then was open or in
  progress: the status of its latest follow-up note dated by then (open when none), or its current status
  when no note is dated after that month.
- Households by status at a month end come from the status log, as `visits.snapshot` reads it (counted from
  the survey date; the latest move dated by then; surveyed when none), completed by the household's current
  status when the log does not end with it.
- Progress (`contracts.progress`: `baseline_balance`, `debt_went_down`, `IN_PROGRAMME`): a household
  with a signed (not draft) contract has a baseline, the balances of its registry lines on the day its
  first contract was drawn up (without the zero balances its payoffs wrote); its debt now (debt after
  consolidation) is the principal it still owes on its active contract plus its registry lines left open.
  The contract's debt is owed to the center's funds: it counts in the community sector. Debt at enrolment,
  debt now, informal debt cleared and households whose debt went down count the
  households enrolled or debt-free at the month end that have a contract signed by then.
- Registry balances (registry_balance and by sector): each registry line's latest balance dated by the
  month end, for every household of the center whatever its status: what the household list totals
  (`debts.selectors.sector_totals`, from `DebtLine.current_balance`). Debt after consolidation (debt now) is
  another figure: lines paid off by a contract are zero in the registry, and the contract is not a line.
- Contracts: active at a month end when signed by then and not closed (or restructured) by then. Principal
  owed: the tranches' principal less the principal repaid by then (reversals net out). PAR30: principal owed
  by contracts whose oldest instalment not covered by what was repaid by the month end (interest and
  principal) fell due more than 30 days before it (`contracts.arrears.at_risk_cutoff`).
- Savings: the signed sum of savings entries (deposits positive, withdrawals negative), as the savings
  ledger; `saved` is deposits in the month, `withdrawn` withdrawals in the month as a positive amount.
- Repaid principal and interest: repayment lines by the date of their repayment (a reversal counts,
  negative, in the month of the reversal).

Due-date histograms (AreaDue), as of now: ARREARS holds, for every active contract, the principal it owes
keyed by the due date of its oldest instalment not covered by all its repayments (null when every
instalment is covered); RECOMMENDATION counts the open and in-progress recommendations by their due date.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection

from centers.models import MANAGED_CAPITAL_FLAG, Center, MemberFund, Recognition
from contracts.arrears import at_risk_cutoff
from contracts.models import (
    Contract,
    Payoff,
    Repayment,
    RepaymentLine,
    SavingsEntry,
    ScheduledInstalment,
    Tranche,
)
from contracts.progress import IN_PROGRAMME, baseline_balance, debt_went_down
from core.money import ZERO, money
from core.thai import to_ce_year
from debts.models import DebtBalance, DebtLine, Sector
from households.models import Household, HouseholdStatus, StatusChange
from visits.models import OPEN_STATUSES, SHARED_STATUSES, CenterReport, FollowUp, Recommendation

from .models import FIGURES, FLOWS, MONEY_FIGURES, STOCKS, DueKind

SERIES_START = date(2015, 10, 1)  # fiscal year 2559: nothing in Kongtun is older
STATUS_FIGURE = {
    HouseholdStatus.SURVEYED: "households_surveyed",
    HouseholdStatus.TARGET: "households_target",
    HouseholdStatus.ENROLLED: "households_enrolled",
    HouseholdStatus.DEBT_FREE: "households_debt_free",
    HouseholdStatus.WITHDRAWN: "households_withdrawn",
}
REGISTRY_FIGURE = {
    Sector.FORMAL: "registry_formal",
    Sector.COMMUNITY: "registry_community",
    Sector.INFORMAL: "registry_informal",
}
# The per-household progress figures, in the order of `_progress_tuple`.
PROGRESS_FIGURES = (
    "debt_at_enrolment",
    "debt_at_enrolment_formal",
    "debt_at_enrolment_community",
    "debt_at_enrolment_informal",
    "debt_now",
    "debt_now_formal",
    "debt_now_community",
    "debt_now_informal",
    "informal_cleared",
    "households_debt_reduced",
)


def zero_of(figure: str) -> Decimal | int:
    return ZERO if figure in MONEY_FIGURES else 0


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: date, last: date) -> int:
    """How many months from `first` to `last`, both included (0 when last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def founding_date(founded_on: date | None, founded_year_be: int) -> date:
    return founded_on or date(to_ce_year(founded_year_be), 1, 1)


# --- the records of a center ------------------------------------------------------------------------------


@dataclass
class ContractData:
    pk: int
    household_id: int
    status: str
    drawn_up_on: date
    signed_on: date | None
    closed_on: date | None
    principal: Decimal = ZERO  # the sum of its tranches
    instalments: list[tuple[date, Decimal]] = field(default_factory=list)  # (due on, amount) by number
    repaid: dict[date, tuple[Decimal, Decimal]] = field(default_factory=dict)  # month: (interest, principal)
    savings: dict[tuple[date, str], Decimal] = field(default_factory=dict)  # (month, kind): signed amount
    payoffs: list[tuple[int, date | None]] = field(default_factory=list)  # (debt line, paid on)


@dataclass
class CenterData:
    pk: int
    status: str
    founded_on: date | None
    founded_year: int
    capital: Decimal = ZERO
    recognised_years: set[int] = field(default_factory=set)  # fiscal years (BE) with a selection
    # (pk, surveyed_on, status, status_since)
    households: list[tuple[int, date, str, date]] = field(default_factory=list)
    status_changes: dict[int, list[tuple[date, int, str]]] = field(default_factory=dict)  # household: moves
    # (pk, household, sector, status, closed_on)
    debt_lines: list[tuple[int, int, str, str, date | None]] = field(default_factory=list)
    balances: dict[int, list[tuple[date, int, Decimal]]] = field(default_factory=dict)  # line: entries
    contracts: list[ContractData] = field(default_factory=list)
    visits: list[date] = field(default_factory=list)  # visit dates of shared reports
    # (visit date, status, due date, follow-ups [(date, pk, status)])
    recommendations: list[tuple[date, str, date | None, list[tuple[date, int, str]]]] = field(
        default_factory=list
    )


def _exact(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


def _in(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _month_of(day: date) -> date:
    return day.replace(day=1)


def load_inputs(center_ids: Iterable[int]) -> dict[int, CenterData]:
    """The records of these centers, in 11 queries whatever their number and size. Each query reads the
    rows of the parents found by the one before (by their indexed foreign keys), never a whole table.

    Plain SQL rather than the ORM: this runs inside every write that changes a center, where compiling
    sixteen querysets cost more than running them. Table names come from the models; the only inputs are
    parameters. Sums come back to the satang with `money` (SQLite sums decimals as floats); months are
    grouped here, from the dates, so that the SQL is the same on SQLite and PostgreSQL.
    """
    ids = list(center_ids)
    if not ids:
        return {}
    with connection.cursor() as cursor:
        return _load(cursor, ids)


def _load(cursor: Any, ids: list[int]) -> dict[int, CenterData]:
    def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        cursor.execute(sql, params)
        return cursor.fetchall()

    # PostgreSQL gives exact decimals to the satang (sums of them too): only SQLite's floats need `money`.
    to_money = _exact if connection.vendor == "postgresql" else money
    t = _tables()
    centers: dict[int, CenterData] = {}
    for pk, status, founded_on, founded_year, capital in _fetch(
        f"SELECT c.id, c.status, c.founded_on, c.founded_year, (SELECT SUM(f.capital) FROM {t.fund} f "  # noqa: S608
        f"WHERE f.center_id = c.id AND f.{MANAGED_CAPITAL_FLAG} = %s) FROM {t.center} c "
        f"WHERE c.id IN ({_in(ids)})",
        [True, *ids],
    ):
        centers[pk] = CenterData(
            pk=pk, status=status, founded_on=founded_on, founded_year=founded_year, capital=to_money(capital)
        )
    ids = list(centers)
    if not ids:
        return centers
    for center_id, year in _fetch(
        f"SELECT center_id, fiscal_year FROM {t.recognition} "  # noqa: S608
        f"WHERE center_id IN ({_in(ids)}) AND stage = %s",
        [*ids, Recognition.Stage.SELECTED],
    ):
        centers[center_id].recognised_years.add(year)

    # Households (by pk), each with its status log (by date, then pk).
    household_center: dict[int, int] = {}
    for pk, center_id, surveyed_on, status, since, changed_on, change_pk, to_status in _fetch(
        f"SELECT h.id, h.center_id, h.surveyed_on, h.status, h.status_since, s.changed_on, s.id, "  # noqa: S608
        f"s.to_status FROM {t.household} h LEFT JOIN {t.status_change} s ON s.household_id = h.id "
        f"WHERE h.center_id IN ({_in(ids)}) ORDER BY h.id, s.changed_on, s.id",
        ids,
    ):
        center = centers[center_id]
        if pk not in household_center:
            household_center[pk] = center_id
            center.households.append((pk, surveyed_on, status, since))
        if change_pk is not None:
            center.status_changes.setdefault(pk, []).append((changed_on, change_pk, to_status))

    # Registry lines (by pk), each with its balances (by date, then pk).
    households = list(household_center)
    seen_lines: set[int] = set()
    for pk, household_id, sector, status, closed_on, as_of, balance_pk, balance in (
        _fetch(
            f"SELECT l.id, l.household_id, l.sector, l.status, l.closed_on, b.as_of, b.id, b.balance "  # noqa: S608
            f"FROM {t.debt_line} l LEFT JOIN {t.balance} b ON b.line_id = l.id "
            f"WHERE l.household_id IN ({_in(households)}) ORDER BY l.id, b.as_of, b.id",
            households,
        )
        if households
        else []
    ):
        center = centers[household_center[household_id]]
        if pk not in seen_lines:
            seen_lines.add(pk)
            center.debt_lines.append((pk, household_id, sector, status, closed_on))
        if balance_pk is not None:
            center.balances.setdefault(pk, []).append((as_of, balance_pk, to_money(balance)))

    # Contracts (by pk) with the sum of their tranches, then their payoffs, schedules, repayments, savings.
    contracts: dict[int, ContractData] = {}
    for pk, center_id, household_id, status, drawn_up_on, signed_on, closed_on, principal in _fetch(
        f"SELECT c.id, c.center_id, c.household_id, c.status, c.drawn_up_on, c.signed_on, c.closed_on, "  # noqa: S608
        f"(SELECT SUM(t.principal) FROM {t.tranche} t WHERE t.contract_id = c.id) FROM {t.contract} c "
        f"WHERE c.center_id IN ({_in(ids)}) ORDER BY c.id",
        ids,
    ):
        contract = ContractData(
            pk=pk,
            household_id=household_id,
            status=status,
            drawn_up_on=drawn_up_on,
            signed_on=signed_on,
            closed_on=closed_on,
            principal=to_money(principal),
        )
        contracts[pk] = contract
        centers[center_id].contracts.append(contract)
    if contracts:
        contract_ids = list(contracts)
        within = f"contract_id IN ({_in(contract_ids)})"
        for contract_id, line_id, paid_on in _fetch(
            f"SELECT contract_id, debt_line_id, paid_on FROM {t.payoff} WHERE {within} ORDER BY id",  # noqa: S608
            contract_ids,
        ):
            contracts[contract_id].payoffs.append((line_id, paid_on))
        for contract_id, _number, due_on, amount in _fetch(
            f"SELECT contract_id, number, due_on, SUM(principal + interest) FROM {t.instalment} "  # noqa: S608
            f"WHERE {within} GROUP BY contract_id, number, due_on ORDER BY contract_id, number",
            contract_ids,
        ):
            contracts[contract_id].instalments.append((due_on, to_money(amount)))
        for contract_id, paid_on, interest, principal in _fetch(
            f"SELECT r.contract_id, r.paid_on, SUM(l.interest), SUM(l.principal) "  # noqa: S608
            f"FROM {t.repayment_line} l JOIN {t.repayment} r ON r.id = l.repayment_id "
            f"WHERE r.{within} GROUP BY r.contract_id, r.paid_on",
            contract_ids,
        ):
            repaid = contracts[contract_id].repaid
            month = _month_of(paid_on)
            before_interest, before_principal = repaid.get(month, (ZERO, ZERO))
            repaid[month] = (before_interest + to_money(interest), before_principal + to_money(principal))
        for contract_id, on, kind, amount in _fetch(
            f'SELECT contract_id, "on", kind, SUM(amount) FROM {t.savings} WHERE {within} '  # noqa: S608
            'GROUP BY contract_id, "on", kind',
            contract_ids,
        ):
            savings = contracts[contract_id].savings
            key = (_month_of(on), kind)
            savings[key] = savings.get(key, ZERO) + to_money(amount)

    # Shared reports: the visits, then the recommendations (by pk) with their follow-ups (by date, then pk).
    shared = list(SHARED_STATUSES)
    for center_id, visit_date in _fetch(
        f"SELECT center_id, visit_date FROM {t.report} "  # noqa: S608
        f"WHERE center_id IN ({_in(ids)}) AND status IN ({_in(shared)}) ORDER BY visit_date",
        [*ids, *shared],
    ):
        centers[center_id].visits.append(visit_date)
    notes: list[tuple[date, int, str]] = []
    previous = None
    for pk, center_id, visit_date, status, due_date, noted_on, note_pk, note_status in _fetch(
        f"SELECT m.id, r.center_id, r.visit_date, m.status, m.due_date, f.date, f.id, f.status "  # noqa: S608
        f"FROM {t.recommendation} m JOIN {t.report} r ON r.id = m.report_id "
        f"LEFT JOIN {t.follow_up} f ON f.recommendation_id = m.id "
        f"WHERE r.center_id IN ({_in(ids)}) AND r.status IN ({_in(shared)}) ORDER BY m.id, f.date, f.id",
        [*ids, *shared],
    ):
        if pk != previous:
            notes = []
            centers[center_id].recommendations.append((visit_date, status, due_date, notes))
            previous = pk
        if note_pk is not None:
            notes.append((noted_on, note_pk, note_status))
    return centers


@dataclass(frozen=True)
class _Tables:
    center: str
    fund: str
    recognition: str
    household: str
    status_change: str
    debt_line: str
    balance: str
    contract: str
    tranche: str
    payoff: str
    instalment: str
    repayment: str
    repayment_line: str
    savings: str
    report: str
    recommendation: str
    follow_up: str


@cache
def _tables() -> _Tables:
    models = {
        "center": Center,
        "fund": MemberFund,
        "recognition": Recognition,
        "household": Household,
        "status_change": StatusChange,
        "debt_line": DebtLine,
        "balance": DebtBalance,
        "contract": Contract,
        "tranche": Tranche,
        "payoff": Payoff,
        "instalment": ScheduledInstalment,
        "repayment": Repayment,
        "repayment_line": RepaymentLine,
        "savings": SavingsEntry,
        "report": CenterReport,
        "recommendation": Recommendation,
        "follow_up": FollowUp,
    }
    return _Tables(**{name: model._meta.db_table for name, model in models.items()})


# --- the computation ------------------------------------------------------------------------------------


@dataclass
class Series:
    """A center's figures: `values[figure][i]` for the month `add_months(start, i)`."""

    start: date
    values: dict[str, list[Any]]
    dues: dict[tuple[str, date | None], tuple[Decimal, int]]  # (kind, due on): (amount, count)

    @property
    def length(self) -> int:
        return len(self.values[FIGURES[0]])

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, i) for i in range(self.length)]

    def row(self, i: int) -> dict[str, Any]:
        return {figure: self.values[figure][i] for figure in FIGURES}

    def rows(self) -> dict[date, dict[str, Any]]:
        return {add_months(self.start, i): self.row(i) for i in range(self.length)}

    def tuples(self) -> dict[date, tuple[Any, ...]]:
        """Each month's figures in the order of FIGURES."""
        return dict(zip(self.months, zip(*(self.values[name] for name in FIGURES), strict=True), strict=True))


class _Axis:
    """Month indexes of one center's series."""

    def __init__(self, start: date, length: int) -> None:
        self.start, self.length = start, length
        self.ends = [month_end(add_months(start, i)) for i in range(length)]

    def index(self, day: date) -> int:
        return (day.year - self.start.year) * 12 + day.month - self.start.month

    def stock(self, day: date | None) -> int | None:
        """The first month whose end is on or after `day` (0 for older records); None after the series."""
        if day is None:
            return None
        i = max(self.index(day), 0)
        return i if i < self.length else None

    def flow(self, day: date | None) -> int | None:
        """The month `day` falls in; None outside the series."""
        if day is None:
            return None
        i = self.index(day)
        return i if 0 <= i < self.length else None


def compute(data: CenterData, today: date) -> Series:
    """The center's dense monthly series to the month of `today`, and its due-date histograms."""
    current = month_start(today)
    founded = founding_date(data.founded_on, data.founded_year)
    firsts = [founded]
    firsts += [surveyed_on for _pk, surveyed_on, _s, _since in data.households]
    firsts += [contract.drawn_up_on for contract in data.contracts]
    firsts += data.visits
    start = min(max(month_start(min(firsts)), SERIES_START), current)
    axis = _Axis(start, months_between(start, current))
    n = axis.length
    delta: dict[str, list[Any]] = {name: [zero_of(name)] * n for name in STOCKS}  # changes, summed up
    level: dict[str, list[Any]] = {name: [zero_of(name)] * n for name in STOCKS}  # values, month by month
    flow: dict[str, list[Any]] = {name: [zero_of(name)] * n for name in FLOWS}

    def change(name: str, i: int | None, value: Any) -> None:
        if i is not None and value:
            delta[name][i] += value

    def happened(name: str, day: date | None, value: Any) -> None:
        i = axis.flow(day)
        if i is not None and value:
            flow[name][i] += value

    # The center itself.
    if data.status == Center.Status.ACTIVE:
        change("centers_active", axis.stock(founded), 1)
    change("capital", 0, data.capital)
    for year in data.recognised_years:
        first = max(axis.index(date(to_ce_year(year) - 1, 10, 1)), 0)
        if first <= axis.index(date(to_ce_year(year), 9, 1)) and first < n:
            flow["centers_recognised"][first] += 1
    first_visit_of_year: dict[date, date] = {}
    for visit_date in data.visits:
        happened("visits", visit_date, 1)
        fy_start = date(visit_date.year if visit_date.month >= 10 else visit_date.year - 1, 10, 1)
        first_visit_of_year.setdefault(fy_start, visit_date)
    for visit_date in first_visit_of_year.values():
        happened("centers_visited_fy", visit_date, 1)

    # Recommendations of shared reports.
    dues: dict[tuple[str, date | None], tuple[Decimal, int]] = {}
    for visit_date, status, due_date, notes in data.recommendations:
        happened("recommendations_made", visit_date, 1)
        if status in OPEN_STATUSES:
            amount, count = dues.get((DueKind.RECOMMENDATION, due_date), (ZERO, 0))
            dues[(DueKind.RECOMMENDATION, due_date)] = (amount, count + 1)
        months = {axis.stock(visit_date)} | {axis.stock(noted_on) for noted_on, _pk, _s in notes}
        was_open = False
        for i in sorted(i for i in months if i is not None):
            end = axis.ends[i]
            if any(noted_on > end for noted_on, _pk, _status in notes):
                then = [s for noted_on, _pk, s in notes if noted_on <= end]
                status_then = then[-1] if then else OPEN_STATUSES[0]
            else:
                status_then = status
            is_open = status_then in OPEN_STATUSES
            if is_open != was_open:
                change("recommendations_open", i, 1 if is_open else -1)
                was_open = is_open

    # Households through the status log.
    status_on: dict[int, Any] = {}
    status_months: dict[int, set[int]] = {}
    for pk, surveyed_on, status, since in data.households:
        moves = list(data.status_changes.get(pk, []))
        for changed_on, _pk, to_status in moves:
            if to_status == HouseholdStatus.ENROLLED:
                happened("households_enrolled_in_month", changed_on, 1)
            elif to_status == HouseholdStatus.DEBT_FREE:
                happened("households_debt_free_in_month", changed_on, 1)
        last = moves[-1][2] if moves else HouseholdStatus.SURVEYED
        if status != last:  # the log misses the latest move: the household's own status completes it
            effective = max([since] + [changed_on for changed_on, _pk, _s in moves])
            moves.append((effective, 0, status))
            if status == HouseholdStatus.ENROLLED:
                happened("households_enrolled_in_month", effective, 1)
            elif status == HouseholdStatus.DEBT_FREE:
                happened("households_debt_free_in_month", effective, 1)
        status_on[pk] = _status_reader(surveyed_on, moves)
        status_months[pk] = {
            i for i in [axis.stock(surveyed_on)] + [axis.stock(d) for d, _p, _s in moves] if i is not None
        }
        previous = None
        for i in sorted(status_months[pk]):
            now = status_on[pk](axis.ends[i])
            if now != previous:
                if previous is not None:
                    change(STATUS_FIGURE[previous], i, -1)
                if now is not None:
                    change(STATUS_FIGURE[now], i, 1)
                previous = now

    # Registry balances of every household: each line's latest balance by the month end (a line closes with
    # a zero balance entry), as `DebtLine.current_balance` holds it for today.
    for line_id, _household_id, sector, _status, _closed_on in data.debt_lines:
        previous_balance = ZERO
        for as_of, _entry_pk, balance in data.balances.get(line_id, []):  # by (as of, pk): the latest wins
            i = axis.stock(as_of)
            if i is not None and balance != previous_balance:
                delta["registry_balance"][i] += balance - previous_balance
                delta[REGISTRY_FIGURE[sector]][i] += balance - previous_balance
                previous_balance = balance

    # Contracts: principal owed, PAR30, repayments and savings.
    owed_by_contract: dict[int, tuple[int, list[Decimal]]] = {}
    repaid_interest, repaid_principal = flow["repaid_interest"], flow["repaid_principal"]
    for contract in data.contracts:
        paid_by: list[Decimal] = [ZERO] * n  # interest and principal repaid in each month (earlier: first)
        principal_by: list[Decimal] = [ZERO] * n
        for month, (interest, principal) in contract.repaid.items():  # the hot loop: indexes inlined
            i = (month.year - start.year) * 12 + month.month - start.month
            if i >= n:
                continue
            if i >= 0:
                repaid_interest[i] += interest
                repaid_principal[i] += principal
            paid_by[max(i, 0)] += interest + principal
            principal_by[max(i, 0)] += principal
        for (month, kind), amount in contract.savings.items():
            change("savings", axis.stock(month), amount)
            if kind == SavingsEntry.Kind.DEPOSIT:
                happened("saved", month, amount)
            else:
                happened("withdrawn", month, -amount)
        if contract.status == Contract.Status.DRAFT or contract.signed_on is None:
            continue
        first = axis.stock(contract.signed_on)
        if first is None:
            continue
        stop = n
        if contract.closed_on is not None:
            closed = axis.stock(contract.closed_on)
            stop = n if closed is None else closed
        due_dates = [due_on for due_on, _amount in contract.instalments]
        cumulative: list[Decimal] = []
        running = ZERO
        for _due_on, amount in contract.instalments:
            running += amount
            cumulative.append(running)
        owed_list: list[Decimal] = []
        paid = sum(paid_by[:first], ZERO)
        principal_paid = sum(principal_by[:first], ZERO)
        for i in range(first, stop):
            paid += paid_by[i]
            principal_paid += principal_by[i]
            owed = contract.principal - principal_paid
            owed_list.append(owed)
            level["contracts_active"][i] += 1
            level["contract_outstanding"][i] += owed
            late = bisect_left(due_dates, at_risk_cutoff(axis.ends[i]))  # instalments due before the cutoff
            if late and cumulative[late - 1] > paid:
                level["par30_outstanding"][i] += owed
        owed_by_contract[contract.pk] = (first, owed_list)
        if contract.status == Contract.Status.ACTIVE:
            paid_all = sum((i + p for i, p in contract.repaid.values()), ZERO)
            principal_all = sum((p for _i, p in contract.repaid.values()), ZERO)
            oldest = bisect_right(cumulative, paid_all)
            due_on = due_dates[oldest] if oldest < len(due_dates) else None
            amount, count = dues.get((DueKind.ARREARS, due_on), (ZERO, 0))
            dues[(DueKind.ARREARS, due_on)] = (amount + contract.principal - principal_all, count + 1)

    # Progress of the households with a signed contract.
    lines_of: dict[int, list[tuple[int, str, str, date | None]]] = defaultdict(list)
    for pk, household_id, sector, status, closed_on in data.debt_lines:
        lines_of[household_id].append((pk, sector, status, closed_on))
    contracts_of: dict[int, list[ContractData]] = defaultdict(list)
    for contract in data.contracts:
        if contract.status != Contract.Status.DRAFT and contract.signed_on is not None:
            contracts_of[contract.household_id].append(contract)
    for household_id, contracts in contracts_of.items():
        _household_progress(
            axis, contracts, lines_of[household_id], data.balances, owed_by_contract,
            status_on[household_id], status_months[household_id], change,
        )  # fmt: skip

    values: dict[str, list[Any]] = {}
    for name in STOCKS:
        running: Any = zero_of(name)
        column = []
        for i in range(n):
            running += delta[name][i]
            column.append(running + level[name][i])
        values[name] = column
    values.update(flow)
    return Series(start=start, values={name: values[name] for name in FIGURES}, dues=dues)


def _status_reader(surveyed_on: date, moves: list[tuple[date, int, str]]):
    def status_at(day: date) -> str | None:
        if day < surveyed_on:
            return None
        status = HouseholdStatus.SURVEYED
        for changed_on, _pk, to_status in moves:
            if changed_on <= day:
                status = to_status
        return status

    return status_at


def _household_progress(
    axis, contracts, lines, balances, owed_by_contract, status_at, status_months, change
) -> None:
    """Add one household's progress figures (see `PROGRESS_FIGURES`) as changes at the months they change:
    when it signs, when its status, a registry balance or a contract's principal owed changes."""
    contracts = sorted(contracts, key=lambda c: (c.drawn_up_on, c.pk))
    baseline_on = contracts[0].drawn_up_on
    signed = [axis.stock(c.signed_on) for c in contracts]
    first = min((i for i in signed if i is not None), default=axis.length)
    if first >= axis.length:
        return
    payoff_entries = {(line_id, paid_on) for c in contracts for line_id, paid_on in c.payoffs}
    baseline = {Sector.FORMAL: ZERO, Sector.COMMUNITY: ZERO, Sector.INFORMAL: ZERO}
    steps: list[tuple[str, list[int], list[Decimal]]] = []  # per line: sector, month indexes, balances
    months = {first}
    for pk, sector, status, closed_on in lines:
        entries = balances.get(pk, [])
        at_enrolment = baseline_balance(entries, line_id=pk, baseline_on=baseline_on, payoffs=payoff_entries)
        if at_enrolment is not None:
            baseline[sector] += at_enrolment
        at: dict[int, Decimal] = {}
        for as_of, _entry_pk, balance in entries:  # sorted by (as_of, pk): the latest of a month wins
            i = axis.stock(as_of)
            if i is not None:
                at[i] = balance
        if status != DebtLine.Status.OPEN and closed_on is not None:
            i = axis.stock(closed_on)
            if i is not None:
                for later in [j for j in at if j >= i]:
                    at[later] = ZERO
                at[i] = ZERO
        indexes = sorted(at)
        steps.append((sector, indexes, [at[i] for i in indexes]))
        months.update(indexes)
    for contract in contracts:
        start, owed = owed_by_contract.get(contract.pk, (axis.length, []))
        months.update((start, start + len(owed)))  # active from, and no longer active from
        months.update(axis.stock(m) for m in contract.repaid)
    base_total = baseline[Sector.FORMAL] + baseline[Sector.COMMUNITY] + baseline[Sector.INFORMAL]
    previous: tuple[Any, ...] = (ZERO,) * 9 + (0,)
    for i in sorted(m for m in months | status_months if m is not None and first <= m < axis.length):
        if status_at(axis.ends[i]) in IN_PROGRAMME:
            outside = {Sector.FORMAL: ZERO, Sector.COMMUNITY: ZERO, Sector.INFORMAL: ZERO}
            for sector, indexes, values in steps:
                k = bisect_right(indexes, i)
                if k:
                    outside[sector] += values[k - 1]
            owed = ZERO
            for contract in contracts:
                start, owed_list = owed_by_contract.get(contract.pk, (axis.length, []))
                if start <= i < start + len(owed_list):
                    owed += owed_list[i - start]
            community = outside[Sector.COMMUNITY] + owed
            now = outside[Sector.FORMAL] + community + outside[Sector.INFORMAL]
            current = (
                base_total,
                baseline[Sector.FORMAL],
                baseline[Sector.COMMUNITY],
                baseline[Sector.INFORMAL],
                now,
                outside[Sector.FORMAL],
                community,
                outside[Sector.INFORMAL],
                max(baseline[Sector.INFORMAL] - outside[Sector.INFORMAL], ZERO),
                1 if debt_went_down(at_enrolment=base_total, now=now) else 0,
            )
        else:
            current = (ZERO,) * 9 + (0,)
        if current != previous:
            for name, new, old in zip(PROGRESS_FIGURES, current, previous, strict=True):
                if new != old:
                    change(name, i, new - old)
            previous = current
