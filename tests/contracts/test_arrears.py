import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.arrears import (
    bucket_of,
    center_portfolio,
    contract_ledgers,
    days_past_due,
    savings_compliance,
    standings,
)
from contracts.models import Contract, Repayment, SavingsEntry
from contracts.selectors import contract_for_personal_data, contract_position, savings_balance
from tests.contracts.factories import draw_up, draw_up_two_tranches, sign
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def center_contracts(officer, time_machine):
    """Two contracts of one center: 12,000 interest-free over 12 months (1,000 a month from 5 March 2024)
    with 100 a month of savings due, signed on 10 February 2024."""
    time_machine.move_to(date(2024, 2, 20))
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("1000000"))
    contracts = []
    for _ in range(2):
        contract = draw_up(
            officer,
            household=HouseholdFactory(center=household.center),
            fund=fund,
            principal="12000.00",
            rate="0",
        )
        contract = sign(officer, contract)
        Contract.objects.filter(pk=contract.pk).update(monthly_saving=Decimal("100.00"))
        contract.refresh_from_db()
        contracts.append(contract)
    return contracts


def pay(user, contract, amount, on):
    return services.repayment_record(
        user=user, contract=contract, paid_on=on, amount=Decimal(amount), token=uuid.uuid4()
    )


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
     (91, "90+"), (400, "90+")],
)  # fmt: skip
def test_buckets(days, bucket):
    assert bucket_of(days) == bucket


def test_days_past_due_count_from_the_oldest_uncovered_instalment(officer, center_contracts, time_machine):
    late, on_time = center_contracts
    time_machine.move_to(date(2024, 3, 20))
    pay(officer, late, "1000.00", date(2024, 3, 20))
    pay(officer, on_time, "1000.00", date(2024, 3, 20))
    time_machine.move_to(date(2024, 7, 10))
    pay(officer, on_time, "4000.00", date(2024, 7, 5))

    def standing(on):
        return {s.contract.pk: s for s in standings([late, on_time], on)}

    assert standing(date(2024, 4, 4))[late.pk].days_past_due == 0
    assert standing(date(2024, 4, 5))[late.pk].days_past_due == 0  # due today is not late
    assert standing(date(2024, 4, 6))[late.pk].days_past_due == 1
    assert standing(date(2024, 5, 5))[late.pk].bucket == "1-30"  # 30 days
    assert standing(date(2024, 5, 6))[late.pk].bucket == "31-60"
    assert standing(date(2024, 6, 5))[late.pk].bucket == "61-90"  # 61 days
    on_july_6 = standing(date(2024, 7, 6))
    assert on_july_6[late.pk].bucket == "90+"  # 92 days
    assert on_july_6[late.pk].arrears == Decimal("4000.00")
    assert on_july_6[on_time.pk].days_past_due == 0
    assert on_july_6[on_time.pk].arrears == Decimal("0.00")


def test_par30_per_center(officer, center_contracts, time_machine):
    late, on_time = center_contracts
    time_machine.move_to(date(2024, 5, 10))
    pay(officer, on_time, "3000.00", date(2024, 5, 5))
    portfolio = center_portfolio(late.center, date(2024, 5, 10))
    assert portfolio.principal_owed == Decimal("21000.00")
    assert portfolio.at_risk_30 == Decimal("12000.00")  # 66 days late
    assert portfolio.par30 == Decimal("57.1")  # one decimal, as on the dashboards (core.money.percent)
    assert [(name, n) for name, n, _owed in portfolio.by_bucket()] == [
        ("current", 1), ("1-30", 0), ("31-60", 0), ("61-90", 1), ("90+", 0),
    ]  # fmt: skip
    assert [s.contract for s in portfolio.overdue()] == [late]


