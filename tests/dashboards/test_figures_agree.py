"""One figure, one value: random ledgers for a few centers, then every page that shows a figure says the
same as the dashboards at every level (issue 17.1).

Each seed builds three centers (two in Mueang Chiang Mai, one in San Sai) whose households have random
registry lines in the three sectors; most sign a contract on a random date and repay and save on random
months (some months skipped, so some contracts fall more than 30 days behind); some outside lines get a
new balance, some households go debt-free or withdraw. Then, figure by figure:

- the center page (progress and registry sections), the household list's totals, the arrears page and the
  collection sheet of each center equal the center's dashboard figures;
- a district's dashboard is the sum of its centers, the province's the sum of its districts, the nation's
  the province's; the household list of a district totals the district's registry balances;
- the dashboard and household exports carry the same values, and `verify_rollups` finds nothing.
"""

import random
import uuid
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from contracts import services
from contracts.arrears import at_risk, center_portfolio
from contracts.progress import center_progress
from core.figures import NAMES as LABELS
from core.thai import fiscal_year, format_baht
from dashboards.models import NATION_CODE, Level
from dashboards.selectors import Period, dashboard_for
from debts.models import Sector
from debts.selectors import center_households_summary
from debts.services import debt_line_record_balance
from households.models import Household
from households.services import household_mark_debt_free, household_withdraw
from tests.contracts.factories import draw_up, sign
from tests.debts.factories import make_debt
from tests.factories import (
    CHIANG_MAI,
    MAE_FAEK,
    MUEANG_CHIANG_MAI,
    SAN_SAI,
    CenterFactory,
    MemberFundFactory,
    VillageFactory,
)
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = date(2024, 12, 20)
CREDITORS = [
    "baac",
    "gsb",
    "cooperative",
    "village_fund",
    "women_fund",
    "money_lender",
    "relatives",
    "shop_credit",
]
SECTOR_KEYS = [sector.value for sector in Sector]


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY)


def _baht(rng: random.Random, low: int, high: int, step: int = 100) -> str:
    return f"{rng.randrange(low, high, step)}.00"


def build_center(rng: random.Random, user, center) -> None:
    """Random households, registry lines, contracts, repayments, savings and status moves for a center."""
    fund = MemberFundFactory(center=center, capital=Decimal("5000000.00"))
    for _ in range(rng.randint(3, 5)):
        household = HouseholdFactory(center=center)
        lines = [
            make_debt(household, creditor_type=rng.choice(CREDITORS), balance=_baht(rng, 1000, 40000),
                      original="50000.00")
            for _ in range(rng.randint(1, 3))
        ]  # fmt: skip
        for line in lines:
            if rng.random() < 0.3:  # a new survey of an outside line
                debt_line_record_balance(
                    user=user, line=line, as_of=date(2024, rng.randint(3, 11), 1),
                    balance=Decimal(_baht(rng, 0, 60000)), confirm_implausible=True,
                )  # fmt: skip
        if rng.random() < 0.25:
            continue  # surveyed only: in the registry, not in the programme
        month = rng.randint(2, 8)
        principal, rate = Decimal(rng.choice([24000, 36000, 48000])), rng.choice([0, 6])
        contract = sign(
            user,
            draw_up(user, household=household, fund=fund, principal=f"{principal}.00", rate=str(rate),
                    drawn_up_on=date(2024, month, 1), first_due_on=date(2024, month + 1, 5)),
            on=date(2024, month, 10),
        )  # fmt: skip
        instalment = principal / 12 + principal * rate / 1200  # 12 months, flat
        late = rng.random() < 0.4  # skips some months: days past due, maybe over 30
        for paid_month in range(month + 1, 13):
            if date(2024, paid_month, 5) <= TODAY and (not late or rng.random() < 0.5):
                services.repayment_record(user=user, contract=contract, paid_on=date(2024, paid_month, 5),
                                          amount=instalment * rng.choice([1, 1, 1, Decimal("0.5")]),
                                          token=uuid.uuid4())  # fmt: skip
            if rng.random() < 0.5:
                services.savings_record(user=user, contract=contract, on=date(2024, paid_month, 6),
                                        kind="deposit", amount=Decimal(_baht(rng, 100, 400)),
                                        token=uuid.uuid4())  # fmt: skip
        move = rng.random()
        try:
            if move < 0.15:
                household_mark_debt_free(user=user, household=household, on=date(2024, 12, 1))
            elif move < 0.3:
                household_withdraw(user=user, household=household, on=date(2024, 12, 1))
        except ValidationError:
            pass


def figures(level: str, code: str):
    return dashboard_for(level=level, code=str(code), period=Period.of(fiscal_year(TODAY), TODAY)).figures


def sector_registry(board) -> dict[str, Decimal]:
    return {key: board[f"registry_{key}"] for key in SECTOR_KEYS}


