"""The one place that decides which rows a user may see and edit.

Every list, detail page, export, dashboard and admin page takes its rows from `visible_to(user)` or
`editable_by(user)`. Rules, by the user's office:

- superuser (admin): sees and edits everything;
- department (national) staff: see everything, edit nothing;
- provincial staff: see their province, edit nothing (they review);
- district officers: see and edit their district.

A model opts in by giving its queryset a `district_path`: the lookup from the model to its District.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class OfficeLevel(models.TextChoices):
    DEPARTMENT = "department", "department"
    PROVINCE = "province", "province"
    DISTRICT = "district", "district"


NOTHING = Q(pk__in=[])
# "Every row" as a real condition: Django drops an empty Q() from `Q() | Q(x)`, which would turn
# "everything, or the author's own rows" into "the author's own rows".
EVERYTHING = Q(pk__isnull=False)


def visible_q(user: Any, district_path: str) -> Q:
    """The rows `user` may read, for a model whose District is reached by `district_path`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
        return EVERYTHING
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        return Q(**{f"{district_path}__province": user.province_id})
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return Q(**{district_path: user.district_id})
    return NOTHING


def editable_q(user: Any, district_path: str) -> Q:
    """The rows `user` may change: admins everywhere, district officers in their own district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return Q(**{district_path: user.district_id})
    return NOTHING


def can_edit_in(user: Any, district_id: str | None) -> bool:
    """Whether `user` may change a row of district `district_id`: `editable_q` for one row whose district
    is already known, without a query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.office_level == OfficeLevel.DISTRICT
        and bool(user.district_id)
        and user.district_id == district_id
    )


def can_create(user: AnonymousUser | Any) -> bool:
    """Whether the user may create records at all: admins, and district officers in their district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.office_level == OfficeLevel.DISTRICT and bool(user.district_id))


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's jurisdiction."""

    district_path: str = ""

    def visible_to(self, user: Any):
        return self.filter(visible_q(user, self.district_path))

    def editable_by(self, user: Any):
        return self.filter(editable_q(user, self.district_path))


def get_visible_or_404(queryset: ScopedQuerySet, user: Any, **lookup: Any):
    """The object if the user may see it; 404 both when it does not exist and when it is not theirs."""
    return get_object_or_404(queryset.visible_to(user), **lookup)
