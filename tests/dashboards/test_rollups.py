"""The summary tables follow every kind of write, equal a live recomputation, and hold hand-computed figures.

The worked example: a household of Mueang Chiang Mai surveyed on 15 January 2024 owes a money lender
30,000 baht (informal) and the BAAC 10,000 (formal). On 1 February 2024 the center draws up a contract
for 30,000 from its savings group (capital 100,000) at 6% flat over 12 months, first instalment due on
5 March 2024 (2,500 principal + 150 interest a month); it is signed on 10 February and the money lender is
paid off. Today is 20 December 2024.
"""

import os
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from centers.models import Recognition
from contracts import services
from contracts.models import SavingsEntry
from dashboards import rollups
from dashboards.live import figures_now
from dashboards.models import AreaDue, AreaMonth, CarriedMonth, DueKind
from dashboards.selectors import area_rows, stored_rows
from debts.models import DebtLine
from debts.services import debt_line_record_balance
from households.services import household_select_as_target
from tests.contracts.factories import draw_up, sign
from tests.debts.factories import make_debt
from tests.factories import MUEANG_CHIANG_MAI, CenterFactory, MemberFundFactory
from tests.households.factories import HouseholdFactory
from tests.visits.factories import CenterReportFactory, RecommendationFactory
from visits import services as visit_services
from visits.models import ReportStatus

pytestmark = pytest.mark.django_db
TODAY = date(2024, 12, 20)
DEC = date(2024, 12, 1)
PRINCIPAL = Decimal("30000.00")
FORMAL = Decimal("10000.00")
MONTHLY_PRINCIPAL = Decimal("2500.00")  # 30,000 / 12
MONTHLY_INTEREST = Decimal("150.00")  # 30,000 x 6% / 12


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY)


def verified() -> None:
    call_command("verify_rollups", "--quiet")


def row(level: str, code: str, month: date = DEC) -> AreaMonth:
    """An area's figures for a month: the stored row of a center or district, a province's or the nation's
    summed from their districts (as the dashboards read them)."""
    return {found.month: found for found in area_rows(level, code)}[month]


def dues(level: str, code: str):
    return stored_rows(AreaDue, level, code)


def example(officer):
    household = HouseholdFactory()
    center = household.center
    fund = MemberFundFactory(center=center, capital=Decimal("100000.00"))
    formal = make_debt(household, creditor_type="baac", balance=str(FORMAL), original="20000.00")
    contract = sign(officer, draw_up(officer, household=household, fund=fund))
    return center, household, contract, formal


def pay(officer, contract, amount, on=date(2024, 3, 5), **kwargs):
    return services.repayment_record(
        user=officer, contract=contract, paid_on=on, amount=Decimal(amount), token=uuid.uuid4(), **kwargs
    )


