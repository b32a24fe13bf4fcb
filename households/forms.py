import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from core.fields import BEDateField, BEDateInput
from core.forms import ThaiModelForm, thai_formfield
from core.thai import thai_digits_to_arabic

from . import national_id
from .models import EXPENSE_FIELDS, INCOME_FIELDS, ZERO, BudgetStatement, Household, HouseholdStatus
from .services import household_villages


class NationalIdField(forms.CharField):
    """A 13-digit national ID, typed with or without dashes, in Arabic or Thai digits; cleans to 13 digits.

    A stored ID is never put back into the field: on an edit page it starts empty (the masked ID is shown in
    the help text), and only what the user just typed is shown again when the form has errors.
    """

    default_error_messages = {**national_id.ERROR_MESSAGES}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("national ID (13 digits)"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        try:
            return national_id.normalize(value)
        except national_id.NationalIdError as exc:
            raise ValidationError(self.error_messages[exc.code], code=exc.code) from None


class ThaiDigitsIntegerField(forms.IntegerField):
    """A whole number typed in Arabic or Thai digits (a text box: number boxes refuse Thai digits)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        return super().to_python(thai_digits_to_arabic(value) if isinstance(value, str) else value)


PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 -]*")


class HouseholdForm(ThaiModelForm):
    national_id = NationalIdField()

    class Meta:
        model = Household
        fields = [
            "village", "house_number", "head_name", "phone", "members", "occupations",
            "occupational_groups", "privacy_notice_version", "surveyed_by", "surveyed_on",
        ]  # fmt: skip
        formfield_callback = thai_formfield
        widgets = {"occupational_groups": forms.CheckboxSelectMultiple}

    field_order = ["village", "house_number", "head_name", "national_id"]

    members = ThaiDigitsIntegerField(
        label=_("number of members"),
        min_value=1,
        max_value=99,
        error_messages={
            "min_value": _("A household has at least one member."),
            "max_value": _("Check the number of members: at most 99."),
        },
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.center = center
        self.fields["village"].queryset = household_villages(center)
        self.fields["village"].empty_label = None
        if not self.instance.pk:  # the new instance's empty values are in `initial` already: replace them
            self.initial["village"] = self.initial.get("village") or center.village_id
            self.initial["privacy_notice_version"] = (
                self.initial.get("privacy_notice_version") or settings.PRIVACY_NOTICE_VERSION
            )
            self.initial["surveyed_on"] = self.initial.get("surveyed_on") or timezone.localdate()
        self.fields["occupational_groups"].queryset = center.occupational_groups.all()
        self.fields["occupational_groups"].required = False
        self.fields["surveyed_on"].allow_future = False
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.fields["national_id"].required = False
            self.fields["national_id"].help_text = _(
                "Now %(masked)s. Leave empty to keep it; type a new ID only to correct it."
            ) % {"masked": self.instance.national_id_masked}
        if not center.occupational_groups.exists():
            del self.fields["occupational_groups"]
        self.order_fields(self.field_order)

    def clean_phone(self) -> str:
        """Digits (Arabic or Thai), spaces, dashes and a leading +; stored with Arabic digits."""
        phone = thai_digits_to_arabic(self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE_PATTERN.fullmatch(phone):
            raise ValidationError(
                _(
                    "A phone number holds only digits, spaces, dashes (-) and a + sign, "
                    "for example 081-234-5678."
                ),
                code="invalid",
            )
        return phone


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.Select(attrs={"class": "form-select"}))
    changed_on = BEDateField(
        label=_("Date of the change"), allow_future=False, widget=BEDateInput(attrs={"class": "form-control"})
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status, HouseholdStatus(status).label) for status in household.next_statuses
        ]
        self.initial.setdefault("changed_on", timezone.localdate())


class BudgetStatementForm(ThaiModelForm):
    class Meta:
        model = BudgetStatement
        fields = ["as_of", *INCOME_FIELDS, *EXPENSE_FIELDS, "note"]
        formfield_callback = thai_formfield

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["as_of"].allow_future = False
        if not self.instance.pk:
            self.initial["as_of"] = self.initial.get("as_of") or timezone.localdate()
        for name in (*INCOME_FIELDS, *EXPENSE_FIELDS):
            self.fields[name].required = False  # an empty line is 0 baht

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in (*INCOME_FIELDS, *EXPENSE_FIELDS):
            if name in data and data[name] is None:
                data[name] = ZERO
        return data

    def income_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in INCOME_FIELDS]

    def expense_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in EXPENSE_FIELDS]


class FindByNationalIdForm(forms.Form):
    """Find a household by its national ID. Sent by POST only, so that the ID never appears in a URL."""

    national_id = NationalIdField(label=_("Find by national ID"))
