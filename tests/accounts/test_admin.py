"""The admin follows the same jurisdiction as the pages for staff who are not superusers."""

import pytest
from django.urls import reverse

from accounts.models import User
from geography.models import District
from tests.factories import CHIANG_MAI, MAE_FAEK, SAN_SAI, CenterFactory, UserFactory, VillageFactory


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


# --- the user admin: the office's district under its province ----------------------------------------------

NAKHON_RATCHASIMA = "30"


def user_add_data(**changes):
    data = {
        "username": "new_officer",
        "usable_password": "true",
        "password1": "a-long enough pass 2567",
        "password2": "a-long enough pass 2567",
        "first_name": "สมหญิง",
        "last_name": "ใจงาม",
        "email": "",
        "position_title": "นักวิชาการพัฒนาชุมชน",
        "office_level": "district",
        "province": CHIANG_MAI,
        "district": SAN_SAI,
    }
    data.update(changes)
    return data


def test_user_add_page_asks_for_first_and_last_name(client, superuser):
    client.force_login(superuser)
    form = client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    assert {"first_name", "last_name"} <= set(form.fields)


def test_user_admin_refuses_a_district_outside_the_chosen_province(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_add")
    response = client.post(url, user_add_data(province=NAKHON_RATCHASIMA, district=SAN_SAI))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "ไม่อยู่ในจังหวัดที่เลือก" in str(form.errors["district"])
    assert form["first_name"].value() == "สมหญิง"  # what was typed is kept
    assert not User.objects.filter(username="new_officer").exists()
    response = client.post(url, user_add_data())
    assert response.status_code == 302
    created = User.objects.get(username="new_officer")
    assert (created.district_id, created.first_name, created.last_name) == (SAN_SAI, "สมหญิง", "ใจงาม")


def test_user_admin_district_picker_follows_the_province(client, superuser):
    """The district select lists the chosen province's districts with the province's name, and is refilled
    by the area picker when the province changes."""
    officer = UserFactory(username="officer_x", district_id=SAN_SAI)
    client.force_login(superuser)
    response = client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    form = response.context["adminform"].form
    assert form["province"].value() == CHIANG_MAI
    districts = form.fields["district"].queryset
    assert set(districts.values_list("province_id", flat=True)) == {CHIANG_MAI}
    labels = [label for _value, label in form.fields["district"].choices]
    assert "สันทราย (เชียงใหม่)" in labels
    body = response.content.decode()
    assert 'data-area-child="id_district"' in body
    assert "js/area-picker" in body
    namesakes = District.objects.filter(name_th="เฉลิมพระเกียรติ").select_related("province")
    assert namesakes.count() == 5
    field = form.fields["district"]
    assert len({field.label_from_instance(district) for district in namesakes}) == 5
