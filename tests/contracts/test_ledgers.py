import uuid
from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import services
from contracts.models import Contract, Repayment, RepaymentLine, SavingsEntry
from contracts.selectors import contract_position, savings_balance
from tests.concurrency import at_once, skip_if_locks_never_wait
from tests.contracts.factories import draw_up, draw_up_two_tranches, sign
from tests.debts.factories import make_debt
from tests.factories import UserFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = date(2024, 12, 20)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def two_tranche_contract(user):
    """12,000 over 12 months: 8,000 flat at 6% from the savings group, 4,000 declining at 3% from the
    village fund; signed 10 February 2024, first instalment due 5 March 2024."""
    household = HouseholdFactory()
    line = make_debt(household, creditor_type="money_lender", balance="12000.00", original="12000.00")
    contract = draw_up_two_tranches(
        user, household, line, flat="8000.00", declining="4000.00", payoff="12000.00"
    )
    return sign(user, contract)


def pay(user, contract, amount, on=date(2024, 3, 5), **kwargs):
    return services.repayment_record(
        user=user, contract=contract, paid_on=on, amount=Decimal(amount), token=uuid.uuid4(), **kwargs
    )


def test_a_payment_goes_to_interest_then_principal_as_the_schedule_splits_them(officer):
    contract = two_tranche_contract(officer)
    before = contract_position(contract, date(2024, 3, 5))
    assert before.interest == Decimal("40.00") + Decimal("10.00")  # 8,000 x 6%/12 and 4,000 x 3%/12
    assert before.due == Decimal("1045.44")  # the first instalment: 666.67 + 40.00 and 328.77 + 10.00
    repayment = pay(officer, contract, "1050.00")
    lines = {line.tranche.fund.fund_type: line for line in repayment.lines.select_related("tranche__fund")}
    assert lines["savings_group"].interest == Decimal("40.00")
    assert lines["village_fund"].interest == Decimal("10.00")
    assert sum(line.principal for line in lines.values()) == Decimal("1000.00")
    # the first instalment's principal as scheduled (666.67 and 328.77), and the 4.56 paid over it prepays
    # the second instalment's principal in its proportions (666.67 : 329.59): 3.05 and 1.51
    assert lines["savings_group"].principal == Decimal("669.72")
    assert lines["village_fund"].principal == Decimal("330.28")
    after = contract_position(contract, date(2024, 3, 5))
    assert after.interest == Decimal("0.00")
    assert after.principal == Decimal("11000.00")
    assert repayment.receipt_number == f"{contract.number}-001"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(min_value=1, max_value=400_000), min_size=1, max_size=6))
def test_payments_never_lose_or_create_a_satang(officer, amounts):
    contract = two_tranche_contract(officer)
    paid = Decimal("0.00")
    for index, satang in enumerate(amounts):
        amount = Decimal(satang) / 100
        on = date(2024, 3 + index, 5)
        position = contract_position(contract, on)
        if amount > position.payoff:
            with pytest.raises(ValidationError):
                pay(officer, contract, str(amount), on=on)
            continue
        repayment = pay(officer, contract, str(amount), on=on)
        lines = list(repayment.lines.all())
        assert sum(line.interest + line.principal for line in lines) == amount
        paid += amount
        contract.refresh_from_db()
        if not contract.is_active:
            break
    total = sum(
        line.interest + line.principal for line in RepaymentLine.objects.filter(repayment__contract=contract)
    )
    assert total == paid


def test_overpayment_is_refused_with_the_payoff_amount(officer):
    contract = two_tranche_contract(officer)
    with pytest.raises(ValidationError) as exc:
        pay(officer, contract, "12050.01")
    assert "12,050.00" in str(exc.value)
    assert not Repayment.objects.exists()


def test_pay_off_records_the_exact_amount_and_closes(officer):
    contract = two_tranche_contract(officer)
    pay(officer, contract, "1050.00")
    repayment = services.repayment_record(
        user=officer,
        contract=contract,
        paid_on=date(2024, 4, 5),
        amount=None,
        token=uuid.uuid4(),
        pay_off=True,
    )
    # April's interest (on 8,000 flat: 40; declining, on its scheduled balance: 9.18) plus all principal left
    assert repayment.amount == Decimal("11000.00") + Decimal("40.00") + Decimal("9.18")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.CLOSED
    assert contract.closed_on == date(2024, 4, 5)
    assert repayment.closes_contract
    with pytest.raises(ValidationError):
        pay(officer, contract, "1.00", on=date(2024, 4, 6))


@pytest.mark.parametrize(
    ("amount", "on", "field"),
    [
        ("0", date(2024, 3, 5), "amount"),
        ("-5", date(2024, 3, 5), "amount"),
        ("100", date(2024, 2, 9), "paid_on"),  # before signing
        ("100", date(2024, 12, 21), "paid_on"),  # future
    ],
)
def test_bad_payments_are_refused(officer, amount, on, field):
    contract = two_tranche_contract(officer)
    with pytest.raises(ValidationError) as exc:
        pay(officer, contract, amount, on=on)
    assert field in exc.value.message_dict
    assert not Repayment.objects.exists()


