"""Field monitoring on a phone: a district officer writes and submits a report, the province returns it;
a draft typed in the report form survives a reload and an expired session."""

import io
import re
from datetime import date

import pytest
from PIL import Image

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from visits.models import CenterReport, ReportStatus, Trip, TripLevel

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, demo_site):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="th-TH"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def snap(phone):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        phone.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def sign_in(page, site, username: str, *, then: str = "/") -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(f"{site.url}{then}")


def log_in(page, site, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site.url}/accounts/login/")
    sign_in(page, site, username)


def assert_no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_officer_submits_a_report_with_a_photo_and_the_province_returns_it(phone, demo_site, snap, tmp_path):
    page, site = phone, demo_site
    log_in(page, site, "officer_mueang")

    # The trip: dates in BE, a team member by position, an itinerary stop at the center.
    page.goto(f"{site.url}/visits/")
    page.click("#new-trip")
    page.fill("#id_title", "ติดตามศูนย์ฯ บ้านบวกครกหลวง ไตรมาส 2")
    page.fill("#id_start_date", "10/01/2568")
    page.fill("#id_end_date", "10/01/2568")
    page.fill("#id_members-0-position", "นักวิชาการพัฒนาชุมชนชำนาญการ")
    page.fill("#id_members-0-office", "สำนักงานพัฒนาชุมชนอำเภอเมืองเชียงใหม่")
    page.fill("#id_stops-0-date", "10/01/2568")
    page.fill("#id_stops-0-time", "09:30")
    page.fill("#id_stops-0-description", "ติดตามศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง")
    page.select_option("#id_stops-0-center", label="ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง")
    assert_no_horizontal_scroll(page)
    snap("visits-phone-trip-form")
    page.click("#trip-form button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/trips/\d+/$"))
    assert "09.30" in page.locator("#itinerary").inner_text()

    # The report, with a recommendation.
    page.click("#new-report")
    assert not page.locator("#draft-notice").is_visible()
    page.select_option("#id_center", label="ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง")
    page.fill("#id_visit_date", "10/01/2568")
    page.fill("#id_people_met", "ประธานศูนย์ฯ\nเหรัญญิก")
    page.fill("#id_finding_committee", "คณะกรรมการประชุมทุกเดือน")
    page.fill("#id_finding_contracts", "ครัวเรือนชำระคืนตรงเวลา")
    page.check("#id_registries_kept_0")
    page.fill("#id_strengths", "ออมควบคู่กับการกู้ ยิ่งกู้มากยิ่งต้องออมมาก")
    page.fill("#id_recommendations-0-text", "คณะกรรมการจัดทำทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้")
    page.fill("#id_recommendations-0-due_date", "31/03/2568")
    assert_no_horizontal_scroll(page)
    snap("visits-phone-report-form")
    page.click("#save-report")
    page.wait_for_url(re.compile(r"/visits/reports/\d+/\?saved=1$"))
    assert "ทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้" in page.locator("#recommendations").inner_text()

    # A photo taken on a phone.
    photo = tmp_path / "meeting.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 120, 60)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    page.set_input_files("#id_image", str(photo))
    page.fill("#id_caption", "ประชุมคณะกรรมการศูนย์ฯ")
    page.click("#upload-photo")
    page.wait_for_selector("#photo-list img")
    # The element comes with the page; its picture a moment later: wait for it (a timeout fails the test).
    page.wait_for_function(
        "() => { const img = document.querySelector('#photo-list img');"
        " return img !== null && img.complete && img.naturalWidth > 0; }"
    )
    assert page.locator("#photo-list img").evaluate("img => img.complete && img.naturalWidth > 0")

    page.click("#submit-report")
    page.wait_for_selector("#report-status:has-text('ส่งตรวจแล้ว')")
    assert page.locator("#edit-report").count() == 0  # locked for its author
    assert_no_horizontal_scroll(page)
    snap("visits-phone-report-submitted")
    report_url = page.url.split("?")[0].split("#")[0]

    # The province returns it with a comment.
    log_in(page, site, "province_cm")
    page.goto(report_url)
    page.fill("#id_comment", "กรุณาเพิ่มข้อมูลการออมของครัวเรือน")
    snap("visits-phone-review")
    page.click("#return-report")
    page.wait_for_selector("#report-status:has-text('ส่งกลับให้แก้ไข')")
    assert "กรุณาเพิ่มข้อมูลการออมของครัวเรือน" in page.locator("#review-comment").inner_text()

    report = CenterReport.objects.get(center__name="ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง", trip__level="district")
    assert report.status == ReportStatus.RETURNED
    assert report.photos.count() == 1
    assert report.recommendations.get().due_date == date(2025, 3, 31)

    # Back to its author, who may edit it again.
    log_in(page, site, "officer_mueang")
    page.goto(report_url)
    assert "กรุณาเพิ่มข้อมูลการออมของครัวเรือน" in page.locator("#review-comment").inner_text()
    assert page.locator("#edit-report").is_visible()
    snap("visits-phone-returned")


