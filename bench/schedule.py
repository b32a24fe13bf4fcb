"""Time the contract pages' repayment schedule (templates/contracts/includes/schedule.html) rendered alone.

    .venv/bin/python bench/schedule.py            # N=200 renders of each size; prints ms per render

In-process with the production settings (the cached template loader) and throwaway keys; no database: the
schedule is computed by contracts.selectors.schedule_table from plain tranches, as the contract page does
from a contract's. Sizes: 12 months of one fund, and 60 months (the longest term in the demo and load
data; the draw-up allows up to 360) of three funds. Thai is active, as on the officer's page. Prints the
median of 5 rounds of N renders, in CPU time of this process (steadier than wall time on a shared machine).
"""

import os
import statistics
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inprocess import setup_django  # bench/, the script's folder

setup_django()
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from contracts.selectors import schedule_table  # noqa: E402

N = int(os.environ.get("N", "200"))


@dataclass(frozen=True)  # hashable: the schedule is keyed by its tranches
class Tranche:
    fund: str
    principal: Decimal
    annual_rate: Decimal
    method: str


def tranche(fund: str, principal: str, rate: str, method: str) -> Tranche:
    return Tranche(fund, Decimal(principal), Decimal(rate), method)


SIZES = {
    "12 months, 1 fund": ([tranche("กองทุนหมู่บ้าน", "30000.00", "6", "flat")], 12),
    "60 months, 3 funds": (
        [
            tranche("กองทุนหมู่บ้าน", "250000.00", "6", "flat"),
            tranche("กองทุนสัจจะออมทรัพย์", "120000.00", "3", "declining"),
            tranche("กองทุนแม่ของแผ่นดิน", "45000.50", "1.5", "declining"),
        ],
        60,
    ),
}

translation.activate("th")
for name, (tranches, months) in SIZES.items():
    table = schedule_table(tranches, months=months, first_due=date(2025, 1, 5), monthly_saving=Decimal("200"))
    html = render_to_string("contracts/includes/schedule.html", {"table": table})
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(N):
            render_to_string("contracts/includes/schedule.html", {"table": table})
        rounds.append((time.process_time() - start) / N * 1000)
    print(f"{name:20s} {statistics.median(rounds):6.2f} ms per render  ({len(html):,} bytes)", flush=True)
