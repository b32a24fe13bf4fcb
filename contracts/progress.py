"""A household's progress out of debt: the registry as its first contract found it (the baseline), and now.

- debt at enrolment: each registry line's latest balance on or before the day the first contract was drawn
  up (the zero balances its payoffs wrote are not part of the baseline);
- debt now: the principal still owed on its active contract plus the registry lines left outside it;
- creditors before and now (the center counts as one creditor while a contract is owed), informal debt
  before and now, savings built up, and the debt-free date once everything is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from debts.models import Sector
from households.models import Household

from .calculations import ZERO, money
from .models import Contract, SavingsEntry
from .selectors import contract_position


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

    @property
    def reduced(self) -> Decimal:
        return self.debt_at_enrolment - self.debt_now

    @property
    def percent_reduced(self) -> Decimal:
        if not self.debt_at_enrolment:
            return ZERO
        return money(self.reduced * 100 / self.debt_at_enrolment)

    @property
    def informal_cleared(self) -> Decimal:
        return max(self.informal_before - self.informal_now, ZERO)


def household_progress(
    household: Household, on: date | None = None, *, contracts: list[Contract] | None = None
) -> Progress | None:
    """The household's progress on `on` (today by default), or None before its first signed contract.
    `contracts`: the household's contracts when the caller has them (no query then when none is signed)."""
    on = on or timezone.localdate()
    if contracts is None:
        contracts = list(household.contracts.all())
    contracts = sorted((c for c in contracts if not c.is_draft), key=lambda c: (c.drawn_up_on, c.pk))
    if not contracts:
        return None
    baseline_on = contracts[0].drawn_up_on
    payoff_entries = {
        (line_id, paid_on)
        for contract in contracts
        for line_id, paid_on in contract.payoffs.values_list("debt_line_id", "paid_on")
    }
    debt_before = informal_before = ZERO
    creditors_before = 0
    informal_now = outside_now = ZERO
    creditors_now = 0
    closed_dates: list[date] = []
    for line in household.debt_lines.prefetch_related("balances"):
        entries = [
            entry
            for entry in line.balances.all()
            if entry.as_of <= baseline_on
            and not (entry.balance == 0 and (line.pk, entry.as_of) in payoff_entries)
        ]
        if entries:
            balance = max(entries, key=lambda entry: (entry.as_of, entry.pk)).balance
            debt_before += balance
            creditors_before += balance > 0
            if line.sector == Sector.INFORMAL:
                informal_before += balance
        if line.is_open and line.current_balance > 0:
            outside_now += line.current_balance
            creditors_now += 1
            if line.sector == Sector.INFORMAL:
                informal_now += line.current_balance
        elif line.closed_on:
            closed_dates.append(line.closed_on)
    contract_owed = ZERO
    for contract in contracts:
        if contract.is_active:
            contract_owed += contract_position(contract, on).principal
        elif contract.closed_on:
            closed_dates.append(contract.closed_on)
    creditors_now += contract_owed > 0
    savings = SavingsEntry.objects.filter(contract__household=household).aggregate(
        total=Sum("amount", default=ZERO)
    )["total"]
    debt_now = outside_now + contract_owed
    return Progress(
        baseline_on=baseline_on,
        debt_at_enrolment=debt_before,
        debt_now=debt_now,
        creditors_before=creditors_before,
        creditors_now=creditors_now,
        informal_before=informal_before,
        informal_now=informal_now,
        savings=money(savings),
        debt_free_on=max(closed_dates) if debt_now == 0 and closed_dates else None,
    )
