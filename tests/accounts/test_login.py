import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def test_wrong_password_gets_a_clear_thai_message(client, officer):
    response = client.post(reverse("accounts:login"), {"username": officer.username, "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": officer.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.get(reverse("accounts:logout")).status_code == 405  # logout needs POST
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_home_shows_the_office_and_a_be_date(client, officer, time_machine):
    time_machine.move_to("2026-11-25 10:00 +07:00")
    client.force_login(officer)
    body = client.get(reverse("core:home")).content.decode()
    assert "25 พฤศจิกายน 2569" in body
    assert "เมืองเชียงใหม่" in body


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, officer, settings):
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": officer.username, "password": "wrong"}).status_code == 200
    response = client.post(url, {"username": officer.username, "password": "wrong"})
    assert response.status_code == 429
    assert "ถูกล็อกไว้ 15 นาที" in response.content.decode()
    response = client.post(url, {"username": officer.username, "password": TEST_PASSWORD})
    assert response.status_code == 429  # the right password is refused while the lock lasts
    assert "_auth_user_id" not in client.session
