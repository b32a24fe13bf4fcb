"""Savings entries and the savings rule of a center."""

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

from .. import calculations
from ..models import (
    Contract,
    SavingsEntry,
    SavingsRule,
    SavingsTier,
)
from ..selectors import (
    minimum_savings_stock,
    savings_balance,
)
from .contracts import lock_contract_for_edit
from .repayments import _check_ledger_date, _issue_receipt, _recorded_with

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
    existing = _recorded_with(SavingsEntry, token, locked)
    if existing is not None:
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
