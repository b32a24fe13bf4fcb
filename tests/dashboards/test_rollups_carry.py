"""A new month needs no command: the first request carries every center and district into it.

On 20 September 2024 (fiscal year 2567) a center has the worked example's contract (30,000 baht over 12
months, 2,650 due on the 5th from March 2024) with March to September paid, so its oldest unpaid instalment
is due on 5 October; it is selected as an outstanding center for fiscal year 2568. Another center, founded on
15 October 2024, has a household surveyed in September. Then nobody writes anything until 10 November: the
first request of November (a dashboard read) carries both centers into October and November. PAR30 moves
with the calendar alone: 5 October is not 30 days late at 31 October, and is at 30 November.
"""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from centers.models import Recognition
from contracts import services
from contracts.arrears import at_risk_cutoff
from dashboards.models import AreaDue, CarriedMonth, DueKind, ProvinceDue
from dashboards.rollups import due_fold, folded
from dashboards.selectors import area_dues, area_rows
from dashboards.series import add_months
from tests.contracts.factories import draw_up, sign
from tests.factories import MUEANG_CHIANG_MAI, CenterFactory, MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
SEP, OCT, NOV = date(2024, 9, 1), date(2024, 10, 1), date(2024, 11, 1)
OWED = Decimal("30000.00") - 7 * Decimal("2500.00")  # March to September paid


def row(level: str, code: str, month: date):
    return {found.month: found for found in area_rows(level, code)}[month]


def pay(officer, contract, on: date) -> None:
    services.repayment_record(
        user=officer, contract=contract, paid_on=on, amount=Decimal("2650.00"), token=uuid.uuid4()
    )


@pytest.fixture
def september(officer, time_machine):
    time_machine.move_to(date(2024, 9, 20))
    household = HouseholdFactory()
    contract = sign(
        officer, draw_up(officer, household=household, fund=MemberFundFactory(center=household.center))
    )
    for month in range(3, 10):
        pay(officer, contract, date(2024, month, 5))
    Recognition.objects.create(
        center=household.center, fiscal_year=2568, level="province_outstanding", stage="selected"
    )
    later = CenterFactory(founded_year=2567, founded_on=date(2024, 10, 15))
    HouseholdFactory(center=later, surveyed_on=date(2024, 9, 1))
    call_command("verify_rollups", "--quiet")
    return str(household.center.pk), str(later.pk), contract


def test_the_first_request_of_a_month_carries_every_center(september, national, client, time_machine):
    first, later, _contract = september
    assert row("center", first, SEP).par30_outstanding == Decimal("0.00")
    time_machine.move_to(date(2024, 11, 10))
    client.force_login(national)
    assert client.get(reverse("dashboards:home")).status_code == 200

    carried = CarriedMonth.objects.get(month=NOV)
    assert carried.centers == 4  # two centers, each into October and November
    october, november = row("center", first, OCT), row("center", first, NOV)
    assert october.par30_outstanding == Decimal("0.00")  # 5 October is 26 days late on 31 October
    assert november.par30_outstanding == OWED  # and 56 days late on 30 November
    assert (october.contract_outstanding, november.contract_outstanding) == (OWED, OWED)
    assert (october.repaid_principal, november.repaid_principal) == (Decimal("0.00"), Decimal("0.00"))
    assert row("nation", "TH", SEP).centers_recognised == 0
    assert row("nation", "TH", OCT).centers_recognised == 1  # fiscal year 2568 starts in October
    assert row("nation", "TH", NOV).centers_recognised == 0
    assert [row("center", later, month).centers_active for month in (SEP, OCT, NOV)] == [0, 1, 1]
    assert row("district", MUEANG_CHIANG_MAI, NOV).par30_outstanding == OWED
    assert row("district", MUEANG_CHIANG_MAI, NOV).centers_active == 2
    call_command("verify_rollups", "--quiet")  # every row equals a fresh computation from the ledger

    client.get(reverse("dashboards:home"))
    assert CarriedMonth.objects.filter(month=NOV).count() == 1  # once a month


def test_a_write_after_the_carry_keeps_the_figures_exact(september, officer, time_machine):
    first, _later, contract = september
    time_machine.move_to(date(2024, 11, 10))
    pay(officer, contract, date(2024, 10, 5))  # the first write of November, back-dated into October
    assert CarriedMonth.objects.filter(month=NOV).exists()
    assert row("center", first, NOV).par30_outstanding == Decimal(
        "0.00"
    )  # 5 November is now the oldest unpaid
    assert row("province", "50", OCT).repaid_principal == Decimal("2500.00")
    call_command("verify_rollups", "--quiet")


