"""Time the dashboards on a national dataset, against a live SQL recomputation of the same figures.

First fill a PostgreSQL database (about 10 to 15 minutes on 2 cores; see bench/scale_data.py):

    createdb -h 127.0.0.1 -U postgres kongtun_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kongtun_scale
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale_data --centers 25000 --households 500000 --months 24 \\
        --seed 1 --output bench/results/scale_data.json      # add --replace to empty a filled database

(it runs `rebuild_rollups` at the end; run that yourself if the dataset came before the command). Then:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kongtun_scale .venv/bin/python bench/dashboards.py

In one run, in-process with the Django test Client and a department-level account (`scale_bench_department`,
created if missing, no usable password), it requests the national dashboard (`dashboards:home`), the
province and the district with the most centers (`dashboards:province`, `dashboards:district`, by code)
and the center with the most households (`dashboards:center`, by pk): `--warmup` requests each, then `--runs`
timed requests each. It counts the SQL queries of one more request per page, then times
`dashboards.live.figures_now("nation", "TH")` (the live recomputation from the ledger) `--live-runs` times.

It writes bench/results/dashboards.json: per page `p50_ms`, `p95_ms`, `queries` (and its url);
`live_recompute_ms` (the median), `speedup` (live_recompute_ms / the national page's p50_ms) and
`speedup_p95` (against its p95); `carry_ms`, what the first request of a month adds: every center and
district carried into the current month (`rollups.carry_into_current_month`, timed inside a transaction that
first deletes the current month's rows and is then rolled back); the data size (row counts), and the
machine. Targets at full size on 2 cores: every page p95 at most 50 ms, and a speedup of at least 20.

It stops with a clear message when the database is empty or on SQLite, or when the dashboard pages or
`dashboards.live` are missing. It uses the test settings (DEBUG off) on the database DATABASE_URL names, and
writes nothing but the benchmark account.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

BENCH_USERNAME = "scale_bench_department"
SIZE_TABLES = (
    "centers_center",
    "centers_memberfund",
    "households_household",
    "households_statuschange",
    "debts_debtline",
    "debts_debtbalance",
    "contracts_contract",
    "contracts_tranche",
    "contracts_scheduledinstalment",
    "contracts_repayment",
    "contracts_repaymentline",
    "contracts_savingsentry",
    "visits_trip",
    "visits_centerreport",
    "visits_recommendation",
    "dashboards_areamonth",
    "dashboards_areadue",
    "dashboards_provincedue",
    "dashboards_provincemonth",
)


def fail(message: str) -> None:
    raise SystemExit(f"bench/dashboards.py: {message}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed requests per page first.")
    parser.add_argument("--live-runs", type=int, default=5, help="Runs of the live recomputation.")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "dashboards.json")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        fail(
            "run it on the PostgreSQL database filled by generate_scale_data (set DATABASE_URL=postgres://…)."
        )
    result = run(args.runs, args.warmup, args.live_runs)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


def targets() -> dict[str, str]:
    """The page urls: the national page, and the largest province, district and center."""
    from centers.models import Center

    if not Center.objects.exists():
        fail("the database holds no centers: run `manage.py generate_scale_data` first (see the docstring).")
    province = (
        Center.objects.values("village__subdistrict__district__province")
        .annotate(n=Count("pk"))
        .order_by("-n", "village__subdistrict__district__province")
        .first()["village__subdistrict__district__province"]
    )
    district = (
        Center.objects.values("village__subdistrict__district")
        .annotate(n=Count("pk"))
        .order_by("-n", "village__subdistrict__district")
        .first()["village__subdistrict__district"]
    )
    center = (
        Center.objects.annotate(n=Count("households")).order_by("-n", "pk").values_list("pk", flat=True)[0]
    )
    try:
        return {
            "national": reverse("dashboards:home"),
            "province": reverse("dashboards:province", args=[province]),
            "district": reverse("dashboards:district", args=[district]),
            "center": reverse("dashboards:center", args=[center]),
        }
    except NoReverseMatch as exc:
        raise SystemExit(
            f"bench/dashboards.py: the dashboard pages are missing ({exc}): merge the dashboards pages first."
        ) from exc


def live_figures():
    try:
        from dashboards.live import figures_now
    except ImportError as exc:
        raise SystemExit(
            f"bench/dashboards.py: dashboards.live.figures_now is missing ({exc}): "
            "merge the dashboards engine first."
        ) from exc
    return figures_now


def bench_user():
    from django.contrib.auth import get_user_model

    from core.scoping import OfficeLevel

    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME,
        defaults={"office_level": OfficeLevel.DEPARTMENT, "first_name": "Benchmark", "password": "!"},
    )
    return user


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in SIZE_TABLES:
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (fixed names)
            counts[table] = cursor.fetchone()[0]
    return counts


def time_carry() -> tuple[float, int]:
    """The carry into the current month for every center, as if no request had come this month yet; undone."""
    from dashboards import rollups
    from dashboards.models import AreaMonth, CarriedMonth

    with transaction.atomic():
        month = rollups.current_month()
        AreaMonth.objects.filter(month=month).delete()
        CarriedMonth.objects.filter(month=month).delete()
        started = time.perf_counter()
        carried = rollups.carry_into_current_month()
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return round(elapsed, 1), carried


def run(runs: int, warmup: int, live_runs: int) -> dict:
    from bench.management.commands.generate_scale_data import machine

    urls = targets()
    figures_now = live_figures()
    client = Client()
    client.force_login(bench_user())
    pages = {}
    for name, url in urls.items():
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                fail(f"{name} page {url} answered {response.status_code}")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                fail(f"{name} page {url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        pages[name] = {
            "url": url,
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "queries": len(queries),
            "runs": runs,
        }
        print(f"{name}: {pages[name]}", file=sys.stderr)
    live = []
    for _ in range(live_runs):
        started = time.perf_counter()
        figures_now("nation", "TH")
        live.append((time.perf_counter() - started) * 1000)
    live_ms = round(statistics.median(live), 1)
    carry_ms, carried = time_carry()
    return {
        "pages": pages,
        "live_recompute_ms": live_ms,
        "live_recompute_runs": live_runs,
        "speedup": round(live_ms / pages["national"]["p50_ms"], 1),
        "speedup_p95": round(live_ms / pages["national"]["p95_ms"], 1),
        "carry_ms": carry_ms,
        "carried_centers": carried,
        "targets": {"p95_ms_at_most": 50, "speedup_at_least": 20},
        "rows": row_counts(),
        "machine": {**machine(), "load_average": os.getloadavg()},
        "measured_on": timezone.localdate().isoformat(),
        "command": "DATABASE_URL=postgres://…/kongtun_scale python bench/dashboards.py",
    }


if __name__ == "__main__":
    main()
