"""Reads for receipts (ใบเสร็จรับเงิน) and the household passbook (สมุดบัญชี).

Every payment and savings entry has a receipt, numbered by `services._issue_receipt`, one sequence per center
and fiscal year. A reversal takes no number of its own: it prints as the cancellation of the receipt of the
payment it reverses. Balances follow the ledger's order: by date, then in the order recorded; on one day a
payment comes before a savings entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from households.models import MONEY, ZERO, Household

from .calculations import money
from .models import Contract, Receipt, Repayment, RepaymentLine, SavingsEntry, receipt_number


@dataclass(frozen=True)
class FundPart:
    fund: str
    interest: Decimal
    principal: Decimal


@dataclass(frozen=True)
class RepaymentReceipt:
    """What a payment's receipt prints, or, for a reversal, the cancellation of the payment's receipt."""

    contract: Contract
    repayment: Repayment
    receipt: Receipt | None  # the payment's (for a reversal: the reversed payment's); None if never numbered
    parts: list[FundPart]
    balance_after: Decimal  # the principal still owed after this entry
    savings_balance: Decimal  # the savings on the entry's date
    received_by: str

    @property
    def interest(self) -> Decimal:
        return sum((part.interest for part in self.parts), ZERO)

    @property
    def principal(self) -> Decimal:
        return sum((part.principal for part in self.parts), ZERO)

    @property
    def amount(self) -> Decimal:
        """What the receipt says was received (a cancellation: what it cancels), a positive amount."""
        return abs(self.repayment.amount)


@dataclass(frozen=True)
class SavingsReceipt:
    contract: Contract
    entry: SavingsEntry
    receipt: Receipt | None
    savings_balance: Decimal  # after this entry
    balance_after: Decimal  # the principal still owed on the entry's date
    received_by: str

    @property
    def amount(self) -> Decimal:
        return abs(self.entry.amount)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()).strip()


def _principal_paid_through(contract: Contract, on: date, pk: int | None) -> Decimal:
    """The principal the contract's payments (reversals net) paid up to the entry (`on`, `pk`) included;
    `pk` None: everything paid on or before `on`. One query."""
    lines = RepaymentLine.objects.filter(repayment__contract=contract)
    if pk is None:
        lines = lines.filter(repayment__paid_on__lte=on)
    else:
        lines = lines.filter(Q(repayment__paid_on__lt=on) | Q(repayment__paid_on=on, repayment__pk__lte=pk))
    return money(lines.aggregate(total=Sum("principal"))["total"] or ZERO)


def _savings_through(contract: Contract, on: date, pk: int | None) -> Decimal:
    entries = SavingsEntry.objects.filter(contract=contract)
    if pk is None:
        entries = entries.filter(on__lte=on)
    else:
        entries = entries.filter(Q(on__lt=on) | Q(on=on, pk__lte=pk))
    return money(entries.aggregate(total=Sum("amount"))["total"] or ZERO)


def repayment_receipt(contract: Contract, repayment_pk: int) -> RepaymentReceipt:
    """The receipt of one of the contract's payments (404 if it is not one): five queries, whatever the size
    of the ledger. `contract` comes from `contract_for_personal_data` with its tranches."""
    repayment = get_object_or_404(
        contract.repayments.select_related("recorded_by", "receipt", "reverses__receipt", "reversed_by"),
        pk=repayment_pk,
    )
    funds = {tranche.pk: str(tranche.fund) for tranche in contract.tranches.all()}
    sign = -1 if repayment.is_reversal else 1  # a cancellation prints what it cancels, as the amount does
    parts = [
        FundPart(funds[line.tranche_id], money(sign * line.interest), money(sign * line.principal))
        for line in repayment.lines.all()
    ]
    owed = contract.principal - _principal_paid_through(contract, repayment.paid_on, repayment.pk)
    receipt = repayment.reverses.receipt if repayment.is_reversal else getattr(repayment, "receipt", None)
    return RepaymentReceipt(
        contract=contract,
        repayment=repayment,
        receipt=receipt,
        parts=parts,
        balance_after=owed,
        savings_balance=_savings_through(contract, repayment.paid_on, None),
        received_by=_name(repayment.recorded_by),
    )


def savings_receipt(contract: Contract, entry_pk: int) -> SavingsReceipt:
    """The receipt of one of the contract's savings entries (404 if it is not one): four queries."""
    entry = get_object_or_404(contract.savings.select_related("recorded_by", "receipt"), pk=entry_pk)
    return SavingsReceipt(
        contract=contract,
        entry=entry,
        receipt=getattr(entry, "receipt", None),
        savings_balance=_savings_through(contract, entry.on, entry.pk),
        balance_after=contract.principal - _principal_paid_through(contract, entry.on, None),
        received_by=_name(entry.recorded_by),
    )


