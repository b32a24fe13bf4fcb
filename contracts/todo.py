"""The district officer's to-do items from contracts (see core.todo): instalments falling due this week and
households in arrears, by center, and contract drafts left open. Figures come from contracts.arrears'
`standings`, the one definition of what fell due, what was repaid and the days past due."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.todo import TodoItem, is_district_officer, todo_section, week_of

from .arrears import standings
from .models import Contract, ScheduledInstalment


def collection_todo(*, user: Any, today: date) -> tuple[list[TodoItem], list[TodoItem]]:
    """(contracts with an instalment due this week not yet covered, households in arrears today), each as
    one item per center of the contracts the user may edit; six queries whatever the number of contracts."""
    contracts = list(
        Contract.objects.editable_by(user).active().filter(signed_on__lte=today).select_related("center")
    )
    if not contracts:
        return [], []
    _monday, sunday = week_of(today)
    falling_due = set(
        ScheduledInstalment.objects.filter(
            contract__in=[contract.pk for contract in contracts], due_on__range=(today, sunday)
        ).values_list("contract_id", flat=True)
    )
    due: dict[int, set[int]] = defaultdict(set)
    late: dict[int, set[int]] = defaultdict(set)
    centers = {}
    # What falls due by Sunday, with the days past due counted today (`standings`' `today`).
    for standing in standings(contracts, sunday, today=today):
        contract = standing.contract
        centers[contract.center_id] = contract.center
        if contract.pk in falling_due and standing.arrears > 0:
            due[contract.center_id].add(contract.pk)
        if standing.days_past_due > 0:
            late[contract.center_id].add(contract.household_id)

    def items(counts: dict[int, set[int]], url_name: str) -> list[TodoItem]:
        return [
            TodoItem(centers[pk].name, len(counts[pk]), reverse(url_name, args=[pk]))
            for pk in sorted(counts, key=lambda pk: (-len(counts[pk]), centers[pk].name))
        ]

    return items(due, "contracts:collection_sheet"), items(late, "contracts:arrears")


def home_collection_todo(obj: None, user: Any) -> list[dict[str, Any] | None] | None:
    if not is_district_officer(user):
        return None
    due, late = collection_todo(user=user, today=timezone.localdate())
    return [
        todo_section(key="due-this-week", title=_("Instalments due this week"), items=due, position=10),
        todo_section(key="in-arrears", title=_("Households in arrears"), items=late, position=20),
    ]


def home_drafts_todo(obj: None, user: Any) -> dict[str, Any] | None:
    """Contract drafts left open: drawn up and never signed."""
    if not is_district_officer(user):
        return None
    count = Contract.objects.editable_by(user).filter(status=Contract.Status.DRAFT).count()
    url = reverse("contracts:contract_list") + f"?status={Contract.Status.DRAFT}"
    items = [TodoItem(str(_("Drafts not yet signed")), count, url)]
    return todo_section(key="contract-drafts", title=_("Contract drafts left open"), items=items, position=60)
