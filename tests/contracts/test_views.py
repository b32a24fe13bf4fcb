from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract
from contracts.selectors import center_contracts_section
from tests.contracts.factories import draw_up, draw_up_two_tranches
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory, UserFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def form_data(household, fund, line, **overrides):
    data = {
        "term_months": "12",
        "first_due_on": "05/03/2567",
        f"payoff_{line.pk}": "10,000",
        f"principal_{fund.pk}": "10,000.00",
        f"rate_{fund.pk}": "6",
        f"method_{fund.pk}": "flat",
    }
    return {**data, **overrides}


@pytest.fixture
def setup(officer):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type="money_lender", balance="10000.00")
    return household, fund, line


def test_the_officer_previews_then_draws_up_a_contract(client, officer, setup, time_machine):
    time_machine.move_to(date(2024, 2, 1))
    household, fund, line = setup
    client.force_login(officer)
    url = reverse("contracts:contract_create", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert str(line) in page.content.decode()
    preview = client.post(url, {**form_data(household, fund, line), "preview": "1"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="preview-schedule"' in html
    assert "10,600.00" in html  # 10,000 + 6% flat for a year
    assert not Contract.objects.exists()
    response = client.post(url, form_data(household, fund, line))
    contract = Contract.objects.get()
    assert response.url == reverse("contracts:contract_detail", args=[contract.pk])
    detail = client.get(response.url).content.decode()
    assert "หนึ่งหมื่นบาทถ้วน" in detail
    assert contract.tranches.get().annual_rate == Decimal("6")


def test_service_errors_land_on_their_fields(client, officer, setup, time_machine):
    time_machine.move_to(date(2024, 2, 1))
    household, fund, line = setup
    client.force_login(officer)
    url = reverse("contracts:contract_create", args=[household.pk])
    response = client.post(url, form_data(household, fund, line, **{f"principal_{fund.pk}": "200000"}))
    assert response.status_code == 200
    assert "ทุน" in str(response.context["form"].errors[f"principal_{fund.pk}"])
    response = client.post(url, form_data(household, fund, line, term_months="0"))
    assert "term_months" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_the_printed_contract_is_in_thai_with_the_amount_in_words(client, officer):
    contract = draw_up(officer, principal="12345.50")
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_print", args=[contract.pk])).content.decode()
    assert "หนึ่งหมื่นสองพันสามร้อยสี่สิบห้าบาทห้าสิบสตางค์" in html
    assert contract.household.head_name in html
    assert 'lang="th"' in html


@pytest.mark.parametrize("name", ["contract_detail", "contract_print"])
def test_staff_without_personal_data_rights_get_404(client, officer, outsider, provincial, national, name):
    contract = draw_up(officer)
    url = reverse(f"contracts:{name}", args=[contract.pk])
    for user in (outsider, provincial, national):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_outsiders_cannot_draw_up_for_a_household(client, outsider, provincial, setup):
    household, fund, line = setup
    for user in (outsider, provincial):
        client.force_login(user)
        url = reverse("contracts:contract_create", args=[household.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(household, fund, line)).status_code == 404


def test_the_household_page_shows_the_contract(client, officer):
    contract = draw_up(officer)
    client.force_login(officer)
    household_page = client.get(reverse("households:household_detail", args=[contract.household.pk]))
    assert contract.number in household_page.content.decode()
    assert 'id="draw-up-contract"' not in household_page.content.decode()  # a draft is already there


def test_the_center_summary_counts_contracts_in_two_queries(officer, provincial, django_assert_num_queries):
    contract = draw_up(officer, principal="30000.00")
    draw_up(officer, household=HouseholdFactory(center=contract.center))
    Contract.objects.filter(pk=contract.pk).update(status="active", signed_on=date(2024, 2, 1))
    with django_assert_num_queries(2):  # the totals, and whether the user may open the center's sheets
        section = center_contracts_section(contract.center, officer)
    assert [count for _label, count in section["counts"]] == [
        1,
        1,
        0,
        0,
        0,
    ]  # draft, active, closed, restructured, cancelled
    assert section["active_principal"] == Decimal("30000.00")
    assert "head_name" not in str(section)
    assert section["can_open"]
    assert not center_contracts_section(contract.center, provincial)["can_open"]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_costs_the_same_queries_at_5_and_50_rows(
    client, officer, rows, django_assert_max_num_queries
):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("10000000"))
    for _ in range(rows):
        draw_up(officer, household=HouseholdFactory(center=household.center), fund=fund)
    client.force_login(officer)
    with django_assert_max_num_queries(6):  # no query per row: the principal is summed in the list's query
        response = client.get(reverse("contracts:contract_list"))
    assert response.status_code == 200


def test_the_list_shows_nothing_to_staff_above_the_district(client, officer, provincial):
    contract = draw_up(officer)
    client.force_login(provincial)
    assert contract.household.head_name not in client.get(reverse("contracts:contract_list")).content.decode()


def test_the_contracts_menu_item_shows_only_to_those_who_see_contracts(
    client, officer, provincial, national, superuser
):
    for user, shown in ((officer, True), (superuser, True), (provincial, False), (national, False)):
        client.force_login(user)
        html = client.get(reverse("core:home")).content.decode()
        assert ('id="nav-contracts"' in html) is shown, user
        assert ('id="nav-contracts"' in client.get(reverse("centers:center_list")).content.decode()) is shown
    client.logout()
    assert 'id="nav-contracts"' not in client.get(reverse("accounts:login")).content.decode()


def test_may_edit_is_read_with_the_contract(officer, outsider, provincial, national, superuser):
    contract = draw_up(officer)
    inactive = UserFactory(username="officer_gone", is_active=False)
    expected = {
        officer: True,
        superuser: True,
        outsider: False,
        provincial: False,
        national: False,
        inactive: False,
    }
    for user, may_edit in expected.items():
        assert Contract.objects.with_user_may_edit(user).get(pk=contract.pk).user_may_edit is may_edit


def test_the_list_shows_the_principal_of_every_tranche(client, officer):
    household = HouseholdFactory()
    line = make_debt(household, creditor_type="money_lender", balance="1000.00")
    contract = draw_up_two_tranches(
        officer, household, line, flat="8000.25", declining="4000.50", payoff="1000.00"
    )
    assert Contract.objects.with_principal().get(pk=contract.pk).principal_total == contract.principal
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_list")).content.decode()
    assert '<td class="money" data-label="เงินต้น">12,000.75 บาท</td>' in html


def test_the_list_filters_by_status_with_django_filter(client, officer):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("10000000"))
    draft, active = (
        draw_up(officer, household=HouseholdFactory(center=household.center), fund=fund) for _ in "ab"
    )
    Contract.objects.filter(pk=active.pk).update(status=Contract.Status.ACTIVE, signed_on=date(2024, 1, 5))
    client.force_login(officer)
    url = reverse("contracts:contract_list")

    def listed(query: str) -> set[int]:
        response = client.get(url + query)
        assert response.status_code == 200
        return {contract.pk for contract in response.context["page"]}

    assert listed("?status=active") == {active.pk}
    assert listed("?status=draft") == {draft.pk}
    assert listed("") == listed("?status=") == {draft.pk, active.pk}
    assert listed("?status=nonsense") == set()  # never a wider list than asked for (core.filters)
    response = client.get(url + "?status=active")
    assert response.context["filter"].form.cleaned_data["status"] == "active"  # a django-filter FilterSet
    assert response.context["query_string"] == "status=active"  # kept by the page links
    assert 'value="active" selected' in response.content.decode()
