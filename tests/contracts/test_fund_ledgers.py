"""Each fund's share of a multi-fund contract follows its own schedule, through the services and the ledger
(issue 13, points 1 and 2): payments on and before the due dates, reversals, the payoff rule."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import services
from contracts.calculations import PayoffRule
from contracts.models import RepaymentLine, SavingsRule, ScheduledInstalment
from contracts.selectors import contract_position
from tests.contracts.factories import sign
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
FIRST_DUE = date(2024, 3, 5)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY)


def issue_contract(user, *, payoff_rule=None):
    """Issue 13's example: 30,000 from the village fund at 6 % flat and 20,000 from the savings group at
    12 % declining, 24 months, signed 10 February 2024, first instalment due 5 March 2024."""
    household = HouseholdFactory()
    if payoff_rule:
        SavingsRule.objects.create(center=household.center, payoff_rule=payoff_rule)
    line = make_debt(household, creditor_type="money_lender", balance="50000.00", original="50000.00")
    village = MemberFundFactory(center=household.center, fund_type="village_fund")
    savings = MemberFundFactory(center=household.center)
    contract = services.contract_draw_up(
        user=user,
        household=household,
        term_months=24,
        first_due_on=FIRST_DUE,
        drawn_up_on=date(2024, 2, 1),
        tranches=[
            services.TrancheTerms(village, Decimal("30000.00"), Decimal("6"), "flat"),
            services.TrancheTerms(savings, Decimal("20000.00"), Decimal("12"), "declining"),
        ],
        payoffs=[services.PayoffTerms(line, Decimal("50000.00"))],
    )
    contract = sign(user, contract)
    tranches = {t.fund_id: t.pk for t in contract.tranches.all()}
    return contract, tranches[village.pk], tranches[savings.pk]


def pay(user, contract, amount, on):
    return services.repayment_record(
        user=user, contract=contract, paid_on=on, amount=Decimal(amount), token=uuid.uuid4()
    )


def lines_of(repayment):
    return {line.tranche_id: (line.interest, line.principal) for line in repayment.lines.all()}


def schedule_of(contract):
    """{number: (due on, {tranche id: (interest, principal, balance)})} as stored at signing."""
    rows = {}
    for row in ScheduledInstalment.objects.filter(contract=contract):
        rows.setdefault(row.number, (row.due_on, {}))[1][row.tranche_id] = (
            row.interest,
            row.principal,
            row.balance,
        )
    return rows


def test_the_issue_example_paid_on_each_due_date_keeps_every_fund_on_its_schedule(officer):
    contract, village, savings = issue_contract(officer)
    stored = schedule_of(contract)
    for number in range(1, 25):
        due_on, lines = stored[number]
        amount = sum((interest + principal for interest, principal, _b in lines.values()), Decimal("0.00"))
        if number == 1:
            assert amount == Decimal("2341.47")
        repayment = pay(officer, contract, amount, due_on)
        if number == 1:
            assert lines_of(repayment) == {
                village: (Decimal("150.00"), Decimal("1250.00")),
                savings: (Decimal("200.00"), Decimal("741.47")),
            }
        assert lines_of(repayment) == {key: (i, p) for key, (i, p, _b) in lines.items()}
        if number < 24:
            position = contract_position(contract, due_on)
            assert position.principal_owed == {key: balance for key, (_i, _p, balance) in lines.items()}
    contract.refresh_from_db()
    assert not contract.is_active  # the last instalment repaid the last principal


def test_a_payment_some_days_before_the_due_date_splits_as_on_it(officer):
    early, village, _savings = issue_contract(officer)
    on_time, *_ = issue_contract(officer)
    for number in (1, 2, 3):
        due_on = FIRST_DUE.replace(month=2 + number)
        before = pay(officer, early, "2341.47", due_on - timedelta(days=9))
        on_the_day = pay(officer, on_time, "2341.47", due_on)
        assert sorted(lines_of(before).values()) == sorted(lines_of(on_the_day).values())
    assert lines_of(before)[village][0] == Decimal("150.00")  # not 0 interest before the due date


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payments=st.lists(st.integers(min_value=1, max_value=600_000), min_size=1, max_size=5),
    reversed_index=st.integers(min_value=0, max_value=4),
)
def test_a_reversal_restores_every_fund_exactly(officer, payments, reversed_index):
    contract, *_ = issue_contract(officer)
    on = date(2024, 5, 1)
    recorded = []
    for satang in payments:
        before = contract_position(contract, on)
        try:
            repayment = pay(officer, contract, Decimal(satang) / 100, on)
        except ValidationError:
            continue
        recorded.append((before, repayment))
        contract.refresh_from_db()
        if not contract.is_active:
            break
    if not recorded:
        return
    before, last = recorded[-1]
    services.repayment_reverse(user=officer, repayment=last, reason="นับผิด", on=on)
    after = contract_position(contract, on)
    assert after.principal_owed == before.principal_owed
    assert after.interest_due == before.interest_due
    total = sum(
        (
            line.interest + line.principal
            for line in RepaymentLine.objects.filter(repayment__contract=contract)
        ),
        Decimal("0.00"),
    )
    assert total == sum((r.amount for _b, r in recorded[:-1]), Decimal("0.00"))


def test_the_payoff_follows_the_center_rule(officer):
    by_instalment, *_ = issue_contract(officer)
    to_date, *_ = issue_contract(officer, payoff_rule=PayoffRule.TO_DATE)
    assert by_instalment.payoff_rule == PayoffRule.INSTALMENT
    assert to_date.payoff_rule == PayoffRule.TO_DATE
    on = date(2024, 2, 20)  # 15 of the 29 days of the first period (5 February to 5 March 2024)
    assert contract_position(by_instalment, on).payoff == Decimal("50000.00") + Decimal("350.00")
    # 150.00 x 15 / 29 = 77.59 and 200.00 x 15 / 29 = 103.45
    assert contract_position(to_date, on).payoff == Decimal("50000.00") + Decimal("77.59") + Decimal("103.45")
    repayment = services.repayment_record(
        user=officer, contract=to_date, paid_on=on, amount=None, token=uuid.uuid4(), pay_off=True
    )
    assert repayment.amount == Decimal("50181.04")
    to_date.refresh_from_db()
    assert not to_date.is_active


def test_a_payment_of_the_payoff_amount_closes_under_either_rule(officer):
    contract, *_ = issue_contract(officer, payoff_rule=PayoffRule.TO_DATE)
    on = date(2024, 2, 20)
    with pytest.raises(ValidationError) as exc:
        pay(officer, contract, "50181.05", on)
    assert "50,181.04" in str(exc.value)
    pay(officer, contract, "50181.04", on)
    contract.refresh_from_db()
    assert not contract.is_active


def test_the_repayment_page_shows_the_order_and_the_payoff_under_the_rule(client, officer):
    contract, *_ = issue_contract(officer, payoff_rule=PayoffRule.TO_DATE)
    client.force_login(officer)
    with translation.override("th"):
        html = client.get(reverse("contracts:repayment_create", args=[contract.pk])).content.decode()
        assert translation.gettext("Interest to the payoff date") in html
        assert 'id="allocation-order"' in html


def test_the_repayment_form_proposes_what_is_due_today(client, officer, time_machine):
    contract, *_ = issue_contract(officer)
    time_machine.move_to(date(2024, 2, 25))  # before the first due date: the first instalment is due
    client.force_login(officer)
    page = client.get(reverse("contracts:repayment_create", args=[contract.pk]))
    assert page.context["position"].due == Decimal("2341.47")
    html = page.content.decode()
    assert 'value="2341.47"' in html
    assert 'id="amount-due"' in html


def test_a_second_payment_of_the_same_amount_on_the_same_day_asks_to_confirm(client, officer):
    contract, *_ = issue_contract(officer)
    client.force_login(officer)
    url = reverse("contracts:repayment_create", args=[contract.pk])

    def post(**extra):
        token = client.get(url).context["form"].initial["token"]
        return client.post(url, {"token": str(token), "paid_on": "05/03/2567", "amount": "2,341.47", **extra})

    assert post().status_code == 302
    asked = post()
    assert asked.status_code == 200
    assert "confirm_repeat" in asked.context["form"].errors
    assert 'type="checkbox" name="confirm_repeat"' in asked.content.decode()
    assert contract.repayments.count() == 1
    assert post(confirm_repeat="on").status_code == 302
    assert contract.repayments.count() == 2
    # another amount, or another day, is not asked about
    assert post(amount="100").status_code == 302
    assert post(paid_on="06/03/2567").status_code == 302
    assert contract.repayments.count() == 4
