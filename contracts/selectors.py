"""Reads for the contract pages: the contract with its parts, and its schedule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from centers.models import Center
from households.models import Household

from . import calculations
from .calculations import ZERO, Instalment, Method
from .models import Contract, Payoff, RepaymentLine, SavingsRule, ScheduledInstalment, Tranche


def monthly_saving_for(*, center_id: int, principal: Decimal, instalment: Decimal) -> Decimal:
    """The monthly saving the center's rule requires for this principal and instalment (0 without a rule)."""
    rule = SavingsRule.objects.filter(center_id=center_id).prefetch_related("tiers").first()
    if rule is None:
        return calculations.ZERO
    return calculations.saving_due(
        principal=principal,
        instalment=instalment,
        tiers=[(tier.principal_from, tier.monthly_saving) for tier in rule.tiers.all()],
        instalment_share=rule.instalment_share,
    )


def contract_for_personal_data(
    user: Any, pk: int, *, links: bool = True, tranches: bool = True, payoffs: bool = True
) -> Contract:
    """The contract if the user may see its household's personal data; 404 otherwise (as if it did not
    exist). Provincial and department staff get 404: contract pages show names.

    One query for the contract, its household and center, and `user_may_edit` (whether the same user may
    edit it), with `links` the household's village and the contracts it restructures and that restructure
    it; then with `tranches` one for its tranches with their funds, and with `payoffs` one for its creditor
    payoffs with their debts. A page that reads them once does better without (a prefetch costs more)."""
    related = ["household__village", "center", "restructured_from", "restructured_into"] if links else []
    contracts = (
        Contract.objects.personal_data_visible_to(user)
        .with_user_may_edit(user)
        .select_related("household", "center", *related)
    )
    if tranches:
        contracts = contracts.prefetch_related(Prefetch("tranches", Tranche.objects.select_related("fund")))
    if payoffs:
        contracts = contracts.prefetch_related(
            Prefetch("payoffs", Payoff.objects.select_related("debt_line"))
        )
    return get_object_or_404(contracts, pk=pk)


def restructured_into(contract: Contract) -> Contract | None:
    """The contract that restructures this one (read with it by `contract_for_personal_data`), if any."""
    return getattr(contract, "restructured_into", None)  # a missing reverse one-to-one is an AttributeError


@dataclass(frozen=True)
class ScheduleRow:
    instalment: Instalment
    saving: Decimal

    @property
    def total(self) -> Decimal:
        return self.instalment.amount + self.saving


@dataclass(frozen=True)
class ScheduleTable:
    rows: list[ScheduleRow]
    keys: list[Any]  # the tranches, in column order

    @cached_property
    def lines(self) -> list[tuple[int, date, Decimal, Decimal, Decimal, Decimal, Decimal]]:
        """Each row as (number, due date, principal, interest, instalment, savings due, balance after), as
        the schedule shows it; summed over the tranches once."""
        lines = []
        for row in self.rows:
            principal, interest = row.instalment.principal, row.instalment.interest
            lines.append(
                (
                    row.instalment.number,
                    row.instalment.due_date,
                    principal,
                    interest,
                    principal + interest,
                    row.saving,
                    row.instalment.balance,
                )
            )
        return lines

    @cached_property
    def principal(self) -> Decimal:
        return sum((line[2] for line in self.lines), ZERO)

    @cached_property
    def interest(self) -> Decimal:
        return sum((line[3] for line in self.lines), ZERO)

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest

    @cached_property
    def savings(self) -> Decimal:
        return sum((row.saving for row in self.rows), ZERO)

    @property
    def monthly_instalment(self) -> Decimal:
        return self.lines[0][4] if self.rows else ZERO

    def per_tranche(self) -> list[tuple[Any, Decimal, Decimal]]:
        """(tranche, principal, interest) over the whole term."""
        return [
            (
                key,
                sum((row.instalment.lines[key].principal for row in self.rows), ZERO),
                sum((row.instalment.lines[key].interest for row in self.rows), ZERO),
            )
            for key in self.keys
        ]


def schedule_table(
    tranches: list[Any], *, months: int, first_due: date, monthly_saving: Decimal
) -> ScheduleTable:
    """The repayment schedule of tranches (objects with principal, annual_rate, method), keyed by the
    tranche objects themselves, with the savings due each month."""
    instalments = calculations.schedule(
        [calculations.Tranche(t, t.principal, t.annual_rate, Method(t.method)) for t in tranches],
        months,
        first_due,
    )
    return ScheduleTable([ScheduleRow(i, monthly_saving) for i in instalments], list(tranches))


def preview_schedule(*, center_id: int, tranches: list[Any], months: int, first_due: date) -> ScheduleTable:
    """The schedule of a contract not yet saved, with the savings its center's rule would require."""
    bare = schedule_table(tranches, months=months, first_due=first_due, monthly_saving=ZERO)
    saving = monthly_saving_for(
        center_id=center_id,
        principal=sum((t.principal for t in tranches), ZERO),
        instalment=bare.monthly_instalment,
    )
    return ScheduleTable([ScheduleRow(row.instalment, saving) for row in bare.rows], bare.keys)


def contract_schedule(contract: Contract) -> ScheduleTable:
    return schedule_table(
        list(contract.tranches.all()),
        months=contract.term_months,
        first_due=contract.first_due_on,
        monthly_saving=contract.monthly_saving,
    )