def test_the_worked_example_month_by_month(officer):
    center, _household, contract, _formal = example(officer)
    pay(officer, contract, str(MONTHLY_PRINCIPAL + MONTHLY_INTEREST))
    verified()
    code = str(center.pk)
    owed = PRINCIPAL - MONTHLY_PRINCIPAL
    for level, area in (
        ("center", code),
        ("district", MUEANG_CHIANG_MAI),
        ("province", "50"),
        ("nation", "TH"),
    ):
        december = row(level, area)
        assert december.households_enrolled == 1
        assert december.households_surveyed == 0
        assert december.capital == Decimal("100000.00")
        assert december.contracts_active == 1
        assert december.contract_outstanding == owed
        # Only the March instalment is paid: the April one is more than 30 days overdue at 31 December.
        assert december.par30_outstanding == owed
        assert december.debt_at_enrolment == PRINCIPAL + FORMAL
        assert december.debt_at_enrolment_informal == PRINCIPAL
        assert december.debt_at_enrolment_formal == FORMAL
        assert december.debt_now == owed + FORMAL
        assert december.debt_now_community == owed  # owed to the center's funds
        assert december.debt_now_informal == Decimal("0.00")
        assert december.informal_cleared == PRINCIPAL
        assert december.households_debt_reduced == 1
        assert december.repaid_principal == Decimal("0.00")  # repaid in March
    january, february, march = (row("center", code, date(2024, m, 1)) for m in (1, 2, 3))
    assert (january.households_surveyed, january.households_enrolled, january.contracts_active) == (1, 0, 0)
    assert january.debt_now == Decimal("0.00")  # not enrolled yet: no progress counted
    assert (february.households_enrolled, february.households_enrolled_in_month) == (1, 1)
    assert february.contract_outstanding == PRINCIPAL
    assert february.debt_now == PRINCIPAL + FORMAL
    assert march.repaid_principal == MONTHLY_PRINCIPAL
    assert march.repaid_interest == MONTHLY_INTEREST
    assert march.par30_outstanding == Decimal("0.00")
    assert row("center", code, date(2024, 4, 1)).par30_outstanding == Decimal("0.00")  # 25 days late
    assert row("center", code, date(2024, 5, 1)).par30_outstanding == owed  # April 5 is 56 days late
    due = dues("center", code).get(kind=DueKind.ARREARS)
    assert (due.due_on, due.amount, due.count) == (date(2024, 4, 5), owed, 1)
    # The district files it with every due date more than 30 days before 1 December: on 31 October.
    due = dues("nation", "TH").get(kind=DueKind.ARREARS)
    assert (due.due_on, due.amount, due.count) == (date(2024, 10, 31), owed, 1)
    live = figures_now("district", MUEANG_CHIANG_MAI)
    assert live["contract_outstanding"] == owed
    assert live["repaid_principal_total"] == MONTHLY_PRINCIPAL


def test_a_payment_counts_in_the_month_of_its_date_in_thailand(officer, time_machine):
    """00:30 on 1 December in Bangkok is still 30 November in UTC: a payment dated that day counts in
    December, one dated the day before in November, and one dated back into a month already carried counts
    there, once."""
    center, _household, contract, _formal = example(officer)
    time_machine.move_to(datetime(2024, 11, 30, 17, 30, tzinfo=UTC))
    instalment = str(MONTHLY_PRINCIPAL + MONTHLY_INTEREST)
    pay(officer, contract, instalment, on=timezone.localdate())
    pay(officer, contract, instalment, on=date(2024, 11, 30))
    verified()
    time_machine.move_to(datetime(2025, 1, 2, 3, 0, tzinfo=UTC))
    pay(officer, contract, instalment, on=date(2024, 12, 31))
    verified()
    repaid = {
        month: row("district", MUEANG_CHIANG_MAI, month).repaid_principal
        for month in (date(2024, 11, 1), DEC, date(2025, 1, 1))
    }
    assert repaid == {date(2024, 11, 1): MONTHLY_PRINCIPAL, DEC: 2 * MONTHLY_PRINCIPAL, date(2025, 1, 1): 0}
    assert (
        row("center", str(center.pk), date(2025, 1, 1)).contract_outstanding
        == PRINCIPAL - 3 * MONTHLY_PRINCIPAL
    )


def test_a_reversal_puts_the_principal_back(officer):
    center, _household, contract, _formal = example(officer)
    payment = pay(officer, contract, "2650.00")
    services.repayment_reverse(user=officer, repayment=payment, reason="typed twice")
    verified()
    december = row("district", MUEANG_CHIANG_MAI)
    assert december.contract_outstanding == PRINCIPAL
    assert december.repaid_principal == -MONTHLY_PRINCIPAL  # the reversal is dated today
    assert row("center", str(center.pk), date(2024, 3, 1)).repaid_principal == MONTHLY_PRINCIPAL


