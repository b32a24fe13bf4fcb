"""Thai dates and money: Buddhist Era (BE) display and parsing, the government fiscal year, baht amounts.

Dates are stored in the Christian era (CE) and shown in the Buddhist Era (BE = CE + 543).
Money is always ``Decimal`` quantized to satang (0.01); floats are refused.
Error messages are user-facing and translated lazily; the errors carry a ``code`` and ``params``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.money import money

BE_OFFSET = 543
THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_SHORT: tuple[str, ...] = tuple(name[:3] for name in ENGLISH_MONTHS)
# Calendar column heads, Sunday first as on Thai calendars.
THAI_WEEKDAYS_SHORT: tuple[str, ...] = ("อา", "จ", "อ", "พ", "พฤ", "ศ", "ส")
ENGLISH_WEEKDAYS_SHORT: tuple[str, ...] = ("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa")

# Christian-era years people type by mistake instead of the Buddhist Era year.
CE_YEAR_GUESS = range(1900, 2400)
DEFAULT_MIN_YEAR_BE = 2400
# The earliest year a field trip, a visit or a recommendation can plausibly carry: 2500 BE (1957 CE), decades
# before the first community fund management centers. Older dates are refused as typing mistakes.
PLAUSIBLE_MIN_YEAR_BE = 2500
MAX_YEARS_AHEAD = 30
# A two-digit year is always read as 25yy: "64" is 2564 BE. A year that reading puts outside the field's
# range (say "99" when 2599 is too far ahead) is refused with a request for all four digits.
SHORT_YEAR_CENTURY_BE = 2500

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(_THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", _THAI_DIGITS)
_FALLBACK_TZ = ZoneInfo("Asia/Bangkok")

DATE_ERROR_MESSAGES: dict[str, Promise] = {
    "invalid": _("Enter a date as day/month/year in the Buddhist Era, for example 24/03/2564."),
    "ce_year": _(
        "The year %(year)s looks like a Christian-era (CE) year. "
        "Enter the Buddhist Era (BE) year instead: %(be_year)s."
    ),
    "year_range": _("The year must be between %(min_year)s and %(max_year)s (Buddhist Era)."),
    "short_year": _(
        "A two-digit year %(short)s reads as %(year)s (Buddhist Era), which is outside %(min_year)s to "
        "%(max_year)s. Type the year with four digits, for example 24/03/2564."
    ),
    "no_such_day": _("The date %(date)s does not exist: that month has only %(days)s days."),
}
MONEY_ERROR_MESSAGES: dict[str, Promise] = {
    "invalid": _("Enter an amount in baht, for example 1,234.50."),
    "satang": _("Amounts have at most 2 decimal places (satang)."),
}


class _CodedError(ValueError):
    """A ValueError with a machine-readable ``code`` and the ``params`` of its user-facing message."""

    messages: Mapping[str, Promise] = {}

    def __init__(self, code: str, **params: object) -> None:
        if code not in self.messages:
            raise KeyError(code)
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.messages[self.code]) % self.params

    def __str__(self) -> str:
        return self.message


class ThaiDateError(_CodedError):
    """``code`` is one of "invalid", "ce_year", "year_range", "short_year", "no_such_day"."""

    messages = DATE_ERROR_MESSAGES


class ThaiMoneyError(_CodedError):
    """``code`` is one of "invalid", "satang"."""

    messages = MONEY_ERROR_MESSAGES


# --- helpers ---------------------------------------------------------------------------------------------


def _active_language() -> str:
    if not settings.configured:
        return "th"
    return get_language() or settings.LANGUAGE_CODE


def _is_english(lang: str | None) -> bool:
    return (lang or _active_language()).lower().startswith("en")


def _as_date(value: date) -> date:
    """A date for ``value``; aware datetimes are first converted to local time."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"Expected a date or datetime, got {type(value).__name__}")


def _today() -> date:
    if settings.configured:
        return timezone.localdate()
    return datetime.now(tz=_FALLBACK_TZ).date()


# --- years and digits ------------------------------------------------------------------------------------


def to_be_year(ce: int) -> int:
    return ce + BE_OFFSET


def to_ce_year(be: int) -> int:
    return be - BE_OFFSET


def thai_digits_to_arabic(s: str) -> str:
    return s.translate(_TO_ARABIC)


def arabic_digits_to_thai(s: str) -> str:
    return s.translate(_TO_THAI)


# --- date display ----------------------------------------------------------------------------------------


