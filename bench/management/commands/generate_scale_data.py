"""Fill a PostgreSQL database with a synthetic national dataset (see bench/scale_data.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kongtun_scale .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kongtun_scale .venv/bin/python manage.py \\
        generate_scale_data --centers 25000 --households 500000 --months 24 --seed 1 \\
        --output bench/results/scale_data.json

It refuses to run with production settings, on SQLite, and on a database that already holds villages,
centers or households, unless `--replace` is given: then it first EMPTIES every village, center, household,
debt, contract, visit and rollup table (all of them, not only earlier synthetic rows) and removes the
synthetic `scale_…` accounts; provinces, districts, subdistricts and other accounts stay. Everything is
written in one transaction, so a failure leaves the database as it was. At the end it runs
`rebuild_rollups` when that command exists.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation

from bench import scale_data


class Command(BaseCommand):
    help = "Create a synthetic national dataset with COPY (PostgreSQL, development and benchmarks only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--centers", type=int, default=25_000)
        parser.add_argument("--households", type=int, default=500_000)
        parser.add_argument("--months", type=int, default=24, help="The months of history, ending today.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty every village, center, household, debt, contract, visit and rollup table first.",
        )
        parser.add_argument(
            "--defer-constraints",
            choices=("auto", "yes", "no"),
            default="auto",
            help=f"Drop keys and indexes during the load (auto: from "
            f"{scale_data.DEFER_CONSTRAINTS_FROM} households).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes that write the rows (default: 2 on 2 cores or more for large sets, else 1); "
            "the data depends on the seed and the number of workers.",
        )
        parser.add_argument("--output", type=Path, help="Write the sizes, timings and row counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION or not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "generate_scale_data refuses to run with production settings: it writes fictional households "
                "and can empty the tables of real ones."
            )
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_scale_data loads with PostgreSQL COPY: set DATABASE_URL=postgres://… "
                f"(this database is {connection.vendor})."
            )
        sizes = scale_data.Sizes(
            centers=options["centers"],
            households=options["households"],
            months=options["months"],
            seed=options["seed"],
        )
        if sizes.centers < 1 or sizes.households < 0 or not 1 <= sizes.months <= 240:
            raise CommandError("Give at least one center, households ≥ 0 and 1 to 240 months.")
        defer = {"auto": None, "yes": True, "no": False}[options["defer_constraints"]]
        load_before = os.getloadavg()  # other work on the machine slows the load: say how busy it was
        started = time.perf_counter()
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            if scale_data.has_data():
                if not options["replace"]:
                    raise CommandError(
                        "This database already holds villages, centers or households. Run with --replace to "
                        "empty ALL of them first (not only earlier synthetic data), or use an empty database."
                    )
                clear_started = time.perf_counter()
                scale_data.clear()
                cleared = round(time.perf_counter() - clear_started, 1)
            else:
                cleared = 0.0
            report = scale_data.generate(
                sizes, defer_constraints=defer, workers=options["workers"], log=self.stdout.write
            )
            report.seconds = {"clear": cleared, **report.seconds}
        rollups = None
        if "rebuild_rollups" in get_commands():
            self.stdout.write("rebuild_rollups…")
            rollup_started = time.perf_counter()
            call_command("rebuild_rollups", stdout=self.stdout)
            rollups = round(time.perf_counter() - rollup_started, 1)
            report.seconds["rebuild_rollups"] = rollups
        else:
            self.stderr.write(
                self.style.WARNING("rebuild_rollups does not exist yet: the rollups are not built.")
            )
        total = round(time.perf_counter() - started, 1)
        self.stdout.write(self.style.SUCCESS(f"Done in {total} s: {sum(report.rows.values()):,} rows."))
        if options["output"]:
            result = {
                "workers": options["workers"] or "auto",
                "sizes": {
                    "centers": sizes.centers,
                    "households": sizes.households,
                    "months": sizes.months,
                    "seed": sizes.seed,
                },
                "total_seconds": total,
                # CPU time of this process and its workers (not PostgreSQL's): on a busy machine the wall
                # time above runs longer than this.
                "python_cpu_seconds": python_cpu_seconds(),
                "seconds": report.seconds,
                "rows": dict(sorted(report.rows.items())),
                "rows_total": sum(report.rows.values()),
                "repayment_and_savings_rows": sum(
                    report.rows[table]
                    for table in ("contracts_repayment", "contracts_repaymentline", "contracts_savingsentry")
                ),
                "machine": {
                    **machine(),
                    "load_average_before": load_before,
                    "load_average_after": os.getloadavg(),
                },
                "measured_on": timezone.localdate().isoformat(),
                "command": (
                    f"manage.py generate_scale_data --centers {sizes.centers} "
                    f"--households {sizes.households} --months {sizes.months} --seed {sizes.seed}"
                ),
            }
            options["output"].parent.mkdir(parents=True, exist_ok=True)
            options["output"].write_text(
                json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )


def python_cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 1)


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM and PostgreSQL version of this machine."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "postgresql": server,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }
