"""Writes to contracts. Each is one transaction that first locks the contract's center for editing (which
also checks that the user may edit it), so two officers never number or sign a contract at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from centers.models import MemberFund
from centers.services import lock_center_for_edit
from core.thai import to_be_year
from debts.models import DebtLine
from debts.services import debt_line_record_balance
from households.models import Household, HouseholdStatus
from households.services import household_enrol, household_select_as_target

from . import calculations
from .calculations import Method
from .models import Contract, Payoff, ScheduledInstalment, Tranche
from .selectors import monthly_saving_for

MAX_TERM_MONTHS = 360
DRAWABLE_STATUSES = (HouseholdStatus.SURVEYED, HouseholdStatus.TARGET, HouseholdStatus.ENROLLED)


@dataclass(frozen=True)
class TrancheTerms:
    fund: MemberFund
    principal: Decimal
    annual_rate: Decimal
    method: str


@dataclass(frozen=True)
class PayoffTerms:
    debt_line: DebtLine
    amount: Decimal


def _check_tranches(household: Household, tranches: Sequence[TrancheTerms]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not tranches:
        errors["__all__"] = _("At least one fund must lend to the contract.")
    seen: set[int] = set()
    for terms in tranches:
        key = f"principal_{terms.fund.pk}"
        if terms.fund.center_id != household.center_id:
            errors[key] = _("%(fund)s is a fund of another center.") % {"fund": terms.fund}
        elif not terms.fund.holds_money:
            errors[key] = _("%(fund)s holds no money to lend.") % {"fund": terms.fund}
        elif terms.fund.pk in seen:
            errors[key] = _("A fund lends at most one tranche of a contract.")
        elif terms.principal <= 0:
            errors[key] = _("The amount must be more than zero.")
        elif terms.principal > terms.fund.capital:
            errors[key] = _(
                "%(fund)s has a capital of %(capital)s baht: it cannot lend %(principal)s baht."
            ) % {
                "fund": terms.fund,
                "capital": f"{terms.fund.capital:,.2f}",
                "principal": f"{terms.principal:,.2f}",
            }
        if terms.annual_rate < 0 or terms.annual_rate > 100:
            errors[f"rate_{terms.fund.pk}"] = _("The rate is between 0 and 100 percent a year.")
        if terms.method not in Method.__members__.values():
            errors[f"method_{terms.fund.pk}"] = _("Choose the interest method.")
        seen.add(terms.fund.pk)
    return errors


def _check_payoffs(household: Household, payoffs: Sequence[PayoffTerms]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not payoffs:
        errors["__all__"] = _("Choose at least one debt of the registry for the contract to pay off.")
    for terms in payoffs:
        key = f"payoff_{terms.debt_line.pk}"
        line = terms.debt_line
        if line.household_id != household.pk:
            errors[key] = _("This debt belongs to another household.")
        elif not line.is_open:
            errors[key] = _("This debt is already closed.")
        elif terms.amount <= 0:
            errors[key] = _("The amount must be more than zero.")
        elif terms.amount > line.current_balance:
            errors[key] = _("The household owes this creditor only %(balance)s baht.") % {
                "balance": f"{line.current_balance:,.2f}"
            }
    return errors


def _next_number(center_id: int, on: date) -> str:
    """The center's next contract number, "BE year/sequence" (the center is locked by the caller)."""
    count = Contract.objects.filter(center_id=center_id).count()
    return f"{to_be_year(on.year)}/{count + 1:04d}"


@transaction.atomic
def contract_draw_up(
    *,
    user: Any,
    household: Household,
    term_months: int,
    first_due_on: date,
    tranches: Sequence[TrancheTerms],
    payoffs: Sequence[PayoffTerms],
    drawn_up_on: date | None = None,
) -> Contract:
    """A draft contract for a household: the funds that lend (tranches) and the creditors paid off.

    The principal is the sum of the tranches and must cover the payoffs. Nothing is paid and no
    registry line changes until the contract is signed (`contract_sign`).
    """
    lock_center_for_edit(user=user, center_id=household.center_id)
    household = Household.objects.select_for_update().get(pk=household.pk)
    drawn_up_on = drawn_up_on or timezone.localdate()
    errors: dict[str, Any] = {}
    if household.status not in DRAWABLE_STATUSES:
        errors["__all__"] = _("A household that is “%(status)s” cannot get a contract.") % {
            "status": household.get_status_display()
        }
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        errors["term_months"] = _("The term is between 1 and 360 months.")
    if first_due_on <= drawn_up_on:
        errors["first_due_on"] = _("The first instalment falls due after the contract is drawn up.")
    errors = {**_check_payoffs(household, payoffs), **_check_tranches(household, tranches), **errors}
    if not errors:
        principal = sum((terms.principal for terms in tranches), calculations.ZERO)
        paid_off = sum((terms.amount for terms in payoffs), calculations.ZERO)
        if paid_off > principal:
            errors["__all__"] = _(
                "The funds lend %(principal)s baht but the creditors are paid %(paid)s baht: "
                "the tranches must cover the payoffs."
            ) % {"principal": f"{principal:,.2f}", "paid": f"{paid_off:,.2f}"}
    if errors:
        raise ValidationError(errors)

    first = calculations.schedule(
        [calculations.Tranche(t.fund.pk, t.principal, t.annual_rate, Method(t.method)) for t in tranches],
        term_months,
        first_due_on,
    )[0]
    contract = Contract(
        household=household,
        center_id=household.center_id,
        number=_next_number(household.center_id, drawn_up_on),
        term_months=term_months,
        first_due_on=first_due_on,
        monthly_saving=monthly_saving_for(
            center_id=household.center_id, principal=principal, instalment=first.amount
        ),
        drawn_up_on=drawn_up_on,
        created_by=user,
    )
    contract._history_user = user
    contract.full_clean()
    contract.save()
    for terms in tranches:
        tranche = Tranche(
            contract=contract,
            fund=terms.fund,
            principal=terms.principal,
            annual_rate=terms.annual_rate,
            method=terms.method,
        )
        tranche._history_user = user
        tranche.save()
    for terms in payoffs:
        payoff = Payoff(contract=contract, debt_line=terms.debt_line, amount=terms.amount)
        payoff._history_user = user
        payoff.save()
    return contract


