"""Demo contracts of the report's enrolled households (households/demo.py, debts/demo.py).

Each center sets a savings rule (กู้มาก ออมมาก). Each enrolled household signed one contract a year or two
ago (relative to today) that paid off its informal and community-fund debts with two tranches, from the
savings group and from the village fund, at their different rates; its bank debts stay outside. Since then
it has repaid monthly and saved: most on time, some late, some in arrears; a few consolidated everything
and paid off early, so they are debt-free (ปลดหนี้). Drawing up, signing, closing and the status moves go
through the services; the routine monthly payments and deposits are written in bulk by `record_in_bulk`,
row for row what the services would write (tests/contracts/test_demo.py), so every ledger, registry line
and status log is consistent. Households that already have a contract are left as they are: a second run
creates nothing.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from centers.models import Center, FundType, MemberFund
from debts.models import Sector
from households.demo import DEMO, demo_households
from households.models import Household, HouseholdStatus
from households.services import household_mark_debt_free

from . import services
from .calculations import (
    ZERO,
    Allocation,
    Method,
    Overpayment,
    PayoffRule,
    add_months,
    allocate_payment,
    current_instalment,
)
from .models import Contract, Repayment, RepaymentLine, SavingsEntry, SavingsRule
from .selectors import contract_schedule, schedule_rows, stored_instalments

# center name -> (instalment share %, minimum stock % of the principal, [(principal from, monthly saving)])
RULES = {
    DEMO[0].name: ("10.00", "5.00", [("0", "200"), ("50000", "300"), ("100000", "500")]),
    DEMO[1].name: ("15.00", "10.00", [("0", "300"), ("80000", "500")]),
}
# savings group tranche method, per center: the first charges flat interest, the second declining
SAVINGS_GROUP_METHOD = {DEMO[0].name: Method.FLAT, DEMO[1].name: Method.DECLINING}


@dataclass(frozen=True)
class Plan:
    kind: str  # "on_time", "late" (skips a month now and then, catches up), "arrears" (stopped), "paid_off"
    months_ago: int  # signed this many months before today
    term: int
    stopped: int = 0  # arrears: months since the last payment
    pays_off_after: int = 0  # paid_off: instalments paid before paying off the rest


def _plans(count: int, rng: random.Random) -> list[Plan]:
    """A mix for `count` households: about a fifth paid off, a fifth in arrears, a fifth late."""
    kinds = ["paid_off", "arrears", "late", "on_time", "on_time"] * (count // 5 + 1)
    plans = []
    for kind in kinds[:count]:
        months_ago = rng.randrange(12, 24)
        if kind == "paid_off":
            plans.append(Plan(kind, months_ago, 24, pays_off_after=rng.randrange(6, months_ago - 2)))
        elif kind == "arrears":
            plans.append(Plan(kind, months_ago, rng.choice([24, 36]), stopped=rng.choice([2, 3, 5])))
        else:
            plans.append(Plan(kind, months_ago, rng.choice([24, 36, 48])))
    return plans


def seed(stdout, today: date) -> None:
    """The contracts signed a year or two before `today` and their history up to it."""
    rules = contracts = 0
    for demo in DEMO:
        center = Center.objects.get(name=demo.name)
        officer = User.objects.get(username=demo.officer)
        rules += _savings_rule(officer, center)
        funds = {
            fund.fund_type: fund
            for fund in MemberFund.objects.filter(
                center=center, fund_type__in=[FundType.SAVINGS_GROUP, FundType.VILLAGE_FUND]
            )
        }
        rng = random.Random(f"contracts {demo.name}")  # noqa: S311 (fictional demo data, the same each run)
        households = demo_households(demo.name)
        for household, plan in zip(households, _plans(len(households), rng), strict=True):
            if Contract.objects.filter(household=household).exists():
                continue
            if household.status != HouseholdStatus.ENROLLED:
                continue
            _contract(officer, household, funds, plan, SAVINGS_GROUP_METHOD[demo.name], today, rng)
            contracts += 1
    stdout.write(f"Contracts: savings rules of the demo centers ({rules} new), {contracts} new contracts.")


def _savings_rule(officer: User, center: Center) -> int:
    if SavingsRule.objects.filter(center=center).exists():
        return 0
    share, stock, tiers = RULES[center.name]
    services.savings_rule_save(
        user=officer,
        center=center,
        instalment_share=Decimal(share),
        minimum_stock_share=Decimal(stock),
        tiers=[services.TierTerms(Decimal(start), Decimal(monthly)) for start, monthly in tiers],
    )
    return 1


def _contract(
    officer: User,
    household: Household,
    funds: dict[str, MemberFund],
    plan: Plan,
    savings_group_method: Method,
    today: date,
    rng: random.Random,
) -> None:
    signed_on = add_months(today, -plan.months_ago).replace(day=rng.randrange(1, 21))
    lines = [
        line
        for line in household.debt_lines.open()
        if line.current_balance > 0 and (plan.kind == "paid_off" or line.sector != Sector.FORMAL)
    ]
    payoffs = [services.PayoffTerms(debt_line=line, amount=line.current_balance) for line in lines]
    principal = sum((line.current_balance for line in lines), Decimal("0.00"))
    from_savings_group = (principal * Decimal("0.6")).quantize(Decimal("1"))
    savings_group, village_fund = funds[FundType.SAVINGS_GROUP], funds[FundType.VILLAGE_FUND]
    contract = services.contract_draw_up(
        user=officer,
        household=household,
        term_months=plan.term,
        first_due_on=add_months(signed_on, 1),
        drawn_up_on=signed_on - timedelta(days=rng.randrange(3, 15)),
        tranches=[
            services.TrancheTerms(
                savings_group, from_savings_group, savings_group.annual_rate, savings_group_method
            ),
            services.TrancheTerms(
                village_fund, principal - from_savings_group, village_fund.annual_rate, Method.FLAT
            ),
        ],
        payoffs=payoffs,
        affordability_reason="ข้อมูลสาธิต: ครัวเรือนสมมติ",  # kept only where the demo budget is short
    )
    receipts = {
        payoff.pk: services.PayoffReceipt(paid_on=signed_on, receipt=f"ชำระหนี้ {index + 1:02d}")
        for index, payoff in enumerate(contract.payoffs.all())
    }
    services.contract_sign(user=officer, contract=contract, signed_on=signed_on, receipts=receipts)
    events = history_events(contract, plan, today, rng)
    record_in_bulk(officer, contract, events)
    if contract.status == Contract.Status.CLOSED and not household.debt_lines.open().exists():
        # paid off, and nothing owed outside the contract either: debt-free (ปลดหนี้)
        household_mark_debt_free(
            user=officer, household=household, on=contract.closed_on, note=f"ปิดสัญญา {contract.number}"
        )


@dataclass(frozen=True)
class Payment:
    on: date
    amount: Decimal | None  # None with pay_off: exactly what closes the contract that day
    pay_off: bool = False
    note: str = ""


@dataclass(frozen=True)
class Deposit:
    on: date
    amount: Decimal


def history_events(
    contract: Contract, plan: Plan, today: date, rng: random.Random
) -> list[Payment | Deposit]:
    """The payments and deposits of a signed contract from its signing to today, by the plan."""
    rows = contract_schedule(contract).rows
    due_months = [row for row in rows if row.instalment.due_date <= today]
    if plan.kind == "arrears":
        due_months = due_months[: max(len(due_months) - plan.stopped, 1)]
    events: list[Payment | Deposit] = []
    skipped = Decimal("0.00")
    for number, row in enumerate(due_months, start=1):
        paid_on = min(row.instalment.due_date + timedelta(days=rng.randrange(0, 6)), today)
        if plan.kind == "paid_off" and number > plan.pays_off_after:
            events.append(Payment(paid_on, None, pay_off=True, note="ปิดสัญญาก่อนกำหนด"))
            if contract.monthly_saving > 0:
                events.append(Deposit(paid_on, contract.monthly_saving))
            break
        amount = row.instalment.amount
        if plan.kind == "late" and number < len(due_months) and rng.random() < 0.25:
            skipped += amount  # paid with the next instalment
            continue
        events.append(Payment(paid_on, amount + skipped))
        skipped = Decimal("0.00")
        saving = contract.monthly_saving
        if rng.random() < 0.2:  # some months they save less than the rule asks, or nothing
            saving = (saving * Decimal(rng.choice(["0", "0.5", "0.8"]))).quantize(Decimal("1"))
        if saving > 0:
            events.append(Deposit(paid_on, saving))
    return events


def record_with_services(officer: User, contract: Contract, events: list[Payment | Deposit]) -> None:
    """Record the events one by one through `repayment_record` and `savings_record`."""
    for event in events:
        if isinstance(event, Payment):
            services.repayment_record(
                user=officer, contract=contract, paid_on=event.on, amount=event.amount, token=uuid.uuid4(),
                pay_off=event.pay_off, note=event.note,
            )  # fmt: skip
        else:
            services.savings_record(
                user=officer, contract=contract, on=event.on, kind=SavingsEntry.Kind.DEPOSIT,
                amount=event.amount, token=uuid.uuid4(),
            )  # fmt: skip


def record_in_bulk(officer: User, contract: Contract, events: list[Payment | Deposit]) -> None:
    """The same ledger rows as `record_with_services` (tests/contracts/test_demo.py compares them), written
    in a few bulk inserts: a year or two of monthly payments for 46 households through the services one by
    one would make `seed_demo` (and every test that seeds) ten times slower. The routine payments are split
    by `calculations.allocate_payment` exactly as `repayment_record` splits them; a payment that closes
    the contract, and everything after it, goes through the services."""
    if contract.payoff_rule != PayoffRule.INSTALMENT:  # a payoff may then cost less than the order takes
        record_with_services(officer, contract, events)
        return
    tranches = {tranche.pk: tranche.principal for tranche in contract.tranches.all()}
    instalments = stored_instalments(schedule_rows(contract))
    due_dates = [instalment.due_date for instalment in instalments]
    paid_interest = dict.fromkeys(tranches, ZERO)
    paid_principal = dict.fromkeys(tranches, ZERO)
    repayments: list[Repayment] = []
    allocations: list[Allocation] = []
    deposits: list[SavingsEntry] = []
    rest: list[Payment | Deposit] = []
    for index, event in enumerate(events):
        if isinstance(event, Deposit):
            deposits.append(
                SavingsEntry(
                    contract=contract, on=event.on, kind=SavingsEntry.Kind.DEPOSIT, amount=event.amount,
                    token=uuid.uuid4(), recorded_by=officer,
                )
            )  # fmt: skip
            continue
        principal_owed = {key: tranches[key] - paid_principal[key] for key in tranches}
        allocation = None
        if not event.pay_off and event.amount is not None:
            try:
                allocation = allocate_payment(
                    event.amount, instalments=instalments, paid_interest=paid_interest,
                    paid_principal=paid_principal, current=current_instalment(due_dates, event.on),
                )  # fmt: skip
            except Overpayment:
                allocation = None
        if allocation is None or sum(allocation.principal.values(), ZERO) == sum(
            principal_owed.values(), ZERO
        ):
            rest = events[index:]  # closes the contract (or is refused): the service does it
            break
        for key in tranches:
            paid_interest[key] += allocation.interest[key]
            paid_principal[key] += allocation.principal[key]
        repayments.append(
            Repayment(
                contract=contract, paid_on=event.on, amount=event.amount,
                receipt_number=f"{contract.number}-{len(repayments) + 1:03d}", token=uuid.uuid4(),
                note=event.note, recorded_by=officer,
            )
        )  # fmt: skip
        allocations.append(allocation)
    repayments = bulk_create_with_history(repayments, Repayment, default_user=officer)
    bulk_create_with_history(
        [
            RepaymentLine(
                repayment=repayment, tranche_id=key, interest=allocation.interest[key],
                principal=allocation.principal[key],
            )
            for repayment, allocation in zip(repayments, allocations, strict=True)
            for key in allocation.interest
            if allocation.interest[key] or allocation.principal[key]
        ],
        RepaymentLine,
        default_user=officer,
    )  # fmt: skip
    bulk_create_with_history(deposits, SavingsEntry, default_user=officer)
    services.receipts_issue_missing(center_ids=[contract.center_id])  # before the services issue theirs
    record_with_services(officer, contract, rest)
