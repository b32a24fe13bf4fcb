"""Receipts and the household passbook (issue 13, point 3): one receipt number per payment and savings entry,
sequential per center and fiscal year and unique in the database; a reversal prints as the cancellation of its
payment's receipt; the passbook lists every entry with its running balances, and both sum to the ledger."""

import threading
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import receipts, services
from contracts.models import Receipt, ReceiptSeries, Repayment, SavingsEntry
from contracts.selectors import contract_position, fund_ledgers, savings_balance
from tests.contracts.factories import sign
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory, UserFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = date(2024, 12, 20)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY)


def multi_fund_contract(user, terms, *, household=None, months=12):
    """A signed contract with one tranche per (principal, rate, method) of `terms`, each from its own fund of
    the household's center; signed 10 February 2024, first instalment due 5 March 2024."""
    household = household or HouseholdFactory()
    total = sum((Decimal(principal) for principal, _r, _m in terms), Decimal("0.00"))
    line = make_debt(household, creditor_type="money_lender", balance=str(total), original=str(total))
    contract = services.contract_draw_up(
        user=user,
        household=household,
        term_months=months,
        first_due_on=date(2024, 3, 5),
        drawn_up_on=date(2024, 2, 1),
        tranches=[
            services.TrancheTerms(
                MemberFundFactory(center=household.center, capital=Decimal("10000000.00")),
                Decimal(principal),
                Decimal(rate),
                method,
            )
            for principal, rate, method in terms
        ],
        payoffs=[services.PayoffTerms(line, total)],
    )
    return sign(user, contract)


def pay(user, contract, amount, on=date(2024, 3, 5)):
    return services.repayment_record(
        user=user, contract=contract, paid_on=on, amount=Decimal(amount), token=uuid.uuid4()
    )


def deposit(user, contract, amount, on=date(2024, 3, 5)):
    return services.savings_record(
        user=user, contract=contract, on=on, kind="deposit", amount=Decimal(amount), token=uuid.uuid4()
    )


def two_funds(user, **kwargs):
    return multi_fund_contract(user, [("8000.00", "6", "flat"), ("4000.00", "3", "declining")], **kwargs)


# --- numbering ----------------------------------------------------------------------------------------------


def test_payments_and_savings_share_one_sequence_per_center_and_fiscal_year(officer):
    contract = two_funds(officer)
    neighbour = two_funds(officer, household=HouseholdFactory(center=contract.center))
    elsewhere = two_funds(officer)  # another center: its own sequence
    first = pay(officer, contract, "1045.44")
    saved = deposit(officer, contract, "200.00")
    other = pay(officer, neighbour, "1045.44")
    own = pay(officer, elsewhere, "1045.44")
    october = pay(officer, contract, "500.00", on=date(2024, 10, 1))  # fiscal year 2568 starts
    assert first.receipt.number == "2567-00001"
    assert saved.receipt.number == "2567-00002"
    assert other.receipt.number == "2567-00003"
    assert own.receipt.number == "2567-00001"
    assert october.receipt.number == "2568-00001"
    reversal = services.repayment_reverse(user=officer, repayment=other, reason="ผิดคน")
    assert not Receipt.objects.filter(repayment=reversal).exists()  # a reversal cancels, it takes no number
    assert pay(officer, neighbour, "1045.44", on=date(2024, 3, 6)).receipt.number == "2567-00004"
    assert ReceiptSeries.objects.get(center=contract.center, fiscal_year=2567).last == 4


def test_the_database_refuses_a_receipt_number_twice(officer):
    contract = two_funds(officer)
    first = pay(officer, contract, "100.00")
    second = pay(officer, contract, "100.00", on=date(2024, 3, 6))
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.filter(pk=second.receipt.pk).update(sequence=first.receipt.sequence)
    with pytest.raises(IntegrityError), transaction.atomic():  # a receipt is for one entry, never none
        Receipt.objects.create(center=contract.center, fiscal_year=2567, sequence=100)


def test_a_refused_payment_takes_no_number(officer):
    contract = two_funds(officer)
    with pytest.raises(ValidationError):
        pay(officer, contract, "999999.00")
    assert pay(officer, contract, "100.00").receipt.sequence == 1


