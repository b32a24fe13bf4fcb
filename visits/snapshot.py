"""The figures of a center on a given day, stored on a visit report so that it keeps them as they were.

`snapshot_for(center, on_date)` is the one place that reads them, always from dated entries as of
`on_date` (never from today's figures). Households enrolled and debt-free come from the households'
status log; households whose debt went down, baht of debt reduced and savings come from the contracts'
progress on that date (contracts.progress.center_progress: registry balances, repayments and savings dated
up to it), and stay unknown (None) while no contract of the center had been signed by then. A report
stores what this function returned when it was written and again when it was first submitted; after that
the stored figures never change.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from centers.models import Center
from contracts.progress import center_progress
from households.models import Household, HouseholdStatus, StatusChange


@dataclass(frozen=True)
class CenterSnapshot:
    households_enrolled: int | None = None
    households_debt_reduced: int | None = None
    households_debt_free: int | None = None
    debt_reduced: Decimal | None = None
    savings: Decimal | None = None

    def as_report_fields(self) -> dict[str, int | Decimal | None]:
        """The values keyed by the CenterReport field names (`snapshot_<name>`)."""
        return {f"snapshot_{field.name}": getattr(self, field.name) for field in fields(self)}


def snapshot_for(center: Center, on_date: date) -> CenterSnapshot:
    """The center's figures on `on_date`, None for each figure Kongtun cannot compute yet."""
    statuses = household_statuses_on(center, on_date)
    progress = center_progress(center, on_date)
    signed = progress.households > 0
    return CenterSnapshot(
        households_enrolled=statuses[HouseholdStatus.ENROLLED] + statuses[HouseholdStatus.DEBT_FREE],
        households_debt_reduced=progress.households_debt_reduced if signed else None,
        households_debt_free=statuses[HouseholdStatus.DEBT_FREE],
        # debt that grew overall counts as nothing reduced (the report field is never negative)
        debt_reduced=max(progress.reduced, Decimal("0.00")) if signed else None,
        savings=progress.savings if signed else None,
    )


def household_statuses_on(center: Center, on_date: date) -> dict[str, int]:
    """How many of the center's households were in each status on `on_date` (one query)."""
    status_then = (
        StatusChange.objects.filter(household=OuterRef("pk"), changed_on__lte=on_date)
        .order_by("-changed_on", "-pk")
        .values("to_status")[:1]
    )
    rows = (
        Household.objects.filter(center=center, surveyed_on__lte=on_date)
        .annotate(status_then=Coalesce(Subquery(status_then), Value(HouseholdStatus.SURVEYED.value)))
        .values("status_then")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(HouseholdStatus.values, 0)
    counts.update({row["status_then"]: row["count"] for row in rows})
    return counts
