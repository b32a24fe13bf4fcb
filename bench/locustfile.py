"""The users of the load test (bench/load.py starts locust on this file; it is not meant to be run alone).

District officers record repayments through the real repayment form (get the form with its one-time token,
post it, now and then post it twice like a double click) and write and save visit reports; provincial and
department staff read the lists (centers, households, trips, reports, recommendations), detail pages and the
dashboards when they exist. Every user logs in through the login page, with its CSRF token, like a browser.

bench/load.py writes the plan (accounts, their contracts, trips and reports, the dashboard URLs) to the
file named by LOAD_PLAN. Locust measures the requests itself (bench/load.py reads its --csv statistics);
this file writes to LOAD_RESULTS, when locust quits, what the checks against the database need: the tokens
of the repayments the server accepted, the reports created, and every failure, the ramp-up's included.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
# The clock starts once every user has logged in (the ramp-up is not measured): LOAD_USERS users, then
# LOAD_MEASURE_SECONDS of load. Locust's statistics are reset at that moment, so its own figures (--csv)
# cover the measured time only, and the file LOAD_MEASURE_MARK is written.
USERS = int(os.environ.get("LOAD_USERS", "0"))
MEASURE_SECONDS = float(os.environ.get("LOAD_MEASURE_SECONDS", "0"))
MEASURE_MARK = os.environ.get("LOAD_MEASURE_MARK")
WAIT = tuple(PLAN["wait_seconds"])
RNG = random.Random()  # picks pages and amounts; nothing secret  # noqa: S311

# What the checks against the database need, and what locust's statistics do not keep across their reset.
RECORD = {
    "logins": 0,
    "failures": {},  # "method name: message" -> count, the ramp-up's included
    "repayment_tokens": [],  # tokens of the repayment posts answered by the redirect to the contract
    "repayment_attempts": [],  # tokens of every repayment posted, answered or not
    "repayment_posts": 0,  # successful posts, double clicks included
    "double_posts": 0,
    "reports_created": [],  # pks of the reports created through the form
    "report_saves": 0,
    "started": None,
    "measured_from": None,  # when the last user had logged in
    "stopped": None,
}
_ENV: dict = {}
_users_started = 0


@events.init.add_listener
def _on_init(environment, **_kwargs):
    _ENV["environment"] = environment


@events.test_start.add_listener
def _on_start(environment, **_kwargs):
    RECORD["started"] = time.time()


@events.request.add_listener
def _on_request(request_type, name, exception, **_kwargs):
    if name == "login" and exception is None:
        RECORD["logins"] += 1
    if exception is not None:
        key = f"{request_type} {name}: {str(exception)[:300]}"
        RECORD["failures"][key] = RECORD["failures"].get(key, 0) + 1


def _user_started() -> None:
    """Counts the users that have logged in (or failed to); the clock starts with the last one."""
    global _users_started
    _users_started += 1
    if _users_started != USERS or RECORD["measured_from"] is not None:
        return
    environment = _ENV["environment"]
    environment.runner.stats.reset_all()
    RECORD["measured_from"] = time.time()
    if MEASURE_MARK:
        with open(MEASURE_MARK, "w", encoding="utf-8") as mark:
            mark.write(str(RECORD["measured_from"]))
    if MEASURE_SECONDS:
        gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


@events.quitting.add_listener
def _on_quitting(environment, **_kwargs):
    RECORD["stopped"] = time.time()
    with open(os.environ["LOAD_RESULTS"], "w", encoding="utf-8") as out:
        json.dump(RECORD, out)


# -- HTML forms, read the way a browser submits them ---------------------------------------------------


class Form:
    def __init__(self, attrs: dict):
        self.attrs = attrs
        self.fields: list[tuple[str, str]] = []  # what the browser sends, in order
        self.options: dict[str, list[str]] = {}  # select name -> option values (non-empty)
        self.errors: list[str] = []

    def data(self, **changes: str) -> dict:
        data: dict = {}
        for name, value in self.fields:
            data.setdefault(name, [])
            data[name].append(value)
        for name, value in changes.items():
            data[name] = [value]
        return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


class FormParser(HTMLParser):
    """Collects the forms of a page: inputs, checked boxes, selected options and textareas, skipping what a
    browser does not send (inputs inside <template>, unchecked boxes, buttons, disabled fields)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.template_depth = 0
        self.select: str | None = None
        self.select_value: str | None = None
        self.select_first: str | None = None
        self.option: dict | None = None
        self.option_text = ""
        self.textarea: str | None = None
        self.textarea_text = ""
        self.error_depth = 0
        self.error_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "template":
            self.template_depth += 1
        if self.template_depth:
            return
        if tag == "form":
            self.form = Form(a)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        classes = a.get("class", "").split()
        if "invalid-feedback" in classes or "alert-danger" in classes or "errorlist" in classes:
            self.error_depth = 1
            self.error_text = ""
        elif self.error_depth:
            self.error_depth += 1
        name = a.get("name")
        if "disabled" in a:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
                return
            self.form.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_value, self.select_first = name, None, None
            self.form.options[name] = []
        elif tag == "option" and self.select:
            value = a.get("value")
            self.option = {"value": value, "selected": "selected" in a}
            self.option_text = ""
        elif tag == "textarea" and name:
            self.textarea, self.textarea_text = name, ""

    def handle_endtag(self, tag):
        if tag == "template":
            self.template_depth = max(0, self.template_depth - 1)
            return
        if self.template_depth or self.form is None:
            return
        if self.error_depth:
            self.error_depth -= 1
            if not self.error_depth and self.error_text.strip():
                self.form.errors.append(" ".join(self.error_text.split()))
        if tag == "option" and self.option is not None and self.select:
            value = self.option["value"] if self.option["value"] is not None else self.option_text.strip()
            if value:
                self.form.options[self.select].append(value)
            if self.select_first is None:
                self.select_first = value
            if self.option["selected"]:
                self.select_value = value
            self.option = None
        elif tag == "select" and self.select:
            value = self.select_value if self.select_value is not None else self.select_first
            if value is not None:
                self.form.fields.append((self.select, value))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.form.fields.append((self.textarea, self.textarea_text.removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None

    def handle_data(self, data):
        if self.option is not None:
            self.option_text += data
        if self.textarea:
            self.textarea_text += data
        if self.error_depth:
            self.error_text += data


def find_form(html: str, *, form_id: str | None = None, field: str | None = None) -> Form | None:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form_id and form.attrs.get("id") == form_id:
            return form
        if field and any(name == field for name, _ in form.fields):
            return form
    return None


def form_errors(html: str) -> str:
    parser = FormParser()
    parser.feed(html)
    errors = [error for form in parser.forms for error in form.errors]
    return "; ".join(errors)[:300] or "the form was shown again"


def local_path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- Users ----------------------------------------------------------------------------------------------


class KongtunUser(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)
    accounts: itertools.cycle
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        # Production cookies are Secure; on loopback there is no TLS proxy, so send them over plain http,
        # as a browser does to the proxy in front of the app.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        self.account = next(self.accounts)
        try:
            self.log_in()
        finally:
            _user_started()

    def get(self, url: str, name: str, expect: int = 200) -> str | None:
        """GET a page; a redirect is followed as a browser does, as a request of its own (a redirect to
        the login page is a failure: the session was lost)."""
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            location = response.headers.get("Location", "") if response.status_code in (301, 302) else ""
            if location and "/accounts/login/" not in location and expect == 200:
                response.success()
            elif response.status_code != expect:
                response.failure(f"HTTP {response.status_code}, expected {expect}")
                return None
            else:
                return response.text
        return self.get(local_path(location), f"{name} (redirected)")

    def post(self, url: str, data: dict, name: str) -> str | None:
        """POST a form like a browser; answer the Location of the redirect a saved form gives, or None."""
        headers = {"Referer": self.client.base_url + url}
        with self.client.post(
            url, data=data, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code == 302:
                return response.headers.get("Location", "")
            if response.status_code == 200:
                response.failure(f"refused: {form_errors(response.text)}")
            else:
                response.failure(f"HTTP {response.status_code}")
            return None

    def log_in(self) -> None:
        page = self.get("/accounts/login/", "login form")
        form = page and find_form(page, field="csrfmiddlewaretoken")
        if not form:
            raise StopUser
        data = form.data(username=self.account["username"], password=self.account["password"])
        location = self.post("/accounts/login/", data, "login")
        if location is None:
            raise StopUser
        self.get(local_path(location) or "/", "home")


class Officer(KongtunUser):
    """A district officer: records payments at the center's monthly collection and writes visit reports."""

    weight = len(PLAN["officers"])
    accounts = itertools.cycle(PLAN["officers"])

    def on_start(self) -> None:
        super().on_start()
        self.contracts = list(self.account["contracts"])
        self.trips = list(self.account["trips"])
        self.reports = list(self.account["reports"])
        RNG.shuffle(self.contracts)

    @task(6)
    def record_repayment(self) -> None:
        contract = RNG.choice(self.contracts)
        url = f"/contracts/{contract}/repayments/new/"
        page = self.get(url, "repayment form")
        form = page and find_form(page, form_id="repayment-form")
        if not form:
            return
        amount = f"{RNG.randint(20, 300)}.{RNG.choice(['00', '50', '25'])}"
        # The same amount twice on one day asks to confirm (a repeat payment): the officer ticks the box, as
        # a real second payment would be confirmed. Ticked on every post, it changes nothing otherwise.
        data = form.data(amount=amount, note="โหลดทดสอบ", confirm_repeat="on")
        RECORD["repayment_attempts"].append(data["token"])
        location = self.post(url, data, "repayment post")
        if location is None:
            return
        RECORD["repayment_tokens"].append(data["token"])
        RECORD["repayment_posts"] += 1
        if RNG.random() < 0.1:  # a double click: the same form again records nothing more
            again = self.post(url, data, "repayment post (double click)")
            if again is not None:
                RECORD["repayment_posts"] += 1
                RECORD["double_posts"] += 1
        self.get(local_path(location), "contract detail")

    @task(2)
    def write_report(self) -> None:
        while self.trips:
            trip = self.trips[0]
            url = f"/visits/trips/{trip}/reports/new/"
            with self.client.get(url, name="report form (new)", catch_response=True) as response:
                if response.status_code == 403:  # every center of the district has a report on this trip
                    response.success()
                    self.trips.pop(0)
                    continue
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    return
                page = response.text
            form = find_form(page, form_id="report-form")
            if not form or not form.options.get("center"):
                self.trips.pop(0)
                continue
            center = form.options["center"][0]
            if len(form.options["center"]) == 1:  # the trip's last center without a report
                self.trips.pop(0)
            data = form.data(
                center=center,
                people_met="ประธานศูนย์ เหรัญญิก และสมาชิก",
                people_met_count=str(RNG.randint(3, 15)),
                finding_committee="คณะกรรมการประชุมทุกเดือน มีบันทึกการประชุม",
                finding_contracts="ครัวเรือนชำระคืนตามสัญญาเป็นส่วนใหญ่",
                strengths="สมาชิกออมเงินสม่ำเสมอ",
                problems="บางครัวเรือนค้างชำระ",
            )
            addressed_to = form.options.get("recommendations-0-addressed_to")
            if addressed_to and RNG.random() < 0.5:
                data["recommendations-0-text"] = "จัดทำทะเบียนลูกหนี้ให้เป็นปัจจุบัน"
                data["recommendations-0-addressed_to"] = addressed_to[0]
            location = self.post(url, data, "report post (new)")
            if location is None:
                return
            match = re.search(r"/visits/reports/(\d+)/", location)
            if match:
                RECORD["reports_created"].append(int(match[1]))
                self.reports.append(int(match[1]))
            self.get(local_path(location), "report detail")
            return
        self.save_report()

    @task(2)
    def save_report(self) -> None:
        if not self.reports:
            return
        report = RNG.choice(self.reports)
        url = f"/visits/reports/{report}/edit/"
        page = self.get(url, "report form (edit)")
        form = page and find_form(page, form_id="report-form")
        if not form:
            return
        data = form.data(
            finding_savings=f"สมาชิกออมเงินเพิ่มขึ้น บันทึกเมื่อ {time.strftime('%H:%M:%S')}",
            strengths=RNG.choice(["สมาชิกออมเงินสม่ำเสมอ", "คณะกรรมการเข้มแข็ง", "มีทะเบียนครบถ้วน"]),
        )
        location = self.post(url, data, "report post (edit)")
        if location is None:
            return
        RECORD["report_saves"] += 1
        self.get(local_path(location), "report detail")

    @task(3)
    def read(self) -> None:
        page = RNG.choice(
            [
                ("/contracts/", "contract list"),
                (f"/contracts/{RNG.choice(self.contracts)}/", "contract detail"),
                ("/households/", "household list"),
                ("/centers/", "center list"),
                (f"/centers/{RNG.choice(self.account['centers'])}/", "center detail"),
                ("/visits/", "trip list"),
                ("/", "home"),
                *[(url, name) for url, name in self.account["dashboards"]],
            ]
        )
        self.get(*page)


class Reader(KongtunUser):
    """Provincial or department staff: read lists, detail pages and dashboards."""

    weight = len(PLAN["readers"])
    accounts = itertools.cycle(PLAN["readers"])

    @task(10)
    def read_list(self) -> None:
        area = RNG.choice(self.account["filters"])
        url, name = RNG.choice(
            [
                ("/centers/", "center list"),
                (f"/centers/?{area}", "center list (filtered)"),
                ("/centers/?page=2", "center list (page 2)"),
                ("/households/", "household list"),
                (f"/households/?{area}", "household list (filtered)"),
                ("/visits/", "trip list"),
                ("/visits/reports/", "report list"),
                ("/visits/recommendations/", "recommendation list"),
            ]
        )
        self.get(url, name)

    @task(5)
    def read_detail(self) -> None:
        choices = [("centers", "center detail"), ("trips", "trip detail"), ("reports", "report detail")]
        key, name = RNG.choice([choice for choice in choices if self.account[choice[0]]])
        pk = RNG.choice(self.account[key])
        prefix = {"centers": "/centers/", "trips": "/visits/trips/", "reports": "/visits/reports/"}[key]
        self.get(f"{prefix}{pk}/", name)

    @task(5)
    def read_dashboard(self) -> None:
        self.get(*RNG.choice(self.account["dashboards"]))
