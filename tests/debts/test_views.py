"""The household list, its export, the debt pages and the center summary: names only where allowed."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from debts.models import DebtLine
from households import national_id
from households.models import PersonalDataLog
from tests.debts.factories import make_debt
from tests.factories import MAE_FAEK, CenterFactory, VillageFactory
from tests.households.factories import HouseholdFactory, make_national_id


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์เมือง")


@pytest.fixture
def registry(center):
    """Two households in district A with formal, community and informal debts; one in district B."""
    first = HouseholdFactory(
        center=center, head_name="นางบัวคำ ใจปิง", status="enrolled", national_id=make_national_id(1)
    )
    make_debt(first, creditor_type="baac", balance="50000.00")
    make_debt(first, creditor_type="money_lender", balance="12000.50", rate="20", unit="month")
    second = HouseholdFactory(center=center, head_name="นายทองสุข คำมา", national_id=make_national_id(2))
    make_debt(second, creditor_type="village_fund", balance="8000.00", rate="6")
    make_debt(second, creditor_type="relatives", balance="0.00", rate=None)
    far_center = CenterFactory(name="ศูนย์สันทราย", village=VillageFactory(subdistrict_id=MAE_FAEK, moo=4))
    far = HouseholdFactory(center=far_center, head_name="นางต่างถิ่น ไกลบ้าน", national_id=make_national_id(3))
    make_debt(far, creditor_type="shop_credit", balance="3000.00", rate=None)
    return first, second, far


def test_officer_sees_names_and_totals_by_sector_of_the_district(client, officer, registry):
    client.force_login(officer)
    response = client.get(reverse("debts:household_list"))
    page = body(response)
    assert "นางบัวคำ ใจปิง" in page
    assert "นายทองสุข คำมา" in page
    assert "นางต่างถิ่น ไกลบ้าน" not in page
    totals = {sector.value: amount for sector, amount in response.context["totals"]["by_sector"]}
    assert totals == {
        "formal": Decimal("50000.00"),
        "community": Decimal("8000.00"),
        "informal": Decimal("12000.50"),
    }
    assert response.context["totals"]["total"] == Decimal("70000.50")
    first = next(h for h in response.context["page"] if h.head_name == "นางบัวคำ ใจปิง")
    assert (first.debt_formal, first.debt_informal, first.debt_total, first.flagged_lines) == (
        Decimal("50000.00"), Decimal("12000.50"), Decimal("62000.50"), 1,
    )  # fmt: skip


@pytest.mark.parametrize("user_fixture", ["provincial", "national"])
def test_staff_above_the_district_see_counts_and_totals_not_names(request, client, user_fixture, registry):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse("debts:household_list"))
    page = body(response)
    for name in ("นางบัวคำ ใจปิง", "นายทองสุข คำมา", "นางต่างถิ่น ไกลบ้าน"):
        assert name not in page
    rows = {row["center__name"]: row for row in response.context["page"]}
    assert set(rows) == {"ศูนย์เมือง", "ศูนย์สันทราย"}
    assert (
        rows["ศูนย์เมือง"]["n_households"],
        rows["ศูนย์เมือง"]["n_enrolled"],
        rows["ศูนย์เมือง"]["n_surveyed"],
    ) == (2, 1, 1)
    assert rows["ศูนย์เมือง"]["debt_total"] == Decimal("70000.50")
    assert response.context["totals"]["total"] == Decimal("73000.50")
    assert "q" not in response.context["filter"].form.fields  # no search by name


def test_other_province_sees_nothing(client, other_province, registry):
    client.force_login(other_province)
    response = client.get(reverse("debts:household_list"))
    assert response.context["page"].paginator.count == 0
    assert response.context["totals"]["total"] == Decimal("0")


def test_filters(client, officer, registry, center):
    first, second, _far = registry
    client.force_login(officer)

    def names(**params):
        response = client.get(reverse("debts:household_list"), params)
        return {household.head_name for household in response.context["page"]}

    assert names() == {first.head_name, second.head_name}
    assert names(status="enrolled") == {first.head_name}
    assert names(sector="informal") == {first.head_name}
    assert names(sector="community") == {second.head_name}
    assert names(informal="yes") == {first.head_name}
    assert names(informal="no") == {second.head_name}
    assert names(debt_free="no") == {first.head_name, second.head_name}
    assert names(center=str(center.pk)) == {first.head_name, second.head_name}
    assert names(q="ทองสุข") == {second.head_name}
    DebtLine.objects.filter(household=second).update(
        current_balance=0, status="paid_off", closed_on=date(2024, 2, 1)
    )
    assert names(debt_free="yes") == {second.head_name}


@pytest.mark.parametrize("size", [5, 50])
def test_officer_list_query_count_is_the_same_for_5_and_50_households(
    client, officer, center, size, django_assert_num_queries
):
    for index in range(size):
        household = HouseholdFactory(center=center, national_id=make_national_id(100 + index))
        make_debt(household, creditor_type="baac")
        make_debt(household, creditor_type="money_lender", rate="10", unit="month")
    client.force_login(officer)
    with django_assert_num_queries(OFFICER_LIST_QUERIES):
        response = client.get(reverse("debts:household_list"), {"sector": "informal"})
    assert response.context["page"].paginator.count == size


# session, user with its office area (navigation), count, page rows with debt by sector, totals by sector,
# province choices, center choices (district choices stay empty until a province is chosen)
OFFICER_LIST_QUERIES = 7


@pytest.mark.parametrize("size", [5, 50])
def test_aggregated_list_query_count_is_the_same_for_5_and_50_centers(
    client, provincial, size, django_assert_num_queries
):
    for index in range(size):
        center = CenterFactory(village=VillageFactory(subdistrict_id=MAE_FAEK if index % 2 else "500112"))
        household = HouseholdFactory(center=center, national_id=make_national_id(200 + index))
        make_debt(household)
    client.force_login(provincial)
    with django_assert_num_queries(AGGREGATED_LIST_QUERIES):
        response = client.get(reverse("debts:household_list"))
    assert response.context["page"].paginator.count == size


# session, user with its office area, count, page of per-center rows, those centers with their areas,
# totals by sector, province choices (district and center choices stay empty until a province and district
# are chosen)
AGGREGATED_LIST_QUERIES = 7


def sheet_rows(response):
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))


def test_officer_export_has_names_masked_ids_and_is_logged(client, officer, registry):
    client.force_login(officer)
    response = client.get(reverse("debts:household_export"), {"status": "enrolled"})
    header, *rows = sheet_rows(response)
    assert len(rows) == 1
    record = dict(zip(header, rows[0], strict=True))
    assert record["หัวหน้าครัวเรือน"] == "นางบัวคำ ใจปิง"
    assert record["เลขประจำตัวประชาชน (ปิดบัง)"] == national_id.masked(make_national_id(1))
    assert record["ยอดหนี้ตามทะเบียนหนี้สิน (บาท)"] == 62000.5
    assert make_national_id(1) not in str(rows)
    log = PersonalDataLog.objects.get()
    assert (log.user, log.action, log.row_count, log.district_id) == (officer, "export", 1, "5001")
    assert "status=enrolled" in log.what


def test_outsider_export_holds_no_foreign_household(client, outsider, registry):
    client.force_login(outsider)
    header, *rows = sheet_rows(client.get(reverse("debts:household_export")))
    assert [row[header.index("หัวหน้าครัวเรือน")] for row in rows] == ["นางต่างถิ่น ไกลบ้าน"]


def test_provincial_export_is_per_center_without_names_and_not_logged(client, provincial, registry):
    client.force_login(provincial)
    header, *rows = sheet_rows(client.get(reverse("debts:household_export")))
    assert "หัวหน้าครัวเรือน" not in header
    assert {row[0] for row in rows} == {"ศูนย์เมือง", "ศูนย์สันทราย"}
    assert "นางบัวคำ" not in str(rows)
    assert not PersonalDataLog.objects.exists()


def test_center_options_follow_the_district(client, provincial, registry):
    client.force_login(provincial)
    page = body(client.get(reverse("debts:center_options"), {"district": "5014"}))
    assert "ศูนย์สันทราย" in page
    assert "ศูนย์เมือง" not in page


def render_center_summary(user, center, client=None):
    """The households section of the center page, as the user sees it."""
    if client is None:
        client = Client()
        client.force_login(user)
    html = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
    return html[html.index('id="center-households"') :]


def test_center_summary_names_only_for_the_district_officer(officer, provincial, registry, center):
    html = render_center_summary(officer, center)
    assert "นางบัวคำ ใจปิง" in html
    assert "70,000.50" in html
    html = render_center_summary(provincial, center)
    assert "นางบัวคำ ใจปิง" not in html
    assert "70,000.50" in html


def test_center_summary_query_count_is_bounded(client, officer, center, django_assert_max_num_queries):
    client.force_login(officer)
    make_debt(HouseholdFactory(center=center, national_id=make_national_id(299)))
    with django_assert_max_num_queries(45) as few:
        render_center_summary(officer, center, client)
    for index in range(30):
        make_debt(HouseholdFactory(center=center, national_id=make_national_id(300 + index)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        render_center_summary(officer, center, client)


# --- debt pages --------------------------------------------------------------------------------------


@pytest.fixture
def household(center):
    return HouseholdFactory(center=center, national_id=make_national_id(9))


def debt_post(**overrides):
    data = {
        "creditor_type": "money_lender", "creditor_name": "นายทุน", "original_amount": "๒๐,๐๐๐",
        "balance": "15,000.50", "as_of": "15/01/2567", "interest_rate": "20", "rate_unit": "month",
        "instalment": "100", "instalment_frequency": "daily", "started_on": "", "purpose": "ค่าเทอม",
        "collateral": "",
    }  # fmt: skip
    return {**data, **overrides}


def test_add_a_debt_in_thai_digits_and_see_it_flagged(client, officer, household):
    client.force_login(officer)
    response = client.post(reverse("debts:debtline_create", args=[household.pk]), debt_post())
    assert response.status_code == 302
    line = DebtLine.objects.get()
    assert (line.original_amount, line.current_balance, line.annual_rate) == (
        Decimal("20000.00"), Decimal("15000.50"), Decimal("240.000"),
    )  # fmt: skip
    page = body(client.get(reverse("households:household_detail", args=[household.pk])))
    assert "เกินเพดานตามกฎหมาย" in page
    assert "15,000.50" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rate_unit": ""}, "rate_unit", "ต่อปี ต่อเดือน หรือต่อวัน"),
        ({"original_amount": "-5"}, "original_amount", "จำนวนเงินต้องไม่ติดลบ"),
        ({"balance": "-1"}, "balance", "จำนวนเงินต้องไม่ติดลบ"),
        ({"interest_rate": "-1"}, "interest_rate", "อัตราดอกเบี้ยต้องไม่ติดลบ"),
        ({"balance": "90,000"}, "balance", "ติ๊กช่องยืนยัน"),
        ({"creditor_type": ""}, "creditor_type", "ฟิลด์นี้จำเป็น"),
        ({"instalment_frequency": ""}, "instalment_frequency", "บ่อยเพียงใด"),
    ],
)
def test_bad_debt_input_is_refused_in_thai(client, officer, household, overrides, field, message):
    client.force_login(officer)
    response = client.post(reverse("debts:debtline_create", args=[household.pk]), debt_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in body(response)
    assert not DebtLine.objects.exists()


def test_a_large_balance_is_accepted_once_confirmed(client, officer, household):
    client.force_login(officer)
    data = debt_post(balance="90,000", confirm_large_balance="on")
    assert client.post(reverse("debts:debtline_create", args=[household.pk]), data).status_code == 302


def test_update_a_balance_from_the_page(client, officer, household):
    line = make_debt(household, balance="10000")
    client.force_login(officer)
    url = reverse("debts:balance_create", args=[household.pk, line.pk])
    response = client.post(url, {"as_of": "01/03/2567", "balance": "0", "note": "ศูนย์ชำระแทน"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.status, line.current_balance, line.balances.count()) == ("paid_off", Decimal("0.00"), 2)
    response = client.post(url, {"as_of": "02/03/2567", "balance": "5"})
    assert "ปิดแล้ว" in body(response)


def test_a_line_of_another_household_is_404(client, officer, household, center):
    other = make_debt(HouseholdFactory(center=center, national_id=make_national_id(10)))
    client.force_login(officer)
    assert client.get(reverse("debts:balance_create", args=[household.pk, other.pk])).status_code == 404
    assert client.get(reverse("debts:debtline_edit", args=[household.pk, other.pk])).status_code == 404


def test_administrator_export_of_one_center_holds_that_center_and_logs_the_applied_filters(
    client, superuser, registry
):
    far_center = registry[2].center
    client.force_login(superuser)
    response = client.get(reverse("debts:household_export"), {"center": far_center.pk})
    header, *rows = sheet_rows(response)
    assert [row[header.index("หัวหน้าครัวเรือน")] for row in rows] == ["นางต่างถิ่น ไกลบ้าน"]
    log = PersonalDataLog.objects.get()
    assert log.row_count == 1
    assert f"center=ศูนย์สันทราย (#{far_center.pk})" in log.what
    assert log.district_id == "5014"
    # the list shows the same households
    names = [
        h.head_name
        for h in client.get(reverse("debts:household_list"), {"center": far_center.pk}).context["page"]
    ]
    assert names == ["นางต่างถิ่น ไกลบ้าน"]


def test_an_export_with_a_filter_it_cannot_apply_is_refused_not_widened(client, officer, registry):
    client.force_login(officer)
    response = client.get(reverse("debts:household_export"), {"status": "no-such-status"})
    assert response.status_code == 400
    assert "ตัวกรอง" in body(response)
    assert not PersonalDataLog.objects.exists()


def test_the_export_log_names_only_the_filters_applied(client, officer, registry):
    client.force_login(officer)
    client.get(reverse("debts:household_export"), {"status": "enrolled", "unknown": "x", "q": "บัวคำ"})
    log = PersonalDataLog.objects.get()
    assert "unknown" not in log.what
    assert "บัวคำ" not in log.what  # the text searched may name a person
    assert "q=…" in log.what


@pytest.mark.parametrize("typed", ["²", "99999999999999999999999", "-1"])
def test_a_center_filter_that_is_no_number_is_a_filter_error_not_a_crash(client, superuser, registry, typed):
    client.force_login(superuser)
    assert client.get(reverse("debts:household_list"), {"center": typed}).status_code == 200
    assert client.get(reverse("debts:household_export"), {"center": typed}).status_code == 400
