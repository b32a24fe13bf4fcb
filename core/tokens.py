"""One-time form tokens. A form that writes carries a fresh UUID, and the row it writes keeps it in a unique
`token` field, so that the same form sent twice (a double click or tap, a resent form, the phone's offline
queue sending again) writes once. The contracts' ledger entries (repayments, savings entries) and the
visits' new reports follow the same rule, here."""

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)


def recorded_with(model: type[M], token: uuid.UUID, *, target: Mapping[str, Any], refusal: str) -> M | None:
    """The row of `model` that `token` already recorded, or None. Sent again for the same target (every
    field of `target` as on that row), the form is answered with that row, whatever has changed since; for
    another target it is refused with `refusal` (code "token"). The caller reads it under the lock its write
    takes, so that two sends at the same moment find each other's row."""
    existing = model._default_manager.filter(token=token).first()
    if existing is not None and any(getattr(existing, field) != value for field, value in target.items()):
        raise ValidationError(refusal, code="token")
    return existing
