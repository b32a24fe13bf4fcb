"""The district officer's to-do item from centers (see core.todo): committee terms ending soon."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.todo import TodoItem, is_district_officer, todo_section

from .models import Center

TERM_ENDING_DAYS = 60


def home_committee_todo(obj: None, user: Any) -> dict[str, Any] | None:
    """The centers the user may edit with committee members whose term ends within TERM_ENDING_DAYS days
    (from today), and how many such members each has; one query."""
    if not is_district_officer(user):
        return None
    today = timezone.localdate()
    ending = {"committee__term_end__range": (today, today + timedelta(days=TERM_ENDING_DAYS))}
    centers = (
        Center.objects.editable_by(user)
        .filter(**ending)
        .annotate(ending=Count("committee"))
        .only("name")
        .order_by("-ending", "name", "pk")
    )
    page = "centers:center_detail"
    items = [
        TodoItem(center.name, center.ending, reverse(page, args=[center.pk]) + "#committee")
        for center in centers
    ]
    title = _("Committee terms ending in the next 60 days")
    return todo_section(key="committee-terms", title=title, items=items, position=50)
