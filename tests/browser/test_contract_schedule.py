"""The contract page's repayment schedule on a 360 px phone: the essential columns (no., due on, instalment,
balance) fit the screen without scrolling sideways, the other three are one tap away ("show all columns"),
with JavaScript or without; on a desktop and on paper every column shows."""

import pytest

from accounts.models import User
from centers.models import Center
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_be_date_picker import PHONE, log_in
from tests.contracts.factories import draw_up_three_funds, sign
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.browser

A4_AT_96_DPI = {"width": 794, "height": 1123}
COLUMNS = """() => [...document.querySelectorAll("#schedule thead th")].map(th => ({
    text: th.textContent.trim(), more: th.classList.contains("col-more"),
    shown: th.offsetParent !== null}))"""
FITS = """() => {
    const box = document.querySelector("#schedule").closest(".table-responsive");
    return {page: document.documentElement.scrollWidth, screen: window.innerWidth,
            table: box.scrollWidth, box: box.clientWidth,
            row: document.querySelector("#schedule tbody tr").getBoundingClientRect().height,
            cellsShown: [...document.querySelectorAll("#schedule tbody tr:last-child td")]
                .filter(td => td.offsetParent !== null).length};
}"""


@pytest.fixture
def long_contract(demo_site):
    officer = User.objects.get(username="officer_mueang")
    center = Center.objects.filter(village__subdistrict__district_id=officer.district_id).order_by("pk")[0]
    return sign(officer, draw_up_three_funds(officer, HouseholdFactory(center=center), months=60))


def shown(page) -> list[str]:
    return [column["text"] for column in page.evaluate(COLUMNS) if column["shown"]]


@pytest.mark.parametrize("javascript", [True, False])
def test_the_phone_shows_the_essential_columns_and_the_rest_one_tap_away(
    browser, demo_site, long_contract, javascript
):
    context = browser.new_context(
        viewport=PHONE, has_touch=True, locale="th-TH", java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, demo_site, "officer_mueang")
        page.goto(f"{demo_site.url}/contracts/{long_contract.pk}/")
        columns = page.evaluate(COLUMNS)
        essential = [column["text"] for column in columns if not column["more"]]
        assert len(columns) == 7
        assert len(essential) == 4
        assert shown(page) == essential
        assert page.locator("#schedule tbody tr").count() == 60
        fits = page.evaluate(FITS)
        assert fits["page"] <= fits["screen"], fits
        assert fits["table"] <= fits["box"], fits  # no sideways scrolling for the four columns
        assert fits["row"] < 60, fits  # one line a row: no figure broken over two lines
        assert fits["cellsShown"] == 4
        if javascript:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "phone-contract-schedule.png"), full_page=True)

        toggle = page.locator("label[for=schedule-all-columns]")
        assert toggle.bounding_box()["height"] >= 44 - 0.5  # a thumb's target
        toggle.click()
        assert shown(page) == [column["text"] for column in columns]
        fits = page.evaluate(FITS)
        assert fits["cellsShown"] == 7
        assert fits["page"] <= fits["screen"], fits  # the wider table scrolls in its own box
        if javascript:
            page.screenshot(path=str(SCREENSHOTS / "phone-contract-schedule-all.png"), full_page=True)
        toggle.click()
        assert shown(page) == essential

        # the per-fund figures become cards that fit the screen
        by_fund = page.locator("#schedule-by-fund")
        assert by_fund.locator("tbody tr").count() == 3
        assert by_fund.bounding_box()["x"] + by_fund.bounding_box()["width"] <= PHONE["width"] + 1
    finally:
        context.close()


def test_a_desktop_and_paper_show_every_column(browser, demo_site, long_contract):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, demo_site, "officer_mueang")
        page.goto(f"{demo_site.url}/contracts/{long_contract.pk}/")
        assert len(shown(page)) == 7
        assert page.locator("label[for=schedule-all-columns]").is_hidden()
        # the contract page printed from a phone: paper gets every column, and no toggle
        page.set_viewport_size(PHONE)
        assert len(shown(page)) == 4
        page.emulate_media(media="print")
        assert len(shown(page)) == 7
        assert page.locator("label[for=schedule-all-columns]").is_hidden()
        # the printed contract on A4 and on a phone's screen: every column, no toggle
        page.emulate_media(media="screen")
        page.goto(f"{demo_site.url}/contracts/{long_contract.pk}/print/")
        assert len(shown(page)) == 7
        assert page.locator("label[for=schedule-all-columns]").count() == 0
        page.set_viewport_size(A4_AT_96_DPI)
        page.emulate_media(media="print")
        assert len(shown(page)) == 7
        assert page.evaluate(FITS)["table"] <= page.evaluate(FITS)["box"]  # all seven fit the A4 width
    finally:
        context.close()
