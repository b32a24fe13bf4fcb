"""Dates typed the Thai way (issue 14, point 2): bare digits, two-digit BE years, the keyboard the field asks
for, the calendar picker brought by the form media, the era on English short dates and the 2500 BE floor
of the visits forms."""

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.fields import BEDateField, BEDateInput
from core.thai import (
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    ThaiDateError,
    arabic_digits_to_thai,
    format_date_be,
    parse_date_be,
    to_be_year,
)
from tests.conftest import module_user
from tests.test_url_sweep import FORM, LIST, ROUTES, World, names, url_of
from visits.forms import CenterReportForm, FollowUpForm, ItineraryStopForm, RecommendationForm, TripForm

MARCH_24 = date(2021, 3, 24)  # 24/03/2564
MIN_BE, MAX_BE = 2500, 2600
be_dates = st.dates(min_value=date(MIN_BE - 543, 1, 1), max_value=date(MAX_BE - 543, 12, 31))
# Dates whose BE year has a two-digit form that reads back to itself (2500 + yy).
short_year_dates = st.dates(min_value=date(MIN_BE - 543, 1, 1), max_value=date(2599 - 543, 12, 31))
ce_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2399, 12, 31))


@pytest.fixture(autouse=True)
def _thai_language():
    with translation.override("th"):
        yield


def parse(text: str) -> date:
    return parse_date_be(text, min_year_be=MIN_BE, max_year_be=MAX_BE)


# --- the forms people type -------------------------------------------------------------------------------


def be_forms(d: date) -> list[str]:
    """Every accepted way to type ``d`` in BE, Thai digits included."""
    be = to_be_year(d.year)
    texts = [
        f"{d.day:02d}/{d.month:02d}/{be}",
        f"{d.day}/{d.month}/{be}",
        f"{d.day:02d}{d.month:02d}{be}",
        f"{d.day}.{d.month}.{be}",
        f"{d.day},{d.month},{be}",
        f"{d.day}-{d.month}-{be}",
        f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {be}",
        f"{d.day} {THAI_MONTHS[d.month - 1]} {be}",
        f"{d.day} {THAI_MONTHS[d.month - 1]} พ.ศ. {be}",
        format_date_be(d),
        format_date_be(d, lang="en"),
        format_date_be(d, lang="en", short=True),
    ]
    if be < 2600:
        yy = f"{be % 100:02d}"
        texts += [
            f"{d.day:02d}{d.month:02d}{yy}",
            f"{d.day}/{d.month}/{yy}",
            f"{d.day:02d}/{d.month:02d}/{yy}",
            f"{d.day}.{d.month}.{yy}",
            f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {yy}",
            format_date_be(d, short=True),
        ]
    return texts + [arabic_digits_to_thai(text) for text in texts]


@given(be_dates)
def test_every_accepted_form_of_a_be_date_parses_back_to_it(d):
    for text in be_forms(d):
        assert parse(text) == d, text


@given(ce_dates)
def test_a_ce_year_typed_into_a_be_field_is_refused(d):
    for text in [
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}{d.month:02d}{d.year}",
        f"{d.day}.{d.month}.{d.year}",
        f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {d.year}",
        f"{d.day} {THAI_MONTHS[d.month - 1]} ค.ศ. {d.year}",
    ]:
        with pytest.raises(ThaiDateError) as excinfo:
            parse(text)
        assert excinfo.value.code == "ce_year", text
        assert excinfo.value.params["be_year"] == d.year + 543


@pytest.mark.parametrize(
    "text",
    [
        "24032564",
        "240364",
        "24/3/64",
        "24/03/64",
        "24.3.64",
        "24,3,64",
        "24-3-64",
        "24 มี.ค. 64",
        "24 มี.ค.64",
        "24มี.ค.64",
        "24 มีนาคม 64",
        "24 Mar 64",
        "24 Mar 2564 BE",
        "๒๔๐๓๒๕๖๔",
        "๒๔๐๓๖๔",
        "๒๔/๓/๖๔",
        "๒๔ มี.ค. ๖๔",
        " 24032564 ",
        "24,03,2564",
        # what was accepted before stays accepted
        "24/03/2564",
        "24 มี.ค. 2564",
        "๒๔/๐๓/๒๕๖๔",
    ],
)
def test_each_thai_way_of_typing_a_date(text):
    assert parse_date_be(text) == MARCH_24
    assert BEDateField().clean(text) == MARCH_24


@pytest.mark.parametrize(
    "text",
    [
        "2432564",  # seven digits: 2/4/3/2564 or 24/3/2564? refused rather than guessed
        "243264",  # six digits are ddmmyy: month 32
        "24032",
        "2403256",
        "240325640",
        "24 มี.ค. 564",
        "24/3/645",
        "24 มี.ค. ค.ศ. 21",  # a two-digit CE year
    ],
)
def test_digits_that_do_not_make_one_date_are_refused(text):
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be(text)
    assert excinfo.value.code == "invalid"


def test_a_two_digit_year_is_25yy():
    assert parse_date_be("01/01/00", max_year_be=2600) == date(2500 - 543, 1, 1)
    assert parse_date_be("31/12/99", max_year_be=2600) == date(2599 - 543, 12, 31)


def test_a_two_digit_year_outside_the_range_asks_for_four_digits():
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be("24/3/99", max_year_be=2570)
    assert excinfo.value.code == "short_year"
    assert excinfo.value.params == {"short": "99", "year": 2599, "min_year": 2400, "max_year": 2570}
    with translation.override("en"):
        assert str(excinfo.value) == (
            "A two-digit year 99 reads as 2599 (Buddhist Era), which is outside 2400 to 2570. "
            "Type the year with four digits, for example 24/03/2564."
        )
    assert "2599" in str(excinfo.value)
    assert "ปี" in str(excinfo.value)  # translated into Thai

    field = BEDateField(min_year_be=2560)
    with pytest.raises(ValidationError) as error:
        field.clean("24/3/40")  # 2540: before the field's first year
    assert error.value.code == "short_year"
    assert "2540" in error.value.messages[0]


