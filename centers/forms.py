from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BahtField, BoundedModelChoiceField
from core.forms import ThaiModelForm, thai_formfield
from core.thai import to_be_year
from geography.forms import AreaPickerMixin

from .models import (
    PLAUSIBLE_RATE_PER_YEAR,
    Center,
    CommitteeMember,
    MemberFund,
    OccupationalGroup,
    Recognition,
)


def _current_be_year() -> int:
    return to_be_year(timezone.localdate().year)


class CenterForm(AreaPickerMixin, ThaiModelForm):
    area_levels = ("province", "district", "subdistrict", "village")
    new_village_moo = forms.IntegerField(
        label=_("or a new village: number (moo)"), required=False, min_value=1, max_value=99
    )
    new_village_name = forms.CharField(label=_("new village name"), required=False, max_length=150)

    class Meta:
        model = Center
        fields = ["name", "village", "founded_year", "founded_on", "status", "members", "notes"]
        formfield_callback = thai_formfield
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"members": {"min_value": _("The number of members cannot be negative.")}}

    field_order = [
        "name", "province", "district", "subdistrict", "village", "new_village_moo", "new_village_name",
        "founded_year", "founded_on", "status", "members", "notes",
    ]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_area_pickers(user)
        self.fields["village"].required = False
        self.fields["founded_on"].allow_future = False
        self.fields["founded_year"].widget.attrs["inputmode"] = "numeric"
        self.order_fields(self.field_order)

    def clean_founded_year(self) -> int:
        year = self.cleaned_data["founded_year"]
        if 1900 <= year < 2400:
            raise ValidationError(
                _("The year %(year)s looks like a Christian-era (CE) year. Enter the Buddhist Era (BE) year "
                  "instead: %(be_year)s."),
                params={"year": year, "be_year": year + 543},
            )  # fmt: skip
        if year > _current_be_year():
            raise ValidationError(_("The founding year cannot be in the future."))
        if year < 2400:
            raise ValidationError(_("The founding year must be a Buddhist Era year, such as 2560."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        founded_on, year = data.get("founded_on"), data.get("founded_year")
        if founded_on and year and to_be_year(founded_on.year) != year:
            self.add_error("founded_on", _("The founding date must fall in the founding year."))
        moo, new_name = data.get("new_village_moo"), (data.get("new_village_name") or "").strip()
        if data.get("village") and (moo or new_name):
            self.add_error("new_village_name", _("Choose an existing village or add a new one, not both."))
        elif not data.get("village"):
            if not (moo and new_name):
                self.add_error("village", _("Choose the village, or give the number and name of a new one."))
            elif not data.get("subdistrict"):
                self.add_error("subdistrict", _("Choose the subdistrict of the new village."))
        return data


class MemberFundForm(ThaiModelForm):
    confirm_high_rate = forms.BooleanField(
        label=_("I confirm this unusually high rate is correct"), required=False
    )

    class Meta:
        model = MemberFund
        fields = [
            "fund_type", "name", "funds_in_row", "is_core", "holds_money", "in_managed_capital",
            "capital_note", "capital", "capital_as_of", "members", "lending_rate", "rate_unit",
        ]  # fmt: skip
        formfield_callback = thai_formfield
        error_messages = {
            "members": {"min_value": _("The number of members cannot be negative.")},
            "funds_in_row": {"min_value": _("A row stands for at least one fund.")},  # below 0
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capital_as_of"].allow_future = False
        self.fields["funds_in_row"].required = False  # left empty: the row is one fund
        self.fields["lending_rate"].widget.attrs["inputmode"] = "decimal"
        self.fields["lending_rate"].min_value = Decimal("0")
        self.fields["lending_rate"].error_messages["min_value"] = _("The lending rate cannot be negative.")

    def clean_funds_in_row(self) -> int:
        count = self.cleaned_data["funds_in_row"]
        if count is None:
            return 1
        if count < 1:
            raise ValidationError(_("A row stands for at least one fund."), code="min_value")
        return count

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rate, unit = data.get("lending_rate"), data.get("rate_unit")
        if rate is not None and not unit:
            self.add_error("rate_unit", _("Choose whether the rate is per year or per month."))
        if rate is not None and unit:
            annual = MemberFund(lending_rate=rate, rate_unit=unit).annual_rate
            if annual > PLAUSIBLE_RATE_PER_YEAR and not data.get("confirm_high_rate"):
                self.add_error(
                    "lending_rate",
                    ValidationError(
                        _("%(rate)s%% a year is above any usual lending rate. Check it, or tick the "
                          "confirmation box if it is right."),
                        code="implausible_rate",
                        params={"rate": f"{annual:.2f}"},
                    ),
                )  # fmt: skip
        if data.get("holds_money") is False and data.get("capital"):
            self.add_error("capital", _("A group that holds no money cannot have capital."))
        if data.get("holds_money") is False and data.get("in_managed_capital"):
            self.add_error(
                "in_managed_capital", _("A group that holds no money cannot count in the managed capital.")
            )
        return data


class CommitteeMemberForm(ThaiModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["full_name", "role", "fund", "term_start", "term_end"]
        formfield_callback = thai_formfield

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = center.funds.all()
        self.instance.center = center


class OccupationalGroupForm(ThaiModelForm):
    class Meta:
        model = OccupationalGroup
        fields = ["name", "product", "members", "supporting_funds"]
        formfield_callback = thai_formfield
        widgets = {"supporting_funds": forms.CheckboxSelectMultiple}
        error_messages = {"members": {"min_value": _("The number of members cannot be negative.")}}

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supporting_funds"].queryset = center.funds.all()
        self.instance.center = center


class GroupRevenueForm(forms.Form):
    """A group's revenue for one fiscal year; a second figure for the same year replaces the first."""

    group = BoundedModelChoiceField(label=_("Group"), queryset=OccupationalGroup.objects.none())
    fiscal_year = forms.IntegerField(
        label=_("fiscal year (BE)"),
        min_value=2500,
        max_value=2700,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    revenue = BahtField(label=_("revenue (baht)"))

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = center.occupational_groups.all()


class RecognitionForm(ThaiModelForm):
    class Meta:
        model = Recognition
        fields = ["fiscal_year", "level", "stage"]
        formfield_callback = thai_formfield

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.center = center
        self.fields["fiscal_year"].widget.attrs["inputmode"] = "numeric"

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if year > _current_be_year() + 1:
            raise ValidationError(_("The fiscal year cannot be more than a year ahead."))
        return year
