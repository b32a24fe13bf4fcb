"""Provincial staff open the dashboard, drill down from the province to a center by clicking, switch the
fiscal year, and download the Excel export; the charts render without breaking the content security policy."""

from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from centers.models import Center
from core.money import percent
from dashboards.models import AreaMonth, Level
from dashboards.selectors import area_rows

pytestmark = pytest.mark.browser


def test_provincial_staff_drill_down_to_a_center_and_export(page, login, demo_site, screenshot):
    center = Center.objects.get(name__contains="บวกครกหลวง")
    # The figures are the engine's, from the demo data (contracts, repayments, savings): read them back.
    month = timezone.localdate().replace(day=1)
    districts = list(AreaMonth.objects.filter(level=Level.DISTRICT, parent_code="50", month=month))
    # The province has no rows of its own: its figures are its districts' summed, as the page reads them.
    province = next(row for row in area_rows(Level.PROVINCE, "50") if row.month == month)
    for name in ("debt_at_enrolment", "debt_now"):
        assert getattr(province, name) == sum(getattr(row, name) for row in districts), name
    reduced = {
        row.code: percent(row.debt_at_enrolment - row.debt_now, row.debt_at_enrolment) for row in districts
    }
    assert len(reduced) == 2
    assert all(pct is not None and pct > 0 for pct in reduced.values())
    enrolled = {row.code: row.households_enrolled for row in districts}
    best = min(reduced, key=lambda code: (-reduced[code], -enrolled[code], code))  # the page's ranking order
    savings = AreaMonth.objects.get(level=Level.CENTER, code=str(center.pk), month=month).savings
    assert savings > 0

    login("province_cm")
    page.click("#nav-dashboard")
    page.wait_for_url(f"{demo_site.url}/dashboard/province/50/")  # sent from the nation to their province
    assert page.locator("#dashboard-title").inner_text() == "เชียงใหม่"
    expected = percent(province.debt_at_enrolment - province.debt_now, province.debt_at_enrolment)
    assert page.locator("#fig-debt_reduced_pct").inner_text() == f"{expected}%"
    for canvas in ("chart-months", "chart-sectors", "chart-statuses", "chart-ranking"):
        page.locator(f"#{canvas}[data-rendered='1']").wait_for()
        box = page.locator(f"#{canvas}").bounding_box()
        assert box["width"] > 100, canvas
        assert box["height"] > 100, canvas
    assert page.locator("#ranking-table tbody tr").first.get_attribute("data-code") == best
    # The canvases draw Thai in Sarabun (vendored), loaded before they drew
    assert "Sarabun" in page.evaluate("Chart.defaults.font.family")
    assert page.evaluate("document.fonts.check('400 12px Sarabun', 'ร้อยละ')")
    screenshot("dashboard-province-th")
    page.emulate_media(media="print")
    assert page.locator("#print-header").is_visible()
    assert "สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่" in page.locator("#print-office").inner_text()
    page.emulate_media(media="screen")
    assert not page.locator("#print-header").is_visible()

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
    assert page.locator("#fig-savings").inner_text() == f"{savings:,.2f}"
    assert page.locator("#ranking").count() == 0  # nothing below a center
    page.locator("#chart-months[data-rendered='1']").wait_for()
    screenshot("dashboard-center-th")

    page.click("#dashboard-breadcrumb >> text=เชียงใหม่")  # back up to the province
    page.wait_for_url("**/dashboard/province/50/?fy=all")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.startswith("dashboard-province-50-all-")
    workbook = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(workbook["ตัวเลขสรุป"].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "หัวข้อ"
    assert ("พื้นที่", None, "เชียงใหม่", None, None) in rows  # no "what this counts" for the area
