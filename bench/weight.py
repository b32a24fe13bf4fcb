"""Page weight: the bytes a district officer's phone downloads for the five pages of a field day.

    .venv/bin/python bench/weight.py          # about a minute, writes bench/results/weight.json

1. A throwaway SQLite database in a temporary folder gets the geography and the demo data (`seed_demo`),
   the static files are collected into the manifest storage that production uses (whitenoise writes the
   gzip and brotli copies), and gunicorn serves `config.wsgi` with the production settings, as
   bench/load.py does (throwaway keys, loopback only).
2. Debian's Chromium (Playwright) logs in as `officer_mueang` and opens each page twice: first with the
   browser cache emptied (a phone that has never opened Kongtun, logged in), then again (a repeat visit:
   the hashed static files come from the cache; the pages themselves are never cached, they are sent with
   `Cache-Control: no-store`). The figure is what went over the wire as Chromium counts it
   (`encodedDataLength` of every response, headers included, compressed as sent).
3. Goals: first load at most 150 KB, a repeat visit at most 30 KB; Chart.js only on pages with a chart.
   The exit status is 1 when a page misses a goal.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import ROOT, data_step_env, git_describe, manage, start_gunicorn, throwaway_env

FIRST_LOAD_GOAL_KB = 150
REPEAT_VISIT_GOAL_KB = 30
USERNAME = "officer_mueang"

# The pages, found in the demo data as that officer sees them (printed as JSON by the data step).
FIND_PAGES = """
import json
from django.urls import reverse
from django.contrib.auth import get_user_model
from contracts.models import Contract
from visits.access import can_edit_report_content
from visits.models import CenterReport
from accounts.demo import DEMO_PASSWORD
user = get_user_model().objects.get(username="{username}")
contract = Contract.objects.visible_to(user).filter(status="active").order_by("pk").first()
reports = CenterReport.objects.visible_to(user).order_by("pk")
report = next(r for r in reports if can_edit_report_content(user, r))
print(json.dumps({{"password": DEMO_PASSWORD, "pages": {{
    "home": reverse("core:home"),
    "household": reverse("households:household_detail", args=[contract.household_id]),
    "contract": reverse("contracts:contract_detail", args=[contract.pk]),
    "collection sheet": reverse("contracts:collection_sheet", args=[contract.household.center_id]),
    "report form": reverse("visits:report_edit", args=[report.pk]),
}}}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "weight.json")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kongtun-weight-"))
    try:
        env = throwaway_env(f"sqlite:///{tmp / 'weight.sqlite3'}", tmp)
        data_env = data_step_env(env, tmp)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        for command in ("load_geography", "seed_demo", "rebuild_rollups"):
            manage(data_env, command)
        found = manage(
            data_env, "shell", "--verbosity", "0", "-c", FIND_PAGES.format(username=USERNAME), check=False
        )
        if found.returncode != 0:
            raise SystemExit(f"could not find the pages in the demo data:\n{found.stderr}")
        demo = json.loads(found.stdout.strip().splitlines()[-1])
        server, base = start_gunicorn(env, workers=2, log=tmp / "gunicorn.log")
        try:
            measured = measure(base, demo["pages"], demo["password"])
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    result = {
        "pages": measured,
        "goals": {
            "first_load_kb_at_most": FIRST_LOAD_GOAL_KB,
            "repeat_visit_kb_at_most": REPEAT_VISIT_GOAL_KB,
        },
        "met": all(page["met"] for page in measured),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_describe(),
        "browser": "Debian chromium (Playwright), cache emptied (DevTools protocol) before the first load",
        "server": "gunicorn, config.settings.production, whitenoise CompressedManifestStaticFilesStorage",
        "python": platform.python_version(),
    }
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for page in measured:
        chart_js, met = "yes" if page["loads_chartjs"] else "no ", "ok" if page["met"] else "MISSED"
        print(
            f"{page['page']:<17} first {page['first_load_kb']:6.1f} KB"
            f"   repeat {page['repeat_visit_kb']:5.1f} KB   chart.js {chart_js}   {met}"
        )
    return 0 if result["met"] else 1


def measure(base: str, pages: dict[str, str], password: str) -> list[dict]:
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"  # the worker's downloads count too
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
        login = browser.new_context()
        page = login.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", password)
        page.click("form button[type=submit]:not([name=language])")
        page.wait_for_url(f"{base}/")
        session = login.cookies()
        login.close()
        for name, path in pages.items():
            # A phone that has never opened Kongtun, logged in: no HTTP cache, no service worker yet.
            context = browser.new_context(viewport={"width": 360, "height": 800})
            context.add_cookies(session)
            transfers: list = []  # the context's finished requests
            context.on("requestfinished", lambda request: transfers.append(request))  # noqa: B023 (used at once)
            page = context.new_page()
            visits = []
            for _ in range(2):  # the first load, then the repeat visit
                transfers.clear()
                response = page.goto(f"{base}{path}", wait_until="networkidle")
                if response is None or response.status != 200:
                    raise SystemExit(f"{name} ({path}) answered {response and response.status}")
                page.wait_for_timeout(1000)  # the service worker's own downloads (its app shell) finish
                visits.append([transfer(request) for request in transfers])
            context.close()
            first, repeat = (sum(t["bytes"] for t in visit) / 1024 for visit in visits)
            results.append(
                {
                    "page": name,
                    "path": path,
                    "first_load_kb": round(first, 1),
                    "repeat_visit_kb": round(repeat, 1),
                    "first_load_files": files(visits[0]),
                    "repeat_visit_files": files(visits[1]),
                    "loads_chartjs": any("chart" in t["file"] for t in visits[0]),
                    "met": first <= FIRST_LOAD_GOAL_KB and repeat <= REPEAT_VISIT_GOAL_KB,
                }
            )
        browser.close()
    return results


def transfer(request) -> dict:
    """One response as it went over the wire: headers and the body as sent (compressed), nothing when it came
    from a cache (the browser's or the service worker's)."""
    from playwright.sync_api import Error as PlaywrightError

    response = request.response()
    try:
        sizes = request.sizes()
    except PlaywrightError:  # the worker's own script has no page to ask: its body as sent
        wire = int(response.header_value("content-length") or 0) if response else 0
    else:
        cached = response is None or response.from_service_worker or sizes["responseBodySize"] < 0
        wire = 0 if cached else sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return {
        "file": Path(request.url).name or request.url,
        "by_worker": request.service_worker is not None,
        "bytes": wire,
    }


def files(transfers: list[dict]) -> list[tuple[str, float, bool]]:
    """Each response of a visit: its file, the KB it took on the wire, whether the worker fetched it."""
    return sorted((t["file"], round(t["bytes"] / 1024, 1), t["by_worker"]) for t in transfers)


if __name__ == "__main__":
    raise SystemExit(main())
