import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.thai import format_date_be

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("username", "centers"),
    [
        ("officer_mueang", 1),
        ("officer_sansai", 1),
        ("province_cm", 2),
        ("department", 2),
        ("admin", 2),
    ],
)
def test_each_role_logs_in_and_sees_its_centers(page, login, demo_site, screenshot, username, centers):
    login(username)
    assert page.locator("#center-count").inner_text() == str(centers)
    assert format_date_be(timezone.localdate(), lang="th") in page.locator("#today").inner_text()
    page.click("nav >> text=ศูนย์")
    page.wait_for_url("**/centers/")
    expect(page.locator("tbody tr")).to_have_count(centers)  # waits for the list to load, unlike count()
    screenshot(f"centers-{username}")


def test_wrong_password_stays_on_login_with_a_thai_message(page, demo_site):
    page.goto(f"{demo_site.url}/accounts/login/")
    page.fill("#id_username", "officer_mueang")
    page.fill("#id_password", "not-the-password")
    page.click("form button[type=submit]:not([name=language])")
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page.locator("main").inner_text()


def test_language_switch_and_be_dates(page, login, demo_site, screenshot):
    login("officer_sansai")
    assert page.locator("html").get_attribute("lang") == "th"
    page.click("#language-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav").get_by_text("Centers").is_visible()
    assert re.search(r"\b25\d\d BE\b", page.locator("#today").inner_text())
    page.click("nav >> text=Centers")
    page.click("text=ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ")
    assert "2554" in page.locator("#founded").inner_text()
    screenshot("center-detail-en")
    page.click("#language-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"
    assert "สันทราย" in page.locator("main").inner_text()
    screenshot("center-detail-th")


def test_officer_adds_a_village_with_the_chained_pickers(page, login, demo_site, screenshot):
    login("officer_mueang")
    page.goto(f"{demo_site.url}/geo/villages/new/")
    # The officer's province and district are chosen already; the subdistricts load for the district.
    assert page.locator("#id_district option").count() == 2
    page.select_option("#id_district", "5001")
    page.locator("#id_subdistrict option[value='500112']").wait_for(state="attached")
    page.select_option("#id_subdistrict", "500112")
    page.fill("#id_moo", "9")
    page.fill("#id_name", "บ้านทดสอบเบราว์เซอร์")
    screenshot("village-form")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{demo_site.url}/geo/villages/")
    assert "50011209" in page.locator("main").inner_text()