def household_contract_section(household: Household, user: Any) -> dict[str, Any] | None:
    """The household's contracts on the household page (see core.sections)."""
    from .progress import household_progress  # progress reads positions from this module

    contracts = list(household.contracts.prefetch_related("tranches").order_by("-drawn_up_on", "-pk"))
    return {
        "progress": household_progress(household, contracts=contracts),
        "template": "contracts/includes/household_contracts.html",
        "household": household,
        "contracts": contracts,
        "can_draw_up": Household.objects.editable_by(user).filter(pk=household.pk).exists()
        and not any(c.status in (Contract.Status.DRAFT, Contract.Status.ACTIVE) for c in contracts),
    }


def center_contracts_section(center: Any, user: Any) -> dict[str, Any]:
    """Contracts by status and the principal of the active ones, for the center page (totals only), and
    the links to its collection sheet and arrears for those who may open them."""
    active = Q(status=Contract.Status.ACTIVE)
    totals = Contract.objects.filter(center=center).aggregate(
        **{
            f"n_{value}": Count("pk", filter=Q(status=value), distinct=True)
            for value in Contract.Status.values
        },
        active_principal=Sum("tranches__principal", filter=active, default=ZERO),
    )
    return {
        "template": "contracts/includes/center_contracts.html",
        "counts": [(label, totals[f"n_{value}"]) for value, label in Contract.Status.choices],
        "active_principal": totals["active_principal"],
        "center": center,
        "can_open": Center.objects.editable_by(user).filter(pk=center.pk).exists(),
    }


@dataclass(frozen=True)
class Position:
    """What a contract owes on a date, per tranche: interest fallen due and not paid, principal not paid."""

    interest_due: dict[int, Decimal]
    principal_owed: dict[int, Decimal]

    @property
    def interest(self) -> Decimal:
        return sum(self.interest_due.values(), ZERO)

    @property
    def principal(self) -> Decimal:
        return sum(self.principal_owed.values(), ZERO)

    @property
    def payoff(self) -> Decimal:
        """The exact amount that closes the contract on that date."""
        return self.interest + self.principal


def contract_position(contract: Contract, on: date) -> Position:
    """The contract's position on `on`, from its schedule and its repayments (reversals net out): one
    query, whatever the number of instalments and payments: the tranches with, per tranche, the interest
    fallen due by `on` and the interest and principal repaid."""
    scheduled = ScheduledInstalment.objects.filter(contract=contract, tranche=OuterRef("pk"), due_on__lte=on)
    repaid = RepaymentLine.objects.filter(repayment__contract=contract, tranche=OuterRef("pk"))
    tranches = list(
        contract.tranches.annotate(
            scheduled_interest=_tranche_sum(scheduled, "interest"),
            paid_interest=_tranche_sum(repaid, "interest"),
            paid_principal=_tranche_sum(repaid, "principal"),
        )
    )
    return position_from_sums(
        tranches,
        {tranche.pk: tranche.scheduled_interest for tranche in tranches},
        {
            tranche.pk: {"interest": tranche.paid_interest, "principal": tranche.paid_principal}
            for tranche in tranches
        },
    )


def _tranche_sum(rows: QuerySet[Any], field: str) -> Subquery:
    """The sum of `field` over `rows` (filtered on one tranche by an OuterRef), NULL when there is none."""
    return Subquery(
        rows.order_by().values("tranche").annotate(total=Sum(field)).values("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def repaid_by_tranche(contract: Contract) -> dict[int, dict[str, Decimal]]:
    """{tranche id: {"interest": ..., "principal": ...}} repaid on the contract (reversals net out; sums
    as the database gives them): one query."""
    return {
        row["tranche"]: row
        for row in RepaymentLine.objects.filter(repayment__contract=contract)
        .order_by()
        .values("tranche")
        .annotate(interest=Sum("interest"), principal=Sum("principal"))
    }


def position_from_sums(
    tranches: Iterable[Tranche], scheduled: Mapping[int, Decimal], paid: Mapping[int, Mapping[str, Decimal]]
) -> Position:
    """The position from the interest fallen due per tranche id (`scheduled`) and the interest and principal
    repaid per tranche id (`paid`, rows with "interest" and "principal")."""
    interest_due, principal_owed = {}, {}
    for tranche in tranches:
        row = paid.get(tranche.pk, {})
        # SQLite sums decimals without their scale: back to the satang
        scheduled_interest = calculations.money(scheduled.get(tranche.pk) or ZERO)
        paid_interest = calculations.money(row.get("interest") or ZERO)
        interest_due[tranche.pk] = max(scheduled_interest - paid_interest, ZERO)
        principal_owed[tranche.pk] = tranche.principal - calculations.money(row.get("principal") or ZERO)
    return Position(interest_due, principal_owed)


def savings_balance(contract: Contract) -> Decimal:
    return calculations.money(contract.savings.aggregate(total=Sum("amount", default=ZERO))["total"])


def minimum_savings_stock(contract: Contract) -> Decimal:
    """The savings the center's rule keeps while the contract is active (0 without a rule)."""
    rule = SavingsRule.objects.filter(center_id=contract.center_id).first()
    if rule is None or not contract.is_active:
        return ZERO
    return calculations.money(contract.principal * rule.minimum_stock_share / 100)
