"""The draw-up form: one row per open debt of the household (amount paid to the creditor) and one row per
money-holding fund of the center (principal, rate, method). Empty rows are not part of the contract."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import MemberFund
from core.fields import BahtField, BEDateField
from debts.models import DebtLine, Sector
from households.forms import NationalIdField
from households.models import Household

from .calculations import Method, PayoffRule, add_months
from .models import PAYOFF_RULES, Contract, Payoff, SavingsEntry, Tranche
from .services import (
    MAX_TERM_MONTHS,
    CollectionRow,
    GuarantorTerms,
    PayoffReceipt,
    PayoffTerms,
    TierTerms,
    TrancheTerms,
)

METHOD_CHOICES = Tranche._meta.get_field("method").choices


def rate_field(*, required: bool = True) -> forms.DecimalField:
    """A fund's interest rate in percent a year, 0 to 100."""
    return forms.DecimalField(
        label=_("interest rate (% a year)"),
        required=required,
        max_digits=7,
        decimal_places=3,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "min_value": _("The rate is between 0 and 100 percent a year."),
            "max_value": _("The rate is between 0 and 100 percent a year."),
        },
    )


def affordability_reason_field() -> forms.CharField:
    """Why a contract goes on although its monthly payments are above the household's budget surplus."""
    return forms.CharField(
        label=_("reason to go on above the budget"),
        max_length=300,
        required=False,
        help_text=_("Needed only when the monthly payments are more than the household's budget leaves."),
    )


