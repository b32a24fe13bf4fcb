import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from core.fields import BahtField, BEDateField
from core.forms import ThaiModelForm, thai_formfield
from households.models import Household

from .models import DebtLine, balance_is_plausible, creditor_type_choices
from .services import implausible_balance_error

CONFIRM_LABEL = _("I confirm this unusually large balance is correct")


class DebtLineForm(ThaiModelForm):
    """A creditor in the household's registry. On a new line, also what is owed today (the first balance)."""

    balance = BahtField(label=_("outstanding (baht)"))
    as_of = BEDateField(label=_("outstanding as of"), allow_future=False)
    confirm_large_balance = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    class Meta:
        model = DebtLine
        fields = [
            "creditor_type", "creditor_name", "original_amount", "started_on", "interest_rate", "rate_unit",
            "instalment", "instalment_frequency", "purpose", "collateral",
        ]  # fmt: skip
        formfield_callback = thai_formfield

    field_order = [
        "creditor_type", "creditor_name", "original_amount", "balance", "as_of", "confirm_large_balance",
        "interest_rate", "rate_unit", "instalment", "instalment_frequency", "started_on", "purpose",
        "collateral",
    ]  # fmt: skip

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["creditor_type"].choices = [("", _("— choose —")), *creditor_type_choices()]
        self.fields["started_on"].allow_future = False
        rate = self.fields["interest_rate"]
        rate.widget.attrs["inputmode"] = "decimal"
        rate.validators.append(MinValueValidator(Decimal("0"), _("The interest rate cannot be negative.")))
        rate.help_text = _("Lines above %(cap)s%% a year (the legal cap) are flagged.") % {
            "cap": settings.DEBT_LEGAL_RATE_CAP_PER_YEAR
        }
        if self.instance.pk:  # balances of an existing line are recorded as new dated entries
            for name in ("balance", "as_of", "confirm_large_balance"):
                del self.fields[name]
        else:
            self.initial.setdefault("as_of", timezone.localdate())
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rate, unit = data.get("interest_rate"), data.get("rate_unit")
        if rate is not None and not unit:
            self.add_error("rate_unit", _("Choose whether the rate is per year, per month or per day."))
        if unit and rate is None:
            self.add_error("interest_rate", _("Enter the rate, or leave the unit empty."))
        if data.get("instalment") and not data.get("instalment_frequency"):
            self.add_error("instalment_frequency", _("Choose how often the instalment is paid."))
        balance, original = data.get("balance"), data.get("original_amount")
        if (
            balance is not None
            and not data.get("confirm_large_balance")
            and not balance_is_plausible(balance, original)
        ):
            self.add_error(None, implausible_balance_error(balance))  # it names the balance field
        return data


class DebtBalanceForm(forms.Form):
    as_of = BEDateField(label=_("as of"), allow_future=False)
    balance = BahtField(label=_("outstanding (baht)"))
    written_off = forms.BooleanField(
        label=_("The creditor wrote the rest off (nothing was repaid)"), required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    confirm_large_balance = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args: Any, line: DebtLine, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.initial.setdefault("as_of", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        balance = data.get("balance")
        if data.get("written_off") and balance:
            self.add_error("balance", _("A written-off debt has nothing outstanding: enter 0."))
        if (
            balance is not None
            and not data.get("confirm_large_balance")
            and not balance_is_plausible(balance, self.line.original_amount)
        ):
            self.add_error(None, implausible_balance_error(balance))  # it names the balance field
        return data


class ImportForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none(), empty_label=None)
    file = forms.FileField(
        label=_("Excel file (.xlsx) made from the template"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    privacy_notice_version = forms.CharField(
        label=_("privacy notice version given"), max_length=20,
        help_text=_("The version of the personal data notice the households were given."),
    )  # fmt: skip
    confirm_large_balances = forms.BooleanField(
        label=_("I have checked the unusually large balances in the file and they are correct"),
        required=False,
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = Center.objects.editable_by(user).order_by("name", "pk")
        self.initial.setdefault("privacy_notice_version", settings.PRIVACY_NOTICE_VERSION)
        self.fields["file"].widget.attrs["data-max-bytes"] = settings.HOUSEHOLD_IMPORT_MAX_BYTES
        if self.is_bound and not _is_uuid(self.data.get("token")):
            # The token names this upload's progress bar: a form sent with a broken one gets a new one.
            self.data = self.data.copy()
            self.data["token"] = str(uuid.uuid4())


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
