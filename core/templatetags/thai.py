"""Template filters for Thai dates and money. Registered as a builtin; also ``{% load thai %}``.

Every filter returns "" for None, "" or a value it cannot show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django import template

from core import thai

register = template.Library()


def _blank_on_bad_input(func: Callable[[Any], str | int]) -> Callable[[Any], str | int]:
    @wraps(func)
    def wrapper(value: Any) -> str | int:
        if value is None or value == "":
            return ""
        try:
            return func(value)
        except (TypeError, ValueError):
            return ""

    return wrapper


def _date(value: Any) -> date:
    if not isinstance(value, date):
        raise TypeError(type(value).__name__)
    return value


@register.filter
@_blank_on_bad_input
def date_be(value: Any) -> str:
    """24 มีนาคม 2564 (24 March 2564 BE in English)."""
    return thai.format_date_be(_date(value))


@register.filter
@_blank_on_bad_input
def date_be_short(value: Any) -> str:
    """24 มี.ค. 64 (24 Mar 64 in English)."""
    return thai.format_date_be(_date(value), short=True)


@register.filter
@_blank_on_bad_input
def date_be_numeric(value: Any) -> str:
    """24/03/2564."""
    return thai.format_date_be_numeric(_date(value))


@register.filter
@_blank_on_bad_input
def baht(value: Any) -> str:
    """1,234.50 บาท (1,234.50 baht in English)."""
    return thai.format_baht(value)


@register.filter
@_blank_on_bad_input
def baht_number(value: Any) -> str:
    """1,234.50."""
    return thai.format_baht(value, unit=False)


@register.filter
@_blank_on_bad_input
def baht_text(value: Any) -> str:
    """หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์."""
    return thai.baht_text(value)


@register.filter
@_blank_on_bad_input
def fiscal_year(value: Any) -> int:
    """2568 for any date from 1 Oct 2024 to 30 Sep 2025."""
    return thai.fiscal_year(_date(value))


@register.filter
@_blank_on_bad_input
def thai_digits(value: Any) -> str:
    """Arabic digits as Thai digits, for official print: 2564 -> ๒๕๖๔."""
    return thai.arabic_digits_to_thai(str(value))
