"""seed_demo --date on an empty database (apart from tests/core/test_seed_demo.py, whose tests share one demo
seeded for their module: this one seeds its own, for another day)."""

import os
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from contracts.models import Contract, Repayment, SavingsEntry


@pytest.mark.django_db
def test_seed_demo_takes_the_day_its_history_runs_up_to():
    call_command("seed_demo", "--date", "2025-06-30", stdout=open(os.devnull, "w"))  # noqa: SIM115
    signed = sorted(Contract.objects.values_list("signed_on", flat=True))
    day = date(2025, 6, 30)
    assert signed[0] >= day - timedelta(days=2 * 366)  # signed a year or two before that day
    assert signed[-1] <= day - timedelta(days=330)
    assert Repayment.objects.latest("paid_on").paid_on <= day  # repaid up to that day, not today
    assert SavingsEntry.objects.latest("on").on <= day
