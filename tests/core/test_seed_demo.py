import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from centers.demo import BUAK_KHROK_LUANG, NONG_MA_CHAP
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
from debts.models import DebtBalance, DebtLine, Sector
from geography.models import Village
from households import national_id
from households.models import Household, HouseholdStatus, StatusChange

CONTRACT_MODELS = [SavingsRule, SavingsTier, Contract, Tranche, Payoff, ScheduledInstalment, Repayment,
                   RepaymentLine, SavingsEntry, StatusChange]  # fmt: skip


# The demo history runs up to the day seed_demo runs: pinned here, so that the figures do not change with
# the day the suite runs.
DEMO_DAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def demo_data(module_db, django_db_blocker):
    """seed_demo once for the module, on DEMO_DAY (tests/conftest.py, `module_db`): the tests below read it,
    and what one of them writes (a second seed_demo) is rolled back before the next."""
    with django_db_blocker.unblock(), time_machine.travel(DEMO_DAY):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_seed_demo_twice_creates_each_record_once(db, demo_data, time_machine):
    """The second seed_demo of the same day adds nothing; the households then still match the report (the
    demo households' checks, once in tests/households/test_admin_and_demo.py, on the same two seeds)."""
    time_machine.move_to(DEMO_DAY)
    counts = (User.objects.count(), Village.objects.count(), Center.objects.count())
    ledgers = [model.objects.count() for model in CONTRACT_MODELS]
    households = (Household.objects.count(), DebtLine.objects.count(), DebtBalance.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (User.objects.count(), Village.objects.count(), Center.objects.count()) == counts == (6, 2, 2)
    assert [model.objects.count() for model in CONTRACT_MODELS] == ledgers
    assert ledgers[2] == 46  # one contract per enrolled household of the report
    assert (Household.objects.count(), DebtLine.objects.count(), DebtBalance.objects.count()) == households
    # enrolled, or debt-free since (contracts/demo.py pays some contracts off)
    enrolled = Household.objects.filter(status__in=[HouseholdStatus.ENROLLED, HouseholdStatus.DEBT_FREE])
    assert enrolled.filter(center__name=BUAK_KHROK_LUANG).count() == 16
    assert enrolled.filter(center__name=NONG_MA_CHAP).count() == 30
    for household in Household.objects.prefetch_related("debt_lines", "budgets"):
        assert national_id.is_valid(household.reveal_national_id())
        sectors = {line.sector for line in household.debt_lines.all()}
        assert sectors == set(Sector.values), household  # formal, community and informal debts
        assert household.budgets.get().total_income > Decimal("0")
        # surveyed → target → enrolled (→ debt-free)
        assert household.status_changes.count() == (3 if household.status == HouseholdStatus.DEBT_FREE else 2)
    assert DebtLine.objects.above_legal_cap().exists()


def test_both_demo_centers_show_debt_reduced_and_debt_free_households(db, demo_data, time_machine):
    time_machine.move_to(DEMO_DAY)
    today = timezone.localdate()
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


def test_demo_centers_are_in_the_places_of_the_report(db, demo_data):
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


def test_demo_logins_cover_every_role(db, demo_data, rf):
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
