"""Reads for the household pages."""

from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404

from centers.models import Center

from .models import Household, HouseholdStatus


def household_for_personal_data(user: Any, pk: int) -> Household:
    """The household if the user may see its personal data; 404 otherwise, exactly as if it did not exist.

    Provincial and department staff get 404 too: they read counts and totals, never a household's page.
    """
    households = Household.objects.select_related("center__village__subdistrict__district", "village")
    return get_object_or_404(households.personal_data_visible_to(user), pk=pk)


def status_counts(households) -> dict[str, int]:
    """{status: number of households}, every status present (0 when none), in one query."""
    counts = dict.fromkeys(HouseholdStatus.values, 0)
    for row in households.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def centers_for_registration(user: Any):
    """The centers where the user may register households."""
    return Center.objects.editable_by(user).with_area().order_by("name", "pk")