def test_a_ce_date_typed_as_digits_names_the_be_year():
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date_be("24032021")
    assert excinfo.value.code == "ce_year"
    assert excinfo.value.params == {"year": 2021, "be_year": 2564}


def test_the_field_keeps_what_was_typed_when_refused():
    class Form(forms.Form):
        on = BEDateField()

    form = Form(data={"on": "2432564"})
    assert not form.is_valid()
    assert 'value="2432564"' in str(form["on"])
    assert form.errors["on"] == ["กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 24/03/2564"]


# --- the keyboard and the picker ---------------------------------------------------------------------------


def test_the_phone_shows_its_digit_pad_with_a_separator_key():
    html = BEDateInput().render("on", None)
    assert 'inputmode="decimal"' in html
    assert "pattern=" not in html  # the server answers in Thai, not the browser in English
    assert 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in html


def test_the_widget_brings_the_picker_through_form_media():
    class Form(forms.Form):
        on = BEDateField()

    media = str(Form().media)
    assert "js/be-datepicker.js" in media
    assert "css/be-datepicker.css" in media


def test_the_field_tells_the_picker_its_years_months_and_labels():
    import html as html_module
    import json
    import re

    html = BEDateField(min_year_be=2500, max_year_be=2570).widget.render("on", None)
    assert 'data-min-year="2500"' in html
    assert 'data-max-year="2570"' in html
    picker = json.loads(html_module.unescape(re.search(r'data-picker="([^"]*)"', html)[1]))
    assert picker["months"][2] == "มีนาคม"
    assert picker["weekdays"][0] == "อา"
    assert picker["labels"]["year_format"] == "พ.ศ. %(year)s"
    assert picker["labels"]["open"] == "เลือกวันที่จากปฏิทิน"
    with translation.override("en"):
        picker = json.loads(
            html_module.unescape(re.search(r'data-picker="([^"]*)"', BEDateInput().render("on", None))[1])
        )
    assert picker["months"][2] == "March"
    assert picker["labels"]["year_format"] == "%(year)s BE"
    assert "data-max-year" not in BEDateField().widget.render("on", None)  # the picker counts 30 years ahead


def test_a_form_without_a_date_field_does_not_load_the_picker():
    class Form(forms.Form):
        name = forms.CharField()

    assert "be-datepicker" not in str(Form().media)


# --- display ---------------------------------------------------------------------------------------------


def test_english_short_dates_carry_the_era():
    assert format_date_be(date(2026, 4, 3), lang="en", short=True) == "3 Apr 2569 BE"
    with translation.override("en"):
        assert Template("{% load thai %}{{ d|date_be_short }}").render(Context({"d": MARCH_24})) == (
            "24 Mar 2564 BE"
        )
    assert format_date_be(date(2026, 4, 3), short=True) == "3 เม.ย. 69"  # Thai keeps the usual short form


# --- the visits forms: nothing before 2500 BE --------------------------------------------------------------

VISIT_DATE_FIELDS = [
    (TripForm, "start_date"),
    (TripForm, "end_date"),
    (ItineraryStopForm, "date"),
    (CenterReportForm, "visit_date"),
    (RecommendationForm, "due_date"),
    (FollowUpForm, "date"),
]


@pytest.mark.parametrize(("form_class", "name"), VISIT_DATE_FIELDS)
def test_a_trip_or_visit_before_2500_be_is_refused(form_class, name):
    field = form_class.base_fields[name]
    assert field.clean("01/01/2500") == date(1957, 1, 1)
    with pytest.raises(ValidationError) as excinfo:
        field.clean("31/12/2499")
    assert excinfo.value.code == "year_range"
    assert "2500" in excinfo.value.messages[0]
    with pytest.raises(ValidationError) as excinfo:
        field.clean("10/01/2025")
    assert excinfo.value.code == "ce_year"


# --- every page with a date field loads the picker ----------------------------------------------------


# The URL sweep's world and its owner, built once for the module (tests/conftest.py, `module_db`): every page
# test reads the same rows, and what one test writes is rolled back before the next.
officer = module_user("officer")


@pytest.fixture(scope="module")
def world(officer, django_db_blocker):
    with django_db_blocker.unblock():
        return World(author=officer)


@pytest.mark.parametrize("name", names(LIST, FORM))
def test_every_page_with_a_date_field_loads_the_picker(db, client, world, officer, name):
    """The URL sweep's pages as their owner sees them: a BE date field comes with its picker script."""
    client.force_login(officer)
    response = client.get(url_of(name, world), ROUTES[name].query_for(world))
    if not response["Content-Type"].startswith("text/html"):
        return
    html = response.content.decode()
    if 'class="be-date' in html:
        assert "js/be-datepicker.js" in html, name


def test_a_stop_of_a_trip_whose_last_day_was_refused_is_not_a_server_error():
    """The trip's last day typed before 2500 BE is refused, so the trip has no end date while its stops
    are checked: the stop must not fail formatting the missing date (it was a server error)."""
    from visits.models import ItineraryStop, Trip

    stop = ItineraryStop(trip=Trip(start_date=MARCH_24, end_date=None), date=MARCH_24, description="x")
    stop.clean()  # nothing to compare with: the trip's own error is what the officer reads
