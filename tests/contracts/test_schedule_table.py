"""The repayment schedule on the contract pages (templates/contracts/includes/schedule.html): the rows carry
the figures of the selector's schedule, the phone's essential columns are the ones marked so, the print
shows every column, and a long multi-fund schedule costs no more queries than a short one."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from contracts.selectors import contract_schedule
from core.thai import format_date_be
from tests.contracts.factories import draw_up, draw_up_three_funds, sign

pytestmark = pytest.mark.django_db

ESSENTIAL = ("No.", "Due on", "Instalment", "Balance")  # shown on a phone without a tap


class Table(HTMLParser):
    """The cells of the table with `id`: `head` the header cells, `rows` the body's and `foot` the footer's,
    each cell as (text, classes)."""

    def __init__(self, html: str, id: str):
        super().__init__()
        self.id, self.inside, self.section, self.cell = id, 0, None, None
        self.head: list[tuple[str, set[str]]] = []
        self.rows: list[list[tuple[str, set[str]]]] = []
        self.foot: list[tuple[str, set[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.inside or attrs.get("id") == self.id):
            self.inside += 1
        elif self.inside == 1 and tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif self.inside == 1 and tag == "tr" and self.section == "tbody":
            self.rows.append([])
        elif self.inside == 1 and tag in ("td", "th"):
            self.cell = ["", set((attrs.get("class") or "").split())]

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside -= 1
        elif self.inside == 1 and tag in ("td", "th") and self.cell is not None:
            cell, self.cell = (self.cell[0].strip(), self.cell[1]), None
            {"thead": self.head, "tfoot": self.foot}.get(
                self.section, self.rows[-1] if self.rows else []
            ).append(cell)


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def long_contract(officer, *, months: int = 60):
    return sign(officer, draw_up_three_funds(officer, months=months))


def test_the_rows_carry_the_selectors_schedule(client, officer):
    contract = long_contract(officer)
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()  # in Thai
    table = contract_schedule(contract)  # the selector, read afresh
    parsed = Table(html, "schedule")
    assert len(table.lines) == len(parsed.rows) == 60
    for cells, line in zip(parsed.rows, table.lines, strict=True):
        number, due_on, principal, interest, amount, saving, balance = line
        texts = [text for text, _classes in cells]
        assert int(texts[0]) == number
        assert texts[1] == format_date_be(due_on, short=True, lang="th")
        assert [money(text) for text in texts[2:]] == [principal, interest, amount, saving, balance]
    assert table.lines[-1][6] == Decimal("0.00")
    assert len({line[3] for line in table.lines}) > 1
    totals = [money(text) for text, _classes in parsed.foot[1:-1]]
    assert totals == [table.principal, table.interest, table.amount, table.savings]
    assert table.principal == Decimal("415000.50")


def test_the_phone_keeps_the_essential_columns_and_the_toggle_brings_back_the_rest(client, officer):
    contract = long_contract(officer, months=12)
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    parsed = Table(html, "schedule")
    with translation.override("th"):
        essential = {str(translation.gettext(name)) for name in ESSENTIAL}
    headings = [text for text, _classes in parsed.head]
    assert [text for text, classes in parsed.head if "col-more" not in classes] == [
        name for name in headings if name in essential
    ]
    assert len(essential) == 4
    assert len(headings) == 7
    # every cell of a column is marked as its heading is (a column never half hidden)
    for cells in parsed.rows:
        assert ["col-more" in classes for _text, classes in cells] == [
            "col-more" in classes for _text, classes in parsed.head
        ]
    assert 'class="table-essentials"' in html
    assert 'id="schedule-all-columns"' in html
    assert 'for="schedule-all-columns"' in html
    # the fund table becomes cards on a phone, each value labelled with its column
    funds = Table(html, "schedule-by-fund")
    assert len(funds.rows) == 3
    by_fund = html[html.index('id="schedule-by-fund"') :].split("</table>")[0]
    for heading, _classes in funds.head:
        assert by_fund.count(f'data-label="{heading}"') == 3, heading


def test_the_print_shows_every_column_without_a_toggle(client, officer):
    contract = long_contract(officer, months=12)
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_print", args=[contract.pk])).content.decode()
    parsed = Table(html, "schedule")
    assert len(parsed.head) == 7
    assert len(parsed.rows) == 12
    assert "table-essentials" not in html
    assert 'id="schedule-all-columns"' not in html


@pytest.mark.parametrize("long", [False, True])
def test_a_long_multi_fund_schedule_costs_no_more_queries(
    client, officer, long, django_assert_max_num_queries
):
    contract = long_contract(officer) if long else sign(officer, draw_up(officer, months=12))
    client.force_login(officer)
    with django_assert_max_num_queries(11):  # as the contract page's other tests: the same at 12 and 60 rows
        response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert len(Table(response.content.decode(), "schedule").rows) == (60 if long else 12)