def test_savings_deposits_and_withdrawals(officer):
    _center, _household, contract, _formal = example(officer)
    for kind, amount, on in (("deposit", "500.00", date(2024, 3, 5)), ("deposit", "300.00", TODAY),
                             ("withdrawal", "200.00", TODAY)):  # fmt: skip
        services.savings_record(
            user=officer, contract=contract, on=on, kind=kind, amount=Decimal(amount), token=uuid.uuid4()
        )
    verified()
    december = row("province", "50")
    assert december.savings == Decimal("600.00")  # 500 + 300 - 200
    assert (december.saved, december.withdrawn) == (Decimal("300.00"), Decimal("200.00"))
    assert row("province", "50", date(2024, 3, 1)).savings == Decimal("500.00")
    assert figures_now("nation", "TH")["savings"] == Decimal("600.00")


def test_paying_off_closes_the_contract(officer):
    _center, _household, contract, _formal = example(officer)
    pay(officer, contract, "0.01", on=TODAY, pay_off=True)
    verified()
    december = row("nation", "TH")
    assert (december.contracts_active, december.contract_outstanding) == (0, Decimal("0.00"))
    assert december.debt_now == FORMAL  # only the BAAC is left
    assert december.repaid_principal == PRINCIPAL
    assert not AreaDue.objects.filter(kind=DueKind.ARREARS).exists()


def test_drawing_up_counts_nothing_until_signed(officer):
    household = HouseholdFactory()
    draft = draw_up(officer, household=household)
    verified()
    assert row("nation", "TH").contracts_active == 0
    sign(officer, draft)
    verified()
    assert row("nation", "TH").contracts_active == 1


def test_restructuring_moves_what_is_owed_to_the_new_contract(officer):
    _center, _household, contract, _formal = example(officer)
    pay(officer, contract, "2650.00")
    new = services.contract_restructure(
        user=officer, contract=contract, term_months=24, first_due_on=date(2025, 1, 5), drawn_up_on=TODAY
    )
    verified()
    sign(officer, new, on=TODAY)
    verified()
    december = row("nation", "TH")
    assert december.contracts_active == 1
    assert december.contract_outstanding == PRINCIPAL - MONTHLY_PRINCIPAL
    assert december.par30_outstanding == Decimal("0.00")  # the new schedule starts in January
    assert december.debt_at_enrolment == PRINCIPAL + FORMAL  # the baseline is the first contract's