def test_without_the_carry_verify_reports_the_missing_months(september, time_machine):
    time_machine.move_to(date(2024, 11, 10))
    CarriedMonth.objects.create(month=NOV)  # as if carried, but no row was written
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_rollups", "--quiet", stderr=errors)
    assert "2 months missing" in errors.getvalue()


# --- the districts' old due dates, folded at the carry -----------------------------------------------------

JAN = date(2025, 1, 1)
FOLDED_ON = date(2024, 12, 1)  # the day before 2 December, 30 days before 1 January


def district_dues() -> list[tuple]:
    return list(
        AreaDue.objects.filter(level="district", kind=DueKind.ARREARS)
        .order_by("due_on")
        .values_list("due_on", "amount", "count")
    )


def province_dues() -> list[tuple]:
    return list(
        ProvinceDue.objects.filter(code="50", kind=DueKind.ARREARS)
        .order_by("pk")
        .values_list("due_on", "amount", "count", "merged")
    )


def dues_agree_every_day(center: str, month: date) -> None:
    """The district (a single center's) says what its center says, on every day of the month."""
    today = month
    while today.month == month.month:
        assert area_dues("district", MUEANG_CHIANG_MAI, today) == area_dues("center", center, today), today
        today += timedelta(days=1)


def test_the_carry_folds_the_districts_old_due_dates(september, officer, client, national, time_machine):
    first, _later, contract = september
    time_machine.move_to(date(2025, 1, 10))
    client.force_login(national)
    assert client.get(reverse("dashboards:home")).status_code == 200
    # The center keeps 5 October; its district files it with every date before 2 December.
    assert list(AreaDue.objects.filter(level="center", code=first).values_list("due_on", "amount")) == [
        (date(2024, 10, 5), OWED)
    ]
    assert district_dues() == [(FOLDED_ON, OWED, 1)]
    assert province_dues() == [(FOLDED_ON, OWED, 1, True)]  # merged by the carry, folded the same way
    dues_agree_every_day(first, JAN)
    call_command("verify_rollups", "--quiet")

    pay(officer, contract, date(2024, 10, 6))  # the oldest unpaid is now 5 November: folded too
    assert district_dues() == [(FOLDED_ON, OWED - Decimal("2500.00"), 1)]
    pay(officer, contract, date(2024, 11, 6))
    pay(officer, contract, date(2024, 12, 6))  # now 5 January: a date of its own, the folded row gone
    assert district_dues() == [(date(2025, 1, 5), OWED - 3 * Decimal("2500.00"), 1)]
    dues_agree_every_day(first, JAN)
    call_command("verify_rollups", "--quiet")


def test_a_due_date_filed_before_the_fold_still_counts_and_is_folded_next_month(
    september, client, national, time_machine
):
    first, _later, _contract = september
    time_machine.move_to(date(2025, 1, 10))
    client.force_login(national)
    client.get(reverse("dashboards:home"))
    # As a write that began before January's carry files it (with December's fold, 2 November).
    AreaDue.objects.filter(level="district", due_on=FOLDED_ON).update(due_on=date(2024, 11, 1))
    dues_agree_every_day(first, JAN)
    call_command("verify_rollups", "--quiet")
    time_machine.move_to(date(2025, 2, 3))
    call_command("verify_rollups", "--quiet")  # which carries first, as any reader
    assert district_dues() == [(date(2025, 1, 1), OWED, 1)]  # the day before 2 January
    dues_agree_every_day(first, date(2025, 2, 1))


@given(
    due_on=st.dates(date(2023, 1, 1), date(2026, 12, 31)),
    month=st.dates(date(2024, 1, 1), date(2026, 6, 1)).map(lambda d: d.replace(day=1)),
    earlier=st.integers(0, 6),
    later_days=st.integers(0, 400),
)
def test_a_folded_date_is_overdue_and_at_risk_when_its_date_is(due_on, month, earlier, later_days):
    """On any day from the month on, whatever month's fold filed it (that month or an earlier one)."""
    fold = due_fold(add_months(month, -earlier))
    today = month + timedelta(days=later_days)
    on = folded(due_on, fold)
    assert (on < today) == (due_on < today)
    assert (on < at_risk_cutoff(today)) == (due_on < at_risk_cutoff(today))
