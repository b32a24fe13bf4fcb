"""Provincial staff open the dashboard, drill down from the province to a center by clicking, switch the
fiscal year, and download the Excel export; the charts render without breaking the content security policy."""

from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from centers.models import Center
from dashboards.models import Level
from tests.dashboards.factories import set_month

pytestmark = pytest.mark.browser


def test_provincial_staff_drill_down_to_a_center_and_export(page, login, demo_site, screenshot):
    center = Center.objects.get(name__contains="บวกครกหลวง")
    other = Center.objects.get(name__contains="หนองมะจับ")
    month = timezone.localdate()
    set_month(Level.NATION, "TH", month, centers_active=2, debt_at_enrolment="150000", debt_now="90000")
    set_month(Level.PROVINCE, "50", month, parent_code="TH", centers_active=2, households_enrolled=5,
              households_surveyed=9, households_debt_free=1, debt_at_enrolment="150000",
              debt_at_enrolment_informal="80000", debt_now="90000", debt_now_informal="10000",
              savings="24000.50", contract_outstanding="60000")  # fmt: skip
    set_month(Level.DISTRICT, "5001", month, parent_code="50", centers_active=1, households_enrolled=3,
              debt_at_enrolment="100000", debt_now="50000")  # fmt: skip
    set_month(Level.DISTRICT, "5014", month, parent_code="50", centers_active=1, households_enrolled=2,
              debt_at_enrolment="50000", debt_now="40000")  # fmt: skip
    set_month(Level.CENTER, center.pk, month, parent_code="5001", centers_active=1, households_enrolled=3,
              debt_at_enrolment="100000", debt_now="50000", savings="12000")  # fmt: skip
    set_month(Level.CENTER, other.pk, month, parent_code="5014", centers_active=1, households_enrolled=2,
              debt_at_enrolment="50000", debt_now="40000")  # fmt: skip

    login("province_cm")
    page.click("#nav-dashboard")
    page.wait_for_url(f"{demo_site.url}/dashboard/province/50/")  # sent from the nation to their province
    assert page.locator("#dashboard-title").inner_text() == "เชียงใหม่"
    assert page.locator("#fig-debt_reduced_pct").inner_text() == "40.0%"
    for canvas in ("chart-months", "chart-sectors", "chart-statuses", "chart-ranking"):
        page.locator(f"#{canvas}[data-rendered='1']").wait_for()
        box = page.locator(f"#{canvas}").bounding_box()
        assert box["width"] > 100, canvas
        assert box["height"] > 100, canvas
    assert page.locator("#ranking-table tbody tr").first.get_attribute("data-code") == "5001"  # 50% > 20%
    screenshot("dashboard-province-th")

    page.select_option("#fy-select", "all")  # the picker sends itself
    page.wait_for_url("**/dashboard/province/50/?fy=all")
    assert "ทั้งหมด" in page.locator("#dashboard-period").inner_text()

    page.click("#ranking-table >> text=เมืองเชียงใหม่")
    page.wait_for_url("**/dashboard/district/5001/?fy=all")
    assert "เชียงใหม่" in page.locator("#dashboard-breadcrumb").inner_text()
    page.locator("#chart-ranking[data-rendered='1']").wait_for()
    page.click(f"#ranking-table >> text={center.name}")
    page.wait_for_url(f"**/dashboard/center/{center.pk}/?fy=all")
    assert page.locator("#dashboard-title").inner_text() == center.name
    assert page.locator("#fig-savings").inner_text() == "12,000.00"
    assert page.locator("#ranking").count() == 0  # nothing below a center
    page.locator("#chart-months[data-rendered='1']").wait_for()
    screenshot("dashboard-center-th")

    page.click("#dashboard-breadcrumb >> text=เชียงใหม่")  # back up to the province
    page.wait_for_url("**/dashboard/province/50/?fy=all")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.startswith("dashboard-province-50-all-")
    workbook = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(workbook["ตัวเลขสรุป"].iter_rows(values_only=True))
    assert rows[0][0] == "หัวข้อ"
    assert ("พื้นที่", None, "เชียงใหม่", None) in rows