@dataclass(frozen=True)
class PayoffReceipt:
    paid_on: date
    receipt: str


@transaction.atomic
def contract_sign(
    *,
    user: Any,
    contract: Contract,
    signed_on: date,
    receipts: Mapping[int, PayoffReceipt],
) -> Contract:
    """Activate a draft: record each creditor payoff (date and receipt, keyed by payoff id), close the
    paid-off registry lines with a zero balance, enrol the household and write the schedule.

    Either all of it happens or none of it (the registry and the household's status included).
    """
    lock_center_for_edit(user=user, center_id=contract.center_id)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    errors: dict[str, Any] = {}
    if not locked.is_draft:
        raise ValidationError(_("Only a draft contract can be signed."), code="not_draft")
    today = timezone.localdate()
    if signed_on > today:
        errors["signed_on"] = _("The date cannot be in the future.")
    elif signed_on < locked.drawn_up_on:
        errors["signed_on"] = _("A contract is signed on or after the day it is drawn up.")
    elif signed_on >= locked.first_due_on:
        errors["signed_on"] = _("A contract is signed before its first instalment falls due.")
    if Contract.objects.active().filter(household_id=locked.household_id).exists():
        errors["__all__"] = _("This household already has an active contract.")
    payoffs = list(locked.payoffs.select_related("debt_line__household"))
    for payoff in payoffs:
        receipt = receipts.get(payoff.pk)
        line = payoff.debt_line
        if receipt is None or not receipt.receipt.strip():
            errors[f"receipt_{payoff.pk}"] = _("Enter the number of the creditor's receipt.")
        elif receipt.paid_on > today:
            errors[f"paid_on_{payoff.pk}"] = _("The date cannot be in the future.")
        elif receipt.paid_on < line.balance_as_of or receipt.paid_on < locked.drawn_up_on:
            errors[f"paid_on_{payoff.pk}"] = _(
                "The payoff cannot be dated before the contract was drawn up or the debt's latest balance."
            )
        if not line.is_open:
            errors[f"paid_on_{payoff.pk}"] = _("This debt is already closed.")
    if errors:
        raise ValidationError(errors)

    note = _("Paid off by contract %(number)s") % {"number": locked.number}
    for payoff in payoffs:
        receipt = receipts[payoff.pk]
        payoff.paid_on, payoff.receipt = receipt.paid_on, receipt.receipt.strip()
        payoff._history_user = user
        payoff.save(update_fields=["paid_on", "receipt"])
        debt_line_record_balance(
            user=user,
            line=payoff.debt_line,
            as_of=receipt.paid_on,
            balance=calculations.ZERO,
            note=f"{note} ({payoff.receipt})"[:300],
            confirm_implausible=True,
        )
    household = locked.household
    if household.status == HouseholdStatus.SURVEYED:
        household_select_as_target(user=user, household=household, on=signed_on, note=note)
    if household.status == HouseholdStatus.TARGET:
        household_enrol(user=user, household=household, on=signed_on, note=note)
    elif household.status != HouseholdStatus.ENROLLED:
        raise ValidationError(
            _("A household that is “%(status)s” cannot get a contract.")
            % {"status": household.get_status_display()}
        )
    _write_schedule(locked)
    locked.status, locked.signed_on = Contract.Status.ACTIVE, signed_on
    locked._history_user = user
    locked.save(update_fields=["status", "signed_on"])
    contract.status, contract.signed_on = locked.status, locked.signed_on
    return locked


def _write_schedule(contract: Contract) -> None:
    tranches = list(contract.tranches.all())
    instalments = calculations.schedule(
        [calculations.Tranche(t.pk, t.principal, t.annual_rate, Method(t.method)) for t in tranches],
        contract.term_months,
        contract.first_due_on,
    )
    bulk_create_with_history(
        [
            ScheduledInstalment(
                contract=contract,
                tranche=tranche,
                number=instalment.number,
                due_on=instalment.due_date,
                principal=instalment.lines[tranche.pk].principal,
                interest=instalment.lines[tranche.pk].interest,
                balance=instalment.lines[tranche.pk].balance,
            )
            for instalment in instalments
            for tranche in tranches
        ],
        ScheduledInstalment,
    )
