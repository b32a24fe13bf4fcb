"""The household pages: 404 for anyone who may not see the household's personal data, registration in Thai,
masked IDs, the logged reveal, and no ID in any URL or log line."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.thai import arabic_digits_to_thai, thai_digits_to_arabic
from debts.models import DebtLine
from households import national_id
from households.models import BudgetStatement, Household, PersonalDataLog
from tests.debts.factories import make_debt
from tests.factories import CenterFactory
from tests.households.factories import HouseholdFactory, make_national_id


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์ทดสอบ")


@pytest.fixture
def household(center):
    household = HouseholdFactory(center=center, head_name="นางบัวคำ ใจปิง", national_id=make_national_id(42))
    make_debt(household)
    return household


def body(response) -> str:
    return response.content.decode()


def household_urls(household):
    """Every URL that names one household (GET and POST), from this app and from debts."""
    line = household.debt_lines.first()
    budget = BudgetStatement.objects.create(household=household, as_of=date(2024, 1, 15))
    return [
        reverse("households:household_detail", args=[household.pk]),
        reverse("households:household_edit", args=[household.pk]),
        reverse("households:household_status", args=[household.pk]),
        reverse("households:budget_create", args=[household.pk]),
        reverse("households:budget_edit", args=[household.pk, budget.pk]),
        reverse("debts:debtline_create", args=[household.pk]),
        reverse("debts:debtline_edit", args=[household.pk, line.pk]),
        reverse("debts:balance_create", args=[household.pk, line.pk]),
    ]


def test_outsiders_and_staff_above_the_district_get_404_on_every_household_url(
    client, outsider, other_province, provincial, national, household
):
    urls = household_urls(household)
    reveal = reverse("households:household_reveal_id", args=[household.pk])
    for user in (outsider, other_province, provincial, national):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        for url in urls[1:]:  # the household page answers GET only
            assert client.post(url, {"head_name": "x", "balance": "1"}).status_code == 404, (user, url)
        assert client.post(reveal).status_code == 404
    assert not PersonalDataLog.objects.exists()
    assert Household.objects.get(pk=household.pk).head_name == "นางบัวคำ ใจปิง"
    assert DebtLine.objects.get().current_balance == Decimal("10000.00")


def test_the_officer_and_the_admin_open_every_household_url(client, officer, superuser, household):
    urls = household_urls(household)
    for user in (officer, superuser):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(client, household):
    response = client.get(reverse("households:household_detail", args=[household.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_page_shows_the_id_masked_and_never_in_full(client, officer, household):
    client.force_login(officer)
    page = body(client.get(reverse("households:household_detail", args=[household.pk])))
    assert national_id.masked(make_national_id(42)) in page
    assert make_national_id(42) not in page
    assert national_id.formatted(make_national_id(42)) not in page
    assert "นางบัวคำ ใจปิง" in page


def test_reveal_is_a_logged_post(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household_reveal_id", args=[household.pk])
    assert client.get(url).status_code == 405
    assert not PersonalDataLog.objects.exists()
    response = client.post(url)
    assert national_id.formatted(make_national_id(42)) in body(response)
    assert "no-store" in response["Cache-Control"]
    log = PersonalDataLog.objects.get()
    assert (log.user, log.action, log.household) == (officer, "reveal", household)
    fragment = client.post(url, headers={"HX-Request": "true"})
    assert body(fragment).lstrip().startswith('<span id="national-id">')
    assert PersonalDataLog.objects.count() == 2  # each reveal is logged


def register_post(**overrides):
    data = {
        "village": "",
        "house_number": "99/9",
        "head_name": "นายทองสุข คำมา",
        "national_id": national_id.formatted(make_national_id(77)),
        "phone": "0812345678",
        "members": "5",
        "occupations": "ทำนา",
        "privacy_notice_version": "1",
        "surveyed_by": "นางสำรวจ ดี",
        "surveyed_on": "15/01/2567",
    }
    return {**data, **overrides}


def test_register_a_household_with_a_thai_digit_id(client, officer, center, caplog):
    client.force_login(officer)
    url = reverse("households:household_create") + f"?center={center.pk}"
    typed = arabic_digits_to_thai(national_id.formatted(make_national_id(77)))
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, register_post(village=str(center.village_id), national_id=typed))
    household = Household.objects.get()
    assert response.url == reverse("households:household_detail", args=[household.pk])
    assert household.national_id_hash == national_id.keyed_hash(make_national_id(77))
    assert (household.surveyed_on, household.members, household.status) == (date(2024, 1, 15), 5, "surveyed")
    assert make_national_id(77) not in response.url
    assert make_national_id(77) not in caplog.text
    assert household.history.get().history_user == officer


def test_one_center_in_the_district_is_chosen_for_the_officer(client, officer, center, settings):
    client.force_login(officer)
    response = client.get(reverse("households:household_create"))
    assert response.context["center"] == center
    form = response.context["form"]
    assert form["privacy_notice_version"].value() == settings.PRIVACY_NOTICE_VERSION
    assert form["village"].value() == center.village_id
    CenterFactory()
    response = client.get(reverse("households:household_create"))
    assert "households/household_choose_center.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"national_id": "1-1037-02071-81-2"}, "national_id", "เลขตรวจสอบ"),
        ({"national_id": "12345"}, "national_id", "13 หลัก"),
        ({"members": "0"}, "members", "อย่างน้อยหนึ่งคน"),
        ({"surveyed_on": "15/01/2024"}, "surveyed_on", "ปี ค.ศ."),
        ({"head_name": ""}, "head_name", "ฟิลด์นี้จำเป็น"),
        ({"house_number": "1" * 21}, "house_number", "ต้องไม่เกิน 20 ตัวอักษร (ตอนนี้มี 21 ตัวอักษร)"),
        ({"phone": "โทรหาลูกสาว"}, "phone", "ตัวเลข ช่องว่าง ขีด (-) และเครื่องหมาย + เท่านั้น"),
        ({"phone": "081<script>"}, "phone", "ตัวเลข ช่องว่าง ขีด (-) และเครื่องหมาย + เท่านั้น"),
    ],
)
def test_bad_registration_is_refused_in_thai(client, officer, center, overrides, field, message):
    client.force_login(officer)
    url = reverse("households:household_create") + f"?center={center.pk}"
    response = client.post(url, register_post(village=str(center.village_id), **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in body(response)
    assert not Household.objects.exists()


@pytest.mark.parametrize("phone", ["081-234-5678", "+66 81 234 5678", "๐๘๑๒๓๔๕๖๗๘", ""])
def test_phone_numbers_as_people_write_them_are_accepted(client, officer, center, phone):
    client.force_login(officer)
    url = reverse("households:household_create") + f"?center={center.pk}"
    response = client.post(url, register_post(village=str(center.village_id), phone=phone))
    assert response.status_code == 302, response.context["form"].errors
    assert Household.objects.get().phone == thai_digits_to_arabic(phone)


def test_duplicate_id_in_the_center_is_refused(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household_create") + f"?center={household.center_id}"
    data = register_post(village=str(household.village_id), national_id=make_national_id(42))
    response = client.post(url, data)
    assert "ลงทะเบียนในศูนย์นี้แล้ว" in body(response)
    assert Household.objects.count() == 1


def test_edit_keeps_the_id_when_left_empty_and_never_shows_it(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household_edit", args=[household.pk])
    page = body(client.get(url))
    assert make_national_id(42) not in page
    assert national_id.masked(make_national_id(42)) in page
    data = register_post(village=str(household.village_id), national_id="", head_name="นางบัวคำ ใจปิงใหม่")
    assert client.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.head_name == "นางบัวคำ ใจปิงใหม่"
    assert household.national_id_hash == national_id.keyed_hash(make_national_id(42))


def test_find_by_id_is_a_post_within_the_users_scope(client, officer, outsider, household):
    client.force_login(officer)
    url = reverse("households:household_find")
    assert client.get(url).status_code == 405
    response = client.post(url, {"national_id": national_id.formatted(make_national_id(42))})
    assert response.url == reverse("households:household_detail", args=[household.pk])
    client.force_login(outsider)
    response = client.post(url, {"national_id": make_national_id(42)})
    assert response.status_code == 200
    assert "ไม่พบครัวเรือน" in body(response)


def test_budget_statement_and_surplus(client, officer, household):
    client.force_login(officer)
    data = {
        "as_of": "01/02/2567", "income_farming": "6,000", "income_wages": "4000", "expense_food": "3500",
        "expense_housing": "1000", "expense_debt": "2500", "note": "",
    }  # fmt: skip
    response = client.post(reverse("households:budget_create", args=[household.pk]), data)
    assert response.status_code == 302
    statement = BudgetStatement.objects.get()
    assert (statement.total_income, statement.surplus, statement.surplus_before_debt) == (
        Decimal("10000.00"), Decimal("3000.00"), Decimal("5500.00"),
    )  # fmt: skip
    page = body(client.get(reverse("households:household_detail", args=[household.pk])))
    assert "3,000.00 บาท" in page
    assert "5,500.00 บาท" in page
    response = client.post(
        reverse("households:budget_create", args=[household.pk]), {**data, "expense_food": "-1"}
    )
    assert "จำนวนเงินต้องไม่ติดลบ" in body(response)


def test_status_change_from_the_page(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household_status", args=[household.pk])
    response = client.post(url, {"to_status": "enrolled", "changed_on": "01/02/2567"})
    assert response.status_code == 200  # not a choice from "surveyed"
    assert "to_status" in response.context["form"].errors
    response = client.post(url, {"to_status": "target", "changed_on": "01/02/2567", "note": "มีหนี้นอกระบบ"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.status, household.status_since) == ("target", date(2024, 2, 1))
    page = body(client.get(reverse("households:household_detail", args=[household.pk])))
    assert "มีหนี้นอกระบบ" in page


def test_no_national_id_in_any_url_of_the_pages(client, officer, household):
    client.force_login(officer)
    page = body(client.get(reverse("households:household_detail", args=[household.pk])))
    listing = body(client.get(reverse("debts:household_list")))
    for text in (page, listing):
        assert make_national_id(42) not in text
        assert national_id.keyed_hash(make_national_id(42)) not in text


def test_household_page_query_count_is_bounded(client, officer, household, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("households:household_detail", args=[household.pk])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for index in range(20):
        make_debt(
            household, creditor_type="money_lender", rate="10", unit="month", creditor_name=f"นายทุน {index}"
        )
        BudgetStatement.objects.create(household=household, as_of=date(2023, 1, 1 + index))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("center", ["abc", "9" * 40, "-1"])
def test_an_impossible_center_in_the_address_is_404(client, officer, center):
    client.force_login(officer)
    assert client.get(reverse("households:household_create"), {"center": center}).status_code == 404
