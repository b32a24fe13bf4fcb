"""The demo's bulk-written history is row for row what the services write (contracts/demo.py)."""

import random
from datetime import date
from decimal import Decimal

import pytest

from centers.models import FundType
from contracts import demo, services
from contracts.calculations import add_months
from contracts.models import Contract, Repayment, SavingsEntry, SavingsRule, SavingsTier
from tests.contracts.factories import sign
from tests.debts.factories import make_debt
from tests.factories import CenterFactory, MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 11, 20)


def demo_center():
    center = CenterFactory()
    rule = SavingsRule.objects.create(center=center, instalment_share=Decimal("10"))
    SavingsTier.objects.create(rule=rule, principal_from=Decimal("0"), monthly_saving=Decimal("300"))
    return center


def twin_contract(officer, center, funds):
    household = HouseholdFactory(center=center)
    lines = [
        make_debt(household, creditor_type="money_lender", balance="23457.00", original="30000.00"),
        make_debt(household, creditor_type="village_fund", balance="12000.00", original="15000.00"),
    ]
    contract = services.contract_draw_up(
        user=officer,
        household=household,
        term_months=24,
        first_due_on=date(2024, 3, 5),
        drawn_up_on=date(2024, 2, 1),
        tranches=[
            services.TrancheTerms(funds[0], Decimal("21000.00"), Decimal("12"), "flat"),
            services.TrancheTerms(funds[1], Decimal("14457.00"), Decimal("6"), "declining"),
        ],
        payoffs=[services.PayoffTerms(line, line.current_balance) for line in lines],
    )
    return sign(officer, contract)


def ledger(contract: Contract):
    contract.refresh_from_db()
    fund_of = {t.pk: t.fund.fund_type for t in contract.tranches.select_related("fund")}
    repayments = [
        (
            r.paid_on, r.amount, r.receipt_number.rsplit("-", 1)[1], r.closes_contract, r.note,
            sorted((fund_of[line.tranche_id], line.interest, line.principal) for line in r.lines.all()),
            r.history.count(),
        )
        for r in Repayment.objects.filter(contract=contract).order_by("pk")
    ]  # fmt: skip
    savings = [
        (e.on, e.kind, e.amount, e.history.count()) for e in SavingsEntry.objects.filter(contract=contract)
    ]
    return repayments, savings, contract.status, contract.closed_on


@pytest.mark.parametrize("kind", ["late", "arrears", "paid_off"])
def test_the_bulk_history_is_what_the_services_record(officer, time_machine, kind):
    time_machine.move_to(TODAY)
    center = demo_center()
    funds = [
        MemberFundFactory(center=center, fund_type=FundType.SAVINGS_GROUP),
        MemberFundFactory(center=center, fund_type=FundType.VILLAGE_FUND),
    ]
    in_bulk, one_by_one = twin_contract(officer, center, funds), twin_contract(officer, center, funds)
    plan = demo.Plan(kind, months_ago=21, term=24, stopped=3, pays_off_after=14)
    events = demo.history_events(in_bulk, plan, TODAY, random.Random(kind))
    assert len([e for e in events if isinstance(e, demo.Payment)]) >= 10
    demo.record_in_bulk(officer, in_bulk, events)
    demo.record_with_services(officer, one_by_one, events)
    bulk, serviced = ledger(in_bulk), ledger(one_by_one)
    assert bulk == serviced
    assert bulk[2] == ("closed" if kind == "paid_off" else "active")
    assert in_bulk.monthly_saving == Decimal("300.00")
    assert len(bulk[1]) >= 5


def test_a_payment_that_repays_the_last_principal_goes_through_the_service(officer, time_machine):
    time_machine.move_to(date(2026, 3, 1))
    center = demo_center()
    funds = [
        MemberFundFactory(center=center, fund_type=FundType.SAVINGS_GROUP),
        MemberFundFactory(center=center, fund_type=FundType.VILLAGE_FUND),
    ]
    contract = twin_contract(officer, center, funds)
    rows = demo.contract_schedule(contract).rows
    events = [
        demo.Payment(add_months(date(2024, 3, 5), n), row.instalment.amount) for n, row in enumerate(rows)
    ]
    demo.record_in_bulk(officer, contract, events)
    repayments, _savings, status, closed_on = ledger(contract)
    assert (status, closed_on) == ("closed", date(2026, 2, 5))
    assert repayments[-1][3] is True  # the last one closed it
    assert len(repayments) == 24
