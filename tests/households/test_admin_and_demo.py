"""The admin shows IDs masked and deletes no financial record. (The demo households' match with the report is
checked in tests/core/test_seed_demo.py, on the demo seeded once for that module.)"""

import pytest
from django.urls import reverse

from debts.models import DebtBalance, DebtLine
from households import national_id
from tests.debts.factories import make_debt
from tests.factories import UserFactory
from tests.households.factories import HouseholdFactory, make_national_id


@pytest.fixture
def line(db):
    return make_debt(HouseholdFactory(national_id=make_national_id(5)))


def test_admin_shows_the_national_id_masked_only(client, superuser, line):
    client.force_login(superuser)
    household = line.household
    for url in (
        reverse("admin:households_household_changelist"),
        reverse("admin:households_household_change", args=[household.pk]),
        reverse("admin:households_household_history", args=[household.pk]),
    ):
        page = client.get(url).content.decode()
        assert make_national_id(5) not in page, url
        assert household.national_id_encrypted not in page, url
        assert household.national_id_hash not in page, url
    page = client.get(reverse("admin:households_household_change", args=[household.pk])).content.decode()
    assert national_id.masked(make_national_id(5)) in page


def test_nobody_deletes_debts_or_balances_in_the_admin(client, superuser, line):
    client.force_login(superuser)
    balance = DebtBalance.objects.get(line=line)
    for url in (
        reverse("admin:debts_debtline_delete", args=[line.pk]),
        reverse("admin:debts_debtbalance_delete", args=[balance.pk]),
        reverse("admin:households_household_delete", args=[line.household_id]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert DebtLine.objects.exists()
    assert DebtBalance.objects.exists()
    response = client.post(
        reverse("admin:debts_debtline_changelist"),
        {"action": "delete_selected", "_selected_action": [line.pk]},
    )
    assert DebtLine.objects.exists()
    assert response.status_code in (200, 302)


def test_staff_above_the_district_see_no_households_in_the_admin(client, line):
    provincial_staff = UserFactory(username="province_staff", provincial=True, is_staff=True)
    client.force_login(provincial_staff)
    page = client.get(reverse("admin:households_household_changelist")).content.decode()
    assert line.household.head_name not in page
    assert (
        client.get(reverse("admin:households_household_change", args=[line.household_id])).status_code == 404
    )
