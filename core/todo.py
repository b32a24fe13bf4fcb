"""The home page's to-do list: what apps higher up register for it (core.sections, page "todo"), and the
helpers they share to build it.

Each app registers a function `(None, user) -> dict | None` (see `todo_section`); the home page lists the
sections that have something waiting, in the order of their `position`. A section is a title and items,
each item a count and the link of the page that resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils.translation import get_language

from .scoping import OfficeLevel, is_active_user
from .sections import sections_for

TEMPLATE = "core/includes/todo_section.html"


@dataclass(frozen=True)
class TodoItem:
    label: str  # what waits, or where (a center, a district, a province)
    count: int
    url: str
    note: str = ""  # a line under the label (a reviewer's comment)
    day: date | None = None  # the date the item is about (a visit)


def todo_section(*, key: str, title: Any, items: list[TodoItem], position: int) -> dict[str, Any] | None:
    """A section of the to-do list, or None when nothing waits (the home page leaves it out)."""
    items = [item for item in items if item.count]
    if not items:
        return None
    return {
        "template": TEMPLATE,
        "key": key,
        "position": position,
        "title": title,
        "items": items,
        "total": sum(item.count for item in items),
    }


def is_district_officer(user: Any) -> bool:
    return (
        is_active_user(user)
        and not user.is_superuser
        and user.office_level == OfficeLevel.DISTRICT
        and bool(user.district_id)
    )


def overseer_area(user: Any) -> str | None:
    """What an overseer's items are grouped by: provincial staff by district, department staff and admins by
    province; None for district officers and users without an office."""
    if not is_active_user(user):
        return None
    if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
        return "province"
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        return "district"
    return None


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def fiscal_year_start(day: date) -> date:
    """The first day of the Thai government's fiscal year holding `day`: 1 October."""
    return date(day.year if day.month >= 10 else day.year - 1, 10, 1)


def area_counts(queryset: Any, *, district_path: str, area: str) -> list[tuple[str, str, int]]:
    """(area code, area name, rows) for each district or province (`area`) of the rows of `queryset`, whose
    District is reached by `district_path`; one query, largest count first."""
    path = district_path if area == "district" else f"{district_path}__province"
    english = (get_language() or "th").startswith("en")
    rows = (
        queryset.order_by()
        .values(f"{path}__code", f"{path}__name_th", f"{path}__name_en")
        .annotate(rows=Count("pk", distinct=True))
    )
    result = [
        (
            row[f"{path}__code"],
            (row[f"{path}__name_en"] if english else "") or row[f"{path}__name_th"],
            row["rows"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row[2], row[0]))


def todo_sections(user: Any) -> list[dict[str, Any]]:
    """The sections of the user's to-do list that have something waiting, in order. A registered function
    may answer one section, None, or a list of them (two figures from one computation)."""
    sections: list[dict[str, Any]] = []
    for result in sections_for("todo", None, user):
        sections.extend(section for section in (result if isinstance(result, list) else [result]) if section)
    return sorted(sections, key=lambda section: section["position"])
