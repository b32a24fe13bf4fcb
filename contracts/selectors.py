"""Reads for the contract pages: the contract with its parts, and its schedule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from centers.models import Center, CommitteeMember, CommitteeRole
from households.models import Household

from . import calculations
from .calculations import ZERO, Instalment, Method, PayoffRule
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


def payoff_rule_for(*, center_id: int) -> str:
    """The payoff rule of the center's savings rule (the current instalment's interest without a rule)."""
    rule = SavingsRule.objects.filter(center_id=center_id).values_list("payoff_rule", flat=True).first()
    return rule or PayoffRule.INSTALMENT.value


def late_payment_clause_for(*, center_id: int) -> str:
    """The late-payment clause of the center's rule ("" without one: the print says the center's rules)."""
    clause = SavingsRule.objects.filter(center_id=center_id).values_list("late_payment_clause", flat=True)
    return clause.first() or ""


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

    def by_fund(self) -> list[tuple[Any, list[tuple[int, date, Decimal, Decimal, Decimal, Decimal]]]]:
        """Each tranche's own schedule, as its fund's book keeps it: (tranche, rows of (number, due date,
        principal, interest, instalment, the fund's balance after))."""
        return [
            (
                key,
                [
                    (
                        row.instalment.number,
                        row.instalment.due_date,
                        line.principal,
                        line.interest,
                        line.principal + line.interest,
                        line.balance,
                    )
                    for row in self.rows
                    for line in (row.instalment.lines[key],)
                ],
            )
            for key in self.keys
        ]

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


@dataclass(frozen=True)
class Affordability:
    """What a household would pay a month under a new contract against the surplus of its budget."""

    instalment: Decimal  # the contract's largest monthly instalment
    saving: Decimal  # the monthly saving due with it
    outside: Decimal  # the monthly instalments of the open debts the contract does not pay off
    surplus: Decimal | None  # the latest budget's income less living expenses; None without a budget
    budget_on: date | None

    @property
    def burden(self) -> Decimal:
        return self.instalment + self.saving + self.outside

    @property
    def above(self) -> bool:
        """More than the budget's surplus: drawing up needs a reason."""
        return self.surplus is not None and self.burden > self.surplus

    @property
    def shortfall(self) -> Decimal:
        return max(self.burden - (self.surplus or ZERO), ZERO) if self.above else ZERO


def affordability(
    household: Household, *, instalment: Decimal, saving: Decimal, paid_off: Iterable[int]
) -> Affordability:
    """The affordability of a contract for `household` with this instalment and saving, paying off the debt
    lines `paid_off` (ids); the lines left open count with their monthly instalment. Two queries."""
    paid = set(paid_off)
    outside = sum(
        (
            line.monthly_instalment
            for line in household.debt_lines.open()
            if line.pk not in paid and line.monthly_instalment is not None
        ),
        ZERO,
    )
    budget = household.budgets.order_by("-as_of", "-pk").first()
    return Affordability(
        instalment=instalment,
        saving=saving,
        outside=outside,
        surplus=budget.surplus_before_debt if budget else None,
        budget_on=budget.as_of if budget else None,
    )


def household_contract_commitment(household: Household, user: Any, on: date | None = None) -> dict | None:
    """What the household's active contract asks a month, for the registry's "instalments now paid" on the
    household page (see core.sections, "household_commitments"): the instalment of the current period (the
    first due on or after `on`, the last one after the term) plus the monthly saving. Two queries."""
    contract = household.contracts.active().only("pk", "number", "monthly_saving").first()
    if contract is None:
        return None
    on = on or timezone.localdate()
    rows = list(
        ScheduledInstalment.objects.filter(contract=contract)
        .values("number", "due_on")
        .annotate(amount=Sum("principal") + Sum("interest"))
        .order_by("number")
    )
    current = next((row for row in rows if row["due_on"] >= on), rows[-1] if rows else None)
    instalment = current["amount"] if current else ZERO
    return {
        "contract": contract.number,
        "instalment": instalment,
        "saving": contract.monthly_saving,
        "amount": instalment + contract.monthly_saving,
    }


def center_chair(center_id: int, on: date) -> CommitteeMember | None:
    """The chair of the center's committee on `on` (its term holds the date), if one is on record."""
    return (
        CommitteeMember.objects.filter(center_id=center_id, role=CommitteeRole.CHAIR, term_start__lte=on)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
        .order_by("-term_start", "-pk")
        .first()
    )


def open_draft(household: Household) -> Contract | None:
    """The household's draft contract, if it has one (at most one: a database constraint)."""
    return household.contracts.filter(status=Contract.Status.DRAFT).only("pk", "number").first()


def household_contract_section(household: Household, user: Any) -> dict[str, Any] | None:
    """The household's contracts on the household page (see core.sections)."""
    from .progress import household_progress  # progress reads positions from this module

    contracts = list(household.contracts.prefetch_related("tranches").order_by("-drawn_up_on", "-pk"))
    return {
        "progress": household_progress(household, contracts=[c for c in contracts if not c.is_cancelled]),
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
    """What a contract owes on a date, per tranche (see `calculations.allocate_payment` for the order).

    `interest_due`: the interest of the instalments up to the current one (whose period holds the date: a
    payment before the due date counts as that instalment) not yet paid; `due`: what those instalments
    still ask, interest and principal; `payoff_interest`: the interest a payoff pays on that date under
    the contract's payoff rule."""

    interest_due: dict[int, Decimal]
    principal_owed: dict[int, Decimal]
    payoff_interest: dict[int, Decimal]
    due: Decimal
    rule: PayoffRule
    current: int  # the number of the current instalment (0 without a schedule)

    @property
    def interest(self) -> Decimal:
        return sum(self.interest_due.values(), ZERO)

    @property
    def principal(self) -> Decimal:
        return sum(self.principal_owed.values(), ZERO)

    @property
    def payoff(self) -> Decimal:
        """The exact amount that closes the contract on that date."""
        return sum(self.payoff_interest.values(), ZERO) + self.principal


# (tranche id, number, due on, principal, interest)
ScheduleRows = Iterable[tuple[int, int, date, Decimal, Decimal]]


def stored_instalments(rows: ScheduleRows) -> list[Instalment]:
    """The schedule written at signing (`ScheduledInstalment` rows), as `calculations.Instalment`s keyed by
    tranche id, in order (a tranche's scheduled principal sums exactly to its principal)."""
    principal: dict[int, Decimal] = {}
    by_number: dict[int, tuple[date, dict[int, tuple[Decimal, Decimal]]]] = {}
    for tranche_id, number, due_on, line_principal, interest in rows:
        by_number.setdefault(number, (due_on, {}))[1][tranche_id] = (
            calculations.money(line_principal),
            calculations.money(interest),
        )
        principal[tranche_id] = principal.get(tranche_id, ZERO) + calculations.money(line_principal)
    balance = dict(principal)
    instalments = []
    for number in sorted(by_number):
        due_on, lines = by_number[number]
        built = {}
        for key in principal:
            line_principal, interest = lines.get(key, (ZERO, ZERO))
            balance[key] -= line_principal
            built[key] = calculations.TrancheLine(line_principal, interest, balance[key])
        instalments.append(Instalment(number=number, due_date=due_on, lines=built))
    return instalments


def paid_sums(repaid: Mapping[int, Mapping[str, Decimal]]) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """(interest, principal) repaid per tranche id, to the satang (SQLite sums decimals without scale)."""
    return (
        {key: calculations.money(row.get("interest") or ZERO) for key, row in repaid.items()},
        {key: calculations.money(row.get("principal") or ZERO) for key, row in repaid.items()},
    )


def position_from_schedule(
    contract: Contract, rows: ScheduleRows, repaid: Mapping[int, Mapping[str, Decimal]], on: date
) -> Position:
    """The position on `on` from the stored schedule `rows` and the interest and principal repaid per
    tranche id (`repaid`, rows with "interest" and "principal"), under the contract's payoff rule. Without
    a schedule (a draft), the principal of `contract.tranches.all()`, nothing due."""
    instalments = stored_instalments(rows)
    paid_interest, paid_principal = paid_sums(repaid)
    rule = PayoffRule(contract.payoff_rule)
    if not instalments:
        owed = {t.pk: t.principal - paid_principal.get(t.pk, ZERO) for t in contract.tranches.all()}
        return Position(dict.fromkeys(owed, ZERO), owed, dict.fromkeys(owed, ZERO), ZERO, rule, 0)
    left = calculations.outstanding(instalments, paid_interest=paid_interest, paid_principal=paid_principal)
    current = calculations.current_instalment([i.due_date for i in instalments], on)
    payoff = calculations.payoff_allocation(
        instalments=instalments,
        paid_interest=paid_interest,
        paid_principal=paid_principal,
        on=on,
        rule=rule,
        period_start=calculations.add_months(contract.first_due_on, -1),
    )
    return Position(
        interest_due=left.interest_to(current),
        principal_owed=left.principal_owed(),
        payoff_interest=payoff.interest,
        due=left.due_to(current),
        rule=rule,
        current=current,
    )


def schedule_rows(contract: Contract) -> list[tuple[int, int, date, Decimal, Decimal]]:
    """The contract's stored schedule as (tranche id, number, due on, principal, interest): one query."""
    return list(
        ScheduledInstalment.objects.filter(contract=contract)
        .order_by()
        .values_list("tranche_id", "number", "due_on", "principal", "interest")
    )


def contract_position(contract: Contract, on: date) -> Position:
    """The contract's position on `on`, from its schedule and its repayments (reversals net out): two
    queries, whatever the number of instalments and payments."""
    return position_from_schedule(contract, schedule_rows(contract), repaid_by_tranche(contract), on)


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


def savings_balance(contract: Contract) -> Decimal:
    return calculations.money(contract.savings.aggregate(total=Sum("amount", default=ZERO))["total"])


def minimum_savings_stock(contract: Contract) -> Decimal:
    """The savings the center's rule keeps while the contract is active (0 without a rule)."""
    rule = SavingsRule.objects.filter(center_id=contract.center_id).first()
    if rule is None or not contract.is_active:
        return ZERO
    return calculations.money(contract.principal * rule.minimum_stock_share / 100)


@dataclass(frozen=True)
class FundLedger:
    """One fund's book on one contract: what it lent, what came back (interest and principal; reversals
    net out) and what it is owed now (its principal not yet repaid)."""

    tranche: Tranche
    lent: Decimal
    paid_interest: Decimal
    paid_principal: Decimal

    @property
    def owed(self) -> Decimal:
        return self.lent - self.paid_principal


def fund_ledgers(
    contract: Contract, *, repaid: dict[int, dict[str, Decimal]] | None = None
) -> list[FundLedger]:
    """Each fund's book on the contract, in the order of its tranches (`contract.tranches.all()`, prefetch
    them with their funds): one query for the repayments, none when `repaid` (`repaid_by_tranche`, already
    read for the same page) is given."""
    paid_interest, paid_principal = paid_sums(repaid if repaid is not None else repaid_by_tranche(contract))
    return [
        FundLedger(
            tranche=tranche,
            lent=tranche.principal,
            paid_interest=paid_interest.get(tranche.pk, ZERO),
            paid_principal=paid_principal.get(tranche.pk, ZERO),
        )
        for tranche in contract.tranches.all()
    ]


# (paid on, receipt number, contract number, head of household, interest, principal, reverses receipt)
FundBookRow = tuple[date, str, str, str, Decimal, Decimal, str]


def fund_book(center: Center, first: date, last: date) -> dict[int, list[FundBookRow]]:
    """{fund id: its repayment lines paid from `first` to `last`}, for each fund's committee to reconcile
    its own book: every line of every contract of the center (reversals as negative lines), in order of
    payment. One query."""
    rows: dict[int, list[FundBookRow]] = {}
    lines = (
        RepaymentLine.objects.filter(
            repayment__contract__center=center, repayment__paid_on__gte=first, repayment__paid_on__lte=last
        )
        .order_by("repayment__paid_on", "repayment__pk", "pk")
        .values_list(
            "tranche__fund_id",
            "repayment__paid_on",
            "repayment__receipt_number",
            "repayment__contract__number",
            "repayment__contract__household__head_name",
            "interest",
            "principal",
            "repayment__reverses__receipt_number",
        )
    )
    for fund_id, paid_on, receipt, number, head, interest, principal, reverses in lines:
        rows.setdefault(fund_id, []).append(
            (
                paid_on,
                receipt,
                number,
                head,
                calculations.money(interest),
                calculations.money(principal),
                reverses or "",
            )
        )
    return rows
