import pytest
from axes.models import AccessAttempt
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
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        assert client.post(url, {"username": officer.username, "password": "wrong"}).status_code == 200
    response = client.post(url, {"username": officer.username, "password": "wrong"})
    assert response.status_code == 429
    assert "ถูกล็อกไว้ 15 นาที" in response.content.decode()
    response = client.post(url, {"username": officer.username, "password": TEST_PASSWORD})
    assert response.status_code == 429  # the right password is refused while the lock lasts
    assert "_auth_user_id" not in client.session


PROXY = "10.0.0.2"  # the nginx in front of the app: every request reaches Django from this address


def _post_through_proxy(client, client_address, username, password="wrong", spoofed=None):  # noqa: S107
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_a_proxy_wrong_passwords_from_one_client_do_not_lock_the_user_elsewhere(
    client, officer, settings, behind_one_proxy
):
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT + 2):
        response = _post_through_proxy(client, "203.0.113.66", officer.username)
    assert response.status_code == 429  # the guesser is locked out
    response = _post_through_proxy(client, "198.51.100.7", officer.username, password=TEST_PASSWORD)
    assert response.status_code == 302  # the real user, from their own address, logs in
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_client_cannot_escape_its_lock_by_writing_its_own_forwarded_for(
    client, officer, settings, behind_one_proxy
):
    for attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        response = _post_through_proxy(client, "203.0.113.66", officer.username, spoofed=f"192.0.2.{attempt}")
    assert response.status_code == 429
    response = _post_through_proxy(
        client, "203.0.113.66", officer.username, password=TEST_PASSWORD, spoofed="192.0.2.200"
    )
    assert response.status_code == 429


def test_one_address_spraying_many_usernames_is_locked(client, officer, settings, behind_one_proxy):
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS - 1):
        assert _post_through_proxy(client, "203.0.113.66", f"guess{number}").status_code == 200
    response = _post_through_proxy(client, "203.0.113.66", "guess-last")
    assert response.status_code == 429
    assert "หมายเลขเครือข่ายนี้" in response.content.decode()
    # the address is stopped even for a real account with its right password...
    response = _post_through_proxy(client, "203.0.113.66", officer.username, password=TEST_PASSWORD)
    assert response.status_code == 429
    # ...while the same account from another address is not
    response = _post_through_proxy(client, "198.51.100.7", officer.username, password=TEST_PASSWORD)
    assert response.status_code == 302


def test_without_a_trusted_proxy_the_forwarded_for_header_is_ignored(client, officer, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        response = _post_through_proxy(client, "203.0.113.66", officer.username)
    assert response.status_code == 429
    response = _post_through_proxy(client, "198.51.100.7", officer.username, password=TEST_PASSWORD)
    assert response.status_code == 429  # same REMOTE_ADDR: the header is a client's word, not trusted


def test_an_administrator_unlocks_a_user_with_axes_reset_username(client, officer, settings):
    from django.core.management import call_command

    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        client.post(reverse("accounts:login"), {"username": officer.username, "password": "wrong"})
    call_command("axes_reset_username", officer.username)
    response = client.post(
        reverse("accounts:login"), {"username": officer.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_a_successful_login_resets_its_own_count_but_not_the_address_count(
    client, officer, settings, behind_one_proxy
):
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS - 2):
        _post_through_proxy(client, "203.0.113.66", f"guess{number}")
    _post_through_proxy(client, "203.0.113.66", officer.username)  # one typo of the officer's own
    assert (
        _post_through_proxy(client, "203.0.113.66", officer.username, password=TEST_PASSWORD).status_code
        == 302
    )
    client.logout()
    # the officer's typo is forgotten...
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    # ...but a login with one valid account does not wipe the guesses against the others
    assert _post_through_proxy(client, "203.0.113.66", "guess-after").status_code == 200
    assert _post_through_proxy(client, "203.0.113.66", "guess-last").status_code == 429
