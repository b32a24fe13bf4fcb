from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.scoping import editable_q

from .models import Subdistrict, Village


def _check_can_edit_in(user: Any, subdistrict: Subdistrict) -> None:
    if not Subdistrict.objects.filter(editable_q(user, "district"), pk=subdistrict.pk).exists():
        raise PermissionDenied


@transaction.atomic
def village_save(*, user: Any, village: Village) -> Village:
    """Create or update a village that the form has validated, inside the user's own district."""
    _check_can_edit_in(user, village.subdistrict)
    village.full_clean()
    village.save()
    return village
