"""The current figures of an area recomputed live, by aggregate SQL straight over the ledger tables.

This is the independent check of the summary tables (`verify_rollups` compares them) and the yardstick the
dashboard benchmark beats: it never reads `AreaMonth` and shares no code with `dashboards.series`. Stocks
are as at the end of the current month (nothing in the ledger is dated later); `visits_fy` and
`centers_visited_fy` count the current fiscal year; `repaid_*_total` everything repaid since October 2015.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from centers.models import Center, MemberFund
from contracts.models import Contract, RepaymentLine, SavingsEntry, Tranche
from core.thai import fiscal_year, fiscal_year_bounds, to_be_year
from debts.models import DebtLine, Sector
from households.models import Household, HouseholdStatus
from visits.models import OPEN_STATUSES, SHARED_STATUSES, CenterReport, Recommendation

from .models import Level
from .series import SERIES_START, STATUS_FIGURE, ZERO, money, month_end, month_start

# The figures computed here: AreaMonth stocks, and totals over months (see `rollup_totals`).
LIVE_STOCKS = (
    "centers_active",
    "capital",
    "households_surveyed",
    "households_target",
    "households_enrolled",
    "households_debt_free",
    "households_withdrawn",
    "contracts_active",
    "contract_outstanding",
    "savings",
    "recommendations_open",
    "registry_balance",
    "registry_formal",
    "registry_community",
    "registry_informal",
)
LIVE_TOTALS = ("visits_fy", "centers_visited_fy", "repaid_principal_total", "repaid_interest_total")
LIVE_FIGURES = LIVE_STOCKS + LIVE_TOTALS

# From each model to its center, then from a center to the area code of each level.
AREA_OF_CENTER = {
    Level.CENTER: "pk",
    Level.DISTRICT: "village__subdistrict__district_id",
    Level.PROVINCE: "village__subdistrict__district__province_id",
}


def _area(center_path: str, level: str) -> str:
    suffix = AREA_OF_CENTER[level]
    if suffix == "pk":
        return f"{center_path}_id" if center_path else "pk"
    return f"{center_path}__{suffix}" if center_path else suffix


def figures_by_area(level: str, code: str | None = None) -> dict[str, dict[str, Decimal | int]]:
    """{area code: figures} for every area of `level` with records (or only `code`), in 11 queries."""
    today = timezone.localdate()
    end = month_end(month_start(today))
    fy_start, _fy_end = fiscal_year_bounds(fiscal_year(today))
    result: dict[str, dict[str, Decimal | int]] = {}

    def grouped(queryset, center_path: str, **aggregates):
        if level == Level.NATION:
            if code not in (None, "TH"):
                return []
            return [{"area": "TH", **queryset.aggregate(**aggregates)}]
        area = _area(center_path, level)
        if code is not None:
            queryset = queryset.filter(**{area: code})
        return queryset.order_by().values(area_code=_as_value(area)).annotate(**aggregates)

    def put(rows, **names):
        for row in rows:
            area = str(row.get("area", row.get("area_code")))
            figures = result.setdefault(area, _empty())
            for name, key in names.items():
                value = row[key]
                figures[name] = money(value) if isinstance(figures[name], Decimal) else (value or 0)

    founded = Q(founded_on__lte=end) | Q(founded_on__isnull=True, founded_year__lte=to_be_year(end.year))
    put(
        grouped(Center.objects.all(), "", n=Count("pk", filter=Q(status=Center.Status.ACTIVE) & founded)),
        centers_active="n",
    )
    put(grouped(MemberFund.objects.counted_in_managed_capital(), "center", c=Sum("capital")), capital="c")
    statuses = {
        f"n_{status}": Count("pk", filter=Q(status=status, surveyed_on__lte=end)) for status in STATUS_FIGURE
    }
    put(
        grouped(Household.objects.all(), "center", **statuses),
        **{figure: f"n_{status}" for status, figure in STATUS_FIGURE.items()},
    )
    active = Contract.objects.filter(status=Contract.Status.ACTIVE, signed_on__lte=end)
    put(grouped(active, "center", n=Count("pk")), contracts_active="n")
    lent = grouped(Tranche.objects.filter(contract__in=active), "contract__center", p=Sum("principal"))
    repaid = grouped(
        RepaymentLine.objects.filter(repayment__contract__in=active), "repayment__contract__center",
        p=Sum("principal"),
    )  # fmt: skip
    owed: dict[str, Decimal] = {}
    for row in lent:
        area = str(row.get("area", row.get("area_code")))
        owed[area] = owed.get(area, ZERO) + money(row["p"])
    for row in repaid:
        area = str(row.get("area", row.get("area_code")))
        owed[area] = owed.get(area, ZERO) - money(row["p"])
    for area, value in owed.items():
        result.setdefault(area, _empty())["contract_outstanding"] = value
    put(grouped(SavingsEntry.objects.filter(on__lte=end), "contract__center", s=Sum("amount")), savings="s")
    put(
        grouped(
            DebtLine.objects.all(),
            "household__center",
            t=Sum("current_balance"),
            **{sector: Sum("current_balance", filter=Q(sector=sector)) for sector in Sector.values},
        ),
        registry_balance="t",
        **{f"registry_{sector}": sector for sector in Sector.values},
    )
    shared = CenterReport.objects.filter(status__in=SHARED_STATUSES, visit_date__range=(fy_start, end))
    put(
        grouped(shared, "center", n=Count("pk"), c=Count("center_id", distinct=True)),
        visits_fy="n",
        centers_visited_fy="c",
    )
    put(
        grouped(
            Recommendation.objects.filter(report__status__in=SHARED_STATUSES, status__in=OPEN_STATUSES),
            "report__center",
            n=Count("pk"),
        ),
        recommendations_open="n",
    )
    put(
        grouped(
            RepaymentLine.objects.filter(repayment__paid_on__range=(SERIES_START, end)),
            "repayment__contract__center",
            p=Sum("principal"),
            i=Sum("interest"),
        ),
        repaid_principal_total="p",
        repaid_interest_total="i",
    )
    if level == Level.NATION and not result:
        result["TH"] = _empty()
    return result


def _as_value(path: str):
    from django.db.models import F

    return F(path)


def _empty() -> dict[str, Decimal | int]:
    money_names = {
        "capital",
        "contract_outstanding",
        "savings",
        "repaid_principal_total",
        "repaid_interest_total",
        "registry_balance",
        "registry_formal",
        "registry_community",
        "registry_informal",
    }
    return {name: ZERO if name in money_names else 0 for name in LIVE_FIGURES}


def figures_now(level: str, code: str) -> dict[str, Decimal | int]:
    """The current figures of one area (nation "TH", a province, district or center code), live."""
    return figures_by_area(level, code).get(str(code), _empty())


__all__ = ["LIVE_FIGURES", "HouseholdStatus", "figures_by_area", "figures_now"]
