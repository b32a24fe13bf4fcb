"""Load test: officers saving repayments and visit reports while others read lists and dashboards.

    .venv/bin/python bench/load.py                 # the full run (90 s), writes bench/results/load.json
    .venv/bin/python bench/load.py --short --output /tmp/load.json     # ~15 s on small data (CI)

Everything stays on this machine: gunicorn listens on 127.0.0.1 only.

1. The database named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kongtun_load) is dropped
   and made anew (the tool refuses a database whose name does not contain "load"), migrated, and filled:
   a national synthetic set from `generate_scale_data`, the demo records of `seed_demo`, and the accounts
   and records the users work on, made through the project's own services and test factories: district
   officers in several districts (two provinces), each with centers, households with signed contracts,
   trips to report on and draft reports; provincial staff of both provinces and department staff;
   `rebuild_rollups` last. This step runs with the production settings of the run (same database and
   keys) with the guard of those commands lifted, in a settings module written to a temporary folder
   (see DATA_STEP_SETTINGS).
2. gunicorn serves config.wsgi with the production settings (DEBUG off, PBKDF2 passwords, secure cookies,
   manifest static files after collectstatic) and throwaway secret and national ID keys, like .ci/run does
   for `check --deploy`; SECURE_SSL_REDIRECT is off because there is no TLS proxy on loopback.
3. locust (bench/locustfile.py, headless, FastHttpUser) runs the mix: each user logs in through the login
   page with its CSRF token; officers record repayments through the repayment form (GET the form and its
   one-time token, POST it, one in ten posted twice like a double click), write new visit reports and save
   drafts; readers go through the lists, detail pages and dashboards. The users start at the spawn rate
   and each logs in first; when the last one has logged in (a working day: people log in once, then work)
   the locustfile resets locust's statistics and the load runs `--duration` seconds more. Locust's own
   figures (`--csv`: requests, failures, median and percentiles per page and in all) are the result.
4. Afterwards: the repayments in the database must be exactly those the server accepted (one per distinct
   token, nothing lost, nothing counted twice), the new visit reports those created, and
   `manage.py verify_rollups` must pass.

The result (JSON): rps, p50_ms, p95_ms, p99_ms, errors (the ramp-up's count too), requests, duration_s, each
page's figures (slowest p95 first), the checks, gunicorn's CPU per request, the load average before and
after (on a shared machine the figures are only comparable with that in view), and the machine.
The exit status is 1 when a check fails or a request failed.

The target: at least 60 requests/s with p95 at most 300 ms and no error, on 2 cores shared by locust,
gunicorn and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kongtun_load"
PASSWORD = "load-test-password-" + "x" * 12  # the bench accounts' password, on a throwaway database only

# Officers work in these districts, in this order (Chiang Mai 50 and Lampang 52, real DOPA codes).
DISTRICTS = ["5001", "5201", "5014", "5202", "5004", "5203", "5005", "5204"]

# As the README's production command: each worker is replaced after about a thousand requests, so memory a
# worker once took for a large upload is given back (bench/uploads.py).
RECYCLE = ["--max-requests", "1000", "--max-requests-jitter", "100"]

RAMP_UP_LIMIT_S = 120  # the users must all have logged in within this time

MODES = {
    "full": {
        "duration": 90,
        "workers": 4,
        "districts": 8,
        "officers_per_district": 4,
        "provincial_per_province": 3,
        "department": 3,
        "centers_per_district": 6,
        "households_per_center": 8,
        "contracts_per_center": 5,
        "trips_per_officer": 12,
        "scale_centers": 1000,
        "scale_households": 10000,
        "spawn_rate": 5.0,
        "wait": [0.2, 1.0],
    },
    "short": {
        "duration": 15,
        "workers": 2,
        "districts": 2,
        "officers_per_district": 1,
        "provincial_per_province": 1,
        "department": 1,
        "centers_per_district": 2,
        "households_per_center": 4,
        "contracts_per_center": 3,
        "trips_per_officer": 3,
        "scale_centers": 50,
        "scale_households": 300,
        "spawn_rate": 5.0,
        "wait": [0.2, 1.0],
    },
}


# -- The orchestration (no Django in this process) ---------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the CI mode: ~15 s on small data")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "load.json")
    parser.add_argument("--duration", type=int, help="seconds of load once every user has logged in")
    parser.add_argument("--users", type=int, help="locust users (default: one per account)")
    parser.add_argument("--workers", type=int, help="gunicorn workers")
    parser.add_argument("--spawn-rate", type=float)
    parser.add_argument("--no-scale-data", action="store_true", help="skip generate_scale_data")
    parser.add_argument("--keep-database", action="store_true", help="keep the database afterwards")
    parser.add_argument("--note", default="", help="a remark stored with the result")
    sub = parser.add_subparsers(dest="step")
    for step in ("prepare", "check"):
        inner = sub.add_parser(step)
        inner.add_argument("--plan", type=Path, required=True)
        inner.add_argument("--config", default="{}")
        inner.add_argument("--results", type=Path)
    args = parser.parse_args()
    if args.step == "prepare":
        return step_prepare(args.plan, json.loads(args.config))
    if args.step == "check":
        return step_check(args.plan, args.results)

    mode = "short" if args.short else "full"
    config = dict(MODES[mode])
    for name in ("duration", "workers", "spawn_rate"):
        if getattr(args, name) is not None:
            config[name] = getattr(args, name)
    if args.no_scale_data:
        config["scale_centers"] = config["scale_households"] = 0
    with tempfile.TemporaryDirectory(prefix="kongtun-load-") as tmp:
        keep = args.keep_database or not args.short
        result = run(mode, config, args.database_url, Path(tmp), args.users, keep)
    result["command"] = "python bench/load.py" + (" --short" if args.short else "")
    if args.note:
        result["note"] = args.note
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {k: result[k] for k in ("rps", "p50_ms", "p95_ms", "errors", "requests", "duration_s")}
    print(json.dumps({**summary, "checks_passed": result["checks"]["passed"]}, indent=2))
    return 0 if result["checks"]["passed"] and result["errors"] == 0 else 1


def database_parts(url: str) -> dict:
    import dj_database_url

    parts = dj_database_url.parse(url)
    if "postgresql" not in parts["ENGINE"]:
        raise SystemExit("The load test runs on PostgreSQL: give a postgres:// DATABASE_URL.")
    if "load" not in parts["NAME"]:
        raise SystemExit(f"Refusing to drop database {parts['NAME']!r}: its name must contain 'load'.")
    return parts


def pg_admin(parts: dict, *statements: str | tuple[str, tuple]) -> list:
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=parts["USER"] or "postgres",
        password=parts["PASSWORD"] or None,
        host=parts["HOST"] or "127.0.0.1",
        port=parts["PORT"] or 5432,
    )
    connection.autocommit = True
    rows = []
    with connection.cursor() as cursor:
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, ())
            cursor.execute(sql, params)
            rows.append(cursor.fetchall() if cursor.description else None)
    connection.close()
    return rows


def throwaway_env(database_url: str, tmp: Path) -> dict:
    """Production settings with fresh random keys, for this run only."""
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "load-" + secrets.token_urlsafe(64),
        "NATIONAL_ID_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "NATIONAL_ID_HASH_KEY": "load-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy on loopback
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


DATA_STEP_SETTINGS = '''"""Written by bench/load.py for its data step only: the production settings of this
run (same database and keys), with the guard of seed_demo and generate_scale_data lifted. Those commands
refuse production settings to protect real servers; this database was made by the load test, on loopback,
and is thrown away."""

from config.settings.production import *  # noqa: F403

PRODUCTION = False
DEMO_DATA_ALLOWED = True
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405 (generate_scale_data)
'''


def data_step_env(env: dict, tmp: Path) -> dict:
    (tmp / "kongtun_load_settings.py").write_text(DATA_STEP_SETTINGS, encoding="utf-8")
    pythonpath = os.pathsep.join(filter(None, [str(tmp), str(ROOT), env.get("PYTHONPATH", "")]))
    return {**env, "DJANGO_SETTINGS_MODULE": "kongtun_load_settings", "PYTHONPATH": pythonpath}


def manage(env: dict, *command: str, check: bool = True, timeout: int = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own fixed commands)
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def this_script(env: dict, *command: str, timeout: int = 1800) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).resolve()), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/load.py {command[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *RECYCLE],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.terminate()
        raise SystemExit("gunicorn did not answer")
    for _ in range(workers * 3):  # every worker loads its templates and translations before the clock
        urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)  # noqa: S310
    return process, base


def run(mode: str, config: dict, database_url: str, tmp: Path, users: int | None, keep: bool) -> dict:
    parts = database_parts(database_url)
    env = throwaway_env(database_url, tmp)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    name = parts["NAME"].replace('"', "")
    pg_admin(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    collectstatic = subprocess.Popen(  # beside migrate: both take a while
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    manage(env, "migrate", "--noinput")
    if collectstatic.wait(timeout=600) != 0:
        raise SystemExit(f"collectstatic failed:\n{collectstatic.stderr.read()}")
    timings["migrate_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    plan_path = tmp / "plan.json"
    this_script(data_step_env(env, tmp), "prepare", "--plan", str(plan_path), "--config", json.dumps(config))
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    plan["wait_seconds"] = config["wait"]
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    timings["data_s"] = round(time.perf_counter() - started, 1)

    accounts = len(plan["officers"]) + len(plan["readers"])
    users = users or accounts
    log = tmp / "gunicorn.log"
    load_before = os.getloadavg()
    server, base = start_gunicorn(env, config["workers"], log)
    results_path, mark, csv_prefix = tmp / "locust.json", tmp / "measuring", tmp / "locust"
    # The time bound: the ramp-up (the users spawned, then their logins) and then the measured seconds.
    run_time = config["duration"] + RAMP_UP_LIMIT_S
    try:
        locust = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("locust")),
                "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--host", base,
                "--users", str(users), "--spawn-rate", str(config["spawn_rate"]),
                "--run-time", f"{run_time}s", "--stop-timeout", "10",
                "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOAD_PLAN": str(plan_path),
                "LOAD_RESULTS": str(results_path),
                "LOAD_USERS": str(users),
                "LOAD_MEASURE_SECONDS": str(config["duration"]),
                "LOAD_MEASURE_MARK": str(mark),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        # gunicorn's CPU is read when the clock starts (the last user has logged in) and at the end.
        while not mark.exists() and locust.poll() is None:
            time.sleep(0.05)
        gunicorn_cpu = process_tree_cpu(server.pid)
        locust_out, locust_err = locust.communicate(timeout=run_time + 120)
        gunicorn_cpu = process_tree_cpu(server.pid) - gunicorn_cpu
        load_after = os.getloadavg()
    finally:
        if locust.poll() is None:
            locust.kill()
        server.terminate()
        server.wait(timeout=30)
    if not results_path.exists() or not mark.exists():
        raise SystemExit(f"locust wrote no results, or not every user logged in:\n{locust_out}\n{locust_err}")
    record = json.loads(results_path.read_text(encoding="utf-8"))
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8", newline="") as stats_file:
        stats = list(csv.DictReader(stats_file))

    started = time.perf_counter()
    checks = json.loads(this_script(env, "check", "--plan", str(plan_path), "--results", str(results_path)))
    verify = manage(env, "verify_rollups", check=False)
    checks["verify_rollups"] = {
        "passed": verify.returncode == 0,
        "output": (verify.stdout + verify.stderr)[-2000:],
    }
    checks["passed"] = (
        checks["repayments"]["equal"]
        and checks["visit_reports"]["equal"]
        and checks["verify_rollups"]["passed"]
    )
    timings["checks_s"] = round(time.perf_counter() - started, 1)
    if not keep:
        pg_admin(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    server_errors = [
        line for line in log.read_text(errors="replace").splitlines() if "Internal Server Error" in line
    ]
    total = next(row for row in stats if row["Name"] == "Aggregated")
    pages = [
        {
            "page": f"{row['Type']} {row['Name']}", "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]), "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
            "max_ms": round(float(row["Max Response Time"]), 1),
        }
        for row in stats
        if row["Name"] != "Aggregated" and int(row["Request Count"])  # reset after the logins: 0 since
    ]  # fmt: skip
    pages.sort(key=lambda page: -page["p95_ms"])
    requests = int(total["Request Count"])
    rps, p95 = float(total["Requests/s"]), float(total["95%"])
    errors = sum(record["failures"].values())  # the ramp-up's failures count too
    return {
        "rps": round(rps, 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": p95,
        "p99_ms": float(total["99%"]),
        "max_ms": round(float(total["Max Response Time"]), 1),
        "errors": errors,
        "requests": requests,
        "duration_s": round(record["stopped"] - record["measured_from"], 1),
        "target": {
            "rps_at_least": 60,
            "p95_ms_at_most": 300,
            "errors": 0,
            "met": rps >= 60 and p95 <= 300 and errors == 0,
        },
        "gunicorn_cpu_ms_per_request": round(1000 * gunicorn_cpu / max(1, requests), 1),
        "server_errors": len(server_errors),
        "server_log_tail": log.read_text(errors="replace")[-3000:] if server_errors else "",
        "locust_exit_status": locust.returncode,
        "ramp_up": {
            "seconds": round(record["measured_from"] - record["started"], 1),
            "logins": record["logins"],
            "note": "users start at the spawn rate and log in (PBKDF2); locust's statistics are reset when "
            "the last one has logged in, as on a working day",
        },
        "mode": mode,
        "users": users,
        "officers": len(plan["officers"]),
        "readers": len(plan["readers"]),
        "workers": config["workers"],
        "server": "gunicorn sync workers, config.settings.production, 127.0.0.1, " + " ".join(RECYCLE),
        "wait_between_tasks_s": config["wait"],
        "spawn_rate": config["spawn_rate"],
        "mix": {
            "officer tasks (weights)": "record a repayment 6, new visit report 2, save a draft 2, read 3",
            "reader tasks (weights)": "lists 10, detail pages 5, dashboards 5",
            "repayment posts accepted": record["repayment_posts"],
            "of which double clicks": record["double_posts"],
            "visit reports created": len(record["reports_created"]),
            "visit report saves": record["report_saves"],
        },
        "pages": pages,
        "failures": record["failures"],
        "checks": checks,
        "data": plan["data"],
        "prepare_timings": timings,
        "machine": machine(parts),
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "measured_on": datetime.now(UTC).date().isoformat(),
        "code": git_describe(),
    }


def process_tree_cpu(pid: int) -> float:
    """User and system CPU seconds of gunicorn's master and its workers (/proc), with those of the workers
    that have ended (recycled by --max-requests: the master has waited for them, their time is its cutime
    and cstime)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += sum(int(tick) for tick in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        pending.extend(int(child) for child in children)
    return total


def git_describe() -> str:
    """The commit measured (and whether the tree had changes), so a figure can be tied to its code."""
    git = shutil.which("git")
    if git is None:
        return "unknown"
    try:
        commit = subprocess.run(  # noqa: S603 (fixed git commands)
            [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            [git, "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" (with uncommitted changes)" if dirty else "")


def machine(parts: dict) -> dict:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    ram_gb = None
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        ram_gb = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    version = pg_admin(parts, "SHOW server_version")[0][0][0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "postgresql": version,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "note": "locust, gunicorn and PostgreSQL share these cores",
    }


# -- Inside Django: make the data, then check it ------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step_prepare(plan_path: Path, config: dict) -> int:
    django_setup()
    from django.core.management import call_command

    quiet = open(os.devnull, "w")  # noqa: SIM115
    # The national synthetic set first: generate_scale_data wants a database without villages or centers.
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    scale_note = "none (--no-scale-data)"
    if config["scale_centers"]:
        call_command(
            "generate_scale_data",
            "--centers", str(config["scale_centers"]),
            "--households", str(config["scale_households"]),
            stdout=quiet, stderr=quiet,
        )  # fmt: skip
        scale_note = "generate_scale_data --centers {} --households {}".format(
            config["scale_centers"], config["scale_households"]
        )
    seconds["generate_scale_data"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    call_command("seed_demo", stdout=quiet)
    seconds["seed_demo"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    plan = make_workload(config)
    seconds["workload"] = round(time.perf_counter() - started, 1)
    plan["data"]["national_set"] = scale_note
    started = time.perf_counter()  # the demo and factory rows were written without the services
    call_command("rebuild_rollups", stdout=quiet)
    seconds["rebuild_rollups"] = round(time.perf_counter() - started, 1)
    # Statistics for every table, as autovacuum keeps them on a running server (it may be off where the
    # database was just made, and the planner then guesses, e.g. on the geography tables).
    started = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds["analyze"] = round(time.perf_counter() - started, 1)
    plan["data"]["seconds"] = seconds
    plan["data"].update(counts())
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return 0


def counts() -> dict:
    from centers.models import Center
    from contracts.models import Contract, Repayment
    from households.models import Household
    from visits.models import CenterReport

    return {
        "centers": Center.objects.count(),
        "households": Household.objects.count(),
        "contracts": Contract.objects.count(),
        "repayments_before": Repayment.objects.count(),
        "visit_reports_before": CenterReport.objects.count(),
    }


def make_workload(config: dict) -> dict:
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from centers.models import Center
    from contracts import services
    from core.scoping import OfficeLevel
    from geography.models import District, Subdistrict, Village
    from tests.debts.factories import make_debt
    from tests.factories import CenterFactory, MemberFundFactory, UserFactory
    from tests.households.factories import HouseholdFactory
    from tests.visits.factories import CenterReportFactory, TripFactory
    from visits.models import CenterReport, Trip

    today = timezone.localdate()
    visit_day = today - timedelta(days=7)
    password = make_password(PASSWORD)  # once: every bench account shares it (PBKDF2 is slow on purpose)
    districts = list(District.objects.filter(code__in=DISTRICTS[: config["districts"]]).order_by("code"))
    districts.sort(key=lambda d: DISTRICTS.index(d.code))
    provinces = sorted({d.province_id for d in districts})

    def dashboard(name: str, *args) -> list:
        return [reverse(f"dashboards:{name}", args=args), f"dashboard {name}"]

    officers = []
    national_ids = iter(range(7_000_000, 8_000_000))
    for district in districts:
        with transaction.atomic():
            subdistricts = list(Subdistrict.objects.filter(district=district).order_by("code")[:10])
            accounts = [
                UserFactory(
                    username=f"load_officer_{district.code}_{n}", district_id=district.code, password=None
                )
                for n in range(config["officers_per_district"])
            ]
            User.objects.filter(pk__in=[a.pk for a in accounts]).update(password=password)
            centers, contracts = [], {a.pk: [] for a in accounts}
            for i in range(config["centers_per_district"]):
                subdistrict = subdistricts[i % len(subdistricts)]
                moo = 90 + i // len(subdistricts)
                village, _ = Village.objects.get_or_create(
                    code=Village.code_for(subdistrict.code, moo),
                    defaults={"subdistrict": subdistrict, "moo": moo, "name": f"บ้านทดสอบโหลด {i + 1}"},
                )
                center = CenterFactory(village=village, name=f"ศูนย์ทดสอบโหลด {district.name_th} {i + 1}")
                centers.append(center.pk)
                fund = MemberFundFactory(center=center, capital=Decimal("10000000.00"))
                for h in range(config["households_per_center"]):
                    household = HouseholdFactory(center=center, national_id=_national_id(next(national_ids)))
                    if h >= config["contracts_per_center"]:
                        continue
                    officer = accounts[(i + h) % len(accounts)]
                    line = make_debt(household, creditor_type="money_lender", balance="30000.00",
                                     original="30000.00", as_of=today - timedelta(days=70))  # fmt: skip
                    contract = services.contract_draw_up(
                        user=officer, household=household, term_months=36,
                        first_due_on=today - timedelta(days=20), drawn_up_on=today - timedelta(days=60),
                        tranches=[services.TrancheTerms(fund, Decimal("30000.00"), Decimal("6"), "flat")],
                        payoffs=[services.PayoffTerms(line, Decimal("30000.00"))],
                    )  # fmt: skip
                    receipts = {
                        p.pk: services.PayoffReceipt(today - timedelta(days=50), "R-1")
                        for p in contract.payoffs.all()
                    }
                    services.contract_sign(
                        user=officer,
                        contract=contract,
                        signed_on=today - timedelta(days=50),
                        receipts=receipts,
                    )
                    contracts[officer.pk].append(contract.pk)
            district_dashboard = dashboard("district", district.code)
            for officer in accounts:
                trips = [
                    TripFactory(
                        title=f"ติดตามศูนย์ ครั้งที่ {t + 1} ({officer.username})",
                        province_id=district.province_id, district_id=district.code,
                        start_date=visit_day, end_date=visit_day, created_by=officer,
                    )
                    for t in range(config["trips_per_officer"] + 1)
                ]  # fmt: skip
                drafts = [
                    CenterReportFactory(
                        trip=trips[-1], center=center, author=officer, visit_date=visit_day
                    ).pk
                    for center in Center.objects.filter(pk__in=centers[:2])
                ]
                officers.append({
                    "username": officer.username, "password": PASSWORD, "contracts": contracts[officer.pk],
                    "trips": [trip.pk for trip in trips[:-1]], "reports": drafts, "centers": centers,
                    "dashboards": [district_dashboard],
                })  # fmt: skip

    readers = []
    with transaction.atomic():
        for province in provinces:
            for n in range(config["provincial_per_province"]):
                user = UserFactory(
                    username=f"load_province_{province}_{n}", office_level=OfficeLevel.PROVINCE,
                    district_id=None, province_id=province, password=None,
                )  # fmt: skip
                readers.append((user, province))
        for n in range(config["department"]):
            user = UserFactory(username=f"load_department_{n}", office_level=OfficeLevel.DEPARTMENT,
                               district_id=None, province_id=None, password=None)  # fmt: skip
            readers.append((user, None))
        User.objects.filter(pk__in=[u.pk for u, _ in readers]).update(password=password)
    reader_plans = []
    for user, province in readers:
        centers = Center.objects.visible_to(user)
        trips = Trip.objects.visible_to(user)
        reports = CenterReport.objects.visible_to(user)
        area = [f"province={province}"] if province else [f"province={p}" for p in provinces]
        area += [f"district={d.code}" for d in districts if province in (None, d.province_id)]
        boards = [dashboard("home")]
        boards += [dashboard("province", p) for p in ([province] if province else provinces)]
        boards += [dashboard("district", d.code) for d in districts if province in (None, d.province_id)]
        boards += [dashboard("center", pk) for pk in centers.order_by("pk").values_list("pk", flat=True)[:20]]
        reader_plans.append({
            "username": user.username, "password": PASSWORD, "filters": area,
            "centers": list(centers.order_by("?").values_list("pk", flat=True)[:200]),
            "trips": list(trips.order_by("?").values_list("pk", flat=True)[:100]),
            "reports": list(reports.order_by("?").values_list("pk", flat=True)[:100]),
            "dashboards": boards,
        })  # fmt: skip
    return {
        "officers": officers,
        "readers": reader_plans,
        "data": {
            "districts": [d.code for d in districts],
            "provinces": provinces,
            "centers_per_district": config["centers_per_district"],
            "households_per_center": config["households_per_center"],
            "contracts_per_center": config["contracts_per_center"],
        },
    }


def _national_id(n: int) -> str:
    from households import national_id

    return national_id.with_check_digit(f"3{n:011d}")


def step_check(plan_path: Path, results_path: Path) -> int:
    """Compare what the server accepted with what the database holds."""
    django_setup()
    from contracts.models import Repayment
    from visits.models import CenterReport

    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    record = json.loads(results_path.read_text(encoding="utf-8"))
    tokens = set(record["repayment_tokens"])
    before = plan["data"]["repayments_before"]
    total = Repayment.objects.count()
    matching = Repayment.objects.filter(token__in=tokens).count()
    created = set(record["reports_created"])
    reports_total = CenterReport.objects.count()
    reports_before = plan["data"]["visit_reports_before"]
    result = {
        "repayments": {
            "accepted_posts": record["repayment_posts"],
            "distinct_tokens": len(tokens),
            "new_in_database": total - before,
            "with_those_tokens": matching,
            # Saved by the server although the client saw no redirect (a failed or cut-off answer).
            "saved_without_answer": Repayment.objects.filter(
                token__in=set(record["repayment_attempts"]) - tokens
            ).count(),
            "equal": total - before == len(tokens) == matching,
        },
        "visit_reports": {
            "created_through_the_form": len(created),
            "new_in_database": reports_total - reports_before,
            "equal": reports_total - reports_before == len(created)
            and CenterReport.objects.filter(pk__in=created).count() == len(created),
        },
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    if shutil.which("locust") is None and not Path(sys.executable).with_name("locust").exists():
        raise SystemExit("locust is not installed: make .venv/.installed (it is in the dev extras)")
    sys.exit(main())
