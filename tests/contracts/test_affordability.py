"""Drawing up compares the monthly payments with the household's budget; above it a reason is needed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from contracts.models import Contract, SavingsRule, SavingsTier
from households.models import BudgetStatement
from tests.contracts.factories import draw_up, sign
from tests.contracts.test_views import form_data
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    """Income 9,000, living expenses 6,000: 3,000 a month left. A money lender of 12,000 to pay off, and a
    bank loan left outside at 700 a month; the center saves 100 a month on every contract."""
    household = HouseholdFactory()
    BudgetStatement.objects.create(
        household=household,
        as_of=date(2024, 1, 20),
        income_wages=Decimal("9000.00"),
        expense_food=Decimal("6000.00"),
        expense_debt=Decimal("4000.00"),  # what the debts cost now: the contract replaces it
    )
    rule = SavingsRule.objects.create(center=household.center)
    SavingsTier.objects.create(rule=rule, principal_from=Decimal("0"), monthly_saving=Decimal("100.00"))
    make_debt(
        household,
        creditor_type="baac",
        balance="50000.00",
        instalment=Decimal("700.00"),
        instalment_frequency="monthly",
    )
    return household


def draw(user, household, *, months, reason=""):
    lender = (
        household.debt_lines.get(creditor_type="money_lender")
        if household.debt_lines.filter(creditor_type="money_lender").exists()
        else make_debt(household, creditor_type="money_lender", balance="12000.00")
    )
    return draw_up(
        user,
        household=household,
        principal="12000.00",
        rate="0",
        months=months,
        line=lender,
        affordability_reason=reason,
    )


def test_payments_within_the_surplus_need_no_reason(officer, household):
    contract = draw(officer, household, months=12)  # 1,000 + 100 + 700 = 1,800 <= 3,000
    assert contract.affordability_burden == Decimal("1800.00")
    assert contract.affordability_surplus == Decimal("3000.00")
    assert contract.affordability_reason == ""
    assert not contract.drawn_up_above_budget


def test_payments_above_the_surplus_are_refused_without_a_reason(officer, household):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        draw(officer, household, months=4)  # 3,000 + 100 + 700 = 3,800 > 3,000
    message = caught.value.message_dict["affordability_reason"][0]
    assert "3,800.00" in message
    assert "3,000.00" in message
    assert "700.00" in message
    assert not Contract.objects.exists()
    contract = draw(officer, household, months=4, reason="  Harvest in April pays two instalments ")
    assert contract.drawn_up_above_budget
    assert contract.affordability_reason == "Harvest in April pays two instalments"


def test_without_a_budget_nothing_is_compared(officer):
    contract = draw(officer, HouseholdFactory(), months=1)
    assert contract.affordability_surplus is None
    assert contract.affordability_burden is None


def test_the_database_keeps_the_reason_with_figures_above_the_budget(officer, household):
    contract = draw(officer, household, months=12)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(affordability_burden=Decimal("3000.01"))


def test_the_officer_sees_the_figures_and_gives_a_reason(client, officer, household, time_machine):
    time_machine.move_to(date(2024, 2, 1))
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type="money_lender", balance="12000.00")
    client.force_login(officer)
    url = reverse("contracts:contract_create", args=[household.pk])
    data = form_data(household, fund, line, term_months="4", **{
        f"payoff_{line.pk}": "12000", f"principal_{fund.pk}": "12000", f"rate_{fund.pk}": "0",
    })  # fmt: skip
    preview = client.post(url, {**data, "preview": "1"})
    html = preview.content.decode()
    assert 'id="affordability-above"' in html
    assert 'name="affordability_reason"' in html
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["affordability_reason"]
    assert 'id="affordability-burden"' in refused.content.decode()
    assert not Contract.objects.exists()
    saved = client.post(url, {**data, "affordability_reason": "ลูกชายส่งเงินเพิ่มเดือนละ 1,000 บาท"})
    contract = Contract.objects.get()
    assert saved.url == reverse("contracts:contract_detail", args=[contract.pk])
    detail = client.get(saved.url).content.decode()
    assert "ลูกชายส่งเงินเพิ่มเดือนละ 1,000 บาท" in detail
    assert 'id="affordability-reason"' in detail


def test_the_household_page_counts_the_contracts_instalment_and_savings(
    client, officer, household, time_machine
):
    time_machine.move_to(date(2024, 2, 10))
    contract = sign(officer, draw(officer, household, months=12))
    client.force_login(officer)
    html = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    # the bank's 700 left outside, plus the contract's 1,000 and its saving of 100
    assert "1,800.00" in html
    assert 'id="commitment-1"' in html
    assert contract.number in html
