import pytest

from centers.models import Center

pytestmark = pytest.mark.browser


def test_officer_creates_a_center_with_two_funds_and_a_committee(page, login, demo_site, screenshot):
    login("officer_mueang")
    page.goto(f"{demo_site.url}/centers/new/")
    page.fill("#id_name", "ศูนย์จัดการกองทุนชุมชนบ้านทดสอบ")
    page.locator("#id_subdistrict option[value='500112']").wait_for(state="attached")
    page.select_option("#id_subdistrict", "500112")
    page.locator("#id_village option[value]:not([value=''])").first.wait_for(state="attached")
    page.fill("#id_new_village_moo", "8")
    page.fill("#id_new_village_name", "บ้านทดสอบ")
    page.fill("#id_founded_year", "2563")
    page.fill("#id_founded_on", "๑๕/๐๖/๒๕๖๓")  # Thai digits are accepted
    page.click("main form button[type=submit]")
    page.wait_for_selector("#managed-capital")
    center = Center.objects.get(name="ศูนย์จัดการกองทุนชุมชนบ้านทดสอบ")
    assert "15 มิถุนายน 2563" in page.locator("#founded").inner_text()

    for fund_type, name, capital, rate in [
        ("savings_group", "กลุ่มออมทรัพย์เพื่อการผลิตบ้านทดสอบ", "1,200,000", "12"),
        ("village_fund", "กองทุนหมู่บ้านทดสอบ", "800,000.50", "6"),
    ]:
        page.click("text=เพิ่มกองทุนสมาชิก")
        page.select_option("#id_fund_type", fund_type)
        page.fill("#id_name", name)
        page.fill("#id_capital", capital)
        page.fill("#id_capital_as_of", "01/10/2567")
        page.fill("#id_members", "100")
        page.fill("#id_lending_rate", rate)
        page.select_option("#id_rate_unit", "year")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#managed-capital")
    assert page.locator("#managed-capital").inner_text() == "2,000,000.50 บาท"

    page.click("text=เพิ่มกรรมการ")
    page.fill("#id_full_name", "นายทดสอบ ระบบดี")
    page.select_option("#id_role", "chair")
    page.select_option("#id_fund", label="กลุ่มออมทรัพย์เพื่อการผลิตบ้านทดสอบ")
    page.fill("#id_term_start", "01/04/2567")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#committee")
    assert "นายทดสอบ ระบบดี" in page.locator("#committee").inner_text()
    assert "1 เม.ย. 67" in page.locator("#committee").inner_text()
    assert "นายทดสอบ ระบบดี" in page.locator("#history").inner_text()
    assert center.committee.get().role == "chair"
    screenshot("center-page-th")

    page.click("nav >> text=ศูนย์จัดการกองทุนชุมชน")
    assert page.locator("tbody").get_by_text("ศูนย์จัดการกองทุนชุมชนบ้านทดสอบ").is_visible()
    assert "2,000,000.50" in page.locator("tbody").inner_text()
    screenshot("center-list-th")


def test_demo_center_page_in_thai(page, login, demo_site, screenshot):
    login("province_cm")
    page.goto(f"{demo_site.url}/centers/")
    page.click("text=ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ")
    assert "ศูนย์ดีเด่นระดับจังหวัด" in page.locator("#recognitions").inner_text()
    assert "แม่แฝก" in page.locator("#location").inner_text()
    screenshot("center-nong-ma-chap-th")
    with page.expect_download() as download:
        page.goto(f"{demo_site.url}/centers/")
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
