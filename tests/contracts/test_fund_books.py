"""Each fund's book on the contract page and its monthly Excel export (issue 13, point 1)."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts import services
from contracts.models import RepaymentLine
from households.models import PersonalDataLog
from tests.contracts.test_fund_ledgers import issue_contract, pay, schedule_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(date(2024, 6, 1))


def pay_instalments(user, contract, count):
    stored = schedule_of(contract)
    for number in range(1, count + 1):
        due_on, lines = stored[number]
        pay(user, contract, sum((i + p for i, p, _b in lines.values()), Decimal("0.00")), due_on)
    return stored


@pytest.mark.parametrize("count", [2, 3])
def test_the_contract_page_shows_each_funds_book_in_bounded_queries(
    client, officer, count, django_assert_max_num_queries
):
    contract, village, savings = issue_contract(officer)
    stored = pay_instalments(officer, contract, count)
    client.force_login(officer)
    # the funds' repayments and the guarantors took one each; the same whatever the number of payments
    with django_assert_max_num_queries(11):
        response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    books = {book.tranche.pk: book for book in response.context["funds"]}
    for tranche, lent in ((village, Decimal("30000.00")), (savings, Decimal("20000.00"))):
        interest = sum((stored[n][1][tranche][0] for n in range(1, count + 1)), Decimal("0.00"))
        principal = sum((stored[n][1][tranche][1] for n in range(1, count + 1)), Decimal("0.00"))
        book = books[tranche]
        assert (book.lent, book.paid_interest, book.paid_principal) == (lent, interest, principal)
        assert book.owed == stored[count][1][tranche][2]  # the schedule's balance after that instalment
    page = response.content.decode()
    assert 'id="fund-ledgers"' in page
    assert f"{books[village].owed:,}" in page


def export(client, contract, year, month):
    url = reverse("contracts:fund_book_export", args=[contract.center_id])
    return client.get(url, {"year": year, "month": month})


def test_the_fund_books_export_has_one_sheet_per_fund_that_sums_to_the_ledger(client, officer):
    contract, village, savings = issue_contract(officer)
    pay_instalments(officer, contract, 3)  # March, April and May 2024
    may = contract.repayments.get(paid_on=date(2024, 5, 5))
    services.repayment_reverse(user=officer, repayment=may, reason="นับผิด", on=date(2024, 5, 20))
    client.force_login(officer)
    response = export(client, contract, 2567, 5)
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    funds = {t.pk: t.fund for t in contract.tranches.all()}
    assert len(workbook.sheetnames) == 2
    for tranche in (village, savings):
        sheet = workbook[f"{funds[tranche].pk} {funds[tranche].name}"[:31]]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        lines = RepaymentLine.objects.filter(
            tranche=tranche,
            repayment__paid_on__gte=date(2024, 5, 1),
            repayment__paid_on__lte=date(2024, 5, 31),
        )
        assert len(rows) == lines.count() + 1 == 3  # the payment, its reversal, the totals
        *body, total = rows
        assert [Decimal(str(row[4])) for row in body] == [line.interest for line in lines.order_by("pk")]
        assert Decimal(str(total[4])) == Decimal(str(total[5])) == Decimal("0")  # the reversal nets out
        assert body[1][7] == may.receipt_number
    log = PersonalDataLog.objects.get()
    assert log.action == PersonalDataLog.Action.EXPORT
    assert log.row_count == 4


def test_a_month_without_payments_gives_the_totals_only(client, officer):
    contract, *_ = issue_contract(officer)
    pay_instalments(officer, contract, 1)
    client.force_login(officer)
    workbook = load_workbook(BytesIO(export(client, contract, 2567, 4).content))
    for sheet in workbook.worksheets:
        assert len(list(sheet.iter_rows(min_row=3, values_only=True))) == 1


@pytest.mark.parametrize(("year", "month"), [("2024", "5"), ("2567", "13"), ("", "5"), ("x", "y")])
def test_a_bad_month_is_refused_with_a_message(client, officer, year, month):
    contract, *_ = issue_contract(officer)
    client.force_login(officer)
    response = export(client, contract, year, month)
    assert response.status_code == 400
    assert 'id="export-refused"' in response.content.decode()
    assert not PersonalDataLog.objects.exists()


def test_an_outsider_and_provincial_staff_get_404(client, officer, outsider, provincial):
    contract, *_ = issue_contract(officer)
    for user in (outsider, provincial):
        client.force_login(user)
        assert export(client, contract, 2567, 5).status_code == 404


def test_the_contract_pages_tables_stack_into_cards_on_a_phone(client, officer):
    """Below the small breakpoint a `.table-stack` row is a card and each cell reads "label: value" from its
    data-label (static/css/kongtun.css): every body cell of these tables must carry its column's label."""
    contract, _village, _savings = issue_contract(officer)
    pay_instalments(officer, contract, 2)
    client.force_login(officer)
    page = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    for table_id in ("payoffs", "fund-ledgers", "savings-compliance"):
        table = re.search(rf'<table class="([^"]*)" id="{table_id}">(.*?)</table>', page, re.S)
        assert table, table_id
        assert "table-stack" in table.group(1).split()
        body = re.search(r"<tbody>(.*?)</tbody>", table.group(2), re.S).group(1)
        cells = re.findall(r"<td[^>]*>", body)
        assert cells, table_id
        assert all("data-label=" in cell for cell in cells), table_id
