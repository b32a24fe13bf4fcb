"""Writes to the debt registry. Each locks the household's center for editing, inside a transaction.

Balances are only ever added (`debt_line_record_balance`); the line's cached `current_balance` follows the
latest entry. A zero balance closes the line (paid off, or written off by the creditor).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.services import lock_center_for_edit

from .models import IMPLAUSIBLE_BALANCE_MESSAGE, ZERO, DebtBalance, DebtLine, balance_is_plausible


def implausible_balance_error(balance: Decimal) -> ValidationError:
    return ValidationError(
        {"balance": IMPLAUSIBLE_BALANCE_MESSAGE % {"balance": f"{balance:,.2f}"}}, code="implausible_balance"
    )


@transaction.atomic
def debt_line_add(
    *,
    user: Any,
    line: DebtLine,
    balance: Decimal,
    as_of: date,
    note: str = "",
    confirm_implausible: bool = False,
) -> DebtLine:
    """Add a creditor to a household's registry with what is still owed on `as_of`."""
    lock_center_for_edit(user=user, center_id=line.household.center_id)
    if not confirm_implausible and not balance_is_plausible(balance, line.original_amount):
        raise implausible_balance_error(balance)
    line.set_sector()
    line.refresh_annual_rate()
    line.status = DebtLine.Status.OPEN
    line.closed_on = None
    line.current_balance = ZERO
    line.balance_as_of = as_of
    line.full_clean(exclude=["household"])
    line._history_user = user
    line.save()
    debt_line_record_balance(
        user=user, line=line, as_of=as_of, balance=balance, note=note, confirm_implausible=True
    )
    line.refresh_from_db()
    return line


@transaction.atomic
def debt_line_update(*, user: Any, line: DebtLine) -> DebtLine:
    """Correct a line's creditor, amounts borrowed, rate and terms (balances change only by new entries)."""
    lock_center_for_edit(user=user, center_id=line.household.center_id)
    stored = DebtLine.objects.select_for_update().get(pk=line.pk)
    if stored.household_id != line.household_id:
        raise ValidationError(_("A debt line cannot move to another household."))
    line.set_sector()
    line.refresh_annual_rate()
    # What balances decide is kept as stored, whatever the caller's object says.
    line.status, line.closed_on = stored.status, stored.closed_on
    line.current_balance, line.balance_as_of = stored.current_balance, stored.balance_as_of
    line.full_clean(exclude=["household"])
    line._history_user = user
    line.save()
    return line


@transaction.atomic
def debt_line_record_balance(
    *,
    user: Any,
    line: DebtLine,
    as_of: date,
    balance: Decimal,
    note: str = "",
    written_off: bool = False,
    confirm_implausible: bool = False,
) -> DebtBalance:
    """Add a dated balance to an open line. A zero balance that is the latest closes the line: paid off, or
    written off when `written_off` (the creditor forgave the rest). The contracts app closes the lines a
    contract paid off this way, with a zero balance on the contract date.
    """
    lock_center_for_edit(user=user, center_id=line.household.center_id)
    locked = DebtLine.objects.select_for_update().get(pk=line.pk)
    if not locked.is_open:
        raise ValidationError(
            _(
                "This debt is closed. If the household borrowed again from this creditor, "
                "add a new debt line."
            ),
            code="closed",
        )
    if written_off and balance != 0:
        raise ValidationError({"balance": _("A written-off debt has nothing outstanding: enter 0.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The date cannot be in the future.")}, code="future")
    if locked.started_on and as_of < locked.started_on:
        raise ValidationError({"as_of": _("The date cannot be before the debt was taken.")})
    if not confirm_implausible and not balance_is_plausible(balance, locked.original_amount):
        raise implausible_balance_error(balance)
    entry = DebtBalance(line=locked, as_of=as_of, balance=balance, note=note, recorded_by=user)
    entry.full_clean()
    entry._history_user = locked._history_user = user
    entry.save()
    latest = locked.balances.order_by("-as_of", "-pk").first()
    locked.current_balance, locked.balance_as_of = latest.balance, latest.as_of
    if latest.pk == entry.pk and entry.balance == 0:
        locked.status = DebtLine.Status.WRITTEN_OFF if written_off else DebtLine.Status.PAID_OFF
        locked.closed_on = entry.as_of
    locked.save(update_fields=["current_balance", "balance_as_of", "status", "closed_on"])
    line.current_balance, line.balance_as_of = locked.current_balance, locked.balance_as_of
    line.status, line.closed_on = locked.status, locked.closed_on
    return entry
