"""Form fields for Buddhist Era dates and baht amounts: dates are typed and shown in BE, cleaned to CE."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.thai import (
    DATE_ERROR_MESSAGES,
    DEFAULT_MIN_YEAR_BE,
    ENGLISH_MONTHS,
    ENGLISH_WEEKDAYS_SHORT,
    MONEY_ERROR_MESSAGES,
    THAI_MONTHS,
    THAI_WEEKDAYS_SHORT,
    ThaiDateError,
    ThaiMoneyError,
    format_date_be_numeric,
    parse_date_be,
    parse_money,
    to_money,
)


def _with_defaults(defaults: dict[str, Any], attrs: dict[str, Any] | None) -> dict[str, Any]:
    """``attrs`` over ``defaults``; CSS classes are combined rather than replaced."""
    merged = {**defaults, **(attrs or {})}
    if attrs and "class" in attrs and "class" in defaults:
        merged["class"] = f"{defaults['class']} {attrs['class']}"
    return merged


class BEDateInput(forms.TextInput):
    """Shows a date as dd/mm/BBBB (BE). Text the user typed is shown back unchanged.

    ``inputmode="decimal"``: phones show their digit pad with the decimal key ("." in Thai and most locales,
    "," in some), and the parser takes 24.3.64, 24,3,64 and bare digits (24032564, 240364), so a date is
    typed without leaving the digit pad. ``numeric`` offers no separator key at all on iOS and many Android
    keyboards, and ``text`` puts the digits on a second layer of the Thai keyboard. No ``pattern``
    attribute: the browser would refuse "24 มี.ค. 64" with its own English message before the server
    answers in Thai. The calendar picker (static/js/be-datepicker.js, brought by ``{{ form.media }}``)
    writes dd/mm/BBBB text into this field; without JavaScript the field is typed as before.
    """

    class Media:
        css = {"all": ("css/be-datepicker.css",)}
        js = ("js/be-datepicker.js",)

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _("dd/mm/yyyy (BE)"),
            "inputmode": "decimal",
            "autocomplete": "off",
            "class": "be-date",
        }
        super().__init__(_with_defaults(defaults, attrs))

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):  # datetime too
            return format_date_be_numeric(value)
        return str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-picker"] = picker_texts()
        return context


def picker_texts() -> str:
    """What the calendar picker shows, in the active language, as the JSON it reads from ``data-picker``."""
    english = (get_language() or "th").lower().startswith("en")
    return json.dumps(
        {
            "months": ENGLISH_MONTHS if english else THAI_MONTHS,
            "weekdays": ENGLISH_WEEKDAYS_SHORT if english else THAI_WEEKDAYS_SHORT,
            "labels": {
                "open": gettext("Choose a date from a calendar"),
                "previous": gettext("Previous month"),
                "next": gettext("Next month"),
                "month": gettext("Month"),
                "year": gettext("Year (Buddhist Era)"),
                "year_format": gettext("%(year)s BE"),
                "today": gettext("Today"),
                "close": gettext("Close"),
            },
        },
        ensure_ascii=False,
    )


class BEDateField(forms.DateField):
    """A date typed in the Buddhist Era (see core.thai.parse_date_be); cleans to a CE ``date``."""

    widget = BEDateInput
    default_error_messages = {**DATE_ERROR_MESSAGES, "future": _("The date cannot be in the future.")}

    def __init__(
        self,
        *,
        min_year_be: int = DEFAULT_MIN_YEAR_BE,
        max_year_be: int | None = None,
        allow_future: bool = True,
        **kwargs: Any,
    ) -> None:
        self.min_year_be = min_year_be
        self.max_year_be = max_year_be
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        """The year range, for the calendar picker's year list."""
        attrs = super().widget_attrs(widget)
        attrs["data-min-year"] = str(self.min_year_be)
        if self.max_year_be is not None:
            attrs["data-max-year"] = str(self.max_year_be)
        return attrs

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date_be(str(value), min_year_be=self.min_year_be, max_year_be=self.max_year_be)
        except ThaiDateError as exc:
            raise ValidationError(self.error_messages[exc.code], code=exc.code, params=exc.params) from exc

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not self.allow_future and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")


class BahtInput(forms.TextInput):
    """Shows an amount as plain "1234.50" (no grouping) so that re-submitting the form reads it back. An
    empty box shows "0.00" greyed out as its placeholder, never as a value to type after."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(_with_defaults({"inputmode": "decimal", "placeholder": "0.00"}, attrs))

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return f"{to_money(value):f}"
        return str(value)


class BahtField(forms.DecimalField):
    """An amount in baht, at most 2 decimal places (see core.thai.parse_money); not negative by default."""

    widget = BahtInput
    default_error_messages = {
        **MONEY_ERROR_MESSAGES,
        "min_value": _("The amount must be at least %(limit_value)s baht."),
        "max_digits": _("The amount is too large."),
        "max_whole_digits": _("The amount is too large."),
    }

    def __init__(
        self,
        *,
        max_digits: int | None = 14,
        decimal_places: int | None = 2,
        min_value: Decimal | None = Decimal("0.00"),
        **kwargs: Any,
    ) -> None:
        if min_value is not None and min_value == 0:
            kwargs["error_messages"] = {
                "min_value": _("The amount cannot be negative."),
                **(kwargs.get("error_messages") or {}),
            }
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, min_value=min_value, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value  # the validators check its digits and decimal places
        if isinstance(value, int) and not isinstance(value, bool):
            return to_money(value)
        try:
            return parse_money(str(value))
        except ThaiMoneyError as exc:
            raise ValidationError(self.error_messages[exc.code], code=exc.code, params=exc.params) from exc


# The largest primary key a database integer column holds. A bigger number typed into a choice field
# would make the database raise (SQLite: OverflowError, PostgreSQL: DataError) instead of answering
# "not among the choices"; so would a NUL character on PostgreSQL.
MAX_INTEGER_PK = 2**63 - 1


def _impossible_pk(field: forms.ModelChoiceField, value: Any) -> bool:
    """A value no row can have: a NUL character (PostgreSQL refuses it), or an integer id out of range."""
    if "\x00" in str(value):
        return True
    pk = field.queryset.model._meta.pk
    if not isinstance(pk, models.IntegerField | models.AutoField):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # Django itself answers "not a valid choice"
    return not 0 < number <= MAX_INTEGER_PK


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that answers an impossible id as an invalid choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and _impossible_pk(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that answers impossible ids as invalid choices."""

    def _check_values(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            if _impossible_pk(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)
