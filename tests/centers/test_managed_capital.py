"""Managed capital as the CDD model-center handbook counts it, and the center's member figure.

The handbook lists Ban Nong Mek center (Nakhon Ratchasima): a rice-seed group of 116,808.39 baht with 59
members, a savings group for production of 8,693,115.00 with 985, and 18 other funds and occupational groups
of 1,761,950.32 with 985. Its managed capital, 8,809,923.39, counts the first two only; its members are
the 985 people of its register, not 59 + 985 + 985 = 2,029.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from centers.models import Center, FundType, MemberFund
from centers.selectors import center_parts
from centers.services import fund_save
from dashboards.live import figures_now
from tests.factories import CHIANG_MAI, MUEANG_CHIANG_MAI, CenterFactory, MemberFundFactory

pytestmark = pytest.mark.django_db

HANDBOOK_CAPITAL = Decimal("8809923.39")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(date(2024, 12, 20))


@pytest.fixture
def nong_mek(db):
    center = CenterFactory(name="ศูนย์จัดการกองทุนชุมชนบ้านหนองเม็ก", members=985)
    rows = [
        (FundType.RICE_BANK, "กลุ่มกองทุนเมล็ดพันธุ์ข้าว", "116808.39", 59, 1, True, False),
        (FundType.SAVINGS_GROUP, "กลุ่มออมทรัพย์เพื่อการผลิต", "8693115.00", 985, 1, True, True),
        (FundType.OTHER, "กองทุนและกลุ่มอาชีพอื่น ๆ", "1761950.32", 985, 18, False, False),
    ]
    for fund_type, name, capital, members, count, counted, core in rows:
        MemberFundFactory(
            center=center, fund_type=fund_type, name=name, capital=Decimal(capital), members=members,
            funds_in_row=count, in_managed_capital=counted, is_core=core, lending_rate=None, rate_unit="",
        )  # fmt: skip
    return center


def test_the_handbook_example_counts_the_first_two_rows(nong_mek):
    parts = center_parts(nong_mek)
    assert parts["managed_capital"] == HANDBOOK_CAPITAL
    assert [fund.name for fund in parts["funds_not_counted"]] == ["กองทุนและกลุ่มอาชีพอื่น ๆ"]
    assert Center.objects.with_managed_capital().get(pk=nong_mek.pk).managed_capital == HANDBOOK_CAPITAL
    # the uncounted row still holds money (it lends): only its place in the figure differs
    assert MemberFund.objects.get(funds_in_row=18).holds_money is True


def test_the_center_page_shows_the_handbook_figures(client, officer, nong_mek):
    client.force_login(officer)
    page = client.get(reverse("centers:center_detail", args=[nong_mek.pk])).content.decode()
    assert "8,809,923.39 บาท" in page
    assert "10,571,873.71" not in page
    assert '<div class="fs-5 fw-semibold" id="center-members">985</div>' in page
    assert "2,029" not in page
    assert "2029" not in page
    assert "ไม่ใช่ผลรวมสมาชิกของกองทุน" in page  # what the member figure counts
    assert "(18)" in page  # one row stands for 18 funds
    assert "ธนาคารข้าว / กองทุนเมล็ดพันธุ์ข้าว" in page
    assert page.count('<span class="badge text-bg-success">นับ</span>') == 2
    assert page.count('<span class="badge text-bg-secondary">ไม่นับ</span>') == 1
    assert "ไม่นับ: ศูนย์ไม่ได้บริหารเงินทุนนี้" in page


def test_without_a_register_figure_the_page_does_not_add_up_the_funds(client, officer, nong_mek):
    nong_mek.members = None
    nong_mek.save()
    client.force_login(officer)
    page = client.get(reverse("centers:center_detail", args=[nong_mek.pk])).content.decode()
    assert '<div class="fs-5 fw-semibold" id="center-members">—</div>' in page
    assert "กองทุนที่มีสมาชิกมากที่สุดมีสมาชิก 985 คน" in page
    assert "2,029" not in page
    assert "2029" not in page


def test_the_dashboards_and_the_center_page_agree(client, officer, national, nong_mek):
    """The engine's rows, the live recomputation and the center page give one managed capital, before and
    after a fund is moved out of it; verify_rollups finds nothing to report."""
    client.force_login(national)
    pages = (
        ("dashboards:home",),
        ("dashboards:province", CHIANG_MAI),
        ("dashboards:district", MUEANG_CHIANG_MAI),
        ("dashboards:center", nong_mek.pk),
    )

    def check(expected: Decimal) -> None:
        detail = client.get(reverse("centers:center_detail", args=[nong_mek.pk]))
        assert detail.context["managed_capital"] == expected
        for page in pages:
            response = client.get(reverse(page[0], args=page[1:]))
            assert response.context["board"].figures.values["capital"] == expected, page
        for level, code in (("nation", "TH"), ("province", CHIANG_MAI), ("district", MUEANG_CHIANG_MAI)):
            assert figures_now(level, code)["capital"] == expected, level
        listed = client.get(reverse("centers:center_list"), {"q": "หนองเม็ก"})
        assert [center.managed_capital for center in listed.context["page"].object_list] == [expected]
        call_command("verify_rollups", "--quiet")

    check(HANDBOOK_CAPITAL)
    rice = MemberFund.objects.get(fund_type=FundType.RICE_BANK)
    rice.in_managed_capital = False
    fund_save(user=officer, fund=rice)
    check(Decimal("8693115.00"))


def test_a_fund_that_holds_money_can_be_left_out_from_the_form(client, officer, nong_mek):
    fund = MemberFund.objects.get(fund_type=FundType.SAVINGS_GROUP)
    client.force_login(officer)
    data = {
        "fund_type": fund.fund_type, "name": fund.name, "funds_in_row": "1", "is_core": "on",
        "holds_money": "on", "in_managed_capital": "", "capital_note": "กองทุนทำบัญชีของตนเอง",
        "capital": "8693115.00", "members": "985",
    }  # fmt: skip
    response = client.post(reverse("centers:fund_edit", args=[nong_mek.pk, fund.pk]), data)
    assert response.status_code == 302
    fund.refresh_from_db()
    assert (fund.holds_money, fund.in_managed_capital, fund.capital) == (True, False, Decimal("8693115.00"))
    page = client.get(reverse("centers:center_detail", args=[nong_mek.pk])).content.decode()
    assert "กองทุนทำบัญชีของตนเอง" in page
    assert "116,808.39 บาท" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"holds_money": "", "capital": "0", "in_managed_capital": "on"}, "in_managed_capital", "ไม่มีเงินทุน"),
        ({"funds_in_row": "0"}, "funds_in_row", "อย่างน้อยหนึ่งกองทุน"),
    ],
)
def test_bad_fund_rows_are_refused_in_thai(client, officer, nong_mek, change, field, message):
    client.force_login(officer)
    data = {
        "fund_type": FundType.OTHER, "name": "กลุ่มใหม่", "funds_in_row": "3", "holds_money": "on",
        "in_managed_capital": "on", "capital": "100.00", "members": "10", **change,
    }  # fmt: skip
    response = client.post(reverse("centers:fund_create", args=[nong_mek.pk]), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not MemberFund.objects.filter(name="กลุ่มใหม่").exists()


def test_the_center_export_has_the_member_figure(client, officer, nong_mek):
    client.force_login(officer)
    sheet = load_workbook(BytesIO(client.get(reverse("centers:center_export")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if "ทุนที่ศูนย์บริหาร (บาท)" in row)
    line = rows[rows.index(header) + 1]
    assert Decimal(str(line[header.index("ทุนที่ศูนย์บริหาร (บาท)")])) == HANDBOOK_CAPITAL
    assert line[header.index("สมาชิกของศูนย์")] == 985