def format_date_be(d: date, *, short: bool = False, lang: str | None = None) -> str:
    """Show as "24 มีนาคม 2564" / "24 มี.ค. 64"; in English "24 March 2564 BE" / "24 Mar 2564 BE".

    English short dates keep the four-digit year and the era: "24 Mar 64" would read as 1964 CE.
    """
    if type(d) is not date:
        d = _as_date(d)
    year = d.year + BE_OFFSET
    if _is_english(lang):
        if short:
            return f"{d.day} {ENGLISH_MONTHS_SHORT[d.month - 1]} {year} BE"
        return f"{d.day} {ENGLISH_MONTHS[d.month - 1]} {year} BE"
    if short:
        return f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {year % 100:02d}"
    return f"{d.day} {THAI_MONTHS[d.month - 1]} {year}"


def format_date_be_numeric(d: date) -> str:
    """Show as "24/03/2564" (BE year)."""
    d = _as_date(d)
    return f"{d.day:02d}/{d.month:02d}/{to_be_year(d.year)}"


# --- date parsing ----------------------------------------------------------------------------------------


def _month_key(name: str) -> str:
    return re.sub(r"[.\s]", "", name).lower()


_MONTH_LOOKUP: dict[str, int] = {
    _month_key(name): number
    for names in (THAI_MONTHS, THAI_MONTHS_SHORT, ENGLISH_MONTHS, ENGLISH_MONTHS_SHORT)
    for number, name in enumerate(names, start=1)
} | {"sept": 9}

_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*([/.,-])\s*(\d{1,2})\s*\2\s*(\d+)")
_DIGITS_ONLY_DATE = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")
_NAMED_DATE = re.compile(r"(\d{1,2})\s*([^\d]+?)\s*(\d+)(?:\s*B\.?\s*E\.?)?", re.IGNORECASE)
_ERA_SUFFIX = re.compile(r"\s*(?:(พ\.?\s*ศ\.?)|(ค\.?\s*ศ\.?))$")
_SPACES = re.compile(r"[\s\u200b]+")


def parse_date_be(
    text: str, *, min_year_be: int = DEFAULT_MIN_YEAR_BE, max_year_be: int | None = None
) -> date:
    """Read a Buddhist Era date typed by a person and return the (CE) date.

    Accepts 24/03/2564, 24/3/64, 24-03-2564, 24.03.2564, 24,03,2564, 24032564 (ddmmyyyy), 240364 (ddmmyy),
    24 มี.ค. 2564, 24 มี.ค. 64, 24 มีนาคม พ.ศ. 2564, 24 Mar 2564, Thai digits, and a leading "วันที่".
    A two-digit year yy is 2500 + yy (see SHORT_YEAR_CENTURY_BE). Raises ThaiDateError.
    """
    s = _SPACES.sub(" ", thai_digits_to_arabic(text)).strip()
    s = re.sub(r"^วันที่\s*", "", s)
    said_ce = False
    if match := _DIGITS_ONLY_DATE.fullmatch(s):
        day, month, year_text = int(match[1]), int(match[2]), match[3]
    elif match := _NUMERIC_DATE.fullmatch(s):
        day, month, year_text = int(match[1]), int(match[3]), match[4]
    elif match := _NAMED_DATE.fullmatch(s):
        month_text = match[2]
        if era := _ERA_SUFFIX.search(month_text):
            said_ce = era[2] is not None
            month_text = month_text[: era.start()]
        day, month, year_text = int(match[1]), _MONTH_LOOKUP.get(_month_key(month_text), 0), match[3]
    else:
        raise ThaiDateError("invalid")
    if len(year_text) not in (2, 4) or not 1 <= month <= 12 or (said_ce and len(year_text) == 2):
        raise ThaiDateError("invalid")

    year = int(year_text)
    if max_year_be is None:
        max_year_be = to_be_year(_today().year) + MAX_YEARS_AHEAD
    if len(year_text) == 2:
        year = SHORT_YEAR_CENTURY_BE + year
        if not min_year_be <= year <= max_year_be:
            raise ThaiDateError(
                "short_year", short=year_text, year=year, min_year=min_year_be, max_year=max_year_be
            )
    elif said_ce or (year < min_year_be and year in CE_YEAR_GUESS):
        raise ThaiDateError("ce_year", year=year, be_year=to_be_year(year))
    if not min_year_be <= year <= max_year_be:
        raise ThaiDateError("year_range", year=year, min_year=min_year_be, max_year=max_year_be)
    try:
        return date(to_ce_year(year), month, day)
    except ValueError:
        days = calendar.monthrange(to_ce_year(year), month)[1]
        raise ThaiDateError("no_such_day", date=f"{day:02d}/{month:02d}/{year}", days=days) from None


