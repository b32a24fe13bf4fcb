"""Arrears, portfolio at risk and savings compliance of active contracts, on a date.

A contract is in arrears when what fell due by the date (principal and interest of its schedule) is more
than what it has repaid (reversals net out). Its days past due count from the oldest instalment not yet
covered; buckets are 1–30, 31–60, 61–90 and over 90 days. PAR30 is the share of the principal still owed
that sits in contracts more than 30 days past due.

This module holds the one definition of PAR30 (`PAR_DAYS`, `at_risk`, `at_risk_cutoff`, `par30_percent`):
the arrears page, the collection sheet and the dashboards (`dashboards.series` for month ends,
`dashboards.selectors` for today) all use it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from core.money import percent

from .calculations import ZERO, money
from .models import Contract, RepaymentLine, SavingsEntry, ScheduledInstalment
from .selectors import Position, position_from_schedule, repaid_by_tranche

BUCKETS = ((1, 30), (31, 60), (61, 90), (91, None))
PAR_DAYS = 30  # portfolio at risk: principal of contracts more than 30 days past due


def at_risk(days: int) -> bool:
    """Whether a contract `days` past due counts in PAR30."""
    return days > PAR_DAYS


def at_risk_cutoff(on: date) -> date:
    """A contract is at risk on `on` when its oldest instalment not covered fell due before this date (more
    than `PAR_DAYS` days before `on`): the same test as `at_risk(days_past_due(...))`, for readers that hold
    due dates (the dashboards' month ends and due-date histograms)."""
    return on - timedelta(days=PAR_DAYS)


def par30_percent(at_risk_principal: Decimal, principal_owed: Decimal) -> Decimal | None:
    """PAR30 in percent (one decimal, `core.money.percent`); None when nothing is owed."""
    return percent(at_risk_principal, principal_owed)


def bucket_of(days: int) -> str:
    """'current', '1-30', '31-60', '61-90' or '90+'."""
    if days <= 0:
        return "current"
    for low, high in BUCKETS:
        if high is None or days <= high:
            return f"{low}-{high}" if high else "90+"
    raise AssertionError  # pragma: no cover


@dataclass(frozen=True)
class Standing:
    contract: Contract
    due: Decimal  # principal and interest fallen due by the date
    paid: Decimal  # repaid (net of reversals)
    principal_owed: Decimal
    days_past_due: int
    saving_required: Decimal  # monthly saving x instalments fallen due
    saved: Decimal  # deposits (withdrawals are not counted against compliance)

    @property
    def arrears(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_past_due)

    @property
    def savings_short(self) -> Decimal:
        return max(self.saving_required - self.saved, ZERO)

    @property
    def savings_met(self) -> bool:
        return self.savings_short == 0


def standings(contracts: list[Contract], on: date, *, today: date | None = None) -> list[Standing]:
    """The standing of each contract on `on`, in four queries whatever the number of contracts; days past
    due are counted on `today` (default `on`), so a sheet of what falls due by the month's end still shows
    the days late as of today."""
    ids = [contract.pk for contract in contracts]
    by_instalment: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = (
        ScheduledInstalment.objects.filter(contract_id__in=ids, due_on__lte=on)
        .order_by()
        .values("contract_id", "number", "due_on")
        .annotate(amount=Sum("principal") + Sum("interest"))
        .order_by("contract_id", "number")
    )
    for row in rows:
        by_instalment[row["contract_id"]].append((row["due_on"], money(row["amount"])))
    paid = {
        row["repayment__contract_id"]: row
        for row in RepaymentLine.objects.filter(repayment__contract_id__in=ids)
        .order_by()
        .values("repayment__contract_id")
        .annotate(total=Sum("interest") + Sum("principal"), principal=Sum("principal"))
    }
    lent = dict(
        ScheduledInstalment.objects.filter(contract_id__in=ids)
        .order_by()
        .values_list("contract_id")
        .annotate(total=Sum("principal"))
    )
    saved = dict(
        SavingsEntry.objects.filter(contract_id__in=ids, kind=SavingsEntry.Kind.DEPOSIT, on__lte=on)
        .order_by()
        .values_list("contract_id")
        .annotate(total=Sum("amount"))
    )
    result = []
    for contract in contracts:
        row = paid.get(contract.pk, {})
        result.append(
            standing_from_sums(
                contract,
                on,
                instalments=by_instalment.get(contract.pk, []),
                paid=money(row.get("total") or ZERO),
                paid_principal=money(row.get("principal") or ZERO),
                lent=money(lent.get(contract.pk) or ZERO),
                saved=money(saved.get(contract.pk) or ZERO),
                today=today,
            )
        )
    return result


def standing_from_sums(
    contract: Contract,
    on: date,
    *,
    instalments: list[tuple[date, Decimal]],
    paid: Decimal,
    paid_principal: Decimal,
    lent: Decimal,
    saved: Decimal,
    today: date | None = None,
) -> Standing:
    """The standing from the instalments fallen due by `on` in order, as (due date, principal and interest),
    what was repaid, its principal part, the principal scheduled, and the deposits made by `on`; days past
    due counted on `today` (default `on`)."""
    due_total = sum((amount for _due_on, amount in instalments), ZERO)
    days = days_past_due(instalments, paid=paid, on=today or on)
    return Standing(
        contract=contract,
        due=due_total,
        paid=paid,
        principal_owed=lent - paid_principal,
        days_past_due=days,
        saving_required=contract.monthly_saving * len(instalments),
        saved=saved,
    )


def days_past_due(instalments: list[tuple[date, Decimal]], *, paid: Decimal, on: date) -> int:
    """Days past due on `on`: the age of the oldest instalment (due date, principal and interest, in order)
    that what was repaid does not cover; 0 when every instalment fallen due by `on` is covered. The one
    definition behind the collection sheet, the contract page and the arrears page."""
    cumulative = ZERO
    for due_on, amount in instalments:
        if due_on > on:
            break
        cumulative += amount
        if cumulative > paid:
            return (on - due_on).days
    return 0


@dataclass(frozen=True)
class Portfolio:
    standings: list[Standing]

    @property
    def principal_owed(self) -> Decimal:
        return sum((s.principal_owed for s in self.standings), ZERO)

    @property
    def at_risk_30(self) -> Decimal:
        return sum((s.principal_owed for s in self.standings if at_risk(s.days_past_due)), ZERO)

    @property
    def par30(self) -> Decimal | None:
        """Percent of the principal owed in contracts more than 30 days past due (`par30_percent`)."""
        return par30_percent(self.at_risk_30, self.principal_owed)

    def by_bucket(self) -> list[tuple[str, int, Decimal]]:
        """(bucket, contracts, principal owed) for current, 1-30, 31-60, 61-90, 90+."""
        names = ["current", "1-30", "31-60", "61-90", "90+"]
        return [
            (
                name,
                sum(1 for s in self.standings if s.bucket == name),
                sum((s.principal_owed for s in self.standings if s.bucket == name), ZERO),
            )
            for name in names
        ]

    def overdue(self) -> list[Standing]:
        return sorted((s for s in self.standings if s.days_past_due > 0), key=lambda s: -s.days_past_due)


def center_portfolio(center: Any, on: date, *, today: date | None = None) -> Portfolio:
    """The center's active contracts signed by `on`, with what fell due by `on`; days past due on `today`
    (default `on`)."""
    contracts = list(
        Contract.objects.filter(center=center, status=Contract.Status.ACTIVE)
        .filter(Q(signed_on__lte=on))
        .select_related("household")
        .order_by("number", "pk")
    )
    return Portfolio(standings(contracts, on, today=today))


# --- savings compliance, month by month -------------------------------------------------------------------


@dataclass(frozen=True)
class SavingsMonth:
    """The savings of one month of a contract: from instalment `number`'s due date to the next one (the
    first month starts at the signing). Compliance is cumulative: a month is met when everything saved so
    far covers the saving due for every instalment so far, so a late deposit catches up."""

    number: int
    due_on: date
    due: Decimal  # the saving due with this instalment
    saved: Decimal  # deposits made in this month
    required_to_date: Decimal
    saved_to_date: Decimal

    @property
    def short(self) -> Decimal:
        return max(self.required_to_date - self.saved_to_date, ZERO)

    @property
    def met(self) -> bool:
        return self.short == 0


def savings_compliance(contract: Contract, on: date) -> list[SavingsMonth]:
    """Each month of a signed contract whose instalment fell due by `on` (or by its closing date), with
    the saving due, the deposits of that month and whether the savings so far meet the rule; two queries
    whatever the length of the contract. Withdrawals do not count against compliance (as in `standings`)."""
    if contract.signed_on is None:
        return []
    end = min(on, contract.closed_on) if contract.closed_on else on
    due_dates = list(
        ScheduledInstalment.objects.filter(contract=contract, due_on__lte=end)
        .order_by("number")
        .values_list("number", "due_on")
        .distinct()
    )
    deposits = list(
        SavingsEntry.objects.filter(contract=contract, kind=SavingsEntry.Kind.DEPOSIT, on__lte=end)
        .order_by("on")
        .values_list("on", "amount")
    )
    return savings_months(contract, due_dates, deposits)


def savings_months(
    contract: Contract, due_dates: list[tuple[int, date]], deposits: list[tuple[date, Decimal]]
) -> list[SavingsMonth]:
    """The months of a signed contract from its instalments fallen due, as (number, due date) in order, and
    its deposits up to the same end, as (date, amount)."""
    months: list[SavingsMonth] = []
    required = saved_to_date = ZERO
    for index, (number, due_on) in enumerate(due_dates):
        start = contract.signed_on if index == 0 else due_on
        following = due_dates[index + 1][1] if index + 1 < len(due_dates) else None
        saved = money(
            sum(
                (
                    amount
                    for day, amount in deposits
                    if start <= day and (following is None or day < following)
                ),
                ZERO,
            )
        )
        required += contract.monthly_saving
        saved_to_date += saved
        months.append(SavingsMonth(number, due_on, contract.monthly_saving, saved, required, saved_to_date))
    return months


# --- everything the contract page shows of its ledgers -----------------------------------------------------


@dataclass(frozen=True)
class ContractLedgers:
    """A contract's ledgers on a date, as the contract page shows them."""

    position: Position | None  # active contracts only
    standing: Standing | None  # active contracts only
    compliance: list[SavingsMonth]
    savings: list[SavingsEntry]  # every entry, in order
    savings_balance: Decimal
    # What was repaid by tranche (`repaid_by_tranche`), read for the position: `fund_ledgers` takes it rather
    # than read it again. None when it was not read (a draft, a closed contract).
    repaid: dict[int, dict[str, Decimal]] | None = None


def contract_ledgers(contract: Contract, on: date) -> ContractLedgers:
    """The contract's position, standing and savings compliance on `on`, its savings entries and their
    balance: the figures of `contract_position`, `standings`, `savings_compliance` and `savings_balance`,
    from three queries (its savings entries, its scheduled instalments, its repayments by tranche) instead
    of ten. The contract's tranches are read from `contract.tranches.all()` (prefetch them)."""
    savings = list(contract.savings.select_related("receipt"))  # the receipt's number on the contract page
    balance = money(sum((entry.amount for entry in savings), ZERO))
    if contract.signed_on is None:  # a draft: no schedule written yet, nothing paid
        return ContractLedgers(None, None, [], savings, balance)
    instalments = list(
        ScheduledInstalment.objects.filter(contract=contract)
        .order_by()
        .values_list("tranche_id", "number", "due_on", "principal", "interest")
    )
    deposits = [(entry.on, entry.amount) for entry in savings if entry.kind == SavingsEntry.Kind.DEPOSIT]
    end = min(on, contract.closed_on) if contract.closed_on else on
    compliance = savings_months(
        contract,
        sorted({(number, due_on) for _tranche, number, due_on, _p, _i in instalments if due_on <= end}),
        [(day, amount) for day, amount in deposits if day <= end],
    )
    if not contract.is_active:
        return ContractLedgers(None, None, compliance, savings, balance)
    repaid = repaid_by_tranche(contract)
    due: dict[tuple[int, date], Decimal] = defaultdict(lambda: ZERO)
    for _tranche, number, due_on, principal, interest in instalments:
        if due_on <= on:
            due[number, due_on] += principal + interest
    standing = standing_from_sums(
        contract,
        on,
        instalments=[(due_on, money(amount)) for (_number, due_on), amount in sorted(due.items())],
        paid=money(sum((money(row["interest"]) + money(row["principal"]) for row in repaid.values()), ZERO)),
        paid_principal=money(sum((money(row["principal"]) for row in repaid.values()), ZERO)),
        lent=money(sum((principal for _t, _n, _d, principal, _i in instalments), ZERO)),
        saved=money(sum((amount for day, amount in deposits if day <= on), ZERO)),
    )
    position = position_from_schedule(contract, instalments, repaid, on)
    return ContractLedgers(position, standing, compliance, savings, balance, repaid)
