import os
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from centers.models import Center, FundType
from contracts.arrears import center_portfolio
from contracts.models import (
    Contract,
    Payoff,
    Repayment,
    RepaymentLine,
    SavingsEntry,
    SavingsRule,
    SavingsTier,
    ScheduledInstalment,
    Tranche,
)
from contracts.progress import household_progress
from contracts.selectors import contract_position
from geography.models import Village
from households.models import HouseholdStatus, StatusChange

CONTRACT_MODELS = [SavingsRule, SavingsTier, Contract, Tranche, Payoff, ScheduledInstalment, Repayment,
                   RepaymentLine, SavingsEntry, StatusChange]  # fmt: skip


@pytest.mark.django_db
def test_seed_demo_twice_creates_each_record_once():
    call_command("seed_demo")
    counts = (User.objects.count(), Village.objects.count(), Center.objects.count())
    ledgers = [model.objects.count() for model in CONTRACT_MODELS]
    call_command("seed_demo")
    assert (User.objects.count(), Village.objects.count(), Center.objects.count()) == counts == (6, 2, 2)
    assert [model.objects.count() for model in CONTRACT_MODELS] == ledgers
    assert ledgers[2] == 46  # one contract per enrolled household of the report


# The demo history runs up to the day seed_demo runs: pinned here, so that the figures do not change with
# the day the suite runs.
DEMO_DAY = date(2026, 12, 3)


@pytest.mark.django_db
def test_both_demo_centers_show_debt_reduced_and_debt_free_households(time_machine):
    time_machine.move_to(DEMO_DAY)
    today = timezone.localdate()
    call_command("seed_demo")
    for center in Center.objects.all():
        households = list(center.households.all())
        progress = [household_progress(household) for household in households]
        assert all(p is not None for p in progress)  # every enrolled household has a signed contract
        assert sum(p.reduced > 0 for p in progress) >= len(households) // 2
        debt_free = [h for h, p in zip(households, progress, strict=True) if p.debt_now == 0]
        assert len(debt_free) >= 3
        assert all(h.status == HouseholdStatus.DEBT_FREE for h in debt_free)
        assert sum(p.savings > 0 for p in progress) >= len(households) // 2
        contracts = Contract.objects.filter(center=center)
        signed = sorted(contracts.values_list("signed_on", flat=True))
        assert signed[0] >= today - timedelta(days=2 * 366)  # signed a year or two ago
        assert signed[-1] <= today - timedelta(days=330)
        rates = {(t.fund.fund_type, t.annual_rate) for t in Tranche.objects.filter(contract__center=center)}
        assert {fund_type for fund_type, _rate in rates} == {FundType.SAVINGS_GROUP, FundType.VILLAGE_FUND}
        assert len({rate for _fund_type, rate in rates}) == 2  # the funds lend at different rates
        portfolio = center_portfolio(center, today)
        assert any(s.days_past_due > 30 for s in portfolio.standings)  # some arrears
        assert any(s.days_past_due == 0 for s in portfolio.standings)  # most pay on time
        for contract in contracts.filter(status=Contract.Status.ACTIVE):  # every ledger adds up
            assert contract_position(contract, today).principal > 0


@pytest.mark.django_db
def test_demo_centers_are_in_the_places_of_the_report():
    call_command("seed_demo")
    buak = Center.objects.with_area().get(name__contains="บวกครกหลวง")
    assert (
        buak.village.moo,
        buak.village.subdistrict.name_en,
        buak.village.subdistrict.district.name_en,
    ) == (
        1,
        "Tha Sala",
        "Mueang Chiang Mai",
    )
    assert buak.founded_year == 2560
    nong = Center.objects.with_area().get(name__contains="หนองมะจับ")
    assert (nong.village.subdistrict.name_en, nong.village.subdistrict.district.name_en) == (
        "Mae Faek",
        "San Sai",
    )
    assert nong.founded_year == 2554


@pytest.mark.django_db
def test_demo_logins_cover_every_role(rf):
    call_command("seed_demo")

    def login(username):
        return authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)

    officer = login("officer_mueang")
    assert officer.district_id == "5001"
    assert login("officer_sansai").district_id == "5014"
    assert login("province_cm").province_id == "50"
    assert login("department").office_level == "department"
    reviewer = login("reviewer_department")
    assert reviewer.office_level == "department"
    assert reviewer.reviews_reports
    assert not login("department").reviews_reports
    assert not login("province_cm").reviews_reports
    assert login("admin").is_superuser
    assert Center.objects.visible_to(officer).count() == 1


@pytest.mark.django_db
def test_seed_demo_takes_the_day_its_history_runs_up_to():
    call_command("seed_demo", "--date", "2025-06-30", stdout=open(os.devnull, "w"))  # noqa: SIM115
    signed = sorted(Contract.objects.values_list("signed_on", flat=True))
    day = date(2025, 6, 30)
    assert signed[0] >= day - timedelta(days=2 * 366)  # signed a year or two before that day
    assert signed[-1] <= day - timedelta(days=330)
    assert Repayment.objects.latest("paid_on").paid_on <= day  # repaid up to that day, not today
    assert SavingsEntry.objects.latest("on").on <= day
