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


class PayoffRule(StrEnum):
    """What interest a payoff (closing the contract before its term) pays, a center's choice."""

    INSTALMENT = "instalment"  # the current instalment's scheduled interest (and any earlier one unpaid)
    TO_DATE = "to_date"  # interest to the payoff date: the current instalment's by the days elapsed


def current_instalment(due_dates: Sequence[date], on: date) -> int:
    """The number of the instalment whose period holds `on`: the first one due on or after `on` (the
    period of instalment n runs from the day after instalment n - 1's due date to its own), the last one
    after the term. A payment on a collection day before the due date counts as that instalment."""
    for number, due in enumerate(due_dates, start=1):
        if on <= due:
            return number
    return len(due_dates)


@dataclass(frozen=True)
class Outstanding:
    """What is left of each instalment of a schedule, per key, once what was paid (per key: interest and
    principal, reversals netted out) fills each key's instalments in order, oldest first."""

    interest: list[dict[Hashable, Decimal]]  # index n - 1: instalment n
    principal: list[dict[Hashable, Decimal]]

    def interest_to(self, number: int) -> dict[Hashable, Decimal]:
        """Per key, the interest of instalments 1 to `number` not yet paid."""
        return _sum_keys(self.interest[:number])

    def principal_owed(self) -> dict[Hashable, Decimal]:
        return _sum_keys(self.principal)

    def due_to(self, number: int) -> Decimal:
        """What instalments 1 to `number` still ask for (interest and principal, every key)."""
        return sum((sum(row.values(), ZERO) for row in self.interest[:number]), ZERO) + sum(
            (sum(row.values(), ZERO) for row in self.principal[:number]), ZERO
        )


def _sum_keys(rows: Sequence[Mapping[Hashable, Decimal]]) -> dict[Hashable, Decimal]:
    total: dict[Hashable, Decimal] = {}
    for row in rows:
        for key, value in row.items():
            total[key] = total.get(key, ZERO) + value
    return total


def _fill(parts: Sequence[Decimal], paid: Decimal) -> list[Decimal]:
    """What is left of each part once `paid` fills them in order (more than they hold leaves nothing)."""
    left = []
    for part in parts:
        taken = min(max(paid, ZERO), part)
        paid -= taken
        left.append(part - taken)
    return left


def outstanding(
    instalments: Sequence[Instalment],
    *,
    paid_interest: Mapping[Hashable, Decimal],
    paid_principal: Mapping[Hashable, Decimal],
) -> Outstanding:
    keys = list(instalments[0].lines) if instalments else []
    interest = {
        key: _fill([i.lines[key].interest for i in instalments], paid_interest.get(key, ZERO)) for key in keys
    }
    principal = {
        key: _fill([i.lines[key].principal for i in instalments], paid_principal.get(key, ZERO))
        for key in keys
    }
    return Outstanding(
        interest=[{key: interest[key][n] for key in keys} for n in range(len(instalments))],
        principal=[{key: principal[key][n] for key in keys} for n in range(len(instalments))],
    )


def allocate_payment(
    amount: Decimal,
    *,
    instalments: Sequence[Instalment],
    paid_interest: Mapping[Hashable, Decimal],
    paid_principal: Mapping[Hashable, Decimal],
    current: int,
) -> Allocation:
    """Split a payment between the tranches (keys) of a schedule, in one documented order:

    1. instalments 1 to `current` (the one whose period holds the payment date, see `current_instalment`),
       oldest first; inside each, its interest before its principal;
    2. what is left prepays principal only, instalment after instalment in the order of the schedule
       (the interest of later instalments is not paid ahead: it is asked when their period comes);
    3. inside each of these parts, the funds share in the proportions of what the part still asks of each
       (for a part not yet touched: the instalment's scheduled interest or principal of each fund), to the
       satang, the leftover satang by largest remainder (`split`).

    Paid as scheduled, each fund's interest and principal follow its schedule exactly. What was paid so far
    (`paid_*`, per key) fills each fund's instalments in order, so partial, late and repeated payments
    carry on from where the last one stopped. More than the principal owed plus the interest of
    instalments 1 to `current` raises Overpayment (with that amount)."""
    if amount <= 0:
        raise ValueError("a payment is a positive amount")
    left = outstanding(instalments, paid_interest=paid_interest, paid_principal=paid_principal)
    current = max(1, min(current, len(instalments)))
    parts = [part for n in range(current) for part in (left.interest[n], left.principal[n])]
    parts += left.principal[current:]
    payable = sum((sum(part.values(), ZERO) for part in parts), ZERO)
    if amount > payable:
        raise Overpayment(payable)
    keys = list(instalments[0].lines)
    interest, principal = dict.fromkeys(keys, ZERO), dict.fromkeys(keys, ZERO)
    rest = amount
    for index, part in enumerate(parts):
        if rest == 0:
            break
        total = sum(part.values(), ZERO)
        if total == 0:
            continue
        taken = split(min(rest, total), part)
        goes_to = interest if index < 2 * current and index % 2 == 0 else principal
        for key, value in taken.items():
            goes_to[key] += value
        rest -= min(rest, total)
    return Allocation(interest=interest, principal=principal)


def payoff_allocation(
    *,
    instalments: Sequence[Instalment],
    paid_interest: Mapping[Hashable, Decimal],
    paid_principal: Mapping[Hashable, Decimal],
    on: date,
    rule: PayoffRule,
    period_start: date,
) -> Allocation:
    """What closes the contract on `on`, per key: all the principal owed, and the interest the rule asks:
    - INSTALMENT: the scheduled interest of every instalment up to the current one, not yet paid;
    - TO_DATE: the scheduled interest of the instalments before the current one, not yet paid, and the
      current instalment's interest by the days of its period elapsed by `on` (a month's interest times
      days elapsed / days in the period, to the satang), less what was paid of it.
    Interest already paid is never refunded. `period_start` is where instalment 1's period starts (a month
    before its due date)."""
    left = outstanding(instalments, paid_interest=paid_interest, paid_principal=paid_principal)
    current = current_instalment([i.due_date for i in instalments], on)
    interest = left.interest_to(current)
    if rule == PayoffRule.TO_DATE and on < instalments[current - 1].due_date:
        start = instalments[current - 2].due_date if current > 1 else period_start
        end = instalments[current - 1].due_date
        elapsed = min(max((on - start).days, 0), (end - start).days)
        for key, line in instalments[current - 1].lines.items():
            unearned = line.interest - money(line.interest * elapsed / (end - start).days)
            interest[key] = max(interest[key] - unearned, ZERO)
    return Allocation(interest=interest, principal=left.principal_owed())


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
