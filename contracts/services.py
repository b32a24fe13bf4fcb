"""Writes to contracts. Each is one transaction that first locks the contract's center for editing (which
also checks that the user may edit it), so two officers never number or sign a contract at once."""

from __future__ import annotations

import uuid
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

from centers.models import Center, MemberFund
from centers.services import lock_center_for_edit
from core import events
from core.thai import fiscal_year, to_be_year
from debts.models import DebtLine, Sector
from debts.services import debt_line_record_balance
from households import national_id
from households.models import Household, HouseholdStatus
from households.services import household_enrol, household_select_as_target

from . import calculations
from .calculations import Method
from .models import (
    Contract,
    Guarantor,
    Payoff,
    Receipt,
    ReceiptSeries,
    Repayment,
    RepaymentLine,
    SavingsEntry,
    SavingsRule,
    SavingsTier,
    ScheduledInstalment,
    Tranche,
)
from .selectors import (
    Affordability,
    affordability,
    contract_position,
    late_payment_clause_for,
    minimum_savings_stock,
    monthly_saving_for,
    paid_sums,
    payoff_rule_for,
    position_from_schedule,
    repaid_by_tranche,
    savings_balance,
    schedule_rows,
    stored_instalments,
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


@transaction.atomic
@events.batch()
def contract_restructure(
    *,
    user: Any,
    contract: Contract,
    term_months: int,
    first_due_on: date,
    rates: Mapping[int, tuple[Decimal, str]] | None = None,
    drawn_up_on: date | None = None,
) -> Contract:
    """A draft contract with new terms for what an active contract still owes: one tranche per fund for
    its principal still owed (at the same rate and method unless `rates` {tranche id: (rate, method)} says
    otherwise). Signing it (`contract_sign`) closes the old contract as restructured; both stay linked."""
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
    owed = contract_position(locked, drawn_up_on).principal_owed
    rates = rates or {}
    tranches = [
        (tranche, owed[tranche.pk], *rates.get(tranche.pk, (tranche.annual_rate, tranche.method)))
        for tranche in locked.tranches.select_related("fund")
        if owed[tranche.pk] > 0
    ]
    if not tranches:
        raise ValidationError(_("Nothing is owed on this contract: there is nothing to restructure."))
    first = calculations.schedule(
        [
            calculations.Tranche(t.pk, principal, rate, Method(method))
            for t, principal, rate, method in tranches
        ],
        term_months,
        first_due_on,
    )[0]
    new = Contract(
        household_id=locked.household_id,
        center_id=locked.center_id,
        number=_next_number(locked.center_id, drawn_up_on),
        term_months=term_months,
        first_due_on=first_due_on,
        monthly_saving=monthly_saving_for(
            center_id=locked.center_id,
            principal=sum((principal for _t, principal, _r, _m in tranches), calculations.ZERO),
            instalment=first.amount,
        ),
        payoff_rule=payoff_rule_for(center_id=locked.center_id),
        late_payment_clause=late_payment_clause_for(center_id=locked.center_id),
        drawn_up_on=drawn_up_on,
        restructured_from=locked,
        created_by=user,
    )
    new._history_user = user
    new.full_clean()
    new.save()
    for tranche, principal, rate, method in tranches:
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


# --- repayments -----------------------------------------------------------------------------------------


def lock_contract_for_edit(*, user: Any, contract_id: int) -> Contract:
    """The contract, row-locked for this transaction, if the user may edit it; PermissionDenied otherwise.

    Every write to a contract's ledgers takes this lock first, so two officers posting to one contract at
    the same moment are served one after the other and each sees the other's payment."""
    try:
        return Contract.objects.editable_by(user).select_for_update().get(pk=contract_id)
    except Contract.DoesNotExist:
        raise PermissionDenied from None


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
    existing = Repayment.objects.filter(token=token).first()
    if existing is not None:
        if existing.contract_id != locked.pk:
            raise ValidationError(_("This form was already used for another contract."), code="token")
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


# --- savings ---------------------------------------------------------------------------------------------


def may_authorise_withdrawal(user: Any) -> bool:
    return user.is_superuser or user.has_perm("contracts.authorise_withdrawal")


@transaction.atomic
@events.batch()
def savings_record(
    *,
    user: Any,
    contract: Contract,
    on: date,
    kind: str,
    amount: Decimal,
    token: uuid.UUID,
    reason: str = "",
) -> SavingsEntry:
    """A deposit or a withdrawal (`amount` positive in both). A withdrawal that would leave less than the
    rule's minimum stock needs a reason and a user allowed to authorise it."""
    locked = lock_contract_for_edit(user=user, contract_id=contract.pk)
    existing = SavingsEntry.objects.filter(token=token).first()
    if existing is not None:
        if existing.contract_id != locked.pk:
            raise ValidationError(_("This form was already used for another contract."), code="token")
        return existing
    if locked.is_draft:
        raise ValidationError(_("Savings are recorded once the contract is signed."), code="draft")
    _check_ledger_date(locked, on, "on")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")}, code="not_positive")
    authorised_by = None
    if kind == SavingsEntry.Kind.WITHDRAWAL:
        balance = savings_balance(locked)
        if amount > balance:
            raise ValidationError(
                {
                    "amount": _("The household has only %(balance)s baht saved.")
                    % {"balance": f"{balance:,.2f}"}
                },
                code="too_much",
            )
        minimum = minimum_savings_stock(locked)
        if balance - amount < minimum:
            if not may_authorise_withdrawal(user):
                raise ValidationError(
                    _(
                        "This withdrawal leaves less than the %(minimum)s baht the center's rule keeps "
                        "saved: only an authorised person may allow it."
                    )
                    % {"minimum": f"{minimum:,.2f}"},
                    code="below_rule",
                )
            if not reason.strip():
                raise ValidationError(
                    {"reason": _("A withdrawal below the rule needs a reason.")}, code="no_reason"
                )
            authorised_by = user
    elif kind != SavingsEntry.Kind.DEPOSIT:
        raise ValidationError({"kind": _("Choose a deposit or a withdrawal.")})
    entry = SavingsEntry(
        contract=locked,
        on=on,
        kind=kind,
        amount=amount if kind == SavingsEntry.Kind.DEPOSIT else -amount,
        reason=reason.strip()[:300],
        authorised_by=authorised_by,
        token=token,
        recorded_by=user,
    )
    entry._history_user = user
    entry.full_clean()
    entry.save()
    _issue_receipt(locked, on, savings_entry=entry)
    return entry


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


# --- the savings rule of a center ------------------------------------------------------------------------


@dataclass(frozen=True)
class TierTerms:
    principal_from: Decimal
    monthly_saving: Decimal


def _check_rule(
    instalment_share: Decimal, minimum_stock_share: Decimal, tiers: Sequence[TierTerms]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, share in (
        ("instalment_share", instalment_share),
        ("minimum_stock_share", minimum_stock_share),
    ):
        if share is None or not 0 <= share <= 100:
            errors[field] = [_("A share is a percentage between 0 and 100.")]
    starts = [tier.principal_from for tier in tiers]
    if any(tier.principal_from < 0 or tier.monthly_saving < 0 for tier in tiers):
        errors.setdefault("__all__", []).append(_("Amounts cannot be negative."))
    if len(set(starts)) != len(starts):
        errors.setdefault("__all__", []).append(
            _("Two bands start at the same principal: each band starts at its own amount.")
        )
    ordered = sorted(tiers, key=lambda tier: tier.principal_from)
    if any(ordered[i].monthly_saving > ordered[i + 1].monthly_saving for i in range(len(ordered) - 1)):
        errors.setdefault("__all__", []).append(
            _("The more a household borrows, the more it saves: a larger principal cannot require less.")
        )
    return errors


@transaction.atomic
def savings_rule_save(
    *,
    user: Any,
    center: Center,
    instalment_share: Decimal,
    minimum_stock_share: Decimal,
    tiers: Sequence[TierTerms],
    payoff_rule: str | None = None,
    late_payment_clause: str | None = None,
) -> SavingsRule:
    """Set a center's savings rule (กู้มาก ออมมาก): its bands by principal, the share of the instalment, the
    minimum savings stock, and the payoff rule (what interest a payoff pays). Tiers no longer listed are
    removed (their history stays). Contracts already drawn up keep the monthly saving and the payoff rule
    they were drawn up with; the rule applies to new ones. Without `payoff_rule`, the rule's stays (the
    current instalment's interest for a new rule)."""
    lock_center_for_edit(user=user, center_id=center.pk)
    errors = _check_rule(instalment_share, minimum_stock_share, tiers)
    if payoff_rule is not None and payoff_rule not in calculations.PayoffRule.__members__.values():
        errors["payoff_rule"] = [_("Choose what interest a payoff pays.")]
    if errors:
        raise ValidationError(errors)
    rule = SavingsRule.objects.filter(center=center).first() or SavingsRule(center=center)
    rule.instalment_share, rule.minimum_stock_share = instalment_share, minimum_stock_share
    if payoff_rule is not None:
        rule.payoff_rule = payoff_rule
    if late_payment_clause is not None:
        rule.late_payment_clause = late_payment_clause.strip()
    rule._history_user = user
    rule.full_clean()
    rule.save()
    wanted = {tier.principal_from: tier.monthly_saving for tier in tiers}
    for tier in list(rule.tiers.all()):
        tier._history_user = user
        if tier.principal_from not in wanted:
            tier.delete()
        elif tier.monthly_saving != wanted.pop(tier.principal_from):
            tier.monthly_saving = next(
                t.monthly_saving for t in tiers if t.principal_from == tier.principal_from
            )
            tier.save(update_fields=["monthly_saving"])
    for principal_from, monthly_saving in wanted.items():
        tier = SavingsTier(rule=rule, principal_from=principal_from, monthly_saving=monthly_saving)
        tier._history_user = user
        tier.full_clean()
        tier.save()
    return rule