@pytest.fixture
def draft_trip(demo_site):
    officer = User.objects.get(username="officer_mueang")
    trip = Trip.objects.create(
        title="ทดสอบฉบับร่าง",
        level=TripLevel.DISTRICT,
        start_date=date(2025, 1, 10),
        end_date=date(2025, 1, 10),
        province_id="50",
        district_id="5001",
        created_by=officer,
    )
    return trip


def test_a_typed_draft_survives_a_reload_and_an_expired_session(phone, demo_site, draft_trip, snap):
    page, site = phone, demo_site
    log_in(page, site, "officer_mueang")
    form_url = f"{site.url}/visits/trips/{draft_trip.pk}/reports/new/"
    page.goto(form_url)
    assert not page.locator("#draft-notice").is_visible()
    page.select_option("#id_center", label="ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง")
    page.fill("#id_visit_date", "10/01/2568")
    page.fill("#id_strengths", "ข้อความที่พิมพ์ในพื้นที่ สัญญาณอ่อน")
    page.check("#id_registries_kept_2")
    page.click("[data-formset-add=recommendations]")
    page.fill("#id_recommendations-1-text", "ข้อเสนอแนะข้อที่สอง")
    page.wait_for_timeout(600)  # the draft is written 300 ms after the last key

    page.reload()
    assert page.locator("#id_strengths").input_value() == "ข้อความที่พิมพ์ในพื้นที่ สัญญาณอ่อน"
    assert page.locator("#id_registries_kept_2").is_checked()
    assert page.locator("#id_recommendations-1-text").input_value() == "ข้อเสนอแนะข้อที่สอง"
    assert page.locator("#draft-notice").is_visible()
    snap("visits-phone-draft-restored")

    # The session expires; saving sends the officer to the login page, and nothing typed is lost.
    page.context.clear_cookies(name="sessionid")
    page.click("#save-report")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    sign_in(page, site, "officer_mueang", then=f"/visits/trips/{draft_trip.pk}/reports/new/")
    assert page.locator("#id_strengths").input_value() == "ข้อความที่พิมพ์ในพื้นที่ สัญญาณอ่อน"
    assert page.locator("#id_recommendations-1-text").input_value() == "ข้อเสนอแนะข้อที่สอง"

    # Saved for real: the draft is forgotten.
    page.click("#save-report")
    page.wait_for_url(re.compile(r"/visits/reports/\d+/\?saved=1$"))
    report = CenterReport.objects.get(trip=draft_trip)
    assert report.strengths == "ข้อความที่พิมพ์ในพื้นที่ สัญญาณอ่อน"
    assert list(report.recommendations.values_list("text", flat=True)) == ["ข้อเสนอแนะข้อที่สอง"]
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kongtun:visits:'))") == []


def test_department_staff_link_the_itinerary_to_centers_on_the_first_save(phone, demo_site, snap):
    """The center menus of the itinerary follow the province chosen: one save, and a report started from a
    stop takes its center and date."""
    page, site = phone, demo_site
    log_in(page, site, "department")
    page.goto(f"{site.url}/visits/trips/new/")
    page.fill("#id_title", "ติดตามศูนย์ฯ บ้านหนองมะจับ ทางไกล")
    page.fill("#id_start_date", "12/02/2568")
    page.fill("#id_end_date", "13/02/2568")
    page.fill("#id_members-0-position", "นักวิชาการพัฒนาชุมชนชำนาญการ")
    page.fill("#id_stops-0-date", "13/02/2568")
    page.fill("#id_stops-0-description", "ติดตามศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ")
    assert page.locator("#id_stops-0-center option").count() == 1  # no province yet: no center
    page.select_option("#id_province", value="50")
    page.wait_for_selector("#id_stops-0-center option:has-text('บ้านหนองมะจับ')", state="attached")
    page.select_option("#id_stops-0-center", label="ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ")
    page.click("[data-formset-add=stops]")  # a row added later lists the province's centers too
    assert page.locator("#id_stops-1-center option:has-text('บ้านหนองมะจับ')").count() == 1
    assert_no_horizontal_scroll(page)
    snap("visits-phone-trip-form-one-pass")
    page.click("#trip-form button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/trips/\d+/$"))
    trip = Trip.objects.get(title="ติดตามศูนย์ฯ บ้านหนองมะจับ ทางไกล")
    assert trip.stops.get().center.name == "ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ"

    page.click("#itinerary a:has-text('เขียนรายงาน')")
    page.wait_for_url(re.compile(r"/reports/new/\?stop=\d+$"))
    chosen = page.locator("#id_center option:checked").inner_text()
    assert chosen.startswith("ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ")
    assert page.locator("#id_visit_date").input_value() == "13/02/2568"
