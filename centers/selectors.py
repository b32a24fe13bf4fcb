"""Reads for the center pages: the parts of a center and the history of its changes."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum

from .models import (
    ROLE_ORDER,
    Center,
    CommitteeMember,
    GroupRevenue,
    MemberFund,
    OccupationalGroup,
    Recognition,
)

HISTORY_LIMIT = 30


def center_parts(center: Center) -> dict[str, Any]:
    """Everything the center page shows, in a fixed number of queries."""
    funds = list(center.funds.all())
    committee = sorted(
        center.committee.select_related("fund"), key=lambda m: (m.term_end is not None, ROLE_ORDER[m.role])
    )
    groups = list(
        center.occupational_groups.prefetch_related(
            "supporting_funds", Prefetch("revenues", queryset=GroupRevenue.objects.order_by("-fiscal_year"))
        )
    )
    money_funds = [fund for fund in funds if fund.holds_money]
    return {
        "funds": funds,
        "managed_capital": sum((fund.capital for fund in money_funds), Decimal("0.00")),
        "funds_counted": money_funds,
        "funds_not_counted": [fund for fund in funds if not fund.holds_money],
        "fund_members": center.funds.aggregate(total=Sum("members"))["total"] or 0,
        "committee": committee,
        "groups": groups,
        "recognitions": list(center.recognitions.all()),
    }


@dataclass
class Change:
    when: datetime
    user: Any
    action: str  # "+" created, "~" changed, "-" deleted
    model_name: str
    label: str
    changes: list[tuple[str, Any, Any]]


def center_history(center: Center, *, limit: int = HISTORY_LIMIT) -> list[Change]:
    """The latest changes to the center and its parts, newest first (one query per kind of record)."""
    sources = [
        (Center.history.filter(id=center.pk), Center),
        (MemberFund.history.filter(center_id=center.pk), MemberFund),
        (CommitteeMember.history.filter(center_id=center.pk), CommitteeMember),
        (OccupationalGroup.history.filter(center_id=center.pk), OccupationalGroup),
        (GroupRevenue.history.filter(group__center_id=center.pk).select_related("group"), GroupRevenue),
        (Recognition.history.filter(center_id=center.pk), Recognition),
    ]
    changes: list[Change] = []
    for records, model in sources:
        # One more than the limit per object kind, so most changes find the version before them.
        rows = list(
            records.select_related("history_user").order_by("-history_date", "-history_id")[: limit * 2]
        )
        previous_of = _previous_versions(rows)
        for row in rows:
            changes.append(
                Change(
                    when=row.history_date,
                    user=row.history_user,
                    action=row.history_type,
                    model_name=str(model._meta.verbose_name),
                    label=_label(model, row),
                    changes=_diff(model, row, previous_of.get(row.history_id)),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def _label(model: Any, row: Any) -> str:
    if model is GroupRevenue:  # its __str__ would fetch the group once per row
        return f"{row.group.name} {row.fiscal_year}"
    return str(row.instance)


def _previous_versions(rows: list[Any]) -> dict[int, Any]:
    """For each history row, the row just before it of the same object, if it was fetched."""
    previous: dict[int, Any] = {}
    newer_by_object: dict[Any, Any] = {}
    for row in rows:  # newest first
        newer = newer_by_object.get(row.id)
        if newer is not None:
            previous[newer.history_id] = row
        newer_by_object[row.id] = row
    return previous


def _diff(model: Any, row: Any, before: Any) -> list[tuple[str, Any, Any]]:
    if row.history_type != "~" or before is None:
        return []
    changes = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        old, new = getattr(before, field.attname), getattr(row, field.attname)
        if old != new:
            changes.append((str(field.verbose_name), old, new))
    return changes
