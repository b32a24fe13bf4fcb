"""A household's progress out of debt: the registry as its first contract found it (the baseline), and now.

- debt at enrolment: each registry line's latest balance on or before the day the first contract was drawn
  up (the zero balances its payoffs wrote are not part of the baseline);
- debt now: the principal still owed on its active contract plus the registry lines left outside it;
- creditors before and now (the center counts as one creditor while a contract is owed), informal debt
  before and now, savings built up, and the debt-free date once everything is zero.

These are the one definition of "debt at enrolment" (`baseline_balance`), "debt after consolidation"
(debt now) and "debt went down" (`debt_went_down`): the center page, the visit reports and the dashboards
(`dashboards.series`) all use them. A center's totals count its households *in the programme* (enrolled or
debt-free, `IN_PROGRAMME`) with a signed contract, as the dashboards do, so that the households whose debt
went down are always a subset of the households in the programme. Debt after consolidation is not the
registry balances (what the household's debt lines say, `debts.selectors.sector_totals`): the lines paid
off by a contract are zero there, and the contract itself is not a registry line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import percent
from debts.models import DebtBalance, DebtLine, Sector
from households.models import Household, HouseholdStatus, StatusChange

from .calculations import ZERO, money
from .models import Contract, Payoff, RepaymentLine, SavingsEntry, Tranche

IN_PROGRAMME = (HouseholdStatus.ENROLLED, HouseholdStatus.DEBT_FREE)
BalanceEntry = tuple[date, int, Decimal]  # (as of, pk, balance) of a registry line


def baseline_balance(
    entries: list[BalanceEntry], *, line_id: int, baseline_on: date, payoffs: set[tuple[int, date | None]]
) -> Decimal | None:
    """A registry line's balance at enrolment: its latest entry on or before `baseline_on` (the day the
    household's first contract was drawn up), leaving out the zero balances its payoffs wrote (`payoffs`:
    (debt line, paid on) of the household's contracts); None when the line had no balance by then."""
    before = [
        entry
        for entry in entries
        if entry[0] <= baseline_on and not (entry[2] == 0 and (line_id, entry[0]) in payoffs)
    ]
    return max(before)[2] if before else None


def debt_went_down(*, at_enrolment: Decimal, now: Decimal) -> bool:
    """Whether a household's debt after consolidation is below its debt at enrolment."""
    return now < at_enrolment


@dataclass(frozen=True)
class Progress:
    baseline_on: date
    debt_at_enrolment: Decimal
    debt_now: Decimal
    creditors_before: int
    creditors_now: int
    informal_before: Decimal
    informal_now: Decimal
    savings: Decimal
    debt_free_on: date | None
    status: str = HouseholdStatus.ENROLLED  # the household's status on the date (`status_on`)

    @property
    def reduced(self) -> Decimal:
        return self.debt_at_enrolment - self.debt_now

    @property
    def percent_reduced(self) -> Decimal | None:
        """One decimal (`core.money.percent`), as on the dashboards; None without a baseline."""
        return percent(self.reduced, self.debt_at_enrolment)

    @property
    def informal_cleared(self) -> Decimal:
        return max(self.informal_before - self.informal_now, ZERO)


def household_progress(
    household: Household, on: date | None = None, *, contracts: list[Contract] | None = None
) -> Progress | None:
    """The household's progress on `on` (today by default), or None before its first signed contract.
    `contracts`: the household's contracts when the caller has them (no query then when none is signed)."""
    if contracts is not None and all(contract.is_draft for contract in contracts):
        return None
    return progress_by_household(Household.objects.filter(pk=household.pk), on).get(household.pk)


