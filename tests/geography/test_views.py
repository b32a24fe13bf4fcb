import pytest
from django.urls import reverse

from geography.models import Village
from tests.factories import MAE_FAEK, SAN_SAI, THA_SALA, VillageFactory


@pytest.fixture
def village(db):
    return VillageFactory(subdistrict_id=THA_SALA, moo=3, name="บ้านทดสอบ")


def test_officer_adds_a_village_in_own_district(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("geography:village_create"),
        {"province": "50", "district": "5001", "subdistrict": THA_SALA, "moo": "7", "name": "บ้านใหม่"},
    )
    assert response.status_code == 302
    village = Village.objects.get(name="บ้านใหม่")
    assert village.code == "50011207"
    assert village.history.count() == 1
    assert village.history.first().history_user == officer


def test_duplicate_moo_in_subdistrict_is_refused_and_keeps_input(client, officer, village):
    client.force_login(officer)
    response = client.post(
        reverse("geography:village_create"),
        {"province": "50", "district": "5001", "subdistrict": THA_SALA, "moo": "3", "name": "บ้านซ้ำ"},
    )
    assert response.status_code == 200
    assert "หมู่ที่นี้" in response.content.decode()  # Thai message about the duplicate moo
    assert 'value="บ้านซ้ำ"' in response.content.decode()
    assert Village.objects.count() == 1


def test_officer_cannot_add_a_village_in_another_district(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("geography:village_create"),
        {"province": "50", "district": SAN_SAI, "subdistrict": MAE_FAEK, "moo": "2", "name": "บ้านนอกเขต"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["district"]
    assert not Village.objects.exists()


def test_district_picker_must_match_province(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("geography:village_create"),
        {"province": "52", "district": "5001", "subdistrict": THA_SALA, "moo": "2", "name": "บ้านไม่ตรง"},
    )
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert not Village.objects.exists()


@pytest.mark.parametrize("moo", ["0", "100", "abc"])
def test_moo_out_of_range_is_refused(client, officer, moo):
    client.force_login(officer)
    response = client.post(
        reverse("geography:village_create"),
        {"province": "50", "district": "5001", "subdistrict": THA_SALA, "moo": moo, "name": "บ้าน"},
    )
    assert response.context["form"].errors["moo"]
    assert not Village.objects.exists()


def test_outsider_gets_404_on_village_edit(client, outsider, village):
    client.force_login(outsider)
    assert client.get(reverse("geography:village_edit", args=[village.pk])).status_code == 404
    assert client.post(reverse("geography:village_edit", args=[village.pk]), {"name": "x"}).status_code == 404


def test_provincial_staff_see_but_cannot_edit(client, provincial, village):
    client.force_login(provincial)
    assert village.name in client.get(reverse("geography:village_list")).content.decode()
    assert client.get(reverse("geography:village_edit", args=[village.pk])).status_code == 403
    assert client.get(reverse("geography:village_create")).status_code == 403


def test_village_list_shows_only_own_district(client, outsider, village):
    VillageFactory(subdistrict_id=MAE_FAEK, moo=1, name="บ้านสันทราย")
    client.force_login(outsider)
    body = client.get(reverse("geography:village_list")).content.decode()
    assert "บ้านสันทราย" in body
    assert village.name not in body


def test_village_list_query_count_is_bounded(client, provincial, django_assert_max_num_queries):
    client.force_login(provincial)
    VillageFactory.create_batch(5)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("geography:village_list"))
    VillageFactory.create_batch(45, subdistrict_id=MAE_FAEK)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("geography:village_list"))


def test_area_options_list_only_children(client, officer):
    client.force_login(officer)
    body = client.get(reverse("geography:area_options", args=["subdistrict"]), {"district": "5001"}).content
    body = body.decode()
    assert 'value="500112"' in body  # Tha Sala
    assert 'value="501409"' not in body  # Mae Faek is in San Sai
    assert body.count("<option") == 17  # 16 subdistricts of Mueang Chiang Mai + the empty choice


def test_district_officer_is_offered_only_own_district(client, officer):
    client.force_login(officer)
    body = client.get(
        reverse("geography:area_options", args=["district"]), {"province": "50"}
    ).content.decode()
    assert 'value="5001"' in body
    assert 'value="5014"' not in body


def test_unknown_area_code_is_404(client, officer):
    client.force_login(officer)
    assert (
        client.get(reverse("geography:area_options", args=["district"]), {"province": "99"}).status_code
        == 404
    )
    assert client.get(reverse("geography:area_options", args=["planet"])).status_code == 404


def test_anonymous_is_sent_to_login(client, village):
    response = client.get(reverse("geography:village_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
