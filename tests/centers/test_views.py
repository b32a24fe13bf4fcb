import pytest
from django.urls import reverse

from tests.factories import MAE_FAEK, CenterFactory, VillageFactory


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์ทดสอบเมือง", founded_year=2560)


def test_officer_sees_own_center(client, officer, center):
    client.force_login(officer)
    assert center.name in client.get(reverse("centers:center_list")).content.decode()
    body = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
    assert "ท่าศาลา" in body
    assert "2560" in body


def test_outsider_gets_404_on_center_detail(client, outsider, other_province, center):
    for user in (outsider, other_province):
        client.force_login(user)
        assert client.get(reverse("centers:center_detail", args=[center.pk])).status_code == 404
        assert center.name not in client.get(reverse("centers:center_list")).content.decode()


def test_missing_center_is_404_like_a_foreign_one(client, officer):
    client.force_login(officer)
    assert client.get(reverse("centers:center_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_center_list_query_count_does_not_grow(client, provincial, django_assert_max_num_queries):
    client.force_login(provincial)
    CenterFactory.create_batch(5)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("centers:center_list"))
    CenterFactory.create_batch(45, village=VillageFactory(subdistrict_id=MAE_FAEK, moo=9))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("centers:center_list"))
    assert response.context["page"].paginator.count == 50