# --- fiscal year (1 October - 30 September, named by the BE year it ends in) ------------------------------


def fiscal_year(d: date) -> int:
    d = _as_date(d)
    return to_be_year(d.year + 1 if d.month >= 10 else d.year)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day (inclusive) of fiscal year ``fy_be``."""
    end_year = to_ce_year(fy_be)
    return date(end_year - 1, 10, 1), date(end_year, 9, 30)


def fiscal_quarter(d: date) -> int:
    """1 for October-December, ..., 4 for July-September."""
    return (_as_date(d).month - 10) % 12 // 3 + 1


# --- money -----------------------------------------------------------------------------------------------

MoneyInput = Decimal | int | str


def to_money(value: MoneyInput) -> Decimal:
    """``value`` as Decimal rounded half-up to satang. Floats are refused: they cannot hold baht exactly."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"Money must be Decimal, int or str, not {type(value).__name__}")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
        if not amount.is_finite():
            raise ThaiMoneyError("invalid")
        amount = money(amount)
    except InvalidOperation:
        raise ThaiMoneyError("invalid") from None
    return amount if amount else Decimal("0.00")  # no "-0.00"


def format_baht(amount: MoneyInput, *, unit: bool = True, lang: str | None = None) -> str:
    """Show as "1,234.50 บาท" ("1,234.50 baht" in English); ``unit=False`` gives "1,234.50"."""
    if type(amount) is Decimal and amount.is_finite() and amount.adjusted() < 20:
        # The common case, as to_money() would round it (a zero shows as "0.00", never "-0.00").
        rounded = money(amount)
        number = f"{rounded:,.2f}" if rounded else "0.00"
    else:
        number = f"{to_money(amount):,.2f}"
    if not unit:
        return number
    return f"{number} {'baht' if _is_english(lang) else 'บาท'}"


_DIGIT_WORDS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACE_WORDS = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")


def _below_million_words(n: int, *, after_higher: bool) -> str:
    """Words for 0 < n < 1,000,000; ``after_higher`` when larger units (ล้าน) precede it."""
    words = []
    digits = str(n)
    for index, char in enumerate(digits):
        place, digit = len(digits) - 1 - index, int(char)
        if digit == 0:
            continue
        if place == 1:
            words.append({1: "", 2: "ยี่"}.get(digit, _DIGIT_WORDS[digit]) + "สิบ")
        elif place == 0 and digit == 1 and (n > 1 or after_higher):
            words.append("เอ็ด")
        else:
            words.append(_DIGIT_WORDS[digit] + _PLACE_WORDS[place])
    return "".join(words)


def _integer_words(n: int, *, after_higher: bool = False) -> str:
    if n >= 1_000_000:
        millions, rest = divmod(n, 1_000_000)
        words = _integer_words(millions, after_higher=after_higher) + "ล้าน"
        return words + (_below_million_words(rest, after_higher=True) if rest else "")
    return _below_million_words(n, after_higher=after_higher)


def baht_text(amount: MoneyInput) -> str:
    """Thai words as written on contracts and receipts: 1234.50 -> หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์."""
    money = to_money(amount)
    sign = "ลบ" if money < 0 else ""
    baht, satang = divmod(int(abs(money) * 100), 100)
    if not satang:
        return f"{sign}{_integer_words(baht) if baht else 'ศูนย์'}บาทถ้วน"
    baht_words = f"{_integer_words(baht)}บาท" if baht else ""
    return f"{sign}{baht_words}{_below_million_words(satang, after_higher=False)}สตางค์"


_MONEY = re.compile(
    r"(?P<sign>[-+])?\s*฿?\s*(?P<sign2>[-+])?\s*"
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?\s*(?:บาท|฿)?"
)


def parse_money(text: str) -> Decimal:
    """Read an amount typed by a person: "1,234.50", "1234.5", "฿ 1,234.50", "๑,๒๓๔.๕๐ บาท", "-12".

    Returns a Decimal with 2 places. Raises ThaiMoneyError ("invalid", or "satang" past 2 decimals).
    """
    s = _SPACES.sub(" ", thai_digits_to_arabic(text)).strip().replace("\u2212", "-")
    match = _MONEY.fullmatch(s)
    if not match or (match["sign"] and match["sign2"]):
        raise ThaiMoneyError("invalid")
    fraction = match["fraction"] or ""
    if len(fraction) > 2:
        raise ThaiMoneyError("satang")
    negative = "-" in (match["sign"], match["sign2"])
    amount = Decimal(f"{'-' if negative else ''}{match['whole'].replace(',', '')}.{fraction or '0'}")
    return to_money(amount)
