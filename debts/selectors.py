"""Reads of the debt registry: a household's lines and totals, the household list (with names, or aggregated
per center for those who may not see names), and the summary for a center's page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from centers.models import Center
from core import sections
from households.models import Household, HouseholdStatus, may_see_personal_data
from households.selectors import status_counts

from .models import ZERO, DebtLine, Sector, legal_rate_cap


def _sector_sums(prefix: str = "") -> dict[str, Sum]:
    """Sum of current balances per sector, over the debt lines reached by `prefix`."""
    field = f"{prefix}current_balance"
    return {
        f"debt_{sector}": Sum(field, filter=Q(**{f"{prefix}sector": sector}), default=ZERO)
        for sector in Sector.values
    }


def sector_totals(lines: QuerySet[DebtLine]) -> dict[str, Decimal]:
    """{sector: outstanding, ..., "total": outstanding} for a set of debt lines, in one query."""
    totals = dict.fromkeys(Sector.values, ZERO)
    for row in lines.order_by().values("sector").annotate(total=Sum("current_balance")):
        totals[row["sector"]] = row["total"] or ZERO
    totals["total"] = sum(totals.values(), ZERO)
    return totals


def household_registry_section(household: Household, user: Any) -> dict[str, Any]:
    """The debt registry on the household page (see core.sections)."""
    lines = list(household.debt_lines.order_by("sector", "status", "-current_balance", "pk"))
    totals = dict.fromkeys(Sector.values, ZERO)
    for line in lines:
        totals[line.sector] += line.current_balance
    totals["total"] = sum(totals.values(), ZERO)
    open_lines = [line for line in lines if line.is_open]
    monthly = [line.monthly_instalment for line in open_lines if line.monthly_instalment is not None]
    # what apps above ask a month too (a consolidated contract's instalment and saving), named by them
    commitments = sections.sections_for("household_commitments", household, user)
    budget = household.budgets.first()
    return {
        "template": "debts/includes/household_registry.html",
        "household": household,
        "lines": lines,
        "totals": totals,
        "by_sector": [(sector, totals[sector.value]) for sector in Sector],
        "flagged": [line for line in open_lines if line.above_legal_cap],
        "cap": legal_rate_cap(),
        "monthly_instalments": sum(monthly, ZERO) + sum((c["amount"] for c in commitments), ZERO),
        "commitments": commitments,
        "budget": budget,
        "can_edit": Household.objects.editable_by(user).filter(pk=household.pk).exists(),
    }


# --- the household list ------------------------------------------------------------------------------


def household_rows(households: QuerySet[Household]) -> QuerySet[Household]:
    """Households with their center and village and, per sector, the outstanding debt (one query a page)."""
    return households.select_related("center", "village").annotate(
        **_sector_sums("debt_lines__"),
        debt_total=Sum("debt_lines__current_balance", default=ZERO),
        flagged_lines=Count(
            "debt_lines",
            filter=Q(debt_lines__status=DebtLine.Status.OPEN, debt_lines__annual_rate__gt=legal_rate_cap()),
        ),
    )


def center_rows(households: QuerySet[Household]) -> QuerySet[dict[str, Any]]:
    """One row per center: households by status and debt by sector (for staff above the district)."""
    by_status = {
        f"n_{status}": Count("pk", filter=Q(status=status), distinct=True)
        for status in HouseholdStatus.values
    }
    return (
        households.order_by()
        .values("center", "center__name")
        .annotate(n_households=Count("pk", distinct=True), **by_status, **_sector_sums("debt_lines__"))
        .order_by("center__name", "center")
    )


def attach_centers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the Center (with its area) to each aggregated row, in one query."""
    centers = Center.objects.with_area().in_bulk([row["center"] for row in rows])
    for row in rows:
        row["center_obj"] = centers.get(row["center"])
        row["debt_total"] = sum((row[f"debt_{sector}"] for sector in Sector.values), ZERO)
    return rows


def list_totals(households: QuerySet[Household]) -> dict[str, Any]:
    """Outstanding debt of the listed households: `by_sector` [(Sector, amount)] and `total`."""
    totals = sector_totals(DebtLine.objects.filter(household__in=households.order_by().values("pk")))
    return {"by_sector": [(sector, totals[sector.value]) for sector in Sector], "total": totals["total"]}


# --- the center page ---------------------------------------------------------------------------------------

CENTER_NAMES_LIMIT = 50


def center_households_summary(*, center: Center, user: Any) -> dict[str, Any]:
    """For the center page: households by status and debt by sector; names only for those allowed.

    `center` must already be visible to `user` (the center page checks it). A fixed number of queries.
    """
    households = Household.objects.visible_to(user).filter(center=center)
    counts = status_counts(households)
    totals = sector_totals(DebtLine.objects.filter(household__in=households.values("pk")))
    summary: dict[str, Any] = {
        "center": center,
        "status_counts": [(HouseholdStatus(status).label, status, n) for status, n in counts.items()],
        "household_count": sum(counts.values()),
        "totals": totals,
        "by_sector": [(sector, totals[sector.value]) for sector in Sector],
        "flagged_lines": DebtLine.objects.filter(household__in=households.values("pk"))
        .open()
        .above_legal_cap()
        .count(),
        "show_names": False,
        "households": [],
    }
    if may_see_personal_data(user):
        named = Household.objects.personal_data_visible_to(user).filter(center=center)
        summary["show_names"] = True
        summary["households"] = list(
            named.select_related("village").order_by("village__moo", "house_number", "pk")[
                :CENTER_NAMES_LIMIT
            ]
        )
        summary["more_households"] = max(summary["household_count"] - CENTER_NAMES_LIMIT, 0)
    return summary


def center_households_section(center: Center, user: Any) -> dict[str, Any]:
    """The households of a center on its page (see core.sections)."""
    return {
        "template": "debts/includes/center_households.html",
        **center_households_summary(center=center, user=user),
    }