# --- the passbook ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassbookRow:
    on: date
    kind: str  # "repayment", "reversal", "deposit", "withdrawal"
    receipt: str  # the receipt number ("" if none); a reversal: the number it cancels
    pk: int
    interest: Decimal
    principal: Decimal
    saving: Decimal  # the savings entry's amount (a withdrawal negative)
    amount: Decimal  # what changed hands: the payment (a reversal negative) or the savings entry
    loan_balance: Decimal
    savings_balance: Decimal
    note: str


@dataclass
class PassbookContract:
    contract: Contract
    rows: list[PassbookRow] = field(default_factory=list)

    @property
    def loan_balance(self) -> Decimal:
        return self.rows[-1].loan_balance if self.rows else self.contract.principal_total

    @property
    def savings_balance(self) -> Decimal:
        return self.rows[-1].savings_balance if self.rows else ZERO


def household_for_passbook(user: Any, pk: int) -> Household:
    """The household if the user may see its personal data; 404 otherwise (one query)."""
    return get_object_or_404(
        Household.objects.personal_data_visible_to(user).select_related("center", "village"), pk=pk
    )


def passbook(household: Household) -> list[PassbookContract]:
    """The household's signed contracts, oldest first, each with every payment, reversal and savings entry in
    the ledger's order and the loan and savings balances after each. Three queries, whatever the number of
    entries."""
    contracts = list(
        Contract.objects.filter(household=household)
        .exclude(signed_on=None)
        .with_principal()
        .order_by("signed_on", "pk")
    )
    books = {contract.pk: PassbookContract(contract) for contract in contracts}
    zero = Value(ZERO, output_field=DecimalField(**MONEY))
    repayments = (
        Repayment.objects.filter(contract__in=contracts)
        .annotate(
            line_interest=Coalesce(Sum("lines__interest"), zero),
            line_principal=Coalesce(Sum("lines__principal"), zero),
        )
        .values_list(
            "contract_id",
            "paid_on",
            "pk",
            "amount",
            "line_interest",
            "line_principal",
            "reverses_id",
            "receipt__fiscal_year",
            "receipt__sequence",
            "reverses__receipt__fiscal_year",
            "reverses__receipt__sequence",
            "note",
        )
    )
    savings = SavingsEntry.objects.filter(contract__in=contracts).values_list(
        "contract_id", "on", "pk", "amount", "kind", "receipt__fiscal_year", "receipt__sequence", "reason"
    )
    entries: list[tuple[int, date, int, int, dict[str, Any]]] = []
    for (
        contract_id,
        on,
        pk,
        amount,
        interest,
        principal,
        reverses,
        year,
        seq,
        r_year,
        r_seq,
        note,
    ) in repayments:
        number_year, number_seq = (r_year, r_seq) if reverses else (year, seq)
        entries.append(
            (
                contract_id,
                on,
                0,
                pk,
                {
                    "kind": "reversal" if reverses else "repayment",
                    "receipt": _number(number_year, number_seq),
                    "interest": money(interest),
                    "principal": money(principal),
                    "saving": ZERO,
                    "amount": money(amount),
                    "note": note,
                },
            )
        )
    for contract_id, on, pk, amount, kind, year, seq, reason in savings:
        entries.append(
            (
                contract_id,
                on,
                1,
                pk,
                {
                    "kind": kind,
                    "receipt": _number(year, seq),
                    "interest": ZERO,
                    "principal": ZERO,
                    "saving": money(amount),
                    "amount": money(amount),
                    "note": reason,
                },
            )
        )
    entries.sort(key=lambda entry: entry[:4])
    for contract_id, on, _order, pk, values in entries:
        book = books[contract_id]
        loan, saved = book.loan_balance, book.savings_balance
        book.rows.append(
            PassbookRow(
                on=on,
                pk=pk,
                loan_balance=loan - values["principal"],
                savings_balance=saved + values["saving"],
                **values,
            )
        )
    return [books[contract.pk] for contract in contracts]


def _number(year: int | None, sequence: int | None) -> str:
    return receipt_number(year, sequence) if year and sequence else ""
