"""Offline capture (issue 18), in Chromium with Playwright's offline emulation: an officer opens a form
with network, loses it, reopens the form from the phone, saves; the save waits on the phone ("waiting to
send") and is sent once the network returns, recorded exactly once."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User
from contracts.models import Contract, Repayment
from contracts.selectors import contract_position
from offline.models import ConflictChoice
from tests.visits.factories import CenterReportFactory, TripFactory
from visits.models import CenterReport

pytestmark = pytest.mark.browser


def _contract() -> Contract:
    return (
        Contract.objects.active()
        .filter(center__name__contains="บวกครกหลวง")
        .exclude(repayments__paid_on=timezone.localdate())
        .order_by("pk")
        .first()
    )


def _open_for_offline(page, url: str) -> None:
    """Opens the page with network and waits until the service worker keeps a copy of it."""
    page.goto(url)
    page.wait_for_selector("html[data-offline-ready='1']")


def _payments(contract: Contract, amount: str) -> int:
    return Repayment.objects.filter(
        contract=contract, paid_on=timezone.localdate(), amount=Decimal(amount)
    ).count()


def test_payment_saved_offline_is_sent_once_when_the_network_returns(page, login, demo_site, screenshot):
    contract = _contract()
    url = f"{demo_site.url}/contracts/{contract.pk}/repayments/new/"
    page.set_viewport_size({"width": 360, "height": 800})
    login("officer_mueang")
    _open_for_offline(page, url)

    page.context.set_offline(True)
    page.reload()  # from the service worker's copy
    page.wait_for_selector("#repayment-form")
    assert page.locator("#figures-taken").inner_text()
    assert page.locator("#offline-no-network").is_visible()
    first_token = page.input_value("input[name=token]")
    page.fill("#id_amount", "123")
    page.click("#record-payment")
    page.wait_for_selector("#offline-queued", state="visible")
    assert page.inner_text("#offline-count") == "1"
    screenshot("offline-repayment-queued")
    assert _payments(contract, "123") == 0

    page.context.set_offline(False)  # the page sends the queue when the network returns
    page.wait_for_selector("html[data-offline-waiting='0']")
    page.wait_for_selector("#offline-sent", state="visible")
    assert _payments(contract, "123") == 1

    # A second payment from the copy on the phone, its entry sent twice (a retry after a lost answer, the
    # worker's sync and the page at once): recorded once.
    page.context.set_offline(True)
    page.reload()
    token = page.input_value("input[name=token]")
    assert token != first_token  # the copy's token was used by the payment sent: a fresh one
    page.fill("#id_amount", "77")
    page.click("#record-payment")
    page.wait_for_selector("#offline-queued", state="visible")
    _queue_again(page)
    page.context.set_offline(False)
    page.wait_for_selector("html[data-offline-waiting='0']")
    assert _payments(contract, "77") == 1
    assert page.evaluate("async (u) => (await KongtunQueue.entries(u)).length", _user_id(page)) == 0


def _queue_again(page, same_version: bool = False) -> None:
    """The queue's first entry added once more, as a retry after a lost answer would; `same_version`: with
    the version of the record its page was taken at."""
    page.evaluate(
        """async (sameVersion) => {
            const user = document.getElementById('offline-bar').dataset.user;
            const [entry] = await KongtunQueue.entries(user);
            await KongtunQueue.add({user: user, url: entry.url, body: entry.body, title: 'again',
                                    version: sameVersion ? entry.version : undefined});
        }""",
        same_version,
    )


def _report_edited_offline(page, login, demo_site, field: str, value: str) -> CenterReport:
    """A draft report of officer_mueang's, its edit form opened with network, then filled in and saved with
    none: the save waits in the queue."""
    officer = User.objects.get(username="officer_mueang")
    report = CenterReportFactory(
        trip=TripFactory(created_by=officer), center=_contract().center, author=officer
    )
    login("officer_mueang")
    _open_for_offline(page, f"{demo_site.url}/visits/reports/{report.pk}/edit/")
    page.context.set_offline(True)
    page.reload()
    page.fill(field, value)
    page.click("#save-report")
    page.wait_for_selector("#offline-queued", state="visible")
    return report


def _user_id(page) -> str:
    return page.get_attribute("#offline-bar", "data-user")


def test_refused_save_comes_back_with_its_values(page, login, demo_site, screenshot):
    contract = _contract()
    url = f"{demo_site.url}/contracts/{contract.pk}/repayments/new/"
    page.set_viewport_size({"width": 360, "height": 800})
    login("officer_mueang")
    _open_for_offline(page, url)
    page.context.set_offline(True)
    page.reload()
    page.fill("#id_amount", "98765432")  # more than the contract owes
    page.fill("#id_note", "typed with no network")
    page.click("#record-payment")
    page.wait_for_selector("#offline-queued", state="visible")
    page.context.set_offline(False)
    page.wait_for_selector("#offline-refused", state="visible")  # not dropped: it comes back
    payoff = contract_position(contract, timezone.localdate()).payoff
    reasons = page.locator("#offline-refused-reasons li")
    assert reasons.count() == 1
    assert f"{payoff:,.2f}" in reasons.inner_text()  # the server's reason: more than the contract owes
    assert page.locator("#offline-problem-list a").count() == 1
    screenshot("offline-repayment-refused")
    page.click("#offline-correct")
    assert page.input_value("#id_amount") == "98765432"
    assert page.input_value("#id_note") == "typed with no network"
    assert (
        page.locator("#id_amount.is-invalid").count() == 1
    )  # the server's form, with the reason by the field
    page.fill("#id_amount", "55")
    page.click("#record-payment")
    page.wait_for_selector(".alert-success")
    assert _payments(contract, "55") == 1
    assert page.evaluate("async (u) => (await KongtunQueue.entries(u)).length", _user_id(page)) == 0


def test_logout_with_unsent_saves_warns_then_clears_the_phone(page, login, demo_site):
    contract = _contract()
    url = f"{demo_site.url}/contracts/{contract.pk}/repayments/new/"
    login("officer_mueang")
    _open_for_offline(page, url)
    page.context.set_offline(True)
    page.reload()
    page.fill("#id_amount", "11")
    page.click("#record-payment")
    page.wait_for_selector("#offline-queued", state="visible")
    # The network returns but the sends fail (the server is out of reach): the save stays unsent.
    # (the context's route: the worker's Background Sync sends too)
    page.context.route(
        "**/repayments/new/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.context.set_offline(False)
    page.wait_for_selector("html[data-offline-waiting='1']")
    page.goto(f"{demo_site.url}/")
    page.wait_for_selector("#offline-waiting", state="visible")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_timeout(500)
    assert "1" in dialogs[0]
    assert page.locator("#current-user").count() == 1  # still logged in, the save still there
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_url("**/accounts/login/")
    assert _payments(contract, "11") == 0
    left = page.evaluate(
        """() => new Promise((resolve) => {
            const req = indexedDB.open('kongtun-offline', 1);
            req.onsuccess = () => {
                const all = req.result.transaction('queue').objectStore('queue').getAll();
                all.onsuccess = () => resolve(all.result.length);
            };
        })"""
    )
    assert left == 0
    assert page.evaluate("async () => (await caches.open('kongtun-pages').then((c) => c.keys())).length") == 0

    # Logged in again (the worker still controls the tab), the form opened is kept for offline use again.
    page.context.unroute("**/repayments/new/")
    login("officer_mueang")
    _open_for_offline(page, url)
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#repayment-form")


def test_collection_sheet_saved_offline_is_recorded_once(page, login, demo_site):
    contract = _contract()
    center = contract.center
    login("officer_mueang")
    _open_for_offline(page, f"{demo_site.url}/contracts/collection/{center.pk}/")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#collection-form")
    page.fill(f"#id_paid_{contract.pk}", "41")
    page.click("#save-collection")
    page.wait_for_selector("#offline-queued", state="visible")
    assert page.inner_text("#offline-count") == "1"
    page.context.set_offline(False)
    page.wait_for_selector("html[data-offline-waiting='0']")
    assert _payments(contract, "41") == 1


def test_report_changed_on_the_server_meanwhile_shows_both_versions(page, login, demo_site, screenshot):
    officer = User.objects.get(username="officer_mueang")
    center = _contract().center
    report = CenterReportFactory(trip=TripFactory(created_by=officer), center=center, author=officer)
    page.set_viewport_size({"width": 360, "height": 800})
    login("officer_mueang")
    _open_for_offline(page, f"{demo_site.url}/visits/reports/{report.pk}/edit/")
    page.context.set_offline(True)
    page.reload()
    page.fill("#id_problems", "written on the phone")
    page.click("#save-report")
    page.wait_for_selector("#offline-queued", state="visible")

    report.refresh_from_db()
    report.problems = "written at the office"  # a colleague's change, after the phone's copy was taken
    report.save()
    page.context.set_offline(False)
    page.wait_for_selector("#offline-conflict", state="visible")
    rows = page.inner_text("#offline-conflict-rows")
    assert "written at the office" in rows
    assert "written on the phone" in rows
    report.refresh_from_db()
    assert report.problems == "written at the office"  # not overwritten
    screenshot("offline-report-conflict")

    page.click("#offline-keep-mine")
    for _attempt in range(100):  # the choice is recorded, then the phone's version sent
        report.refresh_from_db()
        if report.problems == "written on the phone":
            break
        page.wait_for_timeout(100)
    assert report.problems == "written on the phone"
    choice = ConflictChoice.objects.get()
    assert (choice.user, choice.kept) == (officer, "mine")
    assert choice.server_version["problems"] == "written at the office"
    assert choice.phone_version["problems"] == "written on the phone"
    page.wait_for_selector("html[data-offline-waiting='0']")
    assert report.history.first().history_user == officer


def test_report_edit_sent_twice_is_saved_with_no_conflict_to_choose(page, login, demo_site):
    """The same edit twice in the queue (its first answer lost): the second finds the report changed by the
    first, with the phone's values already on the server, so there is nothing to choose between."""
    report = _report_edited_offline(page, login, demo_site, "#id_problems", "sent twice from the phone")
    _queue_again(page, same_version=True)
    page.context.set_offline(False)
    page.wait_for_selector("html[data-offline-waiting='0']")
    count = "async (u) => (await KongtunQueue.entries(u)).length"
    for _attempt in range(50):  # the second send comes back as a conflict, then is settled as sent
        if page.evaluate(count, _user_id(page)) == 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(count, _user_id(page)) == 0
    assert page.locator("#offline-conflict").is_hidden()
    assert page.locator("#offline-problems").is_hidden()
    report.refresh_from_db()
    assert report.problems == "sent twice from the phone"
    assert not ConflictChoice.objects.exists()


