"""The load test in its short mode (bench/load.py --short): gunicorn with the production settings on loopback,
officers recording repayments and visit reports while provincial and department staff read, for ~15 s on
small data. No request may fail, every repayment the server accepted is in the database exactly once, and
verify_rollups passes. The full run is documented in bench/load.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the load test runs on PostgreSQL (run the suite with DATABASE_URL=postgres://...)",
    ),
    pytest.mark.early,  # about a minute: first, not at the end where a worker would run it alone
]


def test_short_load_run_loses_nothing(tmp_path):
    settings = connection.settings_dict
    database = f"{settings['NAME']}_load_short"  # its own database, dropped at the end of the run
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    auth = url["USER"] + (f":{url['PASSWORD']}" if url["PASSWORD"] else "")
    database_url = f"postgres://{auth}@{url['HOST'] or '127.0.0.1'}:{url['PORT'] or 5432}/{database}"
    output = tmp_path / "load.json"
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "bench/load.py", "--short", "--database-url", database_url, "--output", str(output)],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert output.exists(), done.stdout + done.stderr
    result = json.loads(output.read_text(encoding="utf-8"))

    assert result["errors"] == 0, result["failures"]
    assert result["server_errors"] == 0, result["server_log_tail"]
    assert result["requests"] > 50
    assert result["duration_s"] > 5
    # Every user logged in before the clock started; the logins are reported apart, not measured.
    assert result["ramp_up"]["logins"] == result["users"]
    assert not [page for page in result["pages"] if page["page"] == "POST login"]
    assert set(result) >= {"rps", "p50_ms", "p95_ms", "errors", "requests", "duration_s"}
    mix = result["mix"]
    assert mix["repayment posts accepted"] > 0
    assert mix["visit reports created"] + mix["visit report saves"] > 0

    repayments = result["checks"]["repayments"]
    assert repayments["new_in_database"] == repayments["distinct_tokens"] == repayments["with_those_tokens"]
    assert repayments["new_in_database"] > 0
    assert result["checks"]["visit_reports"]["equal"]
    rollups = result["checks"]["verify_rollups"]
    assert rollups["passed"] is not False, rollups.get("output")
    assert result["checks"]["passed"]
    assert done.returncode == 0, done.stdout + done.stderr