class ContractForm(forms.Form):
    term_months = forms.IntegerField(
        label=_("term (months)"),
        min_value=1,
        max_value=MAX_TERM_MONTHS,
        error_messages={
            "min_value": _("The term is between 1 and 360 months."),
            "max_value": _("The term is between 1 and 360 months."),
        },
    )
    first_due_on = BEDateField(label=_("first instalment due"))
    affordability_reason = affordability_reason_field()

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self.lines = list(household.debt_lines.open().order_by("-sector", "-current_balance", "pk"))
        self.funds = list(MemberFund.objects.filter(center_id=household.center_id, holds_money=True))
        today = timezone.localdate()
        self.initial.setdefault("first_due_on", add_months(today, 1))
        self.initial.setdefault("term_months", 36)
        for line in self.lines:
            self.fields[f"payoff_{line.pk}"] = BahtField(
                label=str(line), required=False, min_value=Decimal("0.01")
            )
        for fund in self.funds:
            self.fields[f"principal_{fund.pk}"] = BahtField(label=str(fund), required=False)
            self.fields[f"rate_{fund.pk}"] = rate_field(required=False)
            self.fields[f"method_{fund.pk}"] = forms.ChoiceField(
                label=_("interest method"), choices=METHOD_CHOICES, initial=Method.FLAT.value
            )
            if fund.annual_rate is not None:
                self.initial.setdefault(f"rate_{fund.pk}", fund.annual_rate.normalize())
        self.earliest_due = today + timedelta(days=1)

    def payoff_rows(self) -> list[tuple[DebtLine, forms.BoundField]]:
        return [(line, self[f"payoff_{line.pk}"]) for line in self.lines]

    def fund_rows(self) -> list[tuple[MemberFund, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (fund, self[f"principal_{fund.pk}"], self[f"rate_{fund.pk}"], self[f"method_{fund.pk}"])
            for fund in self.funds
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for fund in self.funds:
            principal = data.get(f"principal_{fund.pk}")
            if principal is not None and principal > 0 and data.get(f"rate_{fund.pk}") is None:
                self.add_error(f"rate_{fund.pk}", _("Enter the rate this fund lends at."))
        return data

    def tranche_terms(self) -> list[TrancheTerms]:
        data = self.cleaned_data
        return [
            TrancheTerms(
                fund=fund,
                principal=data[f"principal_{fund.pk}"],
                annual_rate=data[f"rate_{fund.pk}"],
                method=data[f"method_{fund.pk}"],
            )
            for fund in self.funds
            if data.get(f"principal_{fund.pk}")
        ]

    def payoff_terms(self) -> list[PayoffTerms]:
        data = self.cleaned_data
        return [
            PayoffTerms(debt_line=line, amount=data[f"payoff_{line.pk}"])
            for line in self.lines
            if data.get(f"payoff_{line.pk}")
        ]


class GuarantorForm(forms.Form):
    """One guarantor of the contract; a row left empty is no guarantor."""

    full_name = forms.CharField(label=_("guarantor's full name"), max_length=200)
    relation = forms.CharField(
        label=_("relation to the borrower"),
        max_length=100,
        error_messages={"required": _("Enter how the guarantor is related to the borrower.")},
    )
    national_id = NationalIdField()

    def terms(self) -> GuarantorTerms:
        data = self.cleaned_data
        return GuarantorTerms(data["full_name"], data["relation"], data["national_id"])


GuarantorFormSet = forms.formset_factory(GuarantorForm, extra=2, max_num=5, validate_max=True)


def guarantor_formset(data: Any = None) -> forms.BaseFormSet:
    return GuarantorFormSet(data, prefix="guarantor")


class SignForm(forms.Form):
    """The signing date, and for each creditor payoff the date it was paid and the creditor's receipt; for an
    informal lender, who often gives none, the name and statement of a witness to the payment instead."""

    signed_on = BEDateField(label=_("signed on"), allow_future=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.payoffs = list(contract.payoffs.all())
        today = timezone.localdate()
        self.initial.setdefault("signed_on", today)
        for payoff in self.payoffs:
            informal = payoff.debt_line.sector == Sector.INFORMAL
            self.fields[f"paid_on_{payoff.pk}"] = BEDateField(label=_("paid on"), allow_future=False)
            self.fields[f"receipt_{payoff.pk}"] = forms.CharField(
                label=_("creditor's receipt"),
                max_length=60,
                required=not informal,
                error_messages={
                    "required": _("A bank, cooperative or fund gives a receipt: enter its number.")
                },
            )
            if informal:
                self.fields[f"witness_name_{payoff.pk}"] = forms.CharField(
                    label=_("witness (if there is no receipt)"), max_length=200, required=False
                )
                self.fields[f"witness_statement_{payoff.pk}"] = forms.CharField(
                    label=_("witness statement"),
                    max_length=1000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Who paid whom, how much, when and where, as the witness saw it."),
                )
            self.initial.setdefault(f"paid_on_{payoff.pk}", today)

    def payoff_rows(self) -> list[tuple[Payoff, forms.BoundField, forms.BoundField, list[forms.BoundField]]]:
        """Each payoff with its date, its receipt and (an informal lender's) the witness fields."""
        return [
            (
                p,
                self[f"paid_on_{p.pk}"],
                self[f"receipt_{p.pk}"],
                [
                    self[name]
                    for name in (f"witness_name_{p.pk}", f"witness_statement_{p.pk}")
                    if name in self.fields
                ],
            )
            for p in self.payoffs
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for p in self.payoffs:
            if f"witness_name_{p.pk}" not in self.fields or data.get(f"receipt_{p.pk}"):
                continue
            name, statement = data.get(f"witness_name_{p.pk}"), data.get(f"witness_statement_{p.pk}")
            if not name and not statement:
                self.add_error(
                    f"receipt_{p.pk}", _("Enter the creditor's receipt, or the witness's name and statement.")
                )
            elif not name:
                self.add_error(f"witness_name_{p.pk}", _("Enter the witness's name."))
            elif not statement:
                self.add_error(f"witness_statement_{p.pk}", _("Enter what the witness states."))
        return data

    def receipts(self) -> dict[int, PayoffReceipt]:
        data = self.cleaned_data
        return {
            p.pk: PayoffReceipt(
                paid_on=data[f"paid_on_{p.pk}"],
                receipt=data[f"receipt_{p.pk}"],
                witness_name=data.get(f"witness_name_{p.pk}", ""),
                witness_statement=data.get(f"witness_statement_{p.pk}", ""),
            )
            for p in self.payoffs
        }


class RepaymentForm(forms.Form):
    """One payment. The hidden token makes a double-clicked or resubmitted form record one payment."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    paid_on = BEDateField(label=_("paid on"), allow_future=False)
    amount = BahtField(label=_("amount (baht)"), required=False, min_value=Decimal("0.01"))
    pay_off = forms.BooleanField(
        label=_("Pay off and close the contract"),
        required=False,
        help_text=_("Records exactly what closes the contract on this date, whatever the amount above."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    confirm_repeat = forms.BooleanField(
        label=_("Yes, record this second payment of the same amount on the same day"),
        required=False,
        widget=forms.HiddenInput,  # shown as a checkbox when `ask_to_confirm_repeat` asks
    )

    def __init__(self, *args: Any, due: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("token", uuid.uuid4())
        self.initial.setdefault("paid_on", timezone.localdate())
        if due:  # what is due today, proposed
            self.initial.setdefault("amount", due)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("pay_off") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount paid, or tick “pay off and close”."))
        return data

    def ask_to_confirm_repeat(self) -> None:
        """The contract already has a payment of this amount on this day: ask whether this is a second one."""
        self.fields["confirm_repeat"].widget = forms.CheckboxInput()
        self.add_error(
            "confirm_repeat",
            _(
                "A payment of this amount on this day is already recorded for this contract. If the "
                "household really paid twice, tick the box and record again; otherwise cancel."
            ),
        )


class SavingsForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    on = BEDateField(label=_("date"), allow_future=False)
    kind = forms.ChoiceField(label=_("kind"), choices=SavingsEntry.Kind.choices)
    amount = BahtField(label=_("amount (baht)"), min_value=Decimal("0.01"))
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        required=False,
        help_text=_("Needed for a withdrawal that leaves less than the center's rule keeps saved."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("token", uuid.uuid4())
        self.initial.setdefault("on", timezone.localdate())
        self.initial.setdefault("kind", SavingsEntry.Kind.DEPOSIT)


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class CancelDraftForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the cancellation"),
        max_length=300,
        error_messages={"required": _("Give the reason for the cancellation.")},
    )


class CollectionForm(forms.Form):
    """The monthly collection sheet: what each household paid and saved, in one form."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    on = BEDateField(label=_("collected on"), allow_future=False)

    def __init__(self, *args: Any, standings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standings = standings
        self.initial.setdefault("token", uuid.uuid4())
        self.initial.setdefault("on", timezone.localdate())
        for standing in standings:
            pk = standing.contract.pk
            self.fields[f"paid_{pk}"] = BahtField(label=_("paid (baht)"), required=False)
            self.fields[f"saved_{pk}"] = BahtField(label=_("saved (baht)"), required=False)

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"paid_{s.contract.pk}"], self[f"saved_{s.contract.pk}"]) for s in self.standings]

    def collection(self) -> list[CollectionRow]:
        data = self.cleaned_data
        return [
            CollectionRow(s.contract, data.get(f"paid_{s.contract.pk}"), data.get(f"saved_{s.contract.pk}"))
            for s in self.standings
            if data.get(f"paid_{s.contract.pk}") or data.get(f"saved_{s.contract.pk}")
        ]


class RestructureForm(forms.Form):
    """New terms for what an active contract still owes: the term, the first due date, and for each tranche
    still owed its rate and method (the current ones unless changed)."""

    term_months = forms.IntegerField(
        label=_("new term (months)"),
        min_value=1,
        max_value=MAX_TERM_MONTHS,
        error_messages={
            "min_value": _("The term is between 1 and 360 months."),
            "max_value": _("The term is between 1 and 360 months."),
        },
    )
    first_due_on = BEDateField(label=_("first instalment due"))
    affordability_reason = affordability_reason_field()

    def __init__(self, *args: Any, tranches: list[Tranche], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tranches = tranches
        self.initial.setdefault("first_due_on", add_months(timezone.localdate(), 1))
        self.initial.setdefault("term_months", 24)
        for tranche in tranches:
            self.fields[f"rate_{tranche.pk}"] = rate_field()
            self.fields[f"method_{tranche.pk}"] = forms.ChoiceField(
                label=_("interest method"),
                choices=METHOD_CHOICES,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.initial.setdefault(f"rate_{tranche.pk}", tranche.annual_rate.normalize())
            self.initial.setdefault(f"method_{tranche.pk}", tranche.method)

    def tranche_rows(self) -> list[tuple[Tranche, forms.BoundField, forms.BoundField]]:
        return [(t, self[f"rate_{t.pk}"], self[f"method_{t.pk}"]) for t in self.tranches]

    def rates(self) -> dict[int, tuple[Decimal, str]]:
        data = self.cleaned_data
        return {t.pk: (data[f"rate_{t.pk}"], data[f"method_{t.pk}"]) for t in self.tranches}


PERCENT_ERRORS = {
    "min_value": _("A share is a percentage between 0 and 100."),
    "max_value": _("A share is a percentage between 0 and 100."),
}


class SavingsRuleForm(forms.Form):
    """A center's savings rule: the two shares, and one row per band (principal from, monthly saving);
    empty rows are ignored, so clearing a row removes its band."""

    EXTRA_ROWS = 3

    instalment_share = forms.DecimalField(
        label=_("share of the instalment (%)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages=PERCENT_ERRORS,
        help_text=_("The monthly saving is at least this share of the monthly instalment."),
    )
    minimum_stock_share = forms.DecimalField(
        label=_("minimum savings stock (percent of the principal)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages=PERCENT_ERRORS,
        help_text=_("A withdrawal that leaves less than this share of the principal needs a reason."),
    )

    payoff_rule = forms.ChoiceField(
        label=_("interest on a payoff"),
        choices=PAYOFF_RULES,
        initial=PayoffRule.INSTALMENT.value,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what interest a payoff pays."),
            "invalid_choice": _("Choose what interest a payoff pays."),
        },
        help_text=_(
            "Printed on each contract drawn up from now on. The current instalment's scheduled interest: a "
            "payoff pays the interest of the instalment whose period holds the payoff date in full. Interest "
            "to the payoff date: that interest by the days of its period elapsed."
        ),
    )

    late_payment_clause = forms.CharField(
        label=_("late-payment clause"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Printed on each contract drawn up from now on, e.g. the fee or interest on a late instalment "
            "and when the committee calls the household and its guarantors. Empty: the contract refers to "
            "the center's rules."
        ),
    )

    def __init__(self, *args: Any, tiers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = len(tiers) + self.EXTRA_ROWS
        for index in range(self.row_count):
            self.fields[f"from_{index}"] = BahtField(label=_("principal from (baht)"), required=False)
            self.fields[f"saving_{index}"] = BahtField(label=_("monthly saving (baht)"), required=False)
        for index, tier in enumerate(tiers):
            self.initial.setdefault(f"from_{index}", tier.principal_from)
            self.initial.setdefault(f"saving_{index}", tier.monthly_saving)

    def tier_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"from_{i}"], self[f"saving_{i}"]) for i in range(self.row_count)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts: dict[Decimal, int] = {}
        for index in range(self.row_count):
            start, saving = data.get(f"from_{index}"), data.get(f"saving_{index}")
            if f"from_{index}" in self.errors or f"saving_{index}" in self.errors:
                continue
            if start is None and saving is None:
                continue
            if start is None:
                self.add_error(f"from_{index}", _("Enter the principal this band starts from."))
            elif saving is None:
                self.add_error(f"saving_{index}", _("Enter the monthly saving of this band."))
            elif start in starts:
                self.add_error(
                    f"from_{index}",
                    _("Two bands start at the same principal: each band starts at its own amount."),
                )
            else:
                starts[start] = index
        return data

    def tiers(self) -> list[TierTerms]:
        data = self.cleaned_data
        return [
            TierTerms(principal_from=data[f"from_{i}"], monthly_saving=data[f"saving_{i}"])
            for i in range(self.row_count)
            if data.get(f"from_{i}") is not None and data.get(f"saving_{i}") is not None
        ]


def _one_message(message: Any) -> dict[str, Any]:
    """The same message for a number missing, not a number, or out of range."""
    return dict.fromkeys(("required", "invalid", "min_value", "max_value"), message)


class FundBookForm(forms.Form):
    """The month of a fund-book export: a Buddhist Era year and a month number."""

    year = forms.IntegerField(
        label=_("year (BE)"),
        min_value=2500,
        max_value=2700,
        error_messages=_one_message(_("Give the year in the Buddhist Era, e.g. 2568.")),
    )
    month = forms.IntegerField(
        label=_("month"),
        min_value=1,
        max_value=12,
        error_messages=_one_message(_("Give the month as a number from 1 to 12.")),
    )

    def period(self) -> tuple[date, date]:
        """The first and the last day of the month asked for (CE dates)."""
        first = date(self.cleaned_data["year"] - 543, self.cleaned_data["month"], 1)
        return first, add_months(first, 1) - timedelta(days=1)

    def label(self) -> str:
        return f"{self.cleaned_data['month']:02d}/{self.cleaned_data['year']}"