def test_new_report_saved_offline_and_sent_twice_is_recorded_once(page, login, demo_site):
    officer = User.objects.get(username="officer_mueang")
    center = _contract().center
    trip = TripFactory(created_by=officer)
    page.set_viewport_size({"width": 360, "height": 800})
    login("officer_mueang")
    _open_for_offline(page, f"{demo_site.url}/visits/trips/{trip.pk}/reports/new/")
    page.context.set_offline(True)
    page.reload()  # from the service worker's copy
    page.wait_for_selector("#report-form")
    token = page.input_value("input[name=token]")
    page.select_option("#id_center", str(center.pk))
    page.fill("#id_visit_date", "24/03/2567")
    page.fill("#id_strengths", "written with no network")
    page.click("#save-report")
    page.wait_for_selector("#offline-queued", state="visible")
    # The same entry twice in the queue (a retry after a lost answer, the worker's sync and the page at once).
    _queue_again(page)
    assert page.inner_text("#offline-count") in ("1", "2")
    assert not CenterReport.objects.filter(trip=trip).exists()

    page.context.set_offline(False)
    page.wait_for_selector("html[data-offline-waiting='0']")
    report = CenterReport.objects.get(trip=trip)  # one report
    assert (report.center, report.strengths, str(report.token)) == (center, "written with no network", token)
    # both sends were answered as saved: nothing comes back refused
    assert page.evaluate("async (u) => (await KongtunQueue.entries(u)).length", _user_id(page)) == 0
    assert page.locator("#offline-problems").is_hidden()


