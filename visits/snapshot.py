"""The figures of a center on a given day, stored on a visit report so that it keeps them as they were.

`snapshot_for(center, on_date)` is the one place that reads them. Households, debts, contracts and savings
are not recorded in Kongtun yet, so today every figure is unknown (None). When those parts exist, compute
the figures here from their dated entries as of `on_date` (never from today's balances), and the reports
created or submitted from then on will carry them. A report stores what this function returned when it
was written and again when it was first submitted; after that the stored figures never change.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from centers.models import Center


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
    return CenterSnapshot()
