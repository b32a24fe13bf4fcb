"""Thai dates (Buddhist Era) and money: core.thai, core.fields and the thai template filters."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from core.fields import BahtField, BEDateField, BEDateInput
from core.thai import (
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    ThaiDateError,
    ThaiMoneyError,
    arabic_digits_to_thai,
    baht_text,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_bounds,
    format_baht,
    format_date_be,
    format_date_be_numeric,
    parse_date_be,
    parse_money,
    thai_digits_to_arabic,
    to_be_year,
    to_money,
)

MARCH_24 = date(2021, 3, 24)
WIDE_MAX_BE = 2800  # lets the property tests reach 2200 CE (2743 BE)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
money = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@pytest.fixture(autouse=True)
def _thai_language():
    with translation.override("th"):
        yield


# --- display ----------------------------------------------------------------------------------------


def test_month_names():
    assert len(THAI_MONTHS) == len(THAI_MONTHS_SHORT) == 12
    assert THAI_MONTHS[0] == "มกราคม"
    assert THAI_MONTHS[11] == "ธันวาคม"
    assert THAI_MONTHS_SHORT[2] == "มี.ค."
    assert THAI_MONTHS_SHORT[3] == "เม.ย."


def test_be_year():
    assert to_be_year(2021) == 2564


def test_format_date_be_thai():
    assert format_date_be(MARCH_24) == "24 มีนาคม 2564"
    assert format_date_be(MARCH_24, short=True) == "24 มี.ค. 64"
    assert format_date_be(date(2021, 1, 5), short=True) == "5 ม.ค. 64"
    assert format_date_be_numeric(MARCH_24) == "24/03/2564"
    assert format_date_be_numeric(date(2000, 1, 5)) == "05/01/2543"


def test_format_date_be_english():
    with translation.override("en"):
        assert format_date_be(MARCH_24) == "24 March 2564 BE"
        assert format_date_be(MARCH_24, short=True) == "24 Mar 2564 BE"
        assert format_date_be_numeric(MARCH_24) == "24/03/2564"
    assert format_date_be(MARCH_24, lang="en") == "24 March 2564 BE"
    assert format_date_be(MARCH_24, lang="en-us", short=True) == "24 Mar 2564 BE"


def test_format_date_be_converts_aware_datetime_to_local_time():
    moment = datetime(2021, 3, 23, 18, 30, tzinfo=UTC)  # 01:30 on the 24th in Bangkok
    with timezone.override(ZoneInfo("Asia/Bangkok")):
        assert format_date_be(moment) == "24 มีนาคม 2564"
        assert format_date_be_numeric(moment) == "24/03/2564"


def test_thai_digits():
    assert thai_digits_to_arabic("๒๔/๐๓/๒๕๖๔") == "24/03/2564"
    assert arabic_digits_to_thai("24/03/2564") == "๒๔/๐๓/๒๕๖๔"


# --- parsing dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "24/03/2564",
        "24-03-2564",
        "24.03.2564",
        "24/3/2564",
        "24 มี.ค. 2564",
        "24 มีนาคม 2564",
        "24 มี.ค 2564",
        "24มี.ค.2564",
        "วันที่ 24 มีนาคม 2564",
        "วันที่24/03/2564",
        "24 มีนาคม พ.ศ. 2564",
        "วันที่ 24 มี.ค. พ.ศ.2564",
        "๒๔/๐๓/๒๕๖๔",
        "วันที่ ๒๔ มีนาคม พ.ศ. ๒๕๖๔",
        "  24   มีนาคม    2564  ",
        "24 Mar 2564",
        "24 March 2564",
        "24 march 2564 BE",
        "24 Mar. 2564",
    ],
)
def test_parse_date_be_accepts(text):
    assert parse_date_be(text) == MARCH_24


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2564", "no_such_day"),
        ("29/02/2565", "no_such_day"),
        ("31/04/2564", "no_such_day"),
        ("24/03/2021", "ce_year"),
        ("24 มี.ค. 1999", "ce_year"),
        ("24/03/999", "invalid"),
        ("24 มี.ค. 999", "invalid"),
        ("24/13/2564", "invalid"),
        ("24/03/25640", "invalid"),
        ("24 Foo 2564", "invalid"),
        ("", "invalid"),
        ("yesterday", "invalid"),
        ("24/03-2564", "invalid"),
        ("24/03/2700", "year_range"),
        ("24/03/1500", "year_range"),
    ],
)
def test_parse_date_be_rejects(text, code):
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be(text)
    assert excinfo.value.code == code
    assert isinstance(excinfo.value, ValueError)


def test_leap_day_exists_in_a_leap_year():
    assert parse_date_be("29/02/2567") == date(2024, 2, 29)


def test_ce_year_message_suggests_the_be_year():
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be("24/03/2021")
    assert excinfo.value.params == {"year": 2021, "be_year": 2564}
    assert str(excinfo.value) == "ปี 2021 ดูเหมือนเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. แทน คือ 2564"
    with translation.override("en"):
        assert "Christian" in str(excinfo.value)
        assert "2564" in str(excinfo.value)


def test_no_such_day_message_names_the_date():
    with translation.override("en"), pytest.raises(ThaiDateError) as excinfo:
        parse_date_be("31/02/2564")
    assert "31/02/2564" in excinfo.value.message
    assert "28" in excinfo.value.message


def test_year_range_limits():
    assert parse_date_be("01/01/2450", min_year_be=2450) == date(1907, 1, 1)
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be("01/01/2449", min_year_be=2450)
    assert excinfo.value.code == "year_range"
    assert parse_date_be("01/01/2570", max_year_be=2570) == date(2027, 1, 1)
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be("01/01/2571", max_year_be=2570)
    assert excinfo.value.code == "year_range"


def test_default_max_year_is_thirty_years_ahead():
    this_year_be = to_be_year(timezone.localdate().year)
    assert parse_date_be(f"01/01/{this_year_be + 30}").year == this_year_be + 30 - 543
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be(f"01/01/{this_year_be + 31}")
    assert excinfo.value.code == "year_range"


@given(dates)
def test_numeric_round_trip(d):
    assert parse_date_be(format_date_be_numeric(d), max_year_be=WIDE_MAX_BE) == d


@given(dates)
def test_long_thai_round_trip(d):
    assert parse_date_be(format_date_be(d, lang="th"), max_year_be=WIDE_MAX_BE) == d


@given(dates)
def test_long_english_round_trip(d):
    assert parse_date_be(format_date_be(d, lang="en"), max_year_be=WIDE_MAX_BE) == d


@given(dates)
def test_short_month_four_digit_year_round_trip(d):
    text = f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {to_be_year(d.year)}"
    assert parse_date_be(text, max_year_be=WIDE_MAX_BE) == d


@given(dates)
def test_thai_digit_round_trip(d):
    assert parse_date_be(arabic_digits_to_thai(format_date_be_numeric(d)), max_year_be=WIDE_MAX_BE) == d
    assert parse_date_be(arabic_digits_to_thai(format_date_be(d)), max_year_be=WIDE_MAX_BE) == d


# --- fiscal year ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2024, 9, 30), 2567),
        (date(2024, 10, 1), 2568),
        (date(2024, 12, 31), 2568),
        (date(2025, 1, 1), 2568),
        (date(2025, 9, 30), 2568),
        (date(2025, 10, 1), 2569),
    ],
)
def test_fiscal_year(day, fy):
    assert fiscal_year(day) == fy


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2568) == (date(2024, 10, 1), date(2025, 9, 30))


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2024, 10, 1), 1),
        (date(2024, 12, 31), 1),
        (date(2025, 1, 1), 2),
        (date(2025, 3, 31), 2),
        (date(2025, 4, 1), 3),
        (date(2025, 6, 30), 3),
        (date(2025, 7, 1), 4),
        (date(2025, 9, 30), 4),
    ],
)
def test_fiscal_quarter(day, quarter):
    assert fiscal_quarter(day) == quarter


@given(dates)
def test_every_day_falls_inside_its_fiscal_year(d):
    start, end = fiscal_year_bounds(fiscal_year(d))
    assert start <= d <= end
    assert (end - start).days in (364, 365)


# --- money ------------------------------------------------------------------------------------------


def test_to_money_rounds_half_up():
    assert to_money("1.005") == Decimal("1.01")
    assert to_money("2.675") == Decimal("2.68")
    assert to_money(Decimal("-1.005")) == Decimal("-1.01")
    assert to_money(7) == Decimal("7.00")
    assert str(to_money(Decimal("-0.001"))) == "0.00"


@pytest.mark.parametrize("value", [1.5, 0.1, True])
def test_to_money_refuses_floats(value):
    with pytest.raises(TypeError):
        to_money(value)


def test_to_money_refuses_garbage():
    with pytest.raises(ThaiMoneyError):
        to_money("abc")
    with pytest.raises(ThaiMoneyError):
        to_money("NaN")


def test_format_baht():
    assert format_baht(Decimal("1234.5")) == "1,234.50 บาท"
    assert format_baht(Decimal("-1234.5")) == "-1,234.50 บาท"
    assert format_baht(0) == "0.00 บาท"
    assert format_baht("1000000000000") == "1,000,000,000,000.00 บาท"
    assert format_baht(Decimal("1234.5"), unit=False) == "1,234.50"
    with translation.override("en"):
        assert format_baht(Decimal("1234.5")) == "1,234.50 baht"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234.50", "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"),
        ("1250.50", "หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์"),  # a receipt of issue 13
        (100, "หนึ่งร้อยบาทถ้วน"),
        (0, "ศูนย์บาทถ้วน"),
        ("0.50", "ห้าสิบสตางค์"),
        ("0.01", "หนึ่งสตางค์"),
        ("0.21", "ยี่สิบเอ็ดสตางค์"),
        (21, "ยี่สิบเอ็ดบาทถ้วน"),
        (11, "สิบเอ็ดบาทถ้วน"),
        (101, "หนึ่งร้อยเอ็ดบาทถ้วน"),
        (1, "หนึ่งบาทถ้วน"),
        (10, "สิบบาทถ้วน"),
        (20, "ยี่สิบบาทถ้วน"),
        (111, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
        (1_000_000, "หนึ่งล้านบาทถ้วน"),
        (11_000_000, "สิบเอ็ดล้านบาทถ้วน"),
        (1_000_001, "หนึ่งล้านเอ็ดบาทถ้วน"),
        (1_000_010, "หนึ่งล้านสิบบาทถ้วน"),
        ("21000021.21", "ยี่สิบเอ็ดล้านยี่สิบเอ็ดบาทยี่สิบเอ็ดสตางค์"),
        (2_500_000_000_000, "สองล้านห้าแสนล้านบาทถ้วน"),
        (2_000_000_000_000, "สองล้านล้านบาทถ้วน"),
        (Decimal("-5.25"), "ลบห้าบาทยี่สิบห้าสตางค์"),
        (-100, "ลบหนึ่งร้อยบาทถ้วน"),
    ],
)
def test_baht_text(amount, words):
    assert baht_text(amount) == words


@given(money)
def test_baht_text_properties(amount):
    words = baht_text(amount)
    assert "หนึ่งสิบ" not in words
    assert "สองสิบ" not in words
    assert words.endswith("ถ้วน") == (amount % 1 == 0)
    assert words.startswith("ลบ") == (amount < 0)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("1234", "1234.00"),
        ("๑,๒๓๔.๕๐", "1234.50"),
        ("1,234.50 บาท", "1234.50"),
        ("฿1,234.50", "1234.50"),
        ("  ฿ 1,234.50  ", "1234.50"),
        ("1234.50บาท", "1234.50"),
        ("-1", "-1.00"),
        ("-1,234.5", "-1234.50"),
        ("0", "0.00"),
    ],
)
def test_parse_money_accepts(text, amount):
    assert parse_money(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.005", "satang"),
        ("1,234.567", "satang"),
        ("abc", "invalid"),
        ("", "invalid"),
        ("1,23", "invalid"),
        ("12,34.5", "invalid"),
        ("1.2.3", "invalid"),
        ("1 2", "invalid"),
        ("--1", "invalid"),
        ("1e3", "invalid"),
    ],
)
def test_parse_money_rejects(text, code):
    with pytest.raises(ThaiMoneyError) as excinfo:
        parse_money(text)
    assert excinfo.value.code == code


def test_satang_message():
    with pytest.raises(ThaiMoneyError) as excinfo:
        parse_money("1.005")
    assert str(excinfo.value.message) == "จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (สตางค์)"
    with translation.override("en"):
        assert excinfo.value.message == "Amounts have at most 2 decimal places (satang)."


@given(money)
def test_money_round_trip(amount):
    assert parse_money(format_baht(amount, unit=False)) == amount
    assert parse_money(format_baht(amount)) == amount


# --- form fields ------------------------------------------------------------------------------------


def test_be_date_field_cleans_to_ce():
    assert BEDateField().clean("24/03/2564") == MARCH_24
    assert BEDateField().clean("๒๔ มี.ค. ๒๕๖๔") == MARCH_24
    assert BEDateField(required=False).clean("") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2564", "no_such_day"),
        ("24/03/2021", "ce_year"),
        ("24/03/999", "invalid"),
        ("24/03/2700", "year_range"),
    ],
)
def test_be_date_field_errors(text, code):
    with pytest.raises(ValidationError) as excinfo:
        BEDateField().clean(text)
    assert excinfo.value.code == code


def test_be_date_field_ce_year_message():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        BEDateField().clean("24/03/2021")
    assert "2564" in excinfo.value.messages[0]


def test_be_date_field_year_limits():
    field = BEDateField(min_year_be=2560, max_year_be=2570)
    assert field.clean("01/01/2560") == date(2017, 1, 1)
    with pytest.raises(ValidationError) as excinfo:
        field.clean("01/01/2571")
    assert excinfo.value.code == "year_range"


def test_be_date_field_future():
    tomorrow = format_date_be_numeric(timezone.localdate() + timedelta(days=1))
    today = format_date_be_numeric(timezone.localdate())
    assert BEDateField().clean(tomorrow)
    assert BEDateField(allow_future=False).clean(today) == timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        BEDateField(allow_future=False).clean(tomorrow)
    assert excinfo.value.code == "future"
    assert excinfo.value.messages == ["วันที่ต้องไม่เป็นวันในอนาคต"]
    with translation.override("en"):
        assert excinfo.value.messages == ["The date cannot be in the future."]


def test_be_date_input_renders_be():
    html = BEDateInput().render("born", MARCH_24)
    assert 'value="24/03/2564"' in html
    assert 'inputmode="decimal"' in html
    assert 'autocomplete="off"' in html
    assert 'class="be-date"' in html
    with translation.override("en"):
        assert 'placeholder="dd/mm/yyyy (BE)"' in BEDateInput().render("born", None)


def test_be_date_input_keeps_what_was_typed():
    class Form(forms.Form):
        born = BEDateField()

    form = Form(data={"born": "31/02/2564"})
    assert not form.is_valid()
    assert 'value="31/02/2564"' in str(form["born"])
    assert 'value="24/03/2564"' in str(Form(initial={"born": MARCH_24})["born"])


def test_baht_field_cleans():
    assert BahtField().clean("1,234.50") == Decimal("1234.50")
    assert BahtField().clean("๑๒๓๔.๕ บาท") == Decimal("1234.50")
    assert BahtField().clean("0") == Decimal("0.00")
    assert BahtField(min_value=None).clean("-1") == Decimal("-1.00")


@pytest.mark.parametrize(
    ("text", "code"),
    [("-1", "min_value"), ("1.005", "satang"), ("abc", "invalid"), ("1" * 13, "max_digits")],
)
def test_baht_field_errors(text, code):
    with pytest.raises(ValidationError) as excinfo:
        BahtField().clean(text)
    assert [error.code for error in excinfo.value.error_list] == [code]


def test_baht_field_messages():
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            BahtField().clean("-1")
        assert excinfo.value.messages == ["The amount cannot be negative."]
        with pytest.raises(ValidationError) as excinfo:
            BahtField(min_value=Decimal(100)).clean("99.99")
        assert excinfo.value.messages == ["The amount must be at least 100 baht."]
        with pytest.raises(ValidationError) as excinfo:
            BahtField().clean("1" * 13)
        assert excinfo.value.messages == ["The amount is too large."]
        assert BahtField().clean("9" * 12 + ".99") == Decimal("999999999999.99")


def test_baht_field_renders_plain_number():
    field = BahtField()
    html = field.widget.render("amount", Decimal("1234.5"))
    assert 'value="1234.50"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="1,234.5x"' in field.widget.render("amount", "1,234.5x")


# --- template filters -------------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load thai %}" + source).render(Context(context))


def test_filters():
    assert render("{{ d|date_be }}", d=MARCH_24) == "24 มีนาคม 2564"
    assert render("{{ d|date_be_short }}", d=MARCH_24) == "24 มี.ค. 64"
    assert render("{{ d|date_be_numeric }}", d=MARCH_24) == "24/03/2564"
    assert render("{{ d|fiscal_year }}", d=date(2024, 10, 1)) == "2568"
    assert render("{{ m|baht }}", m=Decimal("1234.5")) == "1,234.50 บาท"
    assert render("{{ m|baht_number }}", m=Decimal("1234.5")) == "1,234.50"
    assert render("{{ m|baht_text }}", m=Decimal("100")) == "หนึ่งร้อยบาทถ้วน"
    assert render("{{ d|date_be_numeric|thai_digits }}", d=MARCH_24) == "๒๔/๐๓/๒๕๖๔"
    with translation.override("en"):
        assert render("{{ d|date_be }}", d=MARCH_24) == "24 March 2564 BE"


@pytest.mark.parametrize(
    "name",
    [
        "date_be",
        "date_be_short",
        "date_be_numeric",
        "baht",
        "baht_number",
        "baht_text",
        "fiscal_year",
        "thai_digits",
    ],
)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_blank_for_empty_values(name, value):
    assert render(f"{{{{ v|{name} }}}}", v=value) == ""


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.sampled_from([Decimal("-0.00"), Decimal("-0.004")])
)
def test_format_baht_of_a_decimal_is_its_money_value_formatted(amount):
    try:
        expected = f"{to_money(amount):,.2f}"
    except ThaiMoneyError:
        with pytest.raises(ThaiMoneyError):
            format_baht(amount, unit=False)
        return
    assert format_baht(amount, unit=False) == expected
    assert format_baht(amount, lang="th") == f"{expected} บาท"
