"""Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Locally the browser tests skip when Chromium is missing; in CI (CI=true) they must run.
Screenshots go to test-artifacts/screenshots/, which git ignores.
"""

import os
import shutil
from pathlib import Path

import pytest

from accounts.demo import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI=true but Chromium is not installed: .ci/run must install Debian's chromium package."
            )
        pytest.skip("Chromium is not installed (apt install chromium); browser tests skipped locally.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(demo_database, live_server):
    """The live server on the geography and demo data (restored from the worker's copy for each test)."""
    return live_server


@pytest.fixture
def page(browser, demo_site):
    """A page whose console is watched: any content-security-policy violation fails the test."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def login(page, demo_site):
    def login(username: str) -> None:
        page.goto(f"{demo_site.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form button[type=submit]:not([name=language])")
        page.wait_for_url(f"{demo_site.url}/")

    return login


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