def progress_by_household(households: QuerySet[Household], on: date | None = None) -> dict[int, Progress]:
    """The progress on `on` (today by default) of each household of `households` that had signed a contract
    by then, keyed by household id, from the dated entries only (balances, repayments and savings up to
    `on`): seven queries whatever the number of households."""
    on = on or timezone.localdate()
    contracts = Contract.objects.filter(household__in=households.values("pk"), signed_on__lte=on)
    by_household: dict[int, list[dict]] = defaultdict(list)
    for row in _with_status_on(contracts, on).order_by("drawn_up_on", "pk"):
        by_household[row["household_id"]].append(row)
    if not by_household:
        return {}
    contract_ids = contracts.values("pk")
    payoff_entries = set(
        Payoff.objects.filter(contract__in=contract_ids).values_list("debt_line_id", "paid_on")
    )
    lines: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, household_id, sector in DebtLine.objects.filter(
        household__in=households.values("pk")
    ).values_list("pk", "household_id", "sector"):
        lines[household_id].append((pk, sector))
    balances: dict[int, list[tuple[date, int, Decimal]]] = defaultdict(list)
    for line_id, as_of, pk, balance in DebtBalance.objects.filter(
        line__household__in=households.values("pk"), as_of__lte=on
    ).values_list("line_id", "as_of", "pk", "balance"):
        balances[line_id].append((as_of, pk, balance))
    lent = _sums(Tranche.objects.filter(contract__in=contract_ids), "contract_id", "principal")
    repaid = _sums(
        RepaymentLine.objects.filter(repayment__contract__in=contract_ids, repayment__paid_on__lte=on),
        "repayment__contract_id",
        "principal",
    )
    savings = _sums(
        SavingsEntry.objects.filter(contract__in=contract_ids, on__lte=on), "contract__household_id", "amount"
    )
    result = {}
    for household_id, signed in by_household.items():
        baseline_on = signed[0]["drawn_up_on"]
        debt_before = informal_before = outside_now = informal_now = ZERO
        creditors_before = creditors_now = 0
        closed_dates: list[date] = []
        for line_id, sector in lines[household_id]:
            entries = balances[line_id]
            balance = baseline_balance(
                entries, line_id=line_id, baseline_on=baseline_on, payoffs=payoff_entries
            )
            if balance is not None:
                debt_before += balance
                creditors_before += balance > 0
                if sector == Sector.INFORMAL:
                    informal_before += balance
            if entries:
                as_of, _pk, balance = max(entries)
                if balance > 0:
                    outside_now += balance
                    creditors_now += 1
                    if sector == Sector.INFORMAL:
                        informal_now += balance
                else:
                    closed_dates.append(as_of)
        contract_owed = ZERO
        for contract in signed:
            if contract["closed_on"] is None or contract["closed_on"] > on:
                contract_owed += lent.get(contract["pk"], ZERO) - repaid.get(contract["pk"], ZERO)
            else:
                closed_dates.append(contract["closed_on"])
        creditors_now += contract_owed > 0
        debt_now = outside_now + contract_owed
        result[household_id] = Progress(
            baseline_on=baseline_on,
            debt_at_enrolment=debt_before,
            debt_now=debt_now,
            creditors_before=creditors_before,
            creditors_now=creditors_now,
            informal_before=informal_before,
            informal_now=informal_now,
            savings=savings.get(household_id, ZERO),
            debt_free_on=max(closed_dates) if debt_now == 0 and closed_dates else None,
            status=signed[0]["status_on"],
        )
    return result


def _sums(rows: QuerySet, key: str, field: str) -> dict[int, Decimal]:
    """{key: sum of field}, back to the satang (SQLite sums decimals without their scale)."""
    return {
        row[key]: money(row["total"] or ZERO)
        for row in rows.order_by().values(key).annotate(total=Sum(field))
    }


@dataclass(frozen=True)
class CenterProgress:
    """The progress of a center's households in the programme (enrolled or debt-free on the date) with a
    signed contract, summed: the dashboards' center figures of the same names."""

    households: int
    debt_at_enrolment: Decimal
    debt_now: Decimal
    informal_cleared: Decimal
    savings: Decimal
    households_debt_reduced: int
    households_debt_free: int

    @property
    def reduced(self) -> Decimal:
        return self.debt_at_enrolment - self.debt_now

    @property
    def percent_reduced(self) -> Decimal | None:
        """One decimal (`core.money.percent`), as on the dashboards; None without a baseline."""
        return percent(self.reduced, self.debt_at_enrolment)


def center_progress(center: Any, on: date | None = None) -> CenterProgress:
    """The sum of the household progress of the center's households in the programme on `on` (today by
    default), in the seven queries of `progress_by_household` whatever the number of households. Debt-free
    households are those whose status is debt-free (the status the officers set, as the dashboards count
    them)."""
    found = progress_by_household(Household.objects.filter(center=center), on).values()
    progress = [p for p in found if p.status in IN_PROGRAMME]
    return CenterProgress(
        households=len(progress),
        debt_at_enrolment=sum((p.debt_at_enrolment for p in progress), ZERO),
        debt_now=sum((p.debt_now for p in progress), ZERO),
        informal_cleared=sum((p.informal_cleared for p in progress), ZERO),
        savings=sum((p.savings for p in progress), ZERO),
        households_debt_reduced=sum(
            1 for p in progress if debt_went_down(at_enrolment=p.debt_at_enrolment, now=p.debt_now)
        ),
        households_debt_free=sum(1 for p in progress if p.status == HouseholdStatus.DEBT_FREE),
    )


def _with_status_on(contracts: QuerySet[Contract], on: date) -> QuerySet:
    """The contracts' rows for `progress_by_household`, each with its household's status on `on`
    (`status_on`), read in the same query: the latest move of the status log dated by then (surveyed when
    none), or the household's own status when the log has no move after `on` and its status dates from
    `on` or earlier (the dashboards read the log the same way, `dashboards.series`)."""
    moves = StatusChange.objects.filter(household=OuterRef("household_id"), changed_on__lte=on).order_by(
        "-changed_on", "-pk"
    )
    later = StatusChange.objects.filter(household=OuterRef("household_id"), changed_on__gt=on)
    logged = Coalesce(Subquery(moves.values("to_status")[:1]), Value(HouseholdStatus.SURVEYED.value))
    return contracts.annotate(
        status_on=Case(
            When(Q(household__status_since__lte=on) & ~Exists(later), then=F("household__status")),
            default=logged,
        )
    ).values("pk", "household_id", "drawn_up_on", "closed_on", "status_on")


def center_progress_section(center: Any, user: Any) -> dict[str, Any] | None:
    """The center's progress totals on the center page (totals only, no names: every reader of the center
    may see them); nothing before its first signed contract."""
    progress = center_progress(center)
    if not progress.households:
        return None
    return {"template": "contracts/includes/center_progress.html", "progress": progress}