def test_pages_older_than_the_setting_are_not_shown_offline(page, login, demo_site, settings):
    settings.OFFLINE_PAGES_MAX_AGE_DAYS = 0  # every copy is already too old
    contract = _contract()
    login("officer_mueang")
    _open_for_offline(page, f"{demo_site.url}/contracts/{contract.pk}/repayments/new/")
    page.context.set_offline(True)
    page.reload()
    assert page.locator("#repayment-form").count() == 0
    assert page.locator("h1").inner_text()  # the worker's "no network" page


def test_keeping_the_servers_version_drops_the_phones_and_says_so(page, login, demo_site):
    report = _report_edited_offline(page, login, demo_site, "#id_strengths", "from the phone")
    report.refresh_from_db()
    report.strengths = "from the office"
    report.save()
    page.context.set_offline(False)
    page.wait_for_selector("#offline-conflict", state="visible")
    page.click("#offline-keep-server")
    page.wait_for_load_state()
    for _attempt in range(50):
        if ConflictChoice.objects.exists():
            break
        page.wait_for_timeout(100)
    choice = ConflictChoice.objects.get()
    assert choice.kept == "server"
    assert choice.phone_version["strengths"] == "from the phone"
    report.refresh_from_db()
    assert report.strengths == "from the office"
    count = "async (u) => (await KongtunQueue.entries(u)).length"
    for _attempt in range(50):  # the phone's entry is dropped, then the page reloads
        try:
            if page.evaluate(count, _user_id(page)) == 0:
                break
        except PlaywrightError:  # the page reloading meanwhile
            pass
        page.wait_for_timeout(100)
    page.wait_for_load_state()
    assert page.evaluate(count, _user_id(page)) == 0
