"""The admin follows the same jurisdiction as the pages for staff who are not superusers."""

import pytest
from django.urls import reverse

from tests.factories import MAE_FAEK, CenterFactory, UserFactory, VillageFactory


@pytest.fixture
def staff_officer(db):
    return UserFactory(username="staff_a", is_staff=True)


@pytest.fixture
def staff_provincial(db):
    return UserFactory(username="staff_p", is_staff=True, provincial=True)


@pytest.fixture
def villages(db):
    return VillageFactory(moo=1, name="บ้านในเขต"), VillageFactory(
        subdistrict_id=MAE_FAEK, moo=1, name="บ้านนอกเขต"
    )


def test_changelist_shows_only_own_district(client, staff_officer, villages):
    client.force_login(staff_officer)
    body = client.get(reverse("admin:geography_village_changelist")).content.decode()
    assert "บ้านในเขต" in body
    assert "บ้านนอกเขต" not in body


def test_foreign_object_is_not_found_in_admin(client, staff_officer, villages):
    client.force_login(staff_officer)
    foreign = villages[1]
    response = client.get(reverse("admin:geography_village_change", args=[foreign.pk]))
    assert response.status_code == 404
    assert client.get(reverse("admin:geography_village_change", args=[999999])).status_code == 404
    center = CenterFactory(village=foreign)
    assert client.get(reverse("admin:centers_center_change", args=[center.pk])).status_code == 404


def test_foreign_history_is_not_found_in_admin(client, staff_officer, villages):
    """simple-history falls back to the historical rows, which are not scoped: not here."""
    own = CenterFactory(village=villages[0], name="ศูนย์ในเขต")
    foreign = CenterFactory(village=villages[1], name="ศูนย์นอกเขตลับ")
    client.force_login(staff_officer)
    response = client.get(reverse("admin:centers_center_history", args=[own.pk]))
    assert response.status_code == 200
    assert "ศูนย์ในเขต" in response.content.decode()
    response = client.get(reverse("admin:centers_center_history", args=[foreign.pk]))
    assert response.status_code == 404
    version = foreign.history.first().history_id
    response = client.get(reverse("admin:centers_center_simple_history", args=[foreign.pk, version]))
    assert response.status_code == 404
    assert "ศูนย์นอกเขตลับ" not in response.content.decode()


def test_admin_offers_only_own_subdistricts_and_villages(client, staff_officer, villages):
    client.force_login(staff_officer)
    form = client.get(reverse("admin:geography_village_add")).context["adminform"].form
    assert set(form.fields["subdistrict"].queryset.values_list("district_id", flat=True)) == {"5001"}
    form = client.get(reverse("admin:centers_center_add")).context["adminform"].form
    assert list(form.fields["village"].queryset) == [villages[0]]


def test_provincial_staff_read_but_do_not_change_in_admin(client, staff_provincial, villages):
    client.force_login(staff_provincial)
    body = client.get(reverse("admin:geography_village_changelist")).content.decode()
    assert "บ้านในเขต" in body
    assert "บ้านนอกเขต" in body
    assert client.get(reverse("admin:geography_village_add")).status_code == 403
    response = client.post(reverse("admin:geography_village_change", args=[villages[0].pk]), {"name": "x"})
    assert response.status_code == 403


def test_nobody_deletes_records_and_only_superusers_manage_accounts(
    client, staff_officer, superuser, villages
):
    center = CenterFactory(village=villages[0])
    for user in (staff_officer, superuser):
        client.force_login(user)
        assert client.get(reverse("admin:geography_village_delete", args=[villages[0].pk])).status_code == 403
        assert (
            client.post(reverse("admin:centers_center_delete", args=[center.pk]), {"post": "yes"}).status_code
            == 403
        )
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    client.force_login(staff_officer)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_admin_edit_is_recorded_in_history(client, staff_officer, villages):
    client.force_login(staff_officer)
    village = villages[0]
    response = client.post(
        reverse("admin:geography_village_change", args=[village.pk]),
        {"subdistrict": village.subdistrict_id, "moo": "5", "name": "บ้านแก้ชื่อ"},
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert (village.name, village.code) == ("บ้านแก้ชื่อ", "50011205")
    latest = village.history.first()
    assert (latest.name, latest.history_user) == ("บ้านแก้ชื่อ", staff_officer)
