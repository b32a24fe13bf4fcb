"""Repayments and their receipts: recording a payment, reversing one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import events
from core.thai import fiscal_year
from core.tokens import recorded_with

from .. import calculations
from ..models import (
    Contract,
    Receipt,
    ReceiptSeries,
    Repayment,
    RepaymentLine,
    SavingsEntry,
)
from ..selectors import (
    paid_sums,
    position_from_schedule,
    repaid_by_tranche,
    schedule_rows,
    stored_instalments,
)
from .contracts import lock_contract_for_edit

# --- repayments -----------------------------------------------------------------------------------------


def _recorded_with(model: type[Repayment] | type[SavingsEntry], token: uuid.UUID, locked: Contract):
    """The entry a form's one-time token already recorded (a double click, a resent form, the phone's
    offline queue sending again), read under the contract's lock; refused if it was another contract's."""
    return recorded_with(
        model,
        token,
        target={"contract_id": locked.pk},
        refusal=_("This form was already used for another contract."),
    )


def _check_ledger_date(contract: Contract, on: date, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future")
    if contract.signed_on is None or on < contract.signed_on:
        raise ValidationError({field: _("The date cannot be before the contract was signed.")}, code="early")


def _next_receipt(contract: Contract) -> str:
    return f"{contract.number}-{contract.repayments.count() + 1:03d}"


def _issue_receipt(
    contract: Contract,
    on: date,
    *,
    repayment: Repayment | None = None,
    savings_entry: SavingsEntry | None = None,
) -> Receipt:
    """The receipt of a payment or a savings entry just written: the next number of the contract's center in
    the fiscal year of `on`, taken under the lock of the center's series row for that year (created the first
    time, the race of two first receipts settled by its unique constraint), inside the caller's transaction.
    The series is the last row a ledger write locks, so the lock order (center, contract, series) holds."""
    year = fiscal_year(on)
    series, _created = ReceiptSeries.objects.select_for_update().get_or_create(
        center_id=contract.center_id, fiscal_year=year
    )
    series.last += 1
    series.save(update_fields=["last"])
    receipt = Receipt(
        center_id=contract.center_id,
        fiscal_year=year,
        sequence=series.last,
        repayment=repayment,
        savings_entry=savings_entry,
    )
    receipt.save()
    return receipt


def receipts_issue_missing(*, center_ids: Sequence[int] | None = None) -> int:
    """Number the payments and savings entries written without a receipt (bulk-written demo data, rows
    recorded before receipts were numbered), in the order of their dates, after the numbers already issued.
    Returns how many were numbered. For data loaders and the migration; the services issue their own."""
    centers = Contract.objects.exclude(signed_on=None)
    if center_ids is not None:
        centers = centers.filter(center_id__in=center_ids)
    total = 0
    for center_id in sorted(set(centers.values_list("center_id", flat=True))):
        entries = [
            (on, 0, pk, "repayment")
            for pk, on in Repayment.objects.filter(
                contract__center_id=center_id, reverses=None, receipt=None
            ).values_list("pk", "paid_on")
        ] + [
            (on, 1, pk, "savings_entry")
            for pk, on in SavingsEntry.objects.filter(
                contract__center_id=center_id, receipt=None
            ).values_list("pk", "on")
        ]
        if not entries:
            continue
        series = ReceiptSeries.objects.select_for_update().filter(center_id=center_id)
        last = dict(series.values_list("fiscal_year", "last"))
        receipts = []
        for on, _kind, pk, field in sorted(entries):
            year = fiscal_year(on)
            last[year] = last.get(year, 0) + 1
            receipts.append(
                Receipt(center_id=center_id, fiscal_year=year, sequence=last[year], **{f"{field}_id": pk})
            )
        bulk_create_with_history(receipts, Receipt)
        for year, n in last.items():
            ReceiptSeries.objects.update_or_create(
                center_id=center_id, fiscal_year=year, defaults={"last": n}
            )
        total += len(receipts)
    return total


@transaction.atomic
@events.batch()
def repayment_record(
    *,
    user: Any,
    contract: Contract,
    paid_on: date,
    amount: Decimal | None,
    token: uuid.UUID,
    pay_off: bool = False,
    note: str = "",
) -> Repayment:
    """Record one payment, split between the tranches in the order of `calculations.allocate_payment`
    (oldest instalment first, interest before principal, funds as the instalment splits them; a payment
    inside an instalment's period counts as that instalment), to the satang.

    More than the payoff amount of `paid_on` (under the contract's payoff rule) is refused; exactly that
    amount, or `pay_off` (whatever `amount` says), pays off the contract and closes it. The same `token`
    twice (a double click, a resubmitted form) records one payment.
    """
    locked = lock_contract_for_edit(user=user, contract_id=contract.pk)
    existing = _recorded_with(Repayment, token, locked)
    if existing is not None:
        return existing
    if not locked.is_active:
        raise ValidationError(
            _("Contract %(number)s is %(status)s: it takes no payment.")
            % {"number": locked.number, "status": locked.get_status_display()},
            code="not_active",
        )
    _check_ledger_date(locked, paid_on, "paid_on")
    rows, repaid = schedule_rows(locked), repaid_by_tranche(locked)
    position = position_from_schedule(locked, rows, repaid, paid_on)
    if pay_off:
        amount = position.payoff
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")}, code="not_positive")
    if amount > position.payoff:
        raise ValidationError(
            {
                "amount": _(
                    "This is more than the contract owes. To close it on this date, the household pays "
                    "exactly %(payoff)s baht: tick “pay off and close”."
                )
                % {"payoff": f"{position.payoff:,.2f}"}
            },
            code="overpayment",
        )
    instalments = stored_instalments(rows)
    paid_interest, paid_principal = paid_sums(repaid)
    if amount == position.payoff:  # a payoff, under the contract's payoff rule
        allocation = calculations.Allocation(
            interest=dict(position.payoff_interest), principal=dict(position.principal_owed)
        )
    else:  # less than the payoff, hence no more than the order can take
        allocation = calculations.allocate_payment(
            amount,
            instalments=instalments,
            paid_interest=paid_interest,
            paid_principal=paid_principal,
            current=position.current,
        )
    closes = sum(allocation.principal.values(), calculations.ZERO) == position.principal
    repayment = Repayment(
        contract=locked,
        paid_on=paid_on,
        amount=amount,
        receipt_number=_next_receipt(locked),
        token=token,
        closes_contract=closes,
        note=note,
        recorded_by=user,
    )
    repayment._history_user = user
    # The constraints are not validated again (each would be a query): the service has checked them above,
    # under the contract's lock (a payment more than zero that reverses nothing, an unused token, the next
    # receipt number of the contract), and the database enforces them. Nor are the recording user (the
    # request's own) and the locked contract looked up again.
    repayment.full_clean(exclude={"recorded_by", "token", "contract"}, validate_constraints=False)
    repayment.save()
    _write_lines(repayment, allocation.interest, allocation.principal, sign=1)
    _issue_receipt(locked, paid_on, repayment=repayment)
    if closes:
        locked.status, locked.closed_on = Contract.Status.CLOSED, paid_on
        locked._history_user = user
        locked.save(update_fields=["status", "closed_on"])
    contract.status, contract.closed_on = locked.status, locked.closed_on
    return repayment


def _write_lines(
    repayment: Repayment, interest: Mapping[Any, Decimal], principal: Mapping[Any, Decimal], *, sign: int
) -> None:
    lines = [
        RepaymentLine(
            repayment=repayment,
            tranche_id=key,
            interest=sign * interest[key],
            principal=sign * principal[key],
        )
        for key in interest
        if interest[key] or principal[key]
    ]
    bulk_create_with_history(lines, RepaymentLine)


@transaction.atomic
@events.batch()
def repayment_reverse(*, user: Any, repayment: Repayment, reason: str, on: date | None = None) -> Repayment:
    """Cancel a payment recorded by mistake with a reversing entry (the payment itself stays as it was).

    A contract the payment closed is open again."""
    locked = lock_contract_for_edit(user=user, contract_id=repayment.contract_id)
    original = Repayment.objects.select_for_update().get(pk=repayment.pk)
    on = on or timezone.localdate()
    if original.is_reversal:
        raise ValidationError(_("A reversal cannot be reversed: record the payment again."), code="reversal")
    if Repayment.objects.filter(reverses=original).exists():
        raise ValidationError(_("This payment is already reversed."), code="reversed")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the reversal.")}, code="no_reason")
    if on < original.paid_on or on > timezone.localdate():
        raise ValidationError({"on": _("A reversal is dated from the payment's date up to today.")})
    reopens = locked.status == Contract.Status.CLOSED and original.closes_contract
    if reopens and Contract.objects.active().filter(household_id=locked.household_id).exists():
        raise ValidationError(_("The household has another active contract: this one cannot reopen."))
    reversal = Repayment(
        contract=locked,
        paid_on=on,
        amount=-original.amount,
        receipt_number=_next_receipt(locked),
        token=uuid.uuid4(),
        reverses=original,
        note=reason.strip()[:300],
        recorded_by=user,
    )
    reversal._history_user = user
    reversal.full_clean()
    reversal.save()
    lines = list(original.lines.all())
    _write_lines(
        reversal,
        {line.tranche_id: line.interest for line in lines},
        {line.tranche_id: line.principal for line in lines},
        sign=-1,
    )
    if reopens:
        locked.status, locked.closed_on = Contract.Status.ACTIVE, None
        locked._history_user = user
        locked.save(update_fields=["status", "closed_on"])
    return reversal
