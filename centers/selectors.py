"""Reads for the center pages: the parts of a center and the history of its changes."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    ROLE_ORDER,
    Center,
    CommitteeMember,
    GroupRevenue,
    MemberFund,
    OccupationalGroup,
    Recognition,
    managed_capital,
)

HISTORY_LIMIT = 30
User = get_user_model()


def center_parts(center: Center) -> dict[str, Any]:
    """Everything the center page shows, in a fixed number of queries."""
    funds = list(center.funds.all())
    funds_by_id = {fund.pk: fund for fund in funds}
    committee = sorted(center.committee.all(), key=lambda m: (m.term_end is not None, ROLE_ORDER[m.role]))
    for member in committee:  # the fund a member represents is one of the center's, already read
        if member.fund_id in funds_by_id:
            member.fund = funds_by_id[member.fund_id]
    groups = list(
        center.occupational_groups.prefetch_related(
            "supporting_funds", Prefetch("revenues", queryset=GroupRevenue.objects.order_by("-fiscal_year"))
        )
    )
    return {
        "funds": funds,
        "managed_capital": managed_capital(funds),
        "funds_counted": [fund for fund in funds if fund.in_managed_capital],
        "funds_not_counted": [fund for fund in funds if not fund.in_managed_capital],
        "largest_fund_members": max((fund.members for fund in funds), default=0),
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

    def __post_init__(self) -> None:
        local = timezone.localtime(self.when)
        self.day = local.date()  # what `when|date_be_short` shows
        self.time = local.strftime("%H:%M")  # what `when|time:"H:i"` shows


def center_history(center: Center, *, limit: int = HISTORY_LIMIT) -> list[Change]:
    """The latest changes to the center and its parts, newest first (one query per kind of record).

    The rows are read as values, and only the changes shown become records and users again.
    """
    sources = [
        (Center.history.filter(id=center.pk), Center),
        (MemberFund.history.filter(center_id=center.pk), MemberFund),
        (CommitteeMember.history.filter(center_id=center.pk), CommitteeMember),
        (OccupationalGroup.history.filter(center_id=center.pk), OccupationalGroup),
        (GroupRevenue.history.filter(group__center_id=center.pk), GroupRevenue),
        (Recognition.history.filter(center_id=center.pk), Recognition),
    ]
    found: list[tuple[Any, Any, dict[str, Any] | None]] = []  # (model, row, the version before it)
    for records, model in sources:
        names = [field.attname for field in model._meta.concrete_fields]
        extra = ["group__name"] if model is GroupRevenue else []
        # One more than the limit per object kind, so most changes find the version before them.
        rows = list(
            records.order_by("-history_date", "-history_id").values(
                *names, *HISTORY_FIELDS, *USER_FIELDS, *extra
            )[: limit * 2]
        )
        previous_of = _previous_versions(rows)
        found += [(model, row, previous_of.get(row["history_id"])) for row in rows]
    found.sort(key=lambda item: item[1]["history_date"], reverse=True)
    return [
        Change(
            when=row["history_date"],
            user=_user(row),
            action=row["history_type"],
            model_name=str(model._meta.verbose_name),
            label=_label(model, row),
            changes=_diff(model, row, before),
        )
        for model, row, before in found[:limit]
    ]


HISTORY_FIELDS = ("history_id", "history_date", "history_type", "history_user_id")
USER_FIELDS = ("history_user__username", "history_user__first_name", "history_user__last_name")


def _user(row: dict[str, Any]) -> User | None:
    """The author of a change, with the fields the page shows."""
    if row["history_user_id"] is None:
        return None
    return User(
        pk=row["history_user_id"],
        username=row["history_user__username"],
        first_name=row["history_user__first_name"],
        last_name=row["history_user__last_name"],
    )


def _label(model: Any, row: dict[str, Any]) -> str:
    if model is GroupRevenue:  # its __str__ would fetch the group
        return f"{row['group__name']} {row['fiscal_year']}"
    return str(model(**{field.attname: row[field.attname] for field in model._meta.concrete_fields}))


def _previous_versions(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """For each history row, the row just before it of the same object, if it was fetched."""
    previous: dict[int, dict[str, Any]] = {}
    newer_by_object: dict[Any, dict[str, Any]] = {}
    for row in rows:  # newest first
        newer = newer_by_object.get(row["id"])
        if newer is not None:
            previous[newer["history_id"]] = row
        newer_by_object[row["id"]] = row
    return previous


def _diff(model: Any, row: dict[str, Any], before: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    if row["history_type"] != "~" or before is None:
        return []
    changes = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        old, new = before[field.attname], row[field.attname]
        if old != new:
            changes.append((str(field.verbose_name), old, new))
    return changes


def home_centers_card(obj: None, user: Any) -> dict[str, Any]:
    """The home page's count of the centers the user can see (see core.sections)."""
    return {
        "template": "core/includes/home_card.html",
        "position": 10,
        "label": _("Centers you can see"),
        "count": Center.objects.visible_to(user).count(),
        "count_id": "center-count",
        "url": reverse("centers:center_list"),
    }
