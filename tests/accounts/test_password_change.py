"""Officers change their own password; a temporary password set by an administrator must be changed first."""

from django.urls import reverse

from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "ฟ้าใส-Kongtun-2569"


def test_the_menu_links_to_the_password_change_page(client, officer):
    client.force_login(officer)
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in page
    assert "เปลี่ยนรหัสผ่าน" in page


def test_an_officer_changes_their_own_password_in_thai(client, officer):
    client.force_login(officer)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url, {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 200
    assert "ใส่รหัสผ่านเก่าผิด" in wrong.content.decode()
    response = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200  # still logged in


def test_a_temporary_password_sends_the_user_to_change_it_until_done(client, officer):
    officer.must_change_password = True
    officer.save()
    client.post(reverse("accounts:login"), {"username": officer.username, "password": TEST_PASSWORD})
    for url in (reverse("core:home"), reverse("debts:household_list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "รหัสผ่านของคุณตั้งโดยผู้ดูแลระบบ" in page
    client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    officer.refresh_from_db()
    assert not officer.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_the_administrator_sets_the_temporary_password_flag_in_the_admin(client, superuser, officer):
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()
    assert 'name="must_change_password"' in page
