"""Server CPU and SQL queries of each page the load test uses, measured in-process (no HTTP, no contention).

    .venv/bin/python bench/load.py --keep-database        # once: makes and keeps kongtun_load
    .venv/bin/python bench/pages.py                      # every page N=30 times, CPU and wall ms, queries
    N=10 ONLY="contract detail" PROFILE="contract" .venv/bin/python bench/pages.py   # with cProfile
    CONTRACT=5818 ONLY="contract detail" .venv/bin/python bench/pages.py   # that contract (district 5001)

DATABASE_URL names another copy of the load database (default postgres://postgres@127.0.0.1:5432/kongtun_load).
Runs with the production settings and throwaway keys; POSTs add repayments to that database. It runs
collectstatic first (into STATIC_ROOT, default /tmp/prof_static): the production pages need its manifest.
"""

import cProfile
import itertools
import json
import os
import pstats
import random
import re
import time
from decimal import Decimal

from inprocess import setup_django  # bench/, the script's folder

ROOT = setup_django(database_url="postgres://postgres@127.0.0.1:5432/kongtun_load")
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the production pages link to
N = int(os.environ.get("N", "30"))
RESULTS: list[dict] = []
PROFILE = os.environ.get("PROFILE")


def client_for(username):
    c = Client(HTTP_HOST="127.0.0.1", secure=True)
    from accounts.models import User

    c.force_login(User.objects.get(username=username))
    return c


def load_ids() -> dict:
    """A center, a contract, a report and a trip of district 5001 (a load-test district)."""
    from centers.models import Center
    from contracts.models import Contract
    from visits.models import CenterReport, Trip

    in_district = {"center__village__subdistrict__district_id": "5001"}
    return {
        "center": Center.objects.filter(village__subdistrict__district_id="5001").order_by("id")[0].pk,
        "contract": int(os.environ["CONTRACT"])
        if os.environ.get("CONTRACT")
        else Contract.objects.filter(**in_district).order_by("-id")[0].pk,
        "report": CenterReport.objects.filter(**in_district).order_by("-id")[0].pk,
        "trip": Trip.objects.filter(district_id="5001").order_by("-id")[0].pk,
    }


officer = client_for("load_officer_5001_0")
reader = client_for("load_province_50_0")
ids = load_ids()
center, contract, report, trip = ids["center"], ids["contract"], ids["report"], ids["trip"]

pages = [
    ("home", officer, "/"),
    ("contract detail", officer, f"/contracts/{contract}/"),
    ("repayment form", officer, f"/contracts/{contract}/repayments/new/"),
    ("report form (edit)", officer, f"/visits/reports/{report}/edit/"),
    ("report form (new)", officer, f"/visits/trips/{trip}/reports/new/"),
    ("report detail", reader, f"/visits/reports/{report}/"),
    ("center detail", reader, f"/centers/{center}/"),
    ("center list", reader, "/centers/"),
    ("household list", reader, "/households/"),
    ("trip list", reader, "/visits/"),
    ("report list", reader, "/visits/reports/"),
    ("recommendation list", reader, "/visits/recommendations/"),
    ("trip detail", reader, f"/visits/trips/{trip}/"),
    ("dashboard district", reader, "/dashboard/district/5001/"),
    ("dashboard center", reader, f"/dashboard/center/{center}/"),
    ("contract list", officer, "/contracts/"),
]
only = os.environ.get("ONLY")


def measure(name, fn):
    fn()
    with CaptureQueriesContext(connection) as q:
        fn()
    nq = len(q.captured_queries)
    prof = cProfile.Profile() if PROFILE and PROFILE in name else None
    t0, c0 = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    for _ in range(N):
        fn()
    if prof:
        prof.disable()
    wall = (time.perf_counter() - t0) / N * 1000
    cpu = (time.process_time() - c0) / N * 1000
    print(f"{name:28s} cpu {cpu:6.1f} ms  wall {wall:6.1f} ms  queries {nq}", flush=True)
    RESULTS.append({"page": name, "cpu_ms": round(cpu, 1), "wall_ms": round(wall, 1), "queries": nq})
    if prof:
        pstats.Stats(prof).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(45)


for name, c, url in pages:
    if only and only not in name:
        continue

    def get(c=c, url=url):
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return r

    measure(name, get)


# Satang: each post a new amount (the same amount twice on one day asks first), from a new start each run.
AMOUNTS = itertools.count(random.randrange(10_000, 50_000, 1000))  # noqa: S311 (not a secret)


def repayment_post():
    url = f"/contracts/{contract}/repayments/new/"
    page = officer.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    data = {"token": token, "amount": f"{Decimal(next(AMOUNTS)) / 100:.2f}", "note": "x"}
    for field in re.findall(r'name="([a-z_]+)" value="([^"]*)"', page):
        data.setdefault(field[0], field[1])
    r = officer.post(url, data)
    errors = re.findall(r"(?:invalid-feedback|alert-danger)[^>]*>(.{0,300})", r.content.decode(), re.S)
    assert r.status_code == 302, (r.status_code, errors)


if not only or "repayment post" in only:
    measure("repayment form+post", repayment_post)

if not only:  # a full run is kept: bench/results/pages.json
    result = {
        "measured_on": time.strftime("%Y-%m-%d"),
        "repetitions": N,
        "note": "in-process (Django test client, production settings), one process, no HTTP; cpu_ms is this "
        "process's CPU per request, wall_ms - cpu_ms roughly the database's share",
        "pages": RESULTS,
    }
    with open(os.path.join(ROOT, "bench", "results", "pages.json"), "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