def test_savings_compliance_is_apart_from_arrears(officer, center_contracts, time_machine):
    contract, _other = center_contracts
    time_machine.move_to(date(2024, 5, 10))
    pay(officer, contract, "3000.00", date(2024, 5, 5))
    services.savings_record(user=officer, contract=contract, on=date(2024, 5, 5), kind="deposit",
                            amount=Decimal("250"), token=uuid.uuid4())  # fmt: skip
    standing = standings([contract], date(2024, 5, 10))[0]
    assert standing.days_past_due == 0
    assert standing.saving_required == Decimal("300.00")
    assert not standing.savings_met
    assert standing.savings_short == Decimal("50.00")


def test_the_collection_sheet_records_every_row_in_one_transaction(
    client, officer, center_contracts, time_machine
):
    first, second = center_contracts
    time_machine.move_to(date(2024, 3, 10))
    client.force_login(officer)
    url = reverse("contracts:collection_sheet", args=[first.center.pk])
    page = client.get(url)
    assert first.household.head_name in page.content.decode()
    token = str(page.context["form"].initial["token"])
    data = {
        "token": token, "on": "05/03/2567",
        f"paid_{first.pk}": "1,000", f"saved_{first.pk}": "100",
        f"paid_{second.pk}": "500", f"saved_{second.pk}": "",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent again: nothing more
    assert Repayment.objects.count() == 2
    assert SavingsEntry.objects.count() == 1
    # one bad row refuses the whole sheet
    bad = {**data, "token": str(uuid.uuid4()), f"paid_{second.pk}": "999999"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert f"paid_{second.pk}" in response.context["form"].errors
    assert Repayment.objects.count() == 2
    assert SavingsEntry.objects.count() == 1


def test_the_arrears_page(client, officer, center_contracts, time_machine):
    time_machine.move_to(date(2024, 5, 10))
    client.force_login(officer)
    html = client.get(reverse("contracts:arrears", args=[center_contracts[0].center.pk])).content.decode()
    assert 'id="par30"' in html
    assert center_contracts[0].household.head_name in html


def test_collection_and_arrears_are_404_for_outsiders(
    client, officer, outsider, provincial, center_contracts
):
    center = center_contracts[0].center
    for user in (outsider, provincial):
        client.force_login(user)
        assert client.get(reverse("contracts:collection_sheet", args=[center.pk])).status_code == 404
        assert client.post(reverse("contracts:collection_sheet", args=[center.pk]), {}).status_code == 404
        assert client.get(reverse("contracts:arrears", args=[center.pk])).status_code == 404


def test_a_contract_of_another_center_is_refused_on_the_sheet(officer, center_contracts):
    other = draw_up(officer)
    with pytest.raises(ValidationError):
        services.collection_record(
            user=officer, center=center_contracts[0].center, on=date(2024, 2, 20),
            rows=[services.CollectionRow(other, Decimal("1"), None)], token=uuid.uuid4(),
        )  # fmt: skip


def _together(ledgers):
    """The figures of contract_ledgers, in the order of _separately."""
    return (ledgers.position, ledgers.standing, ledgers.compliance, ledgers.savings, ledgers.savings_balance)


def _separately(contract, on):
    """What the contract page showed before `contract_ledgers`: each figure from its own reader."""
    return (
        contract_position(contract, on) if contract.is_active else None,
        standings([contract], on)[0] if contract.is_active else None,
        savings_compliance(contract, on),
        list(contract.savings.all()),
        savings_balance(contract),
    )


def test_the_contract_page_ledgers_agree_with_each_reader(officer, time_machine, django_assert_num_queries):
    """Two tranches (flat and declining), payments late and early, a reversal, deposits and a withdrawal;
    then paid off: on every date the figures read in three queries are those of the separate readers."""
    time_machine.move_to(date(2024, 2, 20))
    household = HouseholdFactory()
    line = make_debt(household, creditor_type="money_lender", balance="12000.00", original="12000.00")
    second = draw_up_two_tranches(
        officer, household, line, flat="8000.00", declining="4000.00", payoff="12000.00"
    )
    draft = contract_ledgers(second, date(2024, 2, 20))
    assert (draft.position, draft.standing, draft.compliance, draft.savings) == (None, None, [], [])
    second = sign(officer, second)
    Contract.objects.filter(pk=second.pk).update(monthly_saving=Decimal("150.00"))
    time_machine.move_to(date(2024, 12, 20))
    second = contract_for_personal_data(officer, second.pk)
    pay(officer, second, "1000", date(2024, 3, 5))
    wrong = pay(officer, second, "2500.50", date(2024, 5, 2))
    services.repayment_reverse(user=officer, repayment=wrong, reason="x", on=date(2024, 5, 3))
    pay(officer, second, "3000", date(2024, 6, 30))
    for day, kind, amount in [
        (date(2024, 2, 10), "deposit", "150"),
        (date(2024, 4, 4), "deposit", "90.25"),
        (date(2024, 6, 5), "deposit", "400"),
        (date(2024, 7, 1), "withdrawal", "100"),
    ]:
        services.savings_record(
            user=officer, contract=second, on=day, kind=kind, amount=Decimal(amount), token=uuid.uuid4()
        )
    second = contract_for_personal_data(officer, second.pk)
    days = [date(2024, 2, 20), date(2024, 3, 5), date(2024, 5, 4), date(2024, 7, 6), date(2024, 12, 20)]
    for on in days:
        with django_assert_num_queries(3):
            ledgers = contract_ledgers(second, on)
        assert ledgers.position is not None
        assert ledgers.position.payoff > 0
        assert _together(ledgers) == _separately(second, on)
    services.repayment_record(
        user=officer,
        contract=second,
        paid_on=date(2024, 12, 20),
        amount=None,
        token=uuid.uuid4(),
        pay_off=True,
    )
    closed = contract_for_personal_data(officer, second.pk)
    assert closed.status == Contract.Status.CLOSED
    for on in days:
        ledgers = contract_ledgers(closed, on)
        assert ledgers.position is None
        assert _together(ledgers) == _separately(closed, on)


def test_days_past_due_agree_on_the_collection_sheet_contract_and_arrears_pages(
    client, officer, center_contracts, time_machine
):
    """One figure: on 20 March 2024 the unpaid 5 March instalment is 15 days late on every page, although
    the collection sheet lists what falls due by 31 March."""
    late, on_time = center_contracts
    time_machine.move_to(date(2024, 3, 20))
    pay(officer, on_time, "1000.00", date(2024, 3, 20))
    client.force_login(officer)
    sheet = client.get(reverse("contracts:collection_sheet", args=[late.center.pk]))
    arrears = client.get(reverse("contracts:arrears", args=[late.center.pk]))
    detail = client.get(reverse("contracts:contract_detail", args=[late.pk]))
    on_sheet = {s.contract.pk: s.days_past_due for s in sheet.context["form"].standings}
    on_arrears = {s.contract.pk: s.days_past_due for s in arrears.context["portfolio"].standings}
    assert on_sheet == on_arrears == {late.pk: 15, on_time.pk: 0}
    assert detail.context["standing"].days_past_due == 15
    heading = sheet.content.decode().split('id="collection-rows"')[1].split("</thead>")[0]
    assert "ยอดที่ต้องชำระ (บาท)" in heading  # an amount due,
    assert "กำหนดเสร็จ" not in heading  # not a recommendation's due date


def test_days_past_due_count_on_the_day_not_the_horizon():
    instalments = [(date(2024, 3, 5), Decimal("1000.00")), (date(2024, 4, 5), Decimal("1000.00"))]
    assert days_past_due(instalments, paid=Decimal("0.00"), on=date(2024, 3, 20)) == 15
    assert days_past_due(instalments, paid=Decimal("1000.00"), on=date(2024, 3, 20)) == 0
    assert days_past_due(instalments, paid=Decimal("1000.00"), on=date(2024, 4, 6)) == 1
    assert days_past_due(instalments, paid=Decimal("999.99"), on=date(2024, 4, 6)) == 32