def sheet_values(response) -> dict[str, object]:
    """The "Figures" sheet of a dashboard export: {figure name: value}."""
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    return {row[1]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]}


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_every_page_agrees_with_the_dashboards(client, officer, outsider, provincial, national, seed):
    rng = random.Random(seed)
    mueang = [CenterFactory(), CenterFactory()]
    san_sai = CenterFactory(village=VillageFactory(subdistrict_id=MAE_FAEK))
    for center in mueang:
        build_center(rng, officer, center)
    build_center(rng, outsider, san_sai)

    for user, centers in ((officer, mueang), (outsider, [san_sai])):
        client.force_login(user)
        for center in centers:
            board = figures(Level.CENTER, center.pk)
            # Consistent in itself: the households whose debt went down are some of those in the programme.
            assert board["households_debt_reduced"] <= board["households_in_programme"]

            # The center page: its progress out of debt and its registry balances.
            progress = center_progress(center)
            assert progress.debt_at_enrolment == board["debt_at_enrolment"]
            assert progress.debt_now == board["debt_now"]
            assert progress.informal_cleared == board["informal_cleared"]
            assert progress.households == board["households_in_programme"]
            assert progress.households_debt_reduced == board["households_debt_reduced"]
            assert progress.households_debt_free == board["households_debt_free"]
            registry = center_households_summary(center=center, user=user)["totals"]
            assert {key: registry[key] for key in SECTOR_KEYS} == sector_registry(board)
            html = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
            assert f'id="center-registry-total">{format_baht(board["registry_balance"], unit=False)}<' in html
            if progress.households:
                assert f'id="center-progress-now">{format_baht(board["debt_now"])}<' in html
                assert f'id="center-progress-debt-reduced">{board["households_debt_reduced"]}<' in html

            # The household list of the center: its totals are the registry balances.
            totals = client.get(reverse("debts:household_list"), {"center": center.pk}).context["totals"]
            assert totals["total"] == board["registry_balance"]
            assert {sector.value: amount for sector, amount in totals["by_sector"]} == sector_registry(board)

            # The arrears page: principal owed, PAR30 in baht and in percent.
            portfolio = client.get(reverse("contracts:arrears", args=[center.pk])).context["portfolio"]
            assert portfolio.principal_owed == board["contract_outstanding"]
            assert portfolio.at_risk_30 == board["par30"]
            assert portfolio.par30 == board["par30_pct"]
            assert portfolio.par30 == center_portfolio(center, TODAY).par30

            # The collection sheet: the active contracts, those overdue today and those at risk.
            sheet = (
                client.get(reverse("contracts:collection_sheet", args=[center.pk])).context["form"].standings
            )
            assert len(sheet) == board["contracts_active"]
            assert sum(1 for s in sheet if s.days_past_due > 0) == board["contracts_overdue"]
            assert sum((s.principal_owed for s in sheet), Decimal("0.00")) == board["contract_outstanding"]
            at_risk_owed = sum((s.principal_owed for s in sheet if at_risk(s.days_past_due)), Decimal("0.00"))
            assert at_risk_owed == board["par30"]

    # Every level up: sums of the level below.
    compared = (
        "registry_balance", *[f"registry_{key}" for key in SECTOR_KEYS], "debt_at_enrolment", "debt_now",
        "households_in_programme", "households_debt_reduced", "households_debt_free", "contract_outstanding",
        "par30", "contracts_active", "contracts_overdue", "savings",
    )  # fmt: skip
    districts = {MUEANG_CHIANG_MAI: mueang, SAN_SAI: [san_sai]}
    for district, centers in districts.items():
        board = figures(Level.DISTRICT, district)
        for name in compared:
            assert board[name] == sum(figures(Level.CENTER, c.pk)[name] for c in centers), (district, name)
        assert board["households_debt_reduced"] <= board["households_in_programme"]
    province = figures(Level.PROVINCE, CHIANG_MAI)
    nation = figures(Level.NATION, NATION_CODE)
    for name in (*compared, "par30_pct", "debt_reduced_pct"):
        if name not in ("par30_pct", "debt_reduced_pct"):
            assert province[name] == sum(figures(Level.DISTRICT, d)[name] for d in districts), name
        assert nation[name] == province[name], name

    # The household list of a district (its officer's list, unfiltered) totals its registry balances,
    # on the page and in the export.
    client.force_login(officer)
    district = figures(Level.DISTRICT, MUEANG_CHIANG_MAI)
    totals = client.get(reverse("debts:household_list")).context["totals"]
    assert totals["total"] == district["registry_balance"]
    export = load_workbook(BytesIO(client.get(reverse("debts:household_export")).content)).worksheets[0]
    header = [cell.value for cell in export[2]]
    total_column = header.index("ยอดหนี้ตามทะเบียนหนี้สิน (บาท)")  # named as on the dashboards
    assert (
        sum(Decimal(str(row[total_column])) for row in export.iter_rows(min_row=3, values_only=True))
        == (district["registry_balance"])
    )
    assert Household.objects.filter(center__in=mueang).count() == export.max_row - 2

    # The dashboard pages and their exports, as provincial staff read them.
    client.force_login(provincial)
    for level, code, url in (
        (Level.PROVINCE, CHIANG_MAI, reverse("dashboards:province_export", args=[CHIANG_MAI])),
        (Level.DISTRICT, MUEANG_CHIANG_MAI, reverse("dashboards:district_export", args=[MUEANG_CHIANG_MAI])),
        (Level.CENTER, san_sai.pk, reverse("dashboards:center_export", args=[san_sai.pk])),
    ):
        board = figures(level, code)
        values = sheet_values(client.get(url))
        for name in ("registry_balance", "debt_now", "debt_at_enrolment", "contract_outstanding", "par30"):
            assert Decimal(str(values[str(LABELS[name])])) == board[name], (level, name)
        for name in ("households_in_programme", "households_debt_reduced", "households_debt_free"):
            assert values[str(LABELS[name])] == board[name], (level, name)
        if board["par30_pct"] is not None:
            assert Decimal(str(values[str(LABELS["par30_pct"])])) * 100 == board["par30_pct"]
    page = client.get(reverse("dashboards:district", args=[MUEANG_CHIANG_MAI])).content.decode()
    assert f'id="fig-registry_balance" data-value="{district["registry_balance"]}"' in page
    assert f'id="fig-debt_now" data-value="{district["debt_now"]}"' in page

    call_command("verify_rollups", "--quiet")  # raises on any difference