def test_a_draft_takes_no_payment(officer):
    contract = draw_up(officer)
    with pytest.raises(ValidationError):
        pay(officer, contract, "100")


def test_the_same_token_records_one_payment(officer):
    contract = two_tranche_contract(officer)
    token = uuid.uuid4()
    first = services.repayment_record(
        user=officer, contract=contract, paid_on=date(2024, 3, 5), amount=Decimal("500"), token=token
    )
    again = services.repayment_record(
        user=officer, contract=contract, paid_on=date(2024, 3, 5), amount=Decimal("500"), token=token
    )
    assert first.pk == again.pk
    assert Repayment.objects.count() == 1


def test_a_token_used_on_one_contract_is_refused_on_another(officer):
    first, second = two_tranche_contract(officer), two_tranche_contract(officer)
    token = uuid.uuid4()
    common = {"user": officer, "paid_on": date(2024, 3, 5), "amount": Decimal("100.00"), "token": token}
    services.repayment_record(contract=first, **common)
    with pytest.raises(ValidationError) as refused:
        services.repayment_record(contract=second, **common)
    assert refused.value.code == "token"
    kept = {
        "user": officer,
        "on": date(2024, 3, 5),
        "kind": SavingsEntry.Kind.DEPOSIT,
        "amount": Decimal("50.00"),
    }
    services.savings_record(contract=first, token=token, **kept)  # another ledger: its own tokens
    with pytest.raises(ValidationError) as refused:
        services.savings_record(contract=second, token=token, **kept)
    assert refused.value.code == "token"
    assert Repayment.objects.filter(contract=second).count() == 0
    assert SavingsEntry.objects.filter(contract=second).count() == 0


def test_a_reversal_is_a_negative_entry_and_reopens_a_closed_contract(officer):
    contract = two_tranche_contract(officer)
    payoff = services.repayment_record(
        user=officer,
        contract=contract,
        paid_on=date(2024, 3, 5),
        amount=None,
        token=uuid.uuid4(),
        pay_off=True,
    )
    reversal = services.repayment_reverse(user=officer, repayment=payoff, reason="นับเงินผิด")
    assert reversal.amount == -payoff.amount
    assert reversal.reverses == payoff
    assert sum(line.principal for line in reversal.lines.all()) == Decimal("-12000.00")
    contract.refresh_from_db()
    assert contract.is_active
    assert contract_position(contract, date(2024, 3, 5)).principal == Decimal("12000.00")
    payoff.refresh_from_db()
    assert payoff.amount > 0  # the payment itself is untouched
    with pytest.raises(ValidationError):
        services.repayment_reverse(user=officer, repayment=payoff, reason="again")
    with pytest.raises(ValidationError):
        services.repayment_reverse(user=officer, repayment=reversal, reason="again")


def test_an_outsider_cannot_pay(officer, outsider):
    contract = two_tranche_contract(officer)
    with pytest.raises(PermissionDenied):
        pay(outsider, contract, "100")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_keep_a_correct_balance_on_postgresql():
    # A transactional test starts from the migrated copy (geography, no other rows; tests/conftest.py).
    officer = UserFactory(username="officer_a")
    contract = two_tranche_contract(officer)
    paid = [partial(pay, officer, contract, amount, on=date(2024, 3, 5)) for amount in ("700.00", "900.00")]
    _payments, errors = at_once(*paid)
    assert errors == []
    position = contract_position(contract, date(2024, 3, 5))
    assert position.interest == Decimal("0.00")  # paid once, not twice
    assert position.principal == Decimal("12000.00") - (Decimal("1600.00") - Decimal("50.00"))
    receipts = sorted(Repayment.objects.values_list("receipt_number", flat=True))
    assert receipts == [f"{contract.number}-001", f"{contract.number}-002"]


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_records_one_payment():
    skip_if_locks_never_wait()
    # A double tap, or the phone's offline queue sending while the page sends: both at the same moment. On
    # PostgreSQL the contract's row lock orders them; on SQLite the write lock taken when each transaction
    # begins (config.settings.base.SQLITE_OPTIONS). Either way the second finds the first's token.
    officer = UserFactory(username="officer_a")
    contract = two_tranche_contract(officer)
    token = uuid.uuid4()

    def post() -> int:
        return services.repayment_record(
            user=officer,
            contract=Contract.objects.get(pk=contract.pk),
            paid_on=date(2024, 3, 5),
            amount=Decimal("700.00"),
            token=token,
        ).pk

    recorded, errors = at_once(post, post)
    assert errors == []
    assert len(recorded) == 2
    assert len(set(recorded)) == 1
    assert Repayment.objects.filter(contract=contract).count() == 1


# --- savings --------------------------------------------------------------------------------------------


def save(user, contract, kind, amount, reason="", on=date(2024, 3, 5)):
    return services.savings_record(
        user=user,
        contract=contract,
        on=on,
        kind=kind,
        amount=Decimal(amount),
        token=uuid.uuid4(),
        reason=reason,
    )


