"""The contract as signed prints on A4 and reads on a 360 px phone: nothing wider than the page."""

import pytest

from contracts.models import Contract, Guarantor
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_be_date_picker import PHONE, log_in
from tests.households.factories import make_national_id

pytestmark = pytest.mark.browser

A4_AT_96_DPI = {"width": 794, "height": 1123}


def widest(page) -> int:
    """The rightmost edge of the page and of the contract's elements (a table scrolling in its own box on a
    phone is not counted: it does not widen the page)."""
    return page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth,
            ...[...document.querySelectorAll("#printed-contract *")]
                .filter(el => !el.closest(".table-responsive"))
                .map(el => el.getBoundingClientRect().right))"""
    )


def test_the_signed_contract_fits_a_phone_and_a4(browser, demo_site):
    contract = Contract.objects.filter(status="active").order_by("pk").first()
    guarantor = Guarantor(contract=contract, full_name="นายค้ำประกัน ใจดีมากเป็นพิเศษ", relation="พี่ชาย")
    guarantor.set_national_id(make_national_id(4242))
    guarantor.save()
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="th-TH")
    page = context.new_page()
    log_in(page, demo_site, "officer_mueang")
    page.goto(f"{demo_site.url}/contracts/{contract.pk}/print/")
    page.wait_for_selector("#fund-schedule-1")
    assert widest(page) <= PHONE["width"] + 1
    # the schedules' figures are never broken inside a number
    assert page.locator("#schedule tbody tr").first.bounding_box()["height"] < 60
    assert page.locator("#guarantors").inner_text().count("xxxxx") == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "contract-print-phone.png"), full_page=True)
    page.set_viewport_size(A4_AT_96_DPI)
    page.emulate_media(media="print")
    assert widest(page) <= A4_AT_96_DPI["width"] + 1
    assert page.locator("nav.navbar").is_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()
