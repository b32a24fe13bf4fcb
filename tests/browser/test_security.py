import pytest

from accounts.demo import DEMO_PASSWORD
from centers.models import Center

pytestmark = pytest.mark.browser


def test_admin_pages_run_under_the_content_security_policy(page, login, demo_site):
    login("admin")
    center = Center.objects.order_by("pk").first()  # ids are not 1 on PostgreSQL after other tests
    for path in [
        "/admin/",
        "/admin/centers/center/",
        f"/admin/centers/center/{center.pk}/change/",
        "/admin/geography/village/add/",
    ]:
        response = page.goto(f"{demo_site.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_repeated_wrong_passwords_lock_the_account(page, demo_site):
    for _attempt in range(5):
        page.goto(f"{demo_site.url}/accounts/login/")
        page.fill("#id_username", "officer_sansai")
        page.fill("#id_password", "wrong-password")
        page.click("form button[type=submit]:not([name=language])")
    assert "ล็อก" in page.locator("#locked-out").inner_text()
    page.goto(f"{demo_site.url}/accounts/login/")
    page.fill("#id_username", "officer_sansai")
    page.fill("#id_password", DEMO_PASSWORD)  # even the right password is refused while locked
    page.click("form button[type=submit]:not([name=language])")
    assert page.locator("#locked-out").is_visible()