def test_entries_written_without_a_receipt_are_numbered_after_the_issued_ones(officer):
    contract = two_funds(officer)
    pay(officer, contract, "100.00", on=date(2024, 3, 6))
    bulk = Repayment.objects.create(
        contract=contract, paid_on=date(2024, 3, 5), amount=Decimal("5.00"), receipt_number="x-1",
        token=uuid.uuid4(), recorded_by=officer,
    )  # fmt: skip
    entry = SavingsEntry.objects.create(
        contract=contract, on=date(2024, 3, 1), kind="deposit", amount=Decimal("5.00"), token=uuid.uuid4(),
        recorded_by=officer,
    )  # fmt: skip
    assert services.receipts_issue_missing(center_ids=[contract.center_id]) == 2
    assert entry.receipt.sequence == 2  # by date: the savings entry of 1 March first
    bulk.refresh_from_db()
    assert bulk.receipt.sequence == 3
    assert services.receipts_issue_missing() == 0
    assert pay(officer, contract, "100.00", on=date(2024, 3, 7)).receipt.sequence == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_in_one_center_take_different_numbers_on_postgresql():
    officer = UserFactory(username="officer_a")
    first = two_funds(officer)
    second = two_funds(officer, household=HouseholdFactory(center=first.center))
    barrier = threading.Barrier(3)
    errors = []

    def post(contract, kind) -> None:
        try:
            barrier.wait()
            if kind == "pay":
                pay(officer, contract, "700.00")
            else:
                deposit(officer, contract, "100.00")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=args)
        for args in ((first, "pay"), (second, "pay"), (first, "save"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Receipt.objects.values_list("sequence", flat=True)) == [1, 2, 3]


# --- the receipt page ---------------------------------------------------------------------------------------


def test_the_receipt_prints_the_payment_in_figures_and_words_with_each_fund(client, officer):
    contract = two_funds(officer)
    deposit(officer, contract, "300.00", on=date(2024, 3, 1))
    repayment = pay(officer, contract, "1250.50")
    client.force_login(officer)
    with translation.override("th"):
        response = client.get(reverse("contracts:repayment_receipt", args=[contract.pk, repayment.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ใบเสร็จรับเงิน" in html
    assert "2567-00002" in html
    assert "5 มีนาคม 2567" in html
    assert "1,250.50" in html
    assert "หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์" in html
    assert contract.household.head_name in html
    assert str(contract.center) in html
    position = contract_position(contract, date(2024, 3, 5))
    assert f"{position.principal:,.2f}" in html  # the balance after
    assert "300.00" in html  # the savings balance
    for line in repayment.lines.select_related("tranche__fund"):
        assert str(line.tranche.fund) in html
        assert f"{line.principal:,.2f}" in html
    assert (officer.get_full_name() or officer.username) in html


def test_a_reversal_prints_as_the_cancellation_of_its_receipt(client, officer):
    contract = two_funds(officer)
    repayment = pay(officer, contract, "1045.44")
    reversal = services.repayment_reverse(user=officer, repayment=repayment, reason="บันทึกซ้ำ")
    client.force_login(officer)
    with translation.override("th"):
        cancellation = client.get(reverse("contracts:repayment_receipt", args=[contract.pk, reversal.pk]))
        original = client.get(reverse("contracts:repayment_receipt", args=[contract.pk, repayment.pk]))
    html = cancellation.content.decode()
    assert "ยกเลิกใบเสร็จ" in html
    assert "ใบเสร็จเลขที่ 2567-00001 ถูกยกเลิก เหตุผล: บันทึกซ้ำ" in html
    assert "หนึ่งพันสี่สิบห้าบาทสี่สิบสี่สตางค์" in html
    assert 'id="cancelled-stamp"' in original.content.decode()
    assert 'id="cancelled-stamp"' not in html
    # the cancellation prints the figures it cancels, as positive amounts that add up
    cancels, cancelled = (receipts.repayment_receipt(contract, pk) for pk in (reversal.pk, repayment.pk))
    assert (cancels.amount, cancels.interest, cancels.principal) == (
        cancelled.amount,
        cancelled.interest,
        cancelled.principal,
    )
    assert cancels.interest + cancels.principal == cancels.amount


def test_a_savings_receipt(client, officer):
    contract = two_funds(officer)
    deposit(officer, contract, "100.00", on=date(2024, 3, 1))
    entry = deposit(officer, contract, "21.00")
    client.force_login(officer)
    with translation.override("th"):
        response = client.get(reverse("contracts:savings_receipt", args=[contract.pk, entry.pk]))
    html = response.content.decode()
    assert "ยี่สิบเอ็ดบาทถ้วน" in html
    assert "2567-00002" in html
    assert "121.00" in html  # the savings after it
    assert 'id="receipt-funds"' not in html


def test_outsiders_and_readers_get_404_on_receipts_and_the_passbook(client, officer, outsider, provincial):
    contract = two_funds(officer)
    repayment = pay(officer, contract, "100.00")
    entry = deposit(officer, contract, "100.00")
    urls = [
        reverse("contracts:repayment_receipt", args=[contract.pk, repayment.pk]),
        reverse("contracts:savings_receipt", args=[contract.pk, entry.pk]),
        reverse("contracts:passbook", args=[contract.household_id]),
    ]
    for user in (outsider, provincial):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(officer)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    other = two_funds(officer)  # an entry of another contract under this contract's address: 404
    assert client.get(reverse("contracts:savings_receipt", args=[other.pk, entry.pk])).status_code == 404
    assert (
        client.get(reverse("contracts:repayment_receipt", args=[other.pk, repayment.pk])).status_code == 404
    )


def test_receipts_and_the_passbook_keep_a_bounded_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    """Each page at two sizes of the ledger: the same number of queries, and at most its bound (the session,
    the user and the page's own reads)."""
    contract = two_funds(officer)
    client.force_login(officer)
    counts = []
    for months in ((3, 4), (5, 6, 7, 8, 9, 10)):
        for month in months:
            pay(officer, contract, "1045.44", on=date(2024, month, 5))
            deposit(officer, contract, "200.00", on=date(2024, month, 5))
        last = Repayment.objects.filter(contract=contract).last()
        services.repayment_reverse(user=officer, repayment=last, reason="x", on=date(2024, months[-1], 5))
        entry = SavingsEntry.objects.filter(contract=contract).last()
        pages = [
            (reverse("contracts:repayment_receipt", args=[contract.pk, last.pk]), 8),
            (reverse("contracts:savings_receipt", args=[contract.pk, entry.pk]), 7),
            (reverse("contracts:passbook", args=[contract.household_id]), 6),
        ]
        size = []
        for url, bound in pages:
            with django_assert_max_num_queries(bound) as captured:
                assert client.get(url).status_code == 200
            size.append(len(captured))
        counts.append(size)
    assert counts[0] == counts[1]


# --- the passbook and the contract page ---------------------------------------------------------------------


def test_the_passbook_lists_every_entry_with_running_balances(client, officer):
    contract = two_funds(officer)
    first = pay(officer, contract, "1045.44")
    deposit(officer, contract, "200.00")
    second = pay(officer, contract, "1045.44", on=date(2024, 4, 5))
    services.repayment_reverse(user=officer, repayment=second, reason="เช็คคืน")
    (book,) = receipts.passbook(contract.household)
    kinds = [row.kind for row in book.rows]
    assert kinds == ["repayment", "deposit", "repayment", "reversal"]
    principal_first = sum((line.principal for line in first.lines.all()), Decimal("0.00"))
    assert book.rows[0].loan_balance == Decimal("12000.00") - principal_first
    assert book.rows[1].savings_balance == Decimal("200.00")
    assert book.rows[3].loan_balance == book.rows[1].loan_balance  # the reversal restores the balance
    assert book.rows[3].receipt == book.rows[2].receipt == second.receipt.number
    client.force_login(officer)
    with translation.override("th"):
        html = client.get(reverse("contracts:passbook", args=[contract.household_id])).content.decode()
    assert "สมุดบัญชี" in html
    assert f"ยกเลิกใบเสร็จ {second.receipt.number}: เช็คคืน" in html


def test_the_contract_page_shows_each_payment_split_and_its_receipt(client, officer):
    contract = two_funds(officer)
    repayment = pay(officer, contract, "1050.00")
    deposit(officer, contract, "100.00")
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    assert "data-interest>50.00</td>" in html
    assert "data-principal>1,000.00</td>" in html
    assert reverse("contracts:repayment_receipt", args=[contract.pk, repayment.pk]) in html
    assert repayment.receipt.number in html
    assert reverse("contracts:passbook", args=[contract.household_id]) in html


# --- receipts and passbook sum to the ledger (Hypothesis) ---------------------------------------------------

TERMS = st.tuples(
    st.integers(min_value=1_000, max_value=50_000).map(lambda baht: f"{baht}.00"),
    st.sampled_from(["0", "3", "6", "12", "15"]),
    st.sampled_from(["flat", "declining"]),
)
EVENT = st.tuples(
    st.sampled_from(["pay", "save", "reverse"]),
    st.integers(min_value=1, max_value=300),  # days after the signature
    st.integers(min_value=1, max_value=800_000),  # satang
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=st.lists(TERMS, min_size=1, max_size=3), events=st.lists(EVENT, min_size=1, max_size=8))
def test_receipts_and_the_passbook_sum_to_the_ledger_and_reversals_restore_every_fund(officer, terms, events):
    contract = multi_fund_contract(officer, terms)
    signed = date(2024, 2, 10)
    recorded: list[Repayment] = []
    days = sorted(day for _k, day, _s in events)
    for (kind, _day, satang), day in zip(events, days, strict=True):
        on = date.fromordinal(signed.toordinal() + day)
        amount = Decimal(satang) / 100
        if kind == "save":
            deposit(officer, contract, amount, on=on)
            continue
        if kind == "reverse" and recorded:
            target = recorded.pop()
            before = {f.tranche.pk: (f.paid_interest, f.paid_principal) for f in fund_ledgers(contract)}
            target_lines = {line.tranche_id: line for line in target.lines.all()}
            services.repayment_reverse(user=officer, repayment=target, reason="ผิด", on=on)
            contract.refresh_from_db()
            after = {f.tranche.pk: (f.paid_interest, f.paid_principal) for f in fund_ledgers(contract)}
            for pk, (interest, principal) in before.items():  # every fund back by exactly its lines
                line = target_lines.get(pk)
                assert after[pk] == (
                    interest - (line.interest if line else 0),
                    principal - (line.principal if line else 0),
                )
            continue
        try:
            recorded.append(pay(officer, contract, amount, on=on))
        except ValidationError:  # more than the payoff: refused, nothing recorded
            assert amount > contract_position(contract, on).payoff
        contract.refresh_from_db()
        if not contract.is_active:
            break
    contract = contract.__class__.objects.prefetch_related("tranches__fund").get(pk=contract.pk)
    # each fund's paid interest and principal = the sum of what the receipts print for it (a cancellation
    # counts against)
    printed: dict[str, list[Decimal]] = {}
    for repayment in Repayment.objects.filter(contract=contract):
        receipt = receipts.repayment_receipt(contract, repayment.pk)
        sign_ = -1 if repayment.is_reversal else 1
        assert receipt.interest + receipt.principal == receipt.amount
        for part in receipt.parts:
            sums = printed.setdefault(part.fund, [Decimal("0.00"), Decimal("0.00")])
            sums[0] += sign_ * abs(part.interest)
            sums[1] += sign_ * abs(part.principal)
    for ledger in fund_ledgers(contract):
        assert printed.get(str(ledger.tranche.fund), [0, 0]) == [ledger.paid_interest, ledger.paid_principal]
    (book,) = receipts.passbook(contract.household)
    principal_paid = sum((f.paid_principal for f in fund_ledgers(contract)), Decimal("0.00"))
    assert book.loan_balance == contract.principal - principal_paid
    assert book.savings_balance == savings_balance(contract)
    assert sum(
        (row.amount for row in book.rows if row.kind in ("repayment", "reversal")), Decimal("0")
    ) == sum((r.amount for r in Repayment.objects.filter(contract=contract)), Decimal("0"))
    for row in book.rows:  # every row: its balances are the previous ones moved by the row
        assert row.interest + row.principal == (row.amount if row.kind in ("repayment", "reversal") else 0)
    if book.rows:
        last = Repayment.objects.filter(contract=contract).order_by("paid_on", "pk").last()
        if last is not None:
            assert receipts.repayment_receipt(contract, last.pk).balance_after == book.loan_balance
