"""Savings compliance month by month, apart from the loan arrears, on fixed dates."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services
from contracts.arrears import savings_compliance, standings
from contracts.calculations import add_months
from contracts.models import Contract, SavingsEntry
from tests.contracts.factories import draw_up, sign
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(officer, time_machine):
    """12,000 interest-free over 12 months from 5 March 2024 (1,000 a month), 100 a month of savings due,
    signed on 10 February 2024."""
    time_machine.move_to(date(2024, 2, 20))
    contract = sign(officer, draw_up(officer, principal="12000.00", rate="0"))
    Contract.objects.filter(pk=contract.pk).update(monthly_saving=Decimal("100.00"))
    contract.refresh_from_db()
    return contract


def deposit(officer, contract, on, amount, kind=SavingsEntry.Kind.DEPOSIT):
    services.savings_record(
        user=officer, contract=contract, on=on, kind=kind, amount=Decimal(amount), token=uuid.uuid4()
    )


def test_each_month_is_met_or_short_by_how_much(officer, contract, time_machine):
    time_machine.move_to(date(2024, 7, 20))
    deposit(officer, contract, date(2024, 2, 10), "100")  # at the signing: counts for the first month
    deposit(officer, contract, date(2024, 4, 8), "60")  # short by 40
    # nothing in May
    deposit(officer, contract, date(2024, 6, 6), "250")  # catches up (100 + 40 + 100 + 10 extra)
    deposit(officer, contract, date(2024, 7, 4), "300", SavingsEntry.Kind.WITHDRAWAL)  # not counted
    months = savings_compliance(contract, date(2024, 7, 20))
    assert [(m.number, m.due_on) for m in months] == [
        (1, date(2024, 3, 5)), (2, date(2024, 4, 5)), (3, date(2024, 5, 5)), (4, date(2024, 6, 5)),
        (5, date(2024, 7, 5)),
    ]  # fmt: skip
    assert [m.due for m in months] == [Decimal("100.00")] * 5
    assert [m.saved for m in months] == [Decimal(x) for x in ("100.00", "60.00", "0.00", "250.00", "0.00")]
    assert [m.short for m in months] == [Decimal(x) for x in ("0.00", "40.00", "140.00", "0.00", "90.00")]
    assert [m.met for m in months] == [True, False, False, True, False]
    # the last month agrees with the standing used by the arrears page and the collection sheet
    standing = standings([contract], date(2024, 7, 20))[0]
    assert standing.savings_short == months[-1].short
    # and the loan is in arrears on its own terms, whatever the savings
    assert standing.days_past_due == (date(2024, 7, 20) - date(2024, 3, 5)).days


def test_the_months_stop_at_the_date_asked_and_a_deposit_before_a_due_date_counts_in_the_month_before(
    officer, contract, time_machine
):
    time_machine.move_to(date(2024, 5, 20))
    deposit(officer, contract, date(2024, 3, 5), "100")
    deposit(officer, contract, date(2024, 4, 4), "100")  # the day before the second due date
    months = savings_compliance(contract, date(2024, 4, 4))
    assert [(m.saved, m.met) for m in months] == [(Decimal("200.00"), True)]
    months = savings_compliance(contract, date(2024, 4, 5))
    assert [(m.saved, m.short) for m in months] == [
        (Decimal("200.00"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("0.00")),
    ]
    assert savings_compliance(contract, date(2024, 3, 4)) == []


def test_a_draft_has_no_compliance(officer):
    assert savings_compliance(draw_up(officer), date(2024, 5, 1)) == []


def test_the_contract_page_shows_compliance_apart_from_arrears(client, officer, contract, time_machine):
    time_machine.move_to(date(2024, 6, 20))
    deposit(officer, contract, date(2024, 3, 6), "100")
    services.repayment_record(
        user=officer, contract=contract, paid_on=date(2024, 3, 6), amount=Decimal("1000"), token=uuid.uuid4()
    )
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    assert 'id="savings-compliance"' in html
    assert 'id="loan-arrears"' in html
    assert 'id="days-past-due">' + str((date(2024, 6, 20) - date(2024, 4, 5)).days) in html
    row = html[html.index('id="savings-month-4"') :]
    row = row[: row.index("</tr>")]
    assert "300.00" in row  # short by 300 after four months with one deposit


@pytest.mark.parametrize("months", [3, 30])
def test_the_contract_page_costs_the_same_queries_whatever_its_length(
    client, officer, time_machine, months, django_assert_max_num_queries
):
    time_machine.move_to(date(2024, 2, 20))
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("1000000"))
    contract = sign(
        officer, draw_up(officer, household=household, fund=fund, principal="36000.00", months=36)
    )
    time_machine.move_to(date(2026, 10, 1))
    for month in range(months):
        day = add_months(date(2024, 3, 6), month)
        deposit(officer, contract, day, "100")
        services.repayment_record(
            user=officer, contract=contract, paid_on=day, amount=Decimal("1000"), token=uuid.uuid4()
        )
    client.force_login(officer)
    with django_assert_max_num_queries(11):  # the same at 3 and 30 months of payments and deposits
        response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert response.status_code == 200
    assert len(response.context["compliance"]) == 31  # 5 March 2024 to 5 September 2026
