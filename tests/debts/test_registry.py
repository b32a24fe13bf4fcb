"""Debt lines and balances: annual rates, the legal cap flag, dated immutable balances, closing lines."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from debts import services
from debts.models import SECTOR_OF, CreditorType, DebtBalance, DebtLine, Sector, annual_rate
from tests.debts.factories import make_debt
from tests.households.factories import HouseholdFactory

rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("99.999"), places=3)


@given(rates)
def test_rates_per_month_and_per_day_annualise_exactly(rate):
    assert annual_rate(rate, "year") == rate
    assert annual_rate(rate, "month") == rate * 12
    assert annual_rate(rate, "day") == rate * 365
    assert annual_rate(None, "") is None


@pytest.mark.parametrize(
    ("rate", "unit", "annual", "flagged"),
    [
        ("15", "year", "15.000", False),  # at the cap is not above it
        ("15.001", "year", "15.001", True),
        ("1.25", "month", "15.000", False),
        ("1.26", "month", "15.120", True),
        ("20", "month", "240.000", True),  # a typical money lender
        ("0.041", "day", "14.965", False),
        ("1", "day", "365.000", True),
        ("0", "year", "0.000", False),
    ],
)
def test_lines_above_the_legal_cap_are_flagged(db, rate, unit, annual, flagged):
    line = make_debt(HouseholdFactory(), rate=rate, unit=unit)
    assert line.annual_rate == Decimal(annual)
    assert line.above_legal_cap is flagged
    assert DebtLine.objects.above_legal_cap().filter(pk=line.pk).exists() is flagged


def test_the_cap_is_a_setting(db, settings):
    line = make_debt(HouseholdFactory(), rate="18", unit="year")
    assert line.above_legal_cap
    settings.DEBT_LEGAL_RATE_CAP_PER_YEAR = Decimal("20")
    assert not line.above_legal_cap
    assert not DebtLine.objects.above_legal_cap().exists()


def test_every_creditor_type_has_one_sector():
    assert set(SECTOR_OF) == set(CreditorType.values)
    assert set(SECTOR_OF.values()) == set(Sector.values)
    assert SECTOR_OF["rotating_credit"] == SECTOR_OF["money_lender"] == "informal"
    assert SECTOR_OF["kkkj"] == "community"
    assert SECTOR_OF["student_loan"] == "formal"


@pytest.fixture
def household(db):
    return HouseholdFactory(surveyed_on=date(2024, 1, 15))


def new_line(household, **fields):
    data = {
        "household": household, "creditor_type": "money_lender", "creditor_name": "นายทุน",
        "original_amount": Decimal("20000.00"), "interest_rate": Decimal("20"), "rate_unit": "month",
    }  # fmt: skip
    return DebtLine(**{**data, **fields})


def test_adding_a_line_sets_its_sector_annual_rate_and_first_balance(officer, household):
    line = services.debt_line_add(
        user=officer, line=new_line(household), balance=Decimal("15000.00"), as_of=date(2024, 1, 15)
    )
    assert (line.sector, line.annual_rate, line.current_balance, line.balance_as_of) == (
        "informal", Decimal("240.000"), Decimal("15000.00"), date(2024, 1, 15),
    )  # fmt: skip
    entry = line.balances.get()
    assert (entry.balance, entry.recorded_by) == (Decimal("15000.00"), officer)
    assert line.history.first().history_user == officer


def test_a_new_balance_adds_an_entry_and_history_stays(officer, household):
    line = services.debt_line_add(
        user=officer, line=new_line(household), balance=Decimal("15000"), as_of=date(2024, 1, 15)
    )
    services.debt_line_record_balance(
        user=officer, line=line, as_of=date(2024, 6, 1), balance=Decimal("9000.50")
    )
    # A back-dated correction is recorded but the latest date still decides the current balance.
    services.debt_line_record_balance(
        user=officer, line=line, as_of=date(2024, 3, 1), balance=Decimal("12000"), note="พบใบเสร็จเดิม"
    )
    line.refresh_from_db()
    assert (line.current_balance, line.balance_as_of) == (Decimal("9000.50"), date(2024, 6, 1))
    assert list(line.balances.values_list("balance", flat=True)) == [
        Decimal("9000.50"), Decimal("12000.00"), Decimal("15000.00"),
    ]  # fmt: skip
    # A same-day correction: the later entry wins.
    services.debt_line_record_balance(
        user=officer, line=line, as_of=date(2024, 6, 1), balance=Decimal("9100")
    )
    line.refresh_from_db()
    assert line.current_balance == Decimal("9100.00")
    assert line.balances.count() == 4


def test_a_zero_balance_closes_the_line_and_a_closed_line_takes_no_more(officer, household):
    line = services.debt_line_add(
        user=officer, line=new_line(household), balance=Decimal("5000"), as_of=date(2024, 1, 15)
    )
    services.debt_line_record_balance(user=officer, line=line, as_of=date(2024, 2, 1), balance=Decimal("0"))
    line.refresh_from_db()
    assert (line.status, line.closed_on, line.current_balance) == (
        "paid_off",
        date(2024, 2, 1),
        Decimal("0.00"),
    )
    with pytest.raises(ValidationError) as error:
        services.debt_line_record_balance(
            user=officer, line=line, as_of=date(2024, 3, 1), balance=Decimal("100")
        )
    assert error.value.code == "closed"


def test_written_off_needs_a_zero_balance(officer, household):
    line = services.debt_line_add(
        user=officer, line=new_line(household), balance=Decimal("5000"), as_of=date(2024, 1, 15)
    )
    with pytest.raises(ValidationError):
        services.debt_line_record_balance(
            user=officer, line=line, as_of=date(2024, 2, 1), balance=Decimal("10"), written_off=True
        )
    services.debt_line_record_balance(
        user=officer, line=line, as_of=date(2024, 2, 1), balance=Decimal("0"), written_off=True
    )
    assert DebtLine.objects.get(pk=line.pk).status == "written_off"


def test_balance_dates_and_plausibility(officer, household):
    line = services.debt_line_add(
        user=officer,
        line=new_line(household, started_on=date(2023, 6, 1)),
        balance=Decimal("5000"),
        as_of=date(2024, 1, 15),
    )
    with pytest.raises(ValidationError):
        services.debt_line_record_balance(
            user=officer, line=line, as_of=timezone.localdate() + timedelta(days=1), balance=Decimal("1")
        )
    with pytest.raises(ValidationError):
        services.debt_line_record_balance(
            user=officer, line=line, as_of=date(2023, 5, 1), balance=Decimal("1")
        )
    with pytest.raises(ValidationError) as error:  # more than 3 times what was borrowed
        services.debt_line_record_balance(
            user=officer, line=line, as_of=date(2024, 2, 1), balance=Decimal("60001")
        )
    assert "balance" in error.value.message_dict
    services.debt_line_record_balance(
        user=officer, line=line, as_of=date(2024, 2, 1), balance=Decimal("60001"), confirm_implausible=True
    )
    assert line.balances.count() == 2


def test_only_editors_write_the_registry(provincial, outsider, household):
    line = make_debt(household)
    for user in (provincial, outsider):
        with pytest.raises(PermissionDenied):
            services.debt_line_record_balance(
                user=user, line=line, as_of=date(2024, 2, 1), balance=Decimal("1")
            )
        with pytest.raises(PermissionDenied):
            services.debt_line_add(
                user=user, line=new_line(household), balance=Decimal("1"), as_of=date(2024, 2, 1)
            )


def test_update_keeps_the_balances_and_recomputes_the_rate(officer, household):
    line = make_debt(household, rate="2", unit="month")
    line.rate_unit = "day"
    line.current_balance = Decimal("1.00")  # ignored: balances change only by entries
    services.debt_line_update(user=officer, line=line)
    line.refresh_from_db()
    assert (line.annual_rate, line.current_balance) == (Decimal("730.000"), Decimal("10000.00"))


@pytest.mark.parametrize(
    "fields",
    [
        {"original_amount": Decimal("-1")},
        {"current_balance": Decimal("-1")},
        {"interest_rate": Decimal("5"), "rate_unit": "", "annual_rate": None},
        {"interest_rate": None, "rate_unit": "year", "annual_rate": None},
        {"sector": "formal", "creditor_type": "money_lender"},
        {"status": "paid_off"},  # closed without a date and with money outstanding
    ],
)
def test_the_database_refuses_broken_lines(household, fields):
    data = {
        "household": household, "creditor_type": "baac", "sector": "formal",
        "original_amount": Decimal("1000"),
        "current_balance": Decimal("500"), "balance_as_of": date(2024, 1, 15),
    }  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        DebtLine.objects.create(**{**data, **fields})


def test_the_database_refuses_a_negative_balance(household):
    line = make_debt(household)
    with pytest.raises(IntegrityError), transaction.atomic():
        DebtBalance.objects.create(line=line, as_of=date(2024, 2, 1), balance=Decimal("-0.01"))


def test_monthly_instalment(household):
    line = make_debt(household, instalment=Decimal("100"), instalment_frequency="daily")
    assert line.monthly_instalment == Decimal("3041.67")
    line.instalment_frequency = "at_end"
    assert line.monthly_instalment is None
