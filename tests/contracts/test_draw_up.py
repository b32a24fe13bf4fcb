from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from contracts import services
from contracts.models import Contract, SavingsRule, SavingsTier
from contracts.selectors import contract_schedule
from tests.contracts.factories import draw_up
from tests.debts.factories import make_debt
from tests.factories import CenterFactory, MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages below are checked in English (the services speak the active language)."""
    with translation.override("en"):
        yield


def terms(fund, principal="10000.00", rate="6", method="flat"):
    return services.TrancheTerms(fund, Decimal(principal), Decimal(rate), method)


def draw(user, household, *, tranches, payoffs, months=12, first_due_on=date(2024, 3, 5)):
    return services.contract_draw_up(
        user=user,
        household=household,
        term_months=months,
        first_due_on=first_due_on,
        drawn_up_on=date(2024, 2, 1),
        tranches=tranches,
        payoffs=payoffs,
    )


def test_a_contract_holds_tranches_at_different_rates_and_its_payoffs(officer):
    household = HouseholdFactory()
    savings = MemberFundFactory(center=household.center, capital=Decimal("50000.00"))
    village = MemberFundFactory(
        center=household.center, fund_type="village_fund", capital=Decimal("80000.00")
    )
    lender = make_debt(household, creditor_type="money_lender", balance="25000.00", original="20000.00")
    shop = make_debt(household, creditor_type="shop_credit", balance="5000.00", original="5000.00")
    contract = draw(
        officer,
        household,
        tranches=[terms(savings, "20000.00", "6", "flat"), terms(village, "10000.00", "3", "declining")],
        payoffs=[
            services.PayoffTerms(lender, Decimal("25000.00")),
            services.PayoffTerms(shop, Decimal("5000.00")),
        ],
        months=24,
    )
    assert contract.status == Contract.Status.DRAFT
    assert contract.number == "2567/0001"
    assert contract.principal == Decimal("30000.00")
    assert contract.payoffs.count() == 2
    table = contract_schedule(contract)
    assert len(table.rows) == 24
    assert table.principal == Decimal("30000.00")
    assert table.rows[-1].instalment.balance == Decimal("0.00")
    # flat 20,000 at 6% over 2 years: 2,400 interest; declining 10,000 at 3%: a little over 300
    flat, declining = table.per_tranche()
    assert flat[2] == Decimal("2400.00")
    assert Decimal("300") < declining[2] < Decimal("320")
    # the registry is untouched until signing
    lender.refresh_from_db()
    assert lender.is_open


def test_numbers_run_per_center(officer):
    household = HouseholdFactory()
    draw_up(officer, household=household)
    second = draw_up(officer, household=HouseholdFactory(center=household.center))
    other = draw_up(officer, household=HouseholdFactory())
    assert second.number == "2567/0002"
    assert other.number == "2567/0001"


def test_the_savings_rule_sets_the_monthly_saving(officer):
    household = HouseholdFactory()
    rule = SavingsRule.objects.create(center=household.center, instalment_share=Decimal("10"))
    SavingsTier.objects.create(rule=rule, principal_from=Decimal("0"), monthly_saving=Decimal("100.00"))
    SavingsTier.objects.create(rule=rule, principal_from=Decimal("20000"), monthly_saving=Decimal("300.00"))
    small = draw_up(officer, household=household, principal="12000.00", rate="0")  # 1,000 a month
    assert small.monthly_saving == Decimal("100.00")  # tier 100 beats 10% of 1,000
    big = draw_up(
        officer, household=HouseholdFactory(center=household.center), principal="24000.00", rate="0"
    )
    assert big.monthly_saving == Decimal("300.00")  # tier 300 beats 10% of 2,000
    rule.instalment_share = Decimal("20")
    rule.save()
    bigger = draw_up(
        officer, household=HouseholdFactory(center=household.center), principal="36000.00", rate="0"
    )
    assert bigger.monthly_saving == Decimal("600.00")  # 20% of 3,000 beats the tier


def test_no_rule_means_no_saving_due(officer):
    assert draw_up(officer).monthly_saving == Decimal("0.00")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"months": 0}, "term_months"),
        ({"months": 361}, "term_months"),
        ({"first_due_on": date(2024, 2, 1)}, "first_due_on"),
    ],
)
def test_bad_terms_are_refused_with_nothing_saved(officer, change, field):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type="money_lender")
    with pytest.raises(ValidationError) as exc:
        draw(
            officer,
            household,
            tranches=[terms(fund)],
            payoffs=[services.PayoffTerms(line, Decimal("10000"))],
            **change,
        )
    assert field in exc.value.message_dict
    assert not Contract.objects.exists()


def test_a_fund_of_another_center_is_refused(officer):
    household = HouseholdFactory()
    foreign = MemberFundFactory(center=CenterFactory())
    line = make_debt(household, creditor_type="money_lender")
    with pytest.raises(ValidationError) as exc:
        draw(
            officer,
            household,
            tranches=[terms(foreign)],
            payoffs=[services.PayoffTerms(line, Decimal("10000"))],
        )
    assert "another center" in str(exc.value.message_dict[f"principal_{foreign.pk}"])
    assert not Contract.objects.exists()


def test_a_principal_above_the_funds_capital_is_refused(officer):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("5000.00"))
    line = make_debt(household, creditor_type="money_lender", balance="5000.00")
    with pytest.raises(ValidationError) as exc:
        draw(
            officer,
            household,
            tranches=[terms(fund, "5000.01")],
            payoffs=[services.PayoffTerms(line, Decimal("5000"))],
        )
    assert "capital" in str(exc.value.message_dict[f"principal_{fund.pk}"])


def test_payoffs_must_be_covered_and_within_the_balance(officer):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type="money_lender", balance="10000.00")
    with pytest.raises(ValidationError) as exc:
        draw(
            officer,
            household,
            tranches=[terms(fund)],
            payoffs=[services.PayoffTerms(line, Decimal("10000.01"))],
        )
    assert f"payoff_{line.pk}" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        draw(
            officer,
            household,
            tranches=[terms(fund, "9000.00")],
            payoffs=[services.PayoffTerms(line, Decimal("10000"))],
        )
    assert "cover" in str(exc.value.message_dict["__all__"])


def test_a_closed_debt_or_another_households_debt_is_refused(officer):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    closed = make_debt(household, creditor_type="money_lender", balance="0.00")
    theirs = make_debt(HouseholdFactory(center=household.center), creditor_type="money_lender")
    with pytest.raises(ValidationError) as exc:
        draw(
            officer,
            household,
            tranches=[terms(fund)],
            payoffs=[
                services.PayoffTerms(closed, Decimal("10")),
                services.PayoffTerms(theirs, Decimal("10")),
            ],
        )
    assert set(exc.value.message_dict) >= {f"payoff_{closed.pk}", f"payoff_{theirs.pk}"}


def test_an_outsider_cannot_draw_up(outsider):
    with pytest.raises(PermissionDenied):
        draw_up(outsider)


def test_the_database_allows_one_active_contract_per_household(officer):
    first = draw_up(officer)
    Contract.objects.filter(pk=first.pk).update(status="active", signed_on=date(2024, 2, 1))
    second = draw_up(officer, household=first.household)  # one draft at a time: the first is active now
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=second.pk).update(status="active", signed_on=date(2024, 2, 1))
