"""The admin in a browser: the site's font, and the user form's district picked under its province."""

import pytest

pytestmark = pytest.mark.browser


def test_user_admin_picks_the_district_under_its_province(page, login, demo_site, screenshot):
    login("admin")
    page.goto(f"{demo_site.url}/admin/accounts/user/add/")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Sarabun"') or font.startswith("Sarabun")
    assert page.locator("#id_first_name").is_visible()
    assert page.locator("#id_district option").count() == 1  # nothing before a province is chosen
    page.select_option("#id_province", "30")  # Nakhon Ratchasima
    page.locator("#id_district option").nth(1).wait_for(state="attached")  # refilled by area-picker.js
    values = page.eval_on_selector_all("#id_district option", "options => options.map(o => o.value)")
    assert all(value.startswith("30") for value in values if value)
    assert len([value for value in values if value]) > 20  # its 32 districts, not one province's list
    page.fill("#id_username", "officer_korat")
    page.fill("#id_password1", "a-long enough pass 2567")
    page.fill("#id_password2", "a-long enough pass 2567")
    page.fill("#id_first_name", "สมหญิง")
    page.fill("#id_last_name", "ใจงาม")
    page.select_option("#id_office_level", "district")
    page.select_option("#id_district", values[1])
    screenshot("admin-user-add")
    page.click("input[name=_save]")
    page.wait_for_url("**/change/")
    from accounts.models import User

    created = User.objects.get(username="officer_korat")
    assert (created.district_id, created.first_name) == (values[1], "สมหญิง")
