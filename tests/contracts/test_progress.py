import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services
from contracts.progress import center_progress, household_progress
from debts.services import debt_line_record_balance
from households.services import household_mark_debt_free, household_withdraw
from tests.contracts.factories import draw_up, sign
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
    assert progress.percent_reduced == Decimal("6.7")  # one decimal (core.money.percent)
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


# --- the center's totals ----------------------------------------------------------------------------------


def enrol_households(officer, center, count, *, paid_months=2):
    """`count` households of `center`, each with a money lender (12,000) consolidated into an interest-free
    contract (12 x 1,000 from 5 March 2024, signed 10 February 2024) and a BAAC loan (30,000) left outside,
    each repaying `paid_months` instalments and saving 100 a month."""
    fund = MemberFundFactory(center=center, capital=Decimal("10000000"))
    households = []
    for _ in range(count):
        household = HouseholdFactory(center=center)
        make_debt(household, creditor_type="baac", balance="30000.00", original="50000.00")
        contract = sign(
            officer, draw_up(officer, household=household, fund=fund, principal="12000.00", rate="0")
        )
        for month in range(paid_months):
            services.repayment_record(user=officer, contract=contract, paid_on=date(2024, 3 + month, 5),
                                      amount=Decimal("1000"), token=uuid.uuid4())  # fmt: skip
            services.savings_record(user=officer, contract=contract, on=date(2024, 3 + month, 5),
                                    kind="deposit", amount=Decimal("100"), token=uuid.uuid4())  # fmt: skip
        households.append(household)
    return households


def test_the_center_totals_are_the_sum_of_its_households(officer, worked_example, time_machine):
    household, contract, baac = worked_example
    time_machine.move_to(date(2024, 9, 10))
    others = enrol_households(officer, household.center, 2)
    HouseholdFactory(center=household.center)  # no contract: not counted
    services.repayment_record(user=officer, contract=contract, paid_on=date(2024, 9, 1), amount=None,
                              token=uuid.uuid4(), pay_off=True)  # fmt: skip
    debt_line_record_balance(user=officer, line=baac, as_of=date(2024, 9, 5), balance=Decimal("0"))
    totals = center_progress(household.center)
    each = [household_progress(h) for h in [household, *others]]
    assert totals.households == 3
    assert totals.debt_at_enrolment == sum(p.debt_at_enrolment for p in each) == Decimal("159000.00")
    assert totals.debt_now == sum(p.debt_now for p in each) == Decimal("80000.00")  # 2 x (30,000 + 10,000)
    assert totals.reduced == Decimal("79000.00")
    assert totals.percent_reduced == Decimal("49.7")  # one decimal, as on the dashboards
    assert totals.informal_cleared == Decimal("49000.00")  # 20,000 + 5,000 + 2 x 12,000
    assert totals.savings == Decimal("400.00")
    # Debt-free is the status the officers set (as the dashboards count it), not a debt that reached zero.
    assert (totals.households_debt_reduced, totals.households_debt_free) == (3, 0)
    household_mark_debt_free(user=officer, household=household, on=date(2024, 9, 6))
    assert (center_progress(household.center).households_debt_free) == 1


def test_the_households_whose_debt_went_down_are_among_those_in_the_programme(officer, time_machine):
    """A withdrawn household keeps its own progress but leaves the center's totals: "debt went down" is
    counted among the enrolled and debt-free households only, as on the dashboards."""
    time_machine.move_to(date(2024, 9, 10))
    center = HouseholdFactory().center
    first, second = enrol_households(officer, center, 2, paid_months=3)
    household_withdraw(user=officer, household=second, on=date(2024, 9, 1))
    totals = center_progress(center)
    assert household_progress(second).reduced > 0
    assert (totals.households, totals.households_debt_reduced) == (1, 1)
    assert totals.debt_now == household_progress(first).debt_now
    assert center_progress(center, date(2024, 8, 31)).households == 2  # before the withdrawal


def test_the_center_totals_on_an_earlier_date_use_the_entries_of_that_date(officer, time_machine):
    time_machine.move_to(date(2024, 9, 10))
    household = enrol_households(officer, HouseholdFactory().center, 1, paid_months=5)[0]
    before = center_progress(household.center, date(2024, 4, 20))  # two instalments and deposits by then
    assert (before.debt_now, before.savings) == (Decimal("40000.00"), Decimal("200.00"))
    assert center_progress(household.center, date(2024, 2, 5)).households == 0  # not signed yet
    assert center_progress(household.center).debt_now == Decimal("37000.00")


@pytest.mark.parametrize("households", [2, 12])
def test_the_center_page_shows_the_totals_in_the_same_queries_at_2_and_12_households(
    client, officer, provincial, time_machine, households, django_assert_max_num_queries
):
    time_machine.move_to(date(2024, 6, 20))
    center = HouseholdFactory().center
    enrol_households(officer, center, households)
    for user in (officer, provincial):  # totals only: provincial staff see them too
        client.force_login(user)
        with django_assert_max_num_queries(31):  # the same at both sizes
            response = client.get(reverse("centers:center_detail", args=[center.pk]))
        html = response.content.decode()
        assert 'id="center-progress"' in html
        assert f'id="center-progress-debt-reduced">{households}<' in html
    with django_assert_max_num_queries(7):
        assert center_progress(center).households == households