def test_savings_deposits_and_withdrawals(officer):
    contract = two_tranche_contract(officer)
    save(officer, contract, "deposit", "500")
    save(officer, contract, "withdrawal", "200")
    assert savings_balance(contract) == Decimal("300.00")
    with pytest.raises(ValidationError):
        save(officer, contract, "withdrawal", "300.01")


def test_a_withdrawal_below_the_rule_needs_an_authorised_user_and_a_reason(officer, superuser):
    from contracts.models import SavingsRule

    contract = two_tranche_contract(officer)
    SavingsRule.objects.create(center=contract.center, minimum_stock_share=Decimal("5"))  # 600 of 12,000
    save(officer, contract, "deposit", "1000")
    save(officer, contract, "withdrawal", "400")  # leaves 600: allowed
    with pytest.raises(ValidationError) as exc:
        save(officer, contract, "withdrawal", "1", reason="ป่วย")
    assert "authorised" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        save(superuser, contract, "withdrawal", "100")
    assert "reason" in exc.value.message_dict
    entry = save(superuser, contract, "withdrawal", "100", reason="ค่ารักษาพยาบาล")
    assert entry.authorised_by == superuser
    assert entry.amount == Decimal("-100.00")
    assert SavingsEntry.objects.count() == 3


# --- pages ----------------------------------------------------------------------------------------------


def test_a_double_submitted_payment_form_records_one_payment(client, officer):
    contract = two_tranche_contract(officer)
    client.force_login(officer)
    url = reverse("contracts:repayment_create", args=[contract.pk])
    page = client.get(url)
    token = page.context["form"].initial["token"]
    data = {"token": str(token), "paid_on": "05/03/2567", "amount": "1,050"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Repayment.objects.count() == 1
    detail = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    assert f"{contract.number}-001" in detail


def test_the_payment_form_costs_five_queries(client, officer, django_assert_max_num_queries):
    """The session, the user, the contract, its schedule and its repayments by tranche (the position reads
    the schedule to split a payment as it does), whatever the number of payments."""
    contract = two_tranche_contract(officer)
    for _ in range(5):
        pay(officer, contract, "100")
    client.force_login(officer)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("contracts:repayment_create", args=[contract.pk]))
    assert response.status_code == 200
    assert response.context["position"].principal == contract_position(contract, TODAY).principal


def test_the_reverse_button_reverses(client, officer):
    contract = two_tranche_contract(officer)
    repayment = pay(officer, contract, "100")
    client.force_login(officer)
    url = reverse("contracts:repayment_reverse", args=[contract.pk, repayment.pk])
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Repayment.objects.count() == 1
    client.post(url, {"reason": "ผิดสัญญา"})
    assert Repayment.objects.filter(reverses=repayment).exists()


def test_the_contract_page_offers_to_reverse_only_payments_not_yet_reversed(client, officer):
    contract = two_tranche_contract(officer)
    kept = pay(officer, contract, "100")
    wrong = pay(officer, contract, "250")
    reversal = services.repayment_reverse(user=officer, repayment=wrong, reason="x")
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    forms = [
        reverse("contracts:repayment_reverse", args=[contract.pk, r.pk]) for r in (kept, wrong, reversal)
    ]
    assert [f'action="{url}"' in html for url in forms] == [True, False, False]
    assert f'id="reason-{kept.pk}"' in html
    with translation.override("th"):
        assert translation.gettext("Reverses %(receipt)s") % {"receipt": wrong.receipt_number} + ": x" in html


def test_the_savings_page_records_and_refuses(client, officer):
    contract = two_tranche_contract(officer)
    client.force_login(officer)
    url = reverse("contracts:savings_create", args=[contract.pk])
    token = client.get(url).context["form"].initial["token"]
    client.post(url, {"token": str(token), "on": "05/03/2567", "kind": "deposit", "amount": "300"})
    assert savings_balance(contract) == Decimal("300.00")
    response = client.post(
        url, {"token": str(uuid.uuid4()), "on": "05/03/2567", "kind": "withdrawal", "amount": "301"}
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors


def test_ledger_pages_are_404_for_outsiders(client, officer, outsider, provincial):
    contract = two_tranche_contract(officer)
    repayment = pay(officer, contract, "100")
    for user in (outsider, provincial):
        client.force_login(user)
        assert client.get(reverse("contracts:repayment_create", args=[contract.pk])).status_code == 404
        assert client.get(reverse("contracts:savings_create", args=[contract.pk])).status_code == 404
        url = reverse("contracts:repayment_reverse", args=[contract.pk, repayment.pk])
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Repayment.objects.filter(reverses=repayment).exists()


def test_a_receipt_number_already_used_is_refused_by_the_database(officer, monkeypatch):
    """The service numbers the receipts under the contract's lock and does not ask the database again; a
    duplicate (a bug) is refused by the database's unique constraint and nothing is recorded."""
    contract = two_tranche_contract(officer)
    first = pay(officer, contract, "100")
    monkeypatch.setattr(services.repayments, "_next_receipt", lambda contract: first.receipt_number)
    with pytest.raises(IntegrityError):
        pay(officer, contract, "100")
    assert Repayment.objects.count() == 1
