"""The money of a "1 household 1 contract" loan, in pure functions: repayment schedules and the split of a
payment between tranches. Every amount is a Decimal in baht with 2 places; nothing is lost or created:
a schedule's principal sums exactly to the principal lent, and a split sums exactly to what was paid.

A contract holds one tranche per lending fund, each with its own rate and method:
- FLAT (ดอกเบี้ยคงที่): interest = principal x annual rate x months / 12, spread evenly over the months;
- DECLINING (ลดต้นลดดอก): each month's interest is charged on the principal still owed, with equal
  instalments (the usual annuity formula), so more of each instalment goes to principal as time goes on.
In both, each month's figures are rounded to the satang and the last instalment absorbs the rounding.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.money import SATANG, ZERO, money


class Method(StrEnum):
    FLAT = "flat"
    DECLINING = "declining"


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the last day of a shorter month (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Tranche:
    key: Hashable  # which fund lends it
    principal: Decimal
    annual_rate: Decimal  # percent a year
    method: Method


@dataclass(frozen=True)
class TrancheLine:
    principal: Decimal
    interest: Decimal
    balance: Decimal  # principal still owed after this instalment


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    lines: Mapping[Hashable, TrancheLine]

    @property
    def principal(self) -> Decimal:
        return sum((line.principal for line in self.lines.values()), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((line.interest for line in self.lines.values()), ZERO)

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest

    @property
    def balance(self) -> Decimal:
        return sum((line.balance for line in self.lines.values()), ZERO)


def tranche_schedule(tranche: Tranche, months: int) -> list[TrancheLine]:
    """One tranche's principal and interest for each month; principal sums exactly to the tranche."""
    if months < 1:
        raise ValueError("a loan runs for at least one month")
    if tranche.principal <= 0 or tranche.annual_rate < 0:
        raise ValueError("a tranche lends a positive principal at a rate that is not negative")
    if tranche.method == Method.FLAT:
        return _flat(tranche.principal, tranche.annual_rate, months)
    return _declining(tranche.principal, tranche.annual_rate, months)


def _flat(principal: Decimal, annual_rate: Decimal, months: int) -> list[TrancheLine]:
    total_interest = money(principal * annual_rate / 100 * months / 12)
    principal_part, interest_part = money(principal / months), money(total_interest / months)
    lines, balance, interest_left = [], principal, total_interest
    for month in range(1, months + 1):
        last = month == months
        paid = balance if last else min(principal_part, balance)
        interest = interest_left if last else min(interest_part, interest_left)
        balance, interest_left = balance - paid, interest_left - interest
        lines.append(TrancheLine(paid, interest, balance))
    return lines


def _declining(principal: Decimal, annual_rate: Decimal, months: int) -> list[TrancheLine]:
    rate = annual_rate / 100 / 12
    if rate == 0:
        payment = money(principal / months)
    else:
        payment = money(principal * rate / (1 - (1 + rate) ** -months))
    lines, balance = [], principal
    for month in range(1, months + 1):
        interest = money(balance * rate)
        paid = balance if month == months else min(max(payment - interest, ZERO), balance)
        balance -= paid
        lines.append(TrancheLine(paid, interest, balance))
    return lines


def schedule(tranches: Sequence[Tranche], months: int, first_due: date) -> list[Instalment]:
    """The contract's instalments: the tranches' months added up, due monthly from `first_due`."""
    per_tranche = {tranche.key: tranche_schedule(tranche, months) for tranche in tranches}
    if len(per_tranche) != len(tranches):
        raise ValueError("each fund lends at most one tranche of a contract")
    return [
        Instalment(
            number=index + 1,
            due_date=add_months(first_due, index),
            lines={key: lines[index] for key, lines in per_tranche.items()},
        )
        for index in range(months)
    ]


def split(amount: Decimal, weights: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """Split `amount` in proportion to `weights`, to the satang, never giving a key more than its weight.

    The parts sum exactly to `amount` (largest remainders get the leftover satang). `amount` must not be
    more than the sum of the weights.
    """
    total = sum(weights.values(), ZERO)
    if amount < 0 or any(weight < 0 for weight in weights.values()):
        raise ValueError("amounts and weights are not negative")
    if amount > total:
        raise ValueError("cannot split more than the weights hold")
    if amount == total:
        return dict(weights)
    satang = int(amount / SATANG)
    exact = {key: satang * weight / total for key, weight in weights.items()} if total else {}
    parts = {key: int(share) for key, share in exact.items()}
    by_remainder = sorted(exact, key=lambda key: (exact[key] - parts[key], weights[key]), reverse=True)
    for key in by_remainder[: satang - sum(parts.values())]:
        parts[key] += 1
    return {key: parts.get(key, 0) * SATANG for key in weights}


@dataclass(frozen=True)
class Allocation:
    interest: dict[Hashable, Decimal]
    principal: dict[Hashable, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.interest.values(), ZERO) + sum(self.principal.values(), ZERO)


class Overpayment(ValueError):
    def __init__(self, payable: Decimal):
        super().__init__(f"the payment is more than the {payable} baht still owed")
        self.payable = payable


def allocate_payment(
    amount: Decimal, *, interest_due: Mapping[Hashable, Decimal], principal_owed: Mapping[Hashable, Decimal]
) -> Allocation:
    """A payment goes to interest due first, then to principal, across tranches in proportion to what
    each is owed. More than everything owed raises Overpayment (with the exact payoff amount)."""
    if amount <= 0:
        raise ValueError("a payment is a positive amount")
    interest_total = sum(interest_due.values(), ZERO)
    payable = interest_total + sum(principal_owed.values(), ZERO)
    if amount > payable:
        raise Overpayment(payable)
    to_interest = min(amount, interest_total)
    return Allocation(
        interest=split(to_interest, interest_due),
        principal=split(amount - to_interest, principal_owed),
    )


def saving_due(
    *,
    principal: Decimal,
    instalment: Decimal,
    tiers: Sequence[tuple[Decimal, Decimal]],
    instalment_share: Decimal,
) -> Decimal:
    """The monthly saving a contract requires ("the more you borrow, the more you save"): the largest of
    the tier whose band holds the principal (tiers are (principal from, monthly saving)) and the share of
    the instalment (percent), to the satang."""
    by_tier = ZERO
    for principal_from, monthly in sorted(tiers):
        if principal >= principal_from:
            by_tier = monthly
    return max(by_tier, money(instalment * instalment_share / 100))
