"""The pages and the engine together: what a write changes is on the dashboard at the next request.

The contract is the one of test_rollups' worked example: 30,000 baht at 6% flat over 12 months, first
instalment due 5 March 2024 (2,500 principal + 150 interest), a formal debt of 10,000 left outside.
"""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from dashboards.live import figures_now
from tests.contracts.factories import draw_up, sign
from tests.debts.factories import make_debt
from tests.factories import CHIANG_MAI, MUEANG_CHIANG_MAI, CenterFactory, MemberFundFactory
from tests.households.factories import HouseholdFactory
from tests.visits.factories import CenterReportFactory
from visits.models import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(date(2024, 12, 20))


@pytest.fixture
def contract(officer):
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center, capital=Decimal("100000.00"))
    make_debt(household, creditor_type="baac", balance="10000.00", original="20000.00")
    return sign(officer, draw_up(officer, household=household, fund=fund))


def figures(client, name: str, *args) -> dict:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.context["board"].figures.values


def pay(officer, contract, amount: str, on: date) -> None:
    services.repayment_record(
        user=officer, contract=contract, paid_on=on, amount=Decimal(amount), token=uuid.uuid4()
    )


def test_a_repayment_is_on_every_level_at_the_next_request(client, officer, national, contract):
    client.force_login(national)
    pages = (
        ("dashboards:home",),
        ("dashboards:province", CHIANG_MAI),
        ("dashboards:district", MUEANG_CHIANG_MAI),
        ("dashboards:center", contract.center_id),
    )
    before = [figures(client, *page) for page in pages]
    for values in before:
        assert values["contract_outstanding"] == Decimal("30000.00")
        assert values["debt_now"] == Decimal("40000.00")
        assert values["households_enrolled"] == 1
    pay(officer, contract, "2650.00", date(2024, 3, 5))
    for page, old in zip(pages, before, strict=True):
        values = figures(client, *page)
        assert values["contract_outstanding"] == old["contract_outstanding"] - Decimal("2500.00")
        assert values["debt_reduced"] == Decimal("2500.00")  # 40,000 at enrolment, 37,500 now
        assert values["debt_reduced_pct"] == Decimal("6.3")  # 2,500 of 40,000 is 6.25%, shown to one place
        assert values["repaid"] == Decimal("0.00")  # paid in March 2024: fiscal year 2567, not this one
    response = client.get(reverse("dashboards:district", args=[MUEANG_CHIANG_MAI]), {"fy": "all"})
    assert response.context["board"].figures.values["repaid"] == Decimal("2650.00")
    response = client.get(reverse("dashboards:district", args=[MUEANG_CHIANG_MAI]), {"fy": "2567"})
    assert response.context["board"].figures.values["repaid"] == Decimal("2650.00")


def test_the_page_agrees_with_a_live_recomputation(client, officer, national, contract):
    pay(officer, contract, "2650.00", date(2024, 3, 5))
    services.savings_record(
        user=officer,
        contract=contract,
        on=date(2024, 3, 5),
        kind="deposit",
        amount=Decimal("300.00"),
        token=uuid.uuid4(),
    )
    client.force_login(national)
    for level, name, code in (
        ("nation", "dashboards:home", None),
        ("province", "dashboards:province", CHIANG_MAI),
        ("district", "dashboards:district", MUEANG_CHIANG_MAI),
    ):
        values = figures(client, name, *([code] if code else []))
        live = figures_now(level, code or "TH")
        for name_ in ("contract_outstanding", "savings", "contracts_active", "capital", "centers_active"):
            assert values[name_] == live[name_], (level, name_)


def test_overdue_principal_counts_in_par30_today(client, officer, national, contract):
    pay(officer, contract, "2650.00", date(2024, 3, 5))  # April's instalment and after are unpaid
    client.force_login(national)
    values = figures(client, "dashboards:district", MUEANG_CHIANG_MAI)
    assert values["par30"] == Decimal("27500.00")
    assert values["par30_pct"] == Decimal("100.00")
    assert values["contracts_overdue"] == 1


def test_a_new_fiscal_year_starts_with_no_center_visited(client, national, time_machine):
    """A center visited in September and left alone since must not count as visited in October's fiscal
    year, though no write has touched its figures since (visits are counted per fiscal year, as flows)."""
    time_machine.move_to(date(2024, 9, 20))
    visited = CenterFactory()
    submitted = {"status": ReportStatus.SUBMITTED, "submitted_at": timezone.now()}
    CenterReportFactory(center=visited, visit_date=date(2024, 9, 10), **submitted)
    time_machine.move_to(date(2024, 11, 5))  # fiscal year 2568; the district changes through another center
    CenterFactory(village=visited.village)
    client.force_login(national)
    now = figures(client, "dashboards:district", MUEANG_CHIANG_MAI)
    assert now["centers_active"] == 2
    assert now["centers_not_visited"] == 2
    response = client.get(reverse("dashboards:district", args=[MUEANG_CHIANG_MAI]), {"fy": "2567"})
    last_year = response.context["board"].figures.values
    assert (last_year["visits"], last_year["centers_not_visited"]) == (1, 1)
