"""The Buddhist Era calendar picker on a 360 x 800 phone: a picked date lands in the field as BE text; without
JavaScript the same form is typed, the Thai ways included (bare digits, two-digit years)."""

import re
from datetime import date

import pytest

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS
from visits.models import Trip

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}


def log_in(page, site, username: str) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(f"{site.url}/")


def fill_the_rest_of_the_trip(page) -> None:
    page.fill("#id_title", "ติดตามศูนย์ฯ ด้วยปฏิทิน พ.ศ.")
    page.fill("#id_members-0-position", "นักวิชาการพัฒนาชุมชน")
    page.fill("#id_members-0-office", "สำนักงานพัฒนาชุมชนอำเภอเมืองเชียงใหม่")
    page.fill("#id_stops-0-time", "09:30")
    page.fill("#id_stops-0-description", "ติดตามศูนย์จัดการกองทุนชุมชน")
    page.select_option("#id_stops-0-center", index=1)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_officer_picks_a_be_date_on_a_phone(page, demo_site):
    """`page` is the shared fixture that fails on a CSP violation; console errors fail here too."""
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            # Chromium asks for /favicon.ico, which the site does not serve (not this test's business).
            and not message.location.get("url", "").endswith("/favicon.ico")
            and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(PHONE)
    log_in(page, demo_site, "officer_mueang")
    page.goto(f"{demo_site.url}/visits/trips/new/")

    field = page.locator("#id_start_date")
    assert field.get_attribute("inputmode") == "decimal"
    toggle = page.locator("#id_start_date ~ .be-date-toggle")
    assert toggle.get_attribute("aria-label") == "เลือกวันที่จากปฏิทิน"
    toggle.click()
    popup = page.locator(".be-date-popup")
    assert popup.is_visible()
    # พ.ศ. years and Thai month names.
    assert "พ.ศ. 2568" in popup.locator(".be-date-year").inner_text()
    assert "มกราคม" in popup.locator(".be-date-month").inner_text()
    assert popup.locator("th").first.inner_text() == "อา"
    popup.locator(".be-date-year").select_option("2568")
    popup.locator(".be-date-month").select_option("12")
    popup.locator(".be-date-next").click()  # into January 2569
    assert popup.locator(".be-date-year").input_value() == "2569"
    assert popup.locator(".be-date-month").input_value() == "1"
    assert no_horizontal_scroll(page)
    box = popup.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    day = popup.get_by_role("button", name="10 มกราคม 2569", exact=True)
    assert day.bounding_box()["height"] >= 44  # a thumb-sized target
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "be-date-picker-phone.png"))  # the screen, where the sheet is
    year = popup.locator(".be-date-year")
    assert year.evaluate("select => select.scrollWidth <= select.clientWidth")  # "พ.ศ. 2569" not cut
    day.click()
    assert not popup.is_visible()
    assert field.input_value() == "10/01/2569"

    # Opened again, the picker shows the field's date; typed text stays the source of truth.
    field.fill("5/3/69")
    toggle.click()
    assert popup.locator(".be-date-month").input_value() == "3"
    assert popup.locator(".be-date-day.is-selected").inner_text() == "5"
    page.keyboard.press("Escape")
    assert not popup.is_visible()
    field.fill("")
    toggle.click()
    popup.locator(".be-date-year").select_option("2569")
    popup.locator(".be-date-month").select_option("1")
    popup.get_by_role("button", name="12 มกราคม 2569", exact=True).click()
    assert field.input_value() == "12/01/2569"

    # A stop row added without a reload gets its own picker.
    page.click("[data-formset-add=stops]")
    page.locator("#id_stops-1-date ~ .be-date-toggle").wait_for()

    page.fill("#id_end_date", "12012569")  # bare digits from the number pad
    page.fill("#id_stops-0-date", "12/1/69")  # a two-digit year is 25yy
    fill_the_rest_of_the_trip(page)
    page.click("#trip-form button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/trips/\d+/$"))
    trip = Trip.objects.latest("pk")
    assert (trip.start_date, trip.end_date) == (date(2026, 1, 12), date(2026, 1, 12))
    assert errors == []


def test_without_javascript_the_date_is_typed(browser, demo_site):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, demo_site, "officer_mueang")
        page.goto(f"{demo_site.url}/visits/trips/new/")
        assert page.locator(".be-date-toggle").count() == 0  # no picker: the plain text field
        assert page.locator("#id_start_date").get_attribute("placeholder") == "วว/ดด/ปปปป (พ.ศ.)"
        page.fill("#id_start_date", "24/3/64")
        page.fill("#id_end_date", "24 มี.ค. 2468")  # before 2500 BE: refused as implausible
        page.fill("#id_stops-0-date", "24032564")
        fill_the_rest_of_the_trip(page)
        page.click("#trip-form button[type=submit]")
        page.wait_for_load_state()
        assert "ปีต้องอยู่ระหว่าง พ.ศ. 2500" in page.locator("main").inner_text()
        assert page.locator("#id_start_date").input_value() == "24/3/64"  # what was typed is kept
        assert page.locator("#id_end_date").input_value() == "24 มี.ค. 2468"
        page.fill("#id_end_date", "๒๔ มี.ค. ๖๔")
        page.click("#trip-form button[type=submit]")
        page.wait_for_url(re.compile(r"/visits/trips/\d+/$"))
        trip = Trip.objects.latest("pk")
        assert (trip.start_date, trip.end_date) == (date(2021, 3, 24), date(2021, 3, 24))
        assert trip.stops.get().date == date(2021, 3, 24)
    finally:
        context.close()
