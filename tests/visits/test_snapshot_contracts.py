"""The visit report snapshot takes debt reduced and savings from the contracts' progress on the visit date."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from contracts import services as contract_services
from tests.contracts.factories import draw_up, sign
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory
from visits import snapshot

pytestmark = pytest.mark.django_db


def test_the_snapshot_takes_debt_reduced_and_savings_from_the_contracts_on_the_visit_date(
    officer, time_machine
):
    time_machine.move_to(date(2024, 2, 20))
    household = HouseholdFactory()
    center = household.center
    fund = MemberFundFactory(center=center, capital=Decimal("1000000"))
    make_debt(household, creditor_type="baac", balance="30000.00")  # stays outside
    contract = sign(officer, draw_up(officer, household=household, fund=fund, principal="12000.00", rate="0"))
    other = HouseholdFactory(center=center)
    sign(officer, draw_up(officer, household=other, fund=fund, principal="6000.00", rate="0"))  # pays nothing
    assert snapshot.snapshot_for(center, date(2024, 2, 5)).debt_reduced is None  # nothing signed yet
    time_machine.move_to(date(2024, 8, 1))
    for month in (3, 4, 5):
        on = date(2024, month, 5)
        contract_services.repayment_record(
            user=officer, contract=contract, paid_on=on, amount=Decimal("1000"), token=uuid.uuid4()
        )
        contract_services.savings_record(
            user=officer, contract=contract, on=on, kind="deposit", amount=Decimal("150"), token=uuid.uuid4()
        )
    on_visit = snapshot.snapshot_for(center, date(2024, 4, 20))  # two instalments and deposits by then
    assert (on_visit.debt_reduced, on_visit.savings) == (Decimal("2000.00"), Decimal("300.00"))
    assert on_visit.households_debt_reduced == 1
    at_signing = snapshot.snapshot_for(center, date(2024, 2, 15))
    assert (at_signing.debt_reduced, at_signing.savings, at_signing.households_debt_reduced) == (
        Decimal("0.00"), Decimal("0.00"), 0,
    )  # fmt: skip
    later = snapshot.snapshot_for(center, date(2024, 7, 1))
    assert (later.debt_reduced, later.savings) == (Decimal("3000.00"), Decimal("450.00"))
    fields = later.as_report_fields()
    assert (fields["snapshot_debt_reduced"], fields["snapshot_savings"]) == (
        Decimal("3000.00"),
        Decimal("450.00"),
    )


def test_debt_that_grew_is_stored_as_nothing_reduced(officer, time_machine):
    time_machine.move_to(date(2024, 2, 20))
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("1000000"))
    # the center lends 12,000 to pay off 10,000: the household owes more than before
    sign(officer, draw_up(officer, household=household, fund=fund, principal="12000.00", payoff="10000.00"))
    figures = snapshot.snapshot_for(household.center, date(2024, 2, 15))
    assert figures.debt_reduced == Decimal("0.00")
    assert figures.households_debt_reduced == 0
