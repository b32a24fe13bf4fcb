import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services
from contracts.progress import household_progress
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_example(officer, time_machine):
    """The report's kind of household: a money lender (20,000) and shop credit (5,000) consolidated into one
    interest-free contract of 25,000 from the savings group; the BAAC loan (50,000) stays outside."""
    time_machine.move_to(date(2024, 2, 20))
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    lender = make_debt(household, creditor_type="money_lender", balance="20000.00", original="15000.00")
    shop = make_debt(household, creditor_type="shop_credit", balance="5000.00", original="5000.00")
    baac = make_debt(household, creditor_type="baac", balance="50000.00", original="80000.00")
    contract = services.contract_draw_up(
        user=officer, household=household, term_months=25, first_due_on=date(2024, 3, 5),
        drawn_up_on=date(2024, 2, 1),
        tranches=[services.TrancheTerms(fund, Decimal("25000.00"), Decimal("0"), "flat")],
        payoffs=[
            services.PayoffTerms(lender, Decimal("20000.00")),
            services.PayoffTerms(shop, Decimal("5000.00")),
        ],
    )  # fmt: skip
    receipts = {p.pk: services.PayoffReceipt(date(2024, 2, 1), "R") for p in contract.payoffs.all()}
    services.contract_sign(user=officer, contract=contract, signed_on=date(2024, 2, 10), receipts=receipts)
    return household, contract, baac


def test_progress_on_a_worked_example(officer, worked_example, time_machine):
    household, contract, _baac = worked_example
    time_machine.move_to(date(2024, 8, 10))
    for month in range(3, 8):  # five instalments of 1,000
        services.repayment_record(user=officer, contract=contract, paid_on=date(2024, month, 5),
                                  amount=Decimal("1000"), token=uuid.uuid4())  # fmt: skip
    services.savings_record(user=officer, contract=contract, on=date(2024, 7, 5), kind="deposit",
                            amount=Decimal("300"), token=uuid.uuid4())  # fmt: skip
    progress = household_progress(household, date(2024, 8, 10))
    assert progress.debt_at_enrolment == Decimal("75000.00")
    assert progress.debt_now == Decimal("70000.00")  # BAAC 50,000 + 20,000 still owed to the center
    assert progress.reduced == Decimal("5000.00")
    assert progress.percent_reduced == Decimal("6.67")
    assert (progress.creditors_before, progress.creditors_now) == (3, 2)
    assert progress.informal_cleared == Decimal("25000.00")
    assert progress.savings == Decimal("300.00")
    assert progress.debt_free_on is None


def test_debt_free_once_everything_is_zero(officer, worked_example, time_machine):
    household, contract, baac = worked_example
    time_machine.move_to(date(2024, 9, 10))
    services.repayment_record(user=officer, contract=contract, paid_on=date(2024, 9, 1), amount=None,
                              token=uuid.uuid4(), pay_off=True)  # fmt: skip
    from debts.services import debt_line_record_balance

    debt_line_record_balance(user=officer, line=baac, as_of=date(2024, 9, 5), balance=Decimal("0"))
    progress = household_progress(household, date(2024, 9, 10))
    assert progress.debt_now == Decimal("0.00")
    assert progress.percent_reduced == Decimal("100.00")
    assert progress.creditors_now == 0
    assert progress.debt_free_on == date(2024, 9, 5)


def test_no_progress_before_a_signed_contract(officer):
    assert household_progress(HouseholdFactory()) is None


def test_the_household_page_shows_progress(client, officer, worked_example):
    household, _contract, _baac = worked_example
    client.force_login(officer)
    html = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert 'id="household-progress"' in html
    assert "75,000.00" in html
