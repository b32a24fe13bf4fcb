"""Time the Excel import of a 10,000-row debt registry, end to end through the upload page.

    .venv/bin/python bench/import.py                      # SQLite (in memory, like the tests)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kongtun .venv/bin/python bench/import.py

It makes a throwaway test database (test settings, migrations run), a district officer and a center, writes a
registry with the template's Thai headers (households with 0 to 4 debts, one row per debt), then times one
POST of the file to /households/import/ — upload, every row checked, all saved in one transaction — and
writes the result to bench/results/import.json (`rows`, `seconds`, and the details).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.registry import registry_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "import.json")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        result = run(args.rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


def run(rows: int) -> dict:
    from debts import importer
    from debts.models import DebtBalance, DebtLine, ImportJob
    from households.models import Household
    from tests.factories import CenterFactory, UserFactory

    officer = UserFactory(username="bench_officer")
    center = CenterFactory(name="ศูนย์ทดสอบความเร็ว")
    content, households = registry_file(rows)

    phases: dict[str, float] = {}
    original_progress = importer._progress

    def timed_progress(job, **fields):
        if fields.get("status") == ImportJob.Status.SAVING:
            phases["saving_started"] = time.perf_counter()
        original_progress(job, **fields)

    importer._progress = timed_progress
    client = Client()
    client.force_login(officer)
    upload = SimpleUploadedFile("registry.xlsx", content)
    data = {"center": center.pk, "file": upload, "privacy_notice_version": "1", "token": str(uuid.uuid4())}
    started = time.perf_counter()
    response = client.post(reverse("debts:import_start"), data)
    seconds = time.perf_counter() - started
    importer._progress = original_progress

    job = ImportJob.objects.get()
    if response.status_code != 302 or job.status != ImportJob.Status.DONE:
        raise SystemExit(f"The import failed: {response.status_code} {job.status} {job.errors[:5]}")
    assert Household.objects.count() == households
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "households": households,
        "debt_lines": DebtLine.objects.count(),
        "balances": DebtBalance.objects.count(),
        "checking_seconds": round(phases["saving_started"] - started, 2),
        "saving_seconds": round(started + seconds - phases["saving_started"], 2),
        "file_bytes": len(content),
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "measured_on": date.isoformat(timezone.localdate()),
        "command": "python bench/import.py"
        + ("" if connection.vendor == "sqlite" else "  (DATABASE_URL=postgres://…)"),
    }


if __name__ == "__main__":
    main()
