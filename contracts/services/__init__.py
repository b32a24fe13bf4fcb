"""Writes to contracts, one module per what they write: contracts (draw-up, restructuring, cancelling and
signing), repayments (payments, reversals, receipts), savings (entries and the savings rule) and the
collection sheet. Each write is one transaction that first locks the contract's center for editing (which
also checks that the user may edit it), so two officers never number or sign a contract at once. Import
from here: `from contracts import services; services.contract_sign(...)`."""

from .collection import (
    CollectionRow,
    collection_record,
)
from .contracts import (
    DRAWABLE_STATUSES,
    MAX_TERM_MONTHS,
    OPEN_DRAFT_MESSAGE,
    GuarantorTerms,
    PayoffReceipt,
    PayoffTerms,
    TrancheTerms,
    _check_guarantors,
    _check_payoff_evidence,
    _check_payoffs,
    _check_tranches,
    _has_open_draft,
    _next_number,
    _write_schedule,
    contract_cancel_draft,
    contract_draw_up,
    contract_restructure,
    contract_sign,
    lock_contract_for_edit,
    restructuring_terms,
    unaffordable_message,
)
from .repayments import (
    _check_ledger_date,
    _issue_receipt,
    _next_receipt,
    _write_lines,
    receipts_issue_missing,
    repayment_record,
    repayment_reverse,
)
from .savings import (
    TierTerms,
    _check_rule,
    may_authorise_withdrawal,
    savings_record,
    savings_rule_save,
)

__all__ = [
    "DRAWABLE_STATUSES",
    "MAX_TERM_MONTHS",
    "OPEN_DRAFT_MESSAGE",
    "CollectionRow",
    "GuarantorTerms",
    "PayoffReceipt",
    "PayoffTerms",
    "TierTerms",
    "TrancheTerms",
    "_check_guarantors",
    "_check_ledger_date",
    "_check_payoff_evidence",
    "_check_payoffs",
    "_check_rule",
    "_check_tranches",
    "_has_open_draft",
    "_issue_receipt",
    "_next_number",
    "_next_receipt",
    "_write_lines",
    "_write_schedule",
    "collection_record",
    "contract_cancel_draft",
    "contract_draw_up",
    "contract_restructure",
    "contract_sign",
    "lock_contract_for_edit",
    "may_authorise_withdrawal",
    "receipts_issue_missing",
    "repayment_record",
    "repayment_reverse",
    "restructuring_terms",
    "savings_record",
    "savings_rule_save",
    "unaffordable_message",
]