def test_visits_recommendations_and_follow_ups(officer):
    center = CenterFactory()
    report = CenterReportFactory(
        center=center,
        visit_date=date(2024, 11, 14),
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    recommendation = RecommendationFactory(report=report, due_date=date(2025, 1, 31))
    RecommendationFactory(report=report, due_date=None)
    CenterReportFactory(center=center, visit_date=date(2024, 11, 20))  # a draft: not a visit yet
    verified()
    november = row("district", MUEANG_CHIANG_MAI, date(2024, 11, 1))
    assert (november.visits, november.recommendations_made, november.recommendations_open) == (1, 2, 2)
    # Counted once, in the month of the first visit of fiscal year 2568 (which began on 1 October).
    assert november.centers_visited_fy == 1
    assert row("district", MUEANG_CHIANG_MAI).centers_visited_fy == 0
    visit_services.follow_up_add(
        user=officer, recommendation=recommendation, noted_on=TODAY, note="ทำทะเบียนแล้ว", status="done"
    )
    verified()
    assert row("nation", "TH").recommendations_open == 1
    assert row("nation", "TH", date(2024, 11, 1)).recommendations_open == 2  # done in December
    assert list(dues("nation", "TH").values_list("kind", "due_on", "count")) == [
        (DueKind.RECOMMENDATION, None, 1)
    ]


def test_fund_capital_recognition_and_household_status(officer):
    center = CenterFactory()
    fund = MemberFundFactory(center=center, capital=Decimal("250000.00"))
    MemberFundFactory(center=center, capital=Decimal("0.00"), holds_money=False)
    fund.capital = Decimal("260000.50")
    fund.save()
    Recognition.objects.create(
        center=center, fiscal_year=2568, level="province_outstanding", stage="selected"
    )
    Recognition.objects.create(center=center, fiscal_year=2567, level="department_model", stage="nominated")
    household = HouseholdFactory(center=center)
    household_select_as_target(user=officer, household=household, on=date(2024, 10, 3))
    verified()
    december = row("province", "50")
    assert december.capital == Decimal("260000.50")
    fy2568 = stored_rows(AreaMonth, "province", "50").filter(month__gte=date(2024, 10, 1))
    assert fy2568.aggregate(n=Sum("centers_recognised"))["n"] == 1  # once in FY2568 (from October 2024)
    fy2567 = stored_rows(AreaMonth, "province", "50").filter(month__lt=date(2024, 10, 1))
    assert fy2567.aggregate(n=Sum("centers_recognised"))["n"] == 0  # only nominated in FY2567
    assert (december.households_target, december.households_surveyed) == (1, 0)
    assert row("province", "50", date(2024, 9, 1)).households_surveyed == 1
    assert december.centers_active == 1


def test_a_debt_balance_entry_changes_debt_now(officer):
    _center, _household, _contract, formal = example(officer)
    debt_line_record_balance(user=officer, line=formal, as_of=TODAY, balance=Decimal("4000.00"))
    verified()
    december = row("nation", "TH")
    assert december.debt_now == PRINCIPAL + Decimal("4000.00")
    assert december.debt_now_formal == Decimal("4000.00")
    assert december.debt_at_enrolment_formal == FORMAL


def test_a_registry_import_is_counted(client, officer):
    from tests.debts.test_import import debt, upload, workbook_file
    from tests.debts.test_import import row as import_row

    center = CenterFactory()
    response = upload(client_logged_in(client, officer), center, workbook_file([import_row(**debt())]))
    assert response.status_code == 302
    assert DebtLine.objects.filter(household__center=center).count() == 1
    verified()
    assert row("center", str(center.pk), date(2024, 1, 1)).households_surveyed == 1


def client_logged_in(client, user):
    client.force_login(user)
    return client


def test_verify_fails_when_a_row_is_tampered_with(officer):
    example(officer)
    verified()
    AreaMonth.objects.filter(level="district", month=DEC).update(capital=F("capital") + 1)
    with pytest.raises(CommandError):
        call_command("verify_rollups", "--quiet")


def test_verify_fails_when_a_center_row_is_missing_its_write(officer):
    _center, _household, _contract, _formal = example(officer)
    AreaMonth.objects.filter(level="center").delete()
    with pytest.raises(CommandError):
        call_command("verify_rollups", "--quiet")
    call_command("rebuild_rollups")
    verified()


def test_rebuild_gives_the_same_rows(officer):
    _center, _household, contract, _formal = example(officer)
    pay(officer, contract, "2650.00")
    before = sorted(
        AreaMonth.objects.values_list("level", "code", "month", "contract_outstanding", "debt_now")
    )
    call_command("rebuild_rollups")
    after = sorted(
        AreaMonth.objects.values_list("level", "code", "month", "contract_outstanding", "debt_now")
    )
    assert before == after
    verified()


def test_a_new_month_carries_the_other_centers_stocks(officer, time_machine):
    time_machine.move_to(date(2024, 11, 20))
    first = CenterFactory()
    MemberFundFactory(center=first, capital=Decimal("1000.00"))
    time_machine.move_to(date(2024, 12, 5))
    second = CenterFactory()
    MemberFundFactory(center=second, capital=Decimal("20.00"))
    # The first write of December carried the first center into it, with its stocks.
    assert CarriedMonth.objects.filter(month=DEC).exists()
    assert row("center", str(first.pk)).capital == Decimal("1000.00")
    assert row("center", str(first.pk)).centers_active == 1
    assert row("district", MUEANG_CHIANG_MAI).capital == Decimal("1020.00")
    assert row("nation", "TH").centers_active == 2
    verified()


def test_a_center_moved_to_another_district_leaves_the_old_one(officer):
    from tests.factories import MAE_FAEK, VillageFactory

    center = CenterFactory()
    MemberFundFactory(center=center, capital=Decimal("500.00"))
    center.village = VillageFactory(subdistrict_id=MAE_FAEK)
    center.save()
    verified()
    assert row("district", MUEANG_CHIANG_MAI).capital == Decimal("0.00")
    assert row("district", "5014").capital == Decimal("500.00")
    assert row("province", "50").capital == Decimal("500.00")


def test_a_center_moved_with_a_contract_takes_its_due_dates_along(officer):
    from tests.factories import MAE_FAEK, VillageFactory

    center, _household, contract, _formal = example(officer)
    pay(officer, contract, "2650.00")
    center.village = VillageFactory(subdistrict_id=MAE_FAEK)
    center.save()
    verified()
    owed = PRINCIPAL - MONTHLY_PRINCIPAL
    dues = AreaDue.objects.filter(kind=DueKind.ARREARS).values_list("level", "code", "parent_code", "amount")
    assert sorted(dues) == [
        ("center", str(center.pk), "5014", owed),
        ("district", "5014", "50", owed),
    ]
    assert row("district", MUEANG_CHIANG_MAI).contract_outstanding == Decimal("0.00")
    assert row("district", "5014").contract_outstanding == owed


def _sheet_queries(officer, households: int) -> int:
    center = CenterFactory()
    fund = MemberFundFactory(center=center, capital=Decimal("10000000.00"))
    contracts = []
    for _ in range(households):
        household = HouseholdFactory(center=center)
        contract = sign(officer, draw_up(officer, household=household, fund=fund))
        for month in (3, 4, 5):
            pay(officer, contract, "2650.00", on=date(2024, month, 5))
        contracts.append(contract)
    with CaptureQueriesContext(connection) as queries:
        rollups.refresh_center(center.pk)
    return len(queries)


def test_refresh_query_count_does_not_grow_with_the_center(officer):
    small = _sheet_queries(officer, 1)
    large = _sheet_queries(officer, 6)
    assert small == large
    assert (
        small <= 15
    )  # the carry checked, the center locked, its records in 11 queries, its rows and due dates


def test_a_deposit_refreshes_in_a_bounded_number_of_queries(officer):
    counts = []
    for size in (1, 5):
        center = CenterFactory()
        fund = MemberFundFactory(center=center, capital=Decimal("10000000.00"))
        contracts = [sign(officer, draw_up(officer, household=HouseholdFactory(center=center), fund=fund))
                     for _ in range(size)]  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            services.savings_record(
                user=officer, contract=contracts[0], on=TODAY, kind=SavingsEntry.Kind.DEPOSIT,
                amount=Decimal("10.00"), token=uuid.uuid4(),
            )  # fmt: skip
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_household_moved_to_another_center_leaves_the_old_one(officer):
    household = HouseholdFactory()
    other = CenterFactory()
    household.center = other
    household.save()
    verified()
    assert row("center", str(other.pk)).households_surveyed == 1
    assert (
        row(
            "center", str(CenterFactory._meta.model.objects.exclude(pk=other.pk).get().pk)
        ).households_surveyed
        == 0
    )


def test_a_shared_report_moved_to_another_center_leaves_the_old_one():
    first, other = CenterFactory(), CenterFactory()
    report = CenterReportFactory(
        center=first, visit_date=date(2024, 12, 3), status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    RecommendationFactory(report=report, due_date=date(2025, 1, 31))
    assert row("center", str(first.pk)).visits == 1
    report.center = other  # as the admin can
    report.save()
    verified()
    moved, left = row("center", str(other.pk)), row("center", str(first.pk))
    assert (moved.visits, moved.recommendations_open) == (1, 1)
    assert (left.visits, left.recommendations_open) == (0, 0)


def test_the_demo_data_is_counted_once_per_center():
    from django.utils import timezone as tz

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    verified()
    demo = row("nation", "TH", tz.localdate().replace(day=1))
    assert demo.centers_active == 2
