"""The monthly collection sheet: one transaction for every row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centers.models import Center
from centers.services import lock_center_for_edit
from core import events

from ..models import (
    Contract,
    SavingsEntry,
)
from .repayments import repayment_record
from .savings import savings_record

# --- the monthly collection sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectionRow:
    contract: Contract
    paid: Decimal | None
    saved: Decimal | None


@transaction.atomic
@events.batch()
def collection_record(
    *, user: Any, center: Center, on: date, rows: Sequence[CollectionRow], token: uuid.UUID
) -> tuple[int, int]:
    """A center's monthly collection in one transaction: each household's payment and savings on `on`.

    Any refused row refuses the whole sheet (errors keyed `paid_<contract id>` and `saved_<contract id>`);
    the same sheet sent twice records nothing more (each row's token derives from the sheet's).
    Returns (payments, deposits) recorded.
    """
    lock_center_for_edit(user=user, center_id=center.pk)
    errors: dict[str, list[str]] = {}
    payments = deposits = 0
    for row in rows:
        pk = row.contract.pk
        if row.contract.center_id != center.pk:
            errors["__all__"] = [_("A contract of another center is not on this sheet.")]
            continue
        if row.paid:
            try:
                repayment_record(
                    user=user,
                    contract=row.contract,
                    paid_on=on,
                    amount=row.paid,
                    token=uuid.uuid5(token, f"repayment-{pk}"),
                )
                payments += 1
            except ValidationError as exc:
                errors[f"paid_{pk}"] = exc.messages
        if row.saved:
            try:
                savings_record(
                    user=user,
                    contract=row.contract,
                    on=on,
                    kind=SavingsEntry.Kind.DEPOSIT,
                    amount=row.saved,
                    token=uuid.uuid5(token, f"savings-{pk}"),
                )
                deposits += 1
            except ValidationError as exc:
                errors[f"saved_{pk}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return payments, deposits
