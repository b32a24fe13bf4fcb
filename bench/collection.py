"""Time the save of a center's monthly collection sheet: 30 households paying and saving, one POST each run.

    .venv/bin/python bench/collection.py                      # SQLite (in memory, like the tests)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kongtun .venv/bin/python bench/collection.py

It makes a throwaway test database (test settings, migrations run), a district officer, a center with a
savings group, and `--households` households, each with a signed contract (drawn up, signed and its
creditor paid off through the services). Each run POSTs the sheet to /contracts/collection/<center>/ with a
fresh token, every household paying 100 baht and saving 10 (a payment and a deposit per row, one
transaction), and the result goes to bench/results/collection.json (`households`, `p50_ms`, `p95_ms`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "collection.json")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        result = run(args.households, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


def run(households: int, runs: int) -> dict:
    from contracts import services
    from contracts.models import Contract, Repayment, SavingsEntry
    from tests.debts.factories import make_debt
    from tests.factories import CenterFactory, MemberFundFactory, UserFactory
    from tests.households.factories import HouseholdFactory

    officer = UserFactory(username="bench_officer")
    center = CenterFactory(name="ศูนย์ทดสอบความเร็ว")
    fund = MemberFundFactory(center=center, capital=Decimal("10000000.00"))
    today = timezone.localdate()
    for _ in range(households):
        household = HouseholdFactory(center=center)
        line = make_debt(household, creditor_type="money_lender", balance="30000.00", original="30000.00")
        contract = services.contract_draw_up(
            user=officer, household=household, term_months=36, first_due_on=today - timedelta(days=20),
            drawn_up_on=today - timedelta(days=60),
            tranches=[services.TrancheTerms(fund, Decimal("30000.00"), Decimal("6"), "flat")],
            payoffs=[services.PayoffTerms(line, Decimal("30000.00"))],
        )  # fmt: skip
        receipts = {
            p.pk: services.PayoffReceipt(today - timedelta(days=50), "R-1") for p in contract.payoffs.all()
        }
        services.contract_sign(
            user=officer, contract=contract, signed_on=today - timedelta(days=50), receipts=receipts
        )
    contracts = list(Contract.objects.filter(center=center, status=Contract.Status.ACTIVE))
    assert len(contracts) == households

    client = Client()
    client.force_login(officer)
    url = reverse("contracts:collection_sheet", args=[center.pk])
    client.get(url)  # warm up: templates and translations loaded
    timings = []
    for _ in range(runs):
        data = {"token": str(uuid.uuid4()), "on": today.strftime("%d/%m/") + str(today.year + 543)}
        for contract in contracts:
            data[f"paid_{contract.pk}"] = "100"
            data[f"saved_{contract.pk}"] = "10"
        started = time.perf_counter()
        response = client.post(url, data)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"The sheet was refused: {response.status_code}")
    assert Repayment.objects.count() == households * runs
    assert SavingsEntry.objects.count() == households * runs
    timings.sort()
    return {
        "households": households,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "runs": runs,
        "rows_per_save": households * 2,
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "measured_on": date.isoformat(today),
        "command": "python bench/collection.py"
        + ("" if connection.vendor == "sqlite" else "  (DATABASE_URL=postgres://…)"),
    }


if __name__ == "__main__":
    main()
