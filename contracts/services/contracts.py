"""Contracts: drawing up, restructuring, cancelling a draft and signing; the contract lock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from centers.models import MemberFund
from centers.services import lock_center_for_edit
from core import events
from core.thai import to_be_year
from debts.models import DebtLine, Sector
from debts.services import debt_line_record_balance
from households import national_id
from households.models import Household, HouseholdStatus
from households.services import household_enrol, household_select_as_target

from .. import calculations
from ..calculations import Method
from ..models import (
    Contract,
    Guarantor,
    Payoff,
    ScheduledInstalment,
    Tranche,
)
from ..selectors import (
    Affordability,
    affordability,
    contract_position,
    late_payment_clause_for,
    monthly_saving_for,
    payoff_rule_for,
)

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


@dataclass(frozen=True)
class GuarantorTerms:
    full_name: str
    relation: str
    national_id: str  # as typed; normalized by the service


def _check_guarantors(household: Household, guarantors: Sequence[GuarantorTerms]) -> dict[str, str]:
    """Errors keyed `guarantor-<index>-<field>` (the draw-up form's formset names)."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for index, terms in enumerate(guarantors):
        key = f"guarantor-{index}"
        if not terms.full_name.strip():
            errors[f"{key}-full_name"] = _("Enter the guarantor's full name.")
        if not terms.relation.strip():
            errors[f"{key}-relation"] = _("Enter how the guarantor is related to the borrower.")
        try:
            normalized = national_id.normalize(terms.national_id)
        except national_id.NationalIdError as exc:
            errors[f"{key}-national_id"] = exc.message
            continue
        hashed = national_id.keyed_hash(normalized)
        if hashed == household.national_id_hash:
            errors[f"{key}-national_id"] = _("The borrower cannot be their own guarantor.")
        elif hashed in seen:
            errors[f"{key}-national_id"] = _("This person is already a guarantor of the contract.")
        seen.add(hashed)
    return errors


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


def unaffordable_message(fits: Affordability) -> str:
    return _(
        "The household would pay %(burden)s baht a month (instalment %(instalment)s, savings %(saving)s, "
        "debts left outside the contract %(outside)s) but its budget leaves %(surplus)s baht a month. "
        "Give the reason to go on, or change the terms."
    ) % {
        "burden": f"{fits.burden:,.2f}",
        "instalment": f"{fits.instalment:,.2f}",
        "saving": f"{fits.saving:,.2f}",
        "outside": f"{fits.outside:,.2f}",
        "surplus": f"{fits.surplus or 0:,.2f}",
    }


def OPEN_DRAFT_MESSAGE() -> str:
    return _("This household already has a draft contract: sign or cancel it before drawing up another one.")


def _has_open_draft(household_id: int) -> bool:
    """Whether the household has a draft (the caller holds the household's or the center's lock; the
    database's one-draft constraint backs this check)."""
    return Contract.objects.filter(household_id=household_id, status=Contract.Status.DRAFT).exists()


def _next_number(center_id: int, on: date) -> str:
    """The center's next contract number, "BE year/sequence" (the center is locked by the caller)."""
    count = Contract.objects.filter(center_id=center_id).count()
    return f"{to_be_year(on.year)}/{count + 1:04d}"


@transaction.atomic
@events.batch()
def contract_draw_up(
    *,
    user: Any,
    household: Household,
    term_months: int,
    first_due_on: date,
    tranches: Sequence[TrancheTerms],
    payoffs: Sequence[PayoffTerms],
    guarantors: Sequence[GuarantorTerms] = (),
    affordability_reason: str = "",
    drawn_up_on: date | None = None,
) -> Contract:
    """A draft contract for a household: the funds that lend (tranches), the creditors paid off and the
    guarantors (their IDs kept encrypted, as a household's). When the monthly payments (the largest
    instalment, the saving due and the instalments of the debts left outside) exceed the surplus of the
    household's latest budget, `affordability_reason` is required and kept with the figures.

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
    elif _has_open_draft(household.pk):
        errors["__all__"] = OPEN_DRAFT_MESSAGE()
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        errors["term_months"] = _("The term is between 1 and 360 months.")
    if first_due_on <= drawn_up_on:
        errors["first_due_on"] = _("The first instalment falls due after the contract is drawn up.")
    errors = {
        **_check_payoffs(household, payoffs),
        **_check_tranches(household, tranches),
        **_check_guarantors(household, guarantors),
        **errors,
    }
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

    instalments = calculations.schedule(
        [calculations.Tranche(t.fund.pk, t.principal, t.annual_rate, Method(t.method)) for t in tranches],
        term_months,
        first_due_on,
    )
    monthly_saving = monthly_saving_for(
        center_id=household.center_id, principal=principal, instalment=instalments[0].amount
    )
    fits = affordability(
        household,
        instalment=max(instalment.amount for instalment in instalments),
        saving=monthly_saving,
        paid_off=[terms.debt_line.pk for terms in payoffs],
    )
    affordability_reason = affordability_reason.strip()
    if fits.above and not affordability_reason:
        raise ValidationError({"affordability_reason": unaffordable_message(fits)}, code="unaffordable")
    contract = Contract(
        household=household,
        center_id=household.center_id,
        number=_next_number(household.center_id, drawn_up_on),
        term_months=term_months,
        first_due_on=first_due_on,
        monthly_saving=monthly_saving,
        affordability_burden=fits.burden if fits.surplus is not None else None,
        affordability_surplus=fits.surplus,
        affordability_reason=affordability_reason[:300] if fits.above else "",
        payoff_rule=payoff_rule_for(center_id=household.center_id),
        late_payment_clause=late_payment_clause_for(center_id=household.center_id),
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
    for terms in guarantors:
        guarantor = Guarantor(
            contract=contract, full_name=terms.full_name.strip(), relation=terms.relation.strip()
        )
        guarantor.set_national_id(national_id.normalize(terms.national_id))
        guarantor._history_user = user
        guarantor.save()
    return contract


@dataclass(frozen=True)
class Restructuring:
    """New terms for what an active contract still owes: one tranche per fund still owed principal."""

    tranches: list[tuple[Tranche, Decimal, Decimal, str]]  # (old tranche, principal owed, rate, method)
    monthly_saving: Decimal
    fits: Affordability


def restructuring_terms(
    contract: Contract,
    *,
    term_months: int,
    first_due_on: date,
    rates: Mapping[int, tuple[Decimal, str]] | None = None,
    on: date,
) -> Restructuring:
    """What restructuring `contract` on `on` with these terms lends per fund (its principal still owed, at
    the same rate and method unless `rates` {tranche id: (rate, method)} says otherwise), the saving due and
    what it asks a month against the household's budget (the open debts outside count, as at a draw-up)."""
    owed = contract_position(contract, on).principal_owed
    rates = rates or {}
    tranches = [
        (tranche, owed[tranche.pk], *rates.get(tranche.pk, (tranche.annual_rate, tranche.method)))
        for tranche in contract.tranches.select_related("fund")
        if owed[tranche.pk] > 0
    ]
    instalments = calculations.schedule(
        [
            calculations.Tranche(t.pk, principal, rate, Method(method))
            for t, principal, rate, method in tranches
        ],
        term_months,
        first_due_on,
    )
    monthly_saving = monthly_saving_for(
        center_id=contract.center_id,
        principal=sum((principal for _t, principal, _r, _m in tranches), calculations.ZERO),
        instalment=instalments[0].amount if instalments else calculations.ZERO,
    )
    fits = affordability(
        contract.household,
        instalment=max((instalment.amount for instalment in instalments), default=calculations.ZERO),
        saving=monthly_saving,
        paid_off=(),
    )
    return Restructuring(tranches=tranches, monthly_saving=monthly_saving, fits=fits)


@transaction.atomic
@events.batch()
def contract_restructure(
    *,
    user: Any,
    contract: Contract,
    term_months: int,
    first_due_on: date,
    rates: Mapping[int, tuple[Decimal, str]] | None = None,
    affordability_reason: str = "",
    drawn_up_on: date | None = None,
) -> Contract:
    """A draft contract with new terms for what an active contract still owes (see `restructuring_terms`).
    As at a draw-up, when the monthly payments exceed the surplus of the household's latest budget,
    `affordability_reason` is required and kept with the figures. Signing the draft (`contract_sign`)
    closes the old contract as restructured; both stay linked."""
    lock_center_for_edit(user=user, center_id=contract.center_id)  # numbers are per center
    locked = lock_contract_for_edit(user=user, contract_id=contract.pk)
    drawn_up_on = drawn_up_on or timezone.localdate()
    errors: dict[str, Any] = {}
    if not locked.is_active:
        errors["__all__"] = _("Only an active contract can be restructured.")
    elif Contract.objects.filter(restructured_from=locked).exists():
        errors["__all__"] = _("This contract already has a restructuring.")
    elif _has_open_draft(locked.household_id):
        errors["__all__"] = OPEN_DRAFT_MESSAGE()
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        errors["term_months"] = _("The term is between 1 and 360 months.")
    if first_due_on <= drawn_up_on:
        errors["first_due_on"] = _("The first instalment falls due after the contract is drawn up.")
    if errors:
        raise ValidationError(errors)
    terms = restructuring_terms(
        locked, term_months=term_months, first_due_on=first_due_on, rates=rates, on=drawn_up_on
    )
    if not terms.tranches:
        raise ValidationError(_("Nothing is owed on this contract: there is nothing to restructure."))
    fits = terms.fits
    affordability_reason = affordability_reason.strip()
    if fits.above and not affordability_reason:
        raise ValidationError({"affordability_reason": unaffordable_message(fits)}, code="unaffordable")
    new = Contract(
        household_id=locked.household_id,
        center_id=locked.center_id,
        number=_next_number(locked.center_id, drawn_up_on),
        term_months=term_months,
        first_due_on=first_due_on,
        monthly_saving=terms.monthly_saving,
        affordability_burden=fits.burden if fits.surplus is not None else None,
        affordability_surplus=fits.surplus,
        affordability_reason=affordability_reason[:300] if fits.above else "",
        payoff_rule=payoff_rule_for(center_id=locked.center_id),
        late_payment_clause=late_payment_clause_for(center_id=locked.center_id),
        drawn_up_on=drawn_up_on,
        restructured_from=locked,
        created_by=user,
    )
    new._history_user = user
    new.full_clean()
    new.save()
    for tranche, principal, rate, method in terms.tranches:
        part = Tranche(contract=new, fund=tranche.fund, principal=principal, annual_rate=rate, method=method)
        part._history_user = user
        part.full_clean()
        part.save()
    return new


@transaction.atomic
@events.batch()
def contract_cancel_draft(*, user: Any, contract: Contract, reason: str, on: date | None = None) -> Contract:
    """Cancel a draft before it is signed: it stays, marked cancelled with the date and the reason (the
    history keeps who did it), and keeps its number, so that numbers already printed or told to the
    household never come back on another contract. Nothing was paid, so nothing else changes."""
    lock_center_for_edit(user=user, center_id=contract.center_id)
    locked = lock_contract_for_edit(user=user, contract_id=contract.pk)
    reason = reason.strip()
    if not locked.is_draft:
        raise ValidationError(_("Only a draft contract can be cancelled."), code="not_draft")
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    locked.status = Contract.Status.CANCELLED
    locked.cancelled_on = on or timezone.localdate()
    locked.cancellation_reason = reason[:300]
    # A cancelled restructuring no longer holds the contract it would have replaced (the link is one to
    # one), so that contract can be restructured again; the history keeps which one it was.
    locked.restructured_from = None
    locked._history_user = user
    locked.full_clean()
    locked.save(update_fields=["status", "cancelled_on", "cancellation_reason", "restructured_from"])
    contract.status, contract.cancelled_on = locked.status, locked.cancelled_on
    contract.cancellation_reason = locked.cancellation_reason
    return locked


@dataclass(frozen=True)
class PayoffReceipt:
    """How a payoff was paid: the date and the creditor's receipt, or, for an informal lender only, the
    statement of a witness to the payment instead of the receipt."""

    paid_on: date
    receipt: str
    witness_name: str = ""
    witness_statement: str = ""

    @property
    def has_witness(self) -> bool:
        return bool(self.witness_name.strip() and self.witness_statement.strip())


def _check_payoff_evidence(payoff: Payoff, receipt: PayoffReceipt, *, drawn_up_on: date) -> dict[str, str]:
    """A creditor's receipt, or for an informal lender a witness statement instead; a date not in the
    future nor before the draw-up or the debt's latest balance."""
    errors: dict[str, str] = {}
    line = payoff.debt_line
    if not receipt.receipt.strip():
        if line.sector != Sector.INFORMAL:
            errors[f"receipt_{payoff.pk}"] = _(
                "A bank, cooperative or fund gives a receipt: enter its number."
            )
        elif not receipt.has_witness:
            errors[f"receipt_{payoff.pk}"] = _(
                "Enter the creditor's receipt, or the witness's name and statement."
            )
    if receipt.paid_on > timezone.localdate():
        errors[f"paid_on_{payoff.pk}"] = _("The date cannot be in the future.")
    elif receipt.paid_on < line.balance_as_of or receipt.paid_on < drawn_up_on:
        errors[f"paid_on_{payoff.pk}"] = _(
            "The payoff cannot be dated before the contract was drawn up or the debt's latest balance."
        )
    return errors


@transaction.atomic
@events.batch()
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
    replaced = None
    if locked.restructured_from_id:
        replaced = Contract.objects.select_for_update().get(pk=locked.restructured_from_id)
        if not replaced.is_active:
            errors["__all__"] = _("The contract this one restructures is no longer active.")
        elif signed_on < (replaced.signed_on or signed_on):
            errors["signed_on"] = _("A contract is signed on or after the day it is drawn up.")
    if (
        Contract.objects.active()
        .filter(household_id=locked.household_id)
        .exclude(pk=locked.restructured_from_id)
        .exists()
    ):
        errors["__all__"] = _("This household already has an active contract.")
    payoffs = list(locked.payoffs.select_related("debt_line__household"))
    for payoff in payoffs:
        receipt = receipts.get(payoff.pk)
        line = payoff.debt_line
        if receipt is None:
            errors[f"receipt_{payoff.pk}"] = _("Enter the number of the creditor's receipt.")
        else:
            errors.update(_check_payoff_evidence(payoff, receipt, drawn_up_on=locked.drawn_up_on))
        if not line.is_open:
            errors[f"paid_on_{payoff.pk}"] = _("This debt is already closed.")
    if errors:
        raise ValidationError(errors)

    note = _("Paid off by contract %(number)s") % {"number": locked.number}
    for payoff in payoffs:
        receipt = receipts[payoff.pk]
        payoff.paid_on, payoff.receipt = receipt.paid_on, receipt.receipt.strip()
        if not payoff.receipt:  # an informal lender's payoff, evidenced by a witness
            payoff.witness_name = receipt.witness_name.strip()[:200]
            payoff.witness_statement = receipt.witness_statement.strip()[:1000]
        payoff._history_user = user
        payoff.save(update_fields=["paid_on", "receipt", "witness_name", "witness_statement"])
        evidence = payoff.receipt or _("witness: %(name)s") % {"name": payoff.witness_name}
        debt_line_record_balance(
            user=user,
            line=payoff.debt_line,
            as_of=receipt.paid_on,
            balance=calculations.ZERO,
            note=f"{note} ({evidence})"[:300],
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
    if replaced is not None:  # the old contract is kept, closed as restructured, before this one is active
        replaced.status, replaced.closed_on = Contract.Status.RESTRUCTURED, signed_on
        replaced._history_user = user
        replaced.save(update_fields=["status", "closed_on"])
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


def lock_contract_for_edit(*, user: Any, contract_id: int) -> Contract:
    """The contract, row-locked for this transaction, if the user may edit it; PermissionDenied otherwise.

    Every write to a contract's ledgers takes this lock first, so two officers posting to one contract at
    the same moment are served one after the other and each sees the other's payment."""
    try:
        return Contract.objects.editable_by(user).select_for_update().get(pk=contract_id)
    except Contract.DoesNotExist:
        raise PermissionDenied from None
