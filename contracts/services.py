"""Writes to contracts. Each is one transaction that first locks the contract's center for editing (which
also checks that the user may edit it), so two officers never number or sign a contract at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import MemberFund
from centers.services import lock_center_for_edit
from core.thai import to_be_year
from debts.models import DebtLine
from households.models import Household, HouseholdStatus

from . import calculations
from .calculations import Method
from .models import Contract, Payoff, Tranche
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
