"""Every page at 360 x 800, as each role: nothing wider than the screen, no console error, no CSP violation.

The pages come from the URL configuration through the URL sweep's registry (tests/test_url_sweep.py): its
`ROUTES` names every route with the arguments of an object of district A, and the sweep fails when a route
is missing from it, so a new page is visited here without a new test. Each pattern is visited once per role
(one browser context per role); downloads, images and htmx fragments are not pages and are left out.
"""

import pytest

from accounts.models import User
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_be_date_picker import PHONE, log_in
from tests.contracts.factories import draw_up_three_funds, sign
from tests.households.factories import HouseholdFactory
from tests.test_url_sweep import ABOVE_DISTRICT, FORM, LIST, ROUTES, World, names, url_of

pytestmark = pytest.mark.browser

ROLES = ("officer_mueang", "province_cm", "department")
# Chromium asks for /favicon.ico, which the site does not serve (not this test's business).
IGNORED_CONSOLE_URLS = ("/favicon.ico",)


@pytest.fixture
def world(demo_site):
    officer = User.objects.get(username="officer_mueang")
    world = World(author=officer)
    # the contract page's longest table: 60 instalments of three funds
    world.long_contract = sign(officer, draw_up_three_funds(officer, HouseholdFactory(center=world.center)))
    return world


def page_urls(world: World) -> list[tuple[str, str]]:
    """(route name, path with query) for every GET page of the registry; the signed contract's page too,
    since its ledgers and reversal forms only show once repayments exist, and a contract of 60 months from
    three funds (the longest schedule, with a row per fund)."""
    urls = []
    for name in names(LIST, FORM, ABOVE_DISTRICT):
        query = ROUTES[name].query_for(world)
        path = url_of(name, world)
        if query:
            path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        urls.append((name, path))
    urls.append(("contracts:contract_detail (signed)", f"/contracts/{world.active_contract.pk}/"))
    urls.append(("contracts:contract_detail (60 months, 3 funds)", f"/contracts/{world.long_contract.pk}/"))
    urls.append(
        ("contracts:contract_print (60 months, 3 funds)", f"/contracts/{world.long_contract.pk}/print/")
    )
    return urls


def measure(page, url: str) -> dict | None:
    """The page's widths, or None when the answer is not a page of ours (a download, an image, a fragment,
    a page this role may not open)."""
    from playwright.sync_api import Error

    try:
        response = page.goto(url)
    except Error as error:
        if "Download is starting" in str(error):
            return None
        raise
    if response is None or response.status >= 400:
        return None
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    return page.evaluate(
        """() => {
            if (!document.doctype || !document.querySelector("nav.navbar")) return null;
            const wide = [...document.querySelectorAll("main *")]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                    + (typeof el.className === "string" && el.className
                        ? "." + el.className.split(" ").join(".") : ""));
            return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide,
                    final: location.pathname};
        }"""
    )


# Pages each role measures at the least (63, 21 and 22 on 4 December 2026): a guard that the registry is
# read and that a role's pages do not all answer 403 or 404.
AT_LEAST = {"officer_mueang": 55, "province_cm": 18, "department": 18}


@pytest.mark.parametrize("role", ROLES)  # one test per role, so that the workers share the sweep
def test_every_page_fits_a_phone_as_every_role(browser, demo_site, world, role):
    urls = page_urls(world)
    failures = []
    visited = 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Not is_mobile: a mobile viewport zooms out to fit a page too wide, and innerWidth grows with it.
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []  # this page's console errors (CSP violations are among them) and uncaught exceptions
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith(IGNORED_CONSOLE_URLS)
            and errors.append(f"console: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"exception: {error}"))
    try:
        log_in(page, demo_site, role)
        seen = set()  # a page reached twice (a dashboard sending the officer down) is measured once
        assert not errors, errors
        for name, path in urls:
            errors.clear()
            result = measure(page, f"{demo_site.url}{path}")
            if result is None or result["final"] in seen:
                continue  # the 403/404 of a page this role may not open is not an error of the page
            failures.extend(f"{role} {name} {path}: {error}" for error in errors)
            seen.add(result["final"])
            visited += 1
            slug = name.replace(":", "-").replace(" ", "").replace("(", "-").replace(")", "")
            if role == ROLES[0]:  # the officer's pages are kept as screenshots (test-artifacts/)
                page.screenshot(path=str(SCREENSHOTS / f"phone-{slug}.png"), full_page=True)
            if result["scroll"] > result["inner"]:
                shot = SCREENSHOTS / f"phone-too-wide-{role}-{slug}.png"
                page.screenshot(path=str(shot), full_page=True)
                failures.append(
                    f"{role} {name} {path}: {result['scroll']} px wide on a {result['inner']} px "
                    f"screen; wider than the screen: {result['wide']}"
                )
    finally:
        context.close()
    assert visited >= AT_LEAST[role], f"only {visited} pages were measured as {role}: is the registry read?"
    assert not failures, "\n".join(failures)


CONTRAST = """(selector) => {
    // WCAG 2 relative luminance of an sRGB colour "rgb(r, g, b[, a])", composited over its background.
    const parse = text => text.match(/[\\d.]+/g).map(Number);
    const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const backgroundOf = el => {
        for (; el; el = el.parentElement) {
            const colour = parse(getComputedStyle(el).backgroundColor);
            if (colour.length < 4 || colour[3] > 0) return colour.slice(0, 3);
        }
        return [255, 255, 255];
    };
    return [...document.querySelectorAll(selector)].map(el => {
        const [r, g, b, a = 1] = parse(getComputedStyle(el).color);
        const bg = backgroundOf(el);
        const fg = [r, g, b].map((c, i) => a * c + (1 - a) * bg[i]);
        const [light, dark] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
        return {text: el.textContent.trim(), ratio: (light + 0.05) / (dark + 0.05)};
    });
}"""

TOUCH_TARGETS = (
    "main .btn, main .form-control, main .form-select, .page-link, .navbar-nav .nav-link, .navbar-toggler, "
    "nav.navbar .btn"
)


def test_navigation_contrast_and_touch_targets_on_a_phone(browser, demo_site, world):
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, demo_site, "officer_mueang")
        page.click(".navbar-toggler")
        page.locator("#main-nav .nav-link").first.wait_for(state="visible")
        links = page.evaluate(CONTRAST, "#main-nav .nav-link")
        assert len(links) >= 5
        too_pale = [link for link in links if link["ratio"] < 4.5]
        assert not too_pale, f"navbar links below WCAG AA (4.5:1): {too_pale}"

        small = []
        # A list with pagination, a form with its fields and buttons, the collection sheet row by row.
        for path in (
            "/contracts/",
            "/households/",
            f"/contracts/collection/{world.center.pk}/",
            f"/contracts/{world.active_contract.pk}/",
            "/visits/trips/new/",
        ):
            page.goto(f"{demo_site.url}{path}")
            page.click(".navbar-toggler")
            page.locator("#main-nav .nav-link").first.wait_for(state="visible")
            boxes = page.evaluate(
                """(selector) => [...document.querySelectorAll(selector)]
                    .filter(el => el.offsetParent !== null && el.type !== "hidden")
                    .map(el => ({what: el.outerHTML.slice(0, 80),
                                 height: el.getBoundingClientRect().height}))""",
                TOUCH_TARGETS,
            )
            assert len(boxes) >= 5, (path, boxes)
            small += [(path, box) for box in boxes if box["height"] < 44 - 0.5]
        assert not small, f"touch targets under 44 px: {small[:10]}"
    finally:
        context.close()
