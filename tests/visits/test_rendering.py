"""core.rendering renders form fields to the byte as the templates do (crispy-bootstrap5 and Django's
widget templates), on every field of the visits forms and on the cases they do not have."""

from datetime import date

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template

from core import rendering
from core.renderers import FastWidgetRenderer
from core.rendering import crispy_field, crispy_form
from visits import forms as visits_forms
from visits.models import RegistryKind

from .factories import RecommendationFactory

TEMPLATES = DjangoTemplates()
WIDGET_RENDERER = FastWidgetRenderer()


def assert_same_fields(make_form):
    """Every field of the form, rendered by core.rendering (with the project's form renderer) and by
    the templates, on two like forms."""
    fast, slow = make_form(WIDGET_RENDERER), make_form(TEMPLATES)
    assert fast.renderer is WIDGET_RENDERER
    assert slow.renderer is TEMPLATES
    names = [field.name for field in slow]
    assert names
    for name in names:
        assert crispy_field(fast[name]) == as_crispy_field(slow[name]), name
        assert str(fast[name]) == str(slow[name]), name


def report_form(user, trip, report=None, data=None):
    instance = report or visits_forms.CenterReport(trip=trip)
    return lambda renderer: visits_forms.CenterReportForm(
        data, instance=instance, user=user, trip=trip, initial={}, renderer=renderer
    )


@pytest.fixture
def kinds(db):
    RegistryKind.objects.create(code="old", name_th="ทะเบียนเก่า", name_en="Old", active=False)
    return list(RegistryKind.objects.all())


def test_a_new_report_form(officer, trip, center, kinds):
    assert_same_fields(report_form(officer, trip))


def test_a_report_form_with_errors(officer, trip, center, kinds):
    data = {
        "center": "999",
        "visit_date": "31/02/2567",
        "people_met_count": "many",
        "registries_kept": [str(kinds[0].pk), "999"],
        "strengths": 'ทำบัญชี <ครบ> & "ตรง"',
    }
    make = report_form(officer, trip, data=data)
    assert not make(TEMPLATES).is_valid()
    assert_same_fields(make)


def test_a_report_form_filled_in(officer, trip, report, kinds):
    report.people_met = "สมศรี <ประธาน>\nสมชาย & เหรัญญิก"
    report.people_met_count = 12
    report.save()
    report.registries_kept.set(kinds[:2])
    assert_same_fields(report_form(officer, trip, report=report))


def test_the_recommendation_rows(report):
    RecommendationFactory(report=report, due_date=date(2024, 4, 30))
    data = {
        "recommendations-TOTAL_FORMS": "2",
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-0-text": "",
        "recommendations-0-addressed_to": "nobody",
        "recommendations-1-text": "x",
        "recommendations-1-due_date": "1/1/2500",
    }
    for bound in (None, data):

        def rows(renderer, bound=bound):
            formset = visits_forms.RecommendationFormSet(bound, instance=report, prefix="recommendations")
            formset.renderer = renderer
            formset.form_renderer = renderer
            return formset

        fast, slow = rows(WIDGET_RENDERER), rows(TEMPLATES)
        assert str(fast.management_form) == str(slow.management_form)
        for fast_form, slow_form in zip([*fast, fast.empty_form], [*slow, slow.empty_form], strict=True):
            for field in slow_form:
                assert crispy_field(fast_form[field.name]) == as_crispy_field(field), field.html_name
                assert str(fast_form[field.name]) == str(field), field.html_name


def test_the_other_visits_forms(officer, trip, report):
    assert_same_fields(lambda renderer: visits_forms.ReviewForm(renderer=renderer))
    assert_same_fields(lambda renderer: visits_forms.TripForm(instance=trip, user=officer, renderer=renderer))
    assert_same_fields(lambda renderer: visits_forms.PhotoForm({}, renderer=renderer))  # a file: the template
    recommendation = RecommendationFactory(report=report)
    assert_same_fields(
        lambda renderer: visits_forms.FollowUpForm(
            {"date": "x", "status": "y"}, recommendation=recommendation, renderer=renderer
        )
    )


class EveryKindForm(forms.Form):
    """What the visits forms do not have: hidden fields, radio buttons, groups of options, HTML in labels and
    values, CSS classes for required and erroneous fields, a field without a label, a disabled field."""

    required_css_class = "needed"
    error_css_class = "wrong"

    hidden = forms.CharField(widget=forms.HiddenInput, initial='a "quoted" <value>')
    agree = forms.BooleanField(label="I <agree>", help_text="Tick <b>this</b>")
    optional_box = forms.BooleanField(required=False)
    colour = forms.ChoiceField(
        choices=[("r", "Red & <b>"), ("g", "Green")], widget=forms.RadioSelect, help_text="One colour"
    )
    grouped = forms.ChoiceField(
        choices=[("", "---"), ("Fruit", [("a", "Apple"), ("b", "Banana")]), ("Veg", [("c", "Carrot")])]
    )
    many = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two")], widget=forms.CheckboxSelectMultiple, required=False
    )
    count = forms.IntegerField(label="", min_value=0)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "extra"}), disabled=True)
    email = forms.EmailField(
        required=False, widget=forms.EmailInput(attrs={"placeholder": "a@b", "data-x": True})
    )
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    upload = forms.FileField(
        required=False, widget=forms.ClearableFileInput(attrs={"class": "x<y", "accept": 'image/*,"a"'})
    )
    document = forms.FileField(help_text="A <b>PDF</b>", widget=forms.FileInput(attrs={"data-on": True}))
    locked_file = forms.FileField(required=False, disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"agree": "on", "colour": "g", "grouped": "b", "many": ["1", "2"], "count": "3", "email": "a@b.co"},
        {"colour": "x", "grouped": "z", "many": ["9"], "count": "-1", "email": "<bad>", "when": "x"},
    ],
)
def test_every_kind_of_field(data):
    assert_same_fields(lambda renderer: EveryKindForm(data, renderer=renderer))
    assert_same_fields(lambda renderer: EveryKindForm(data, renderer=renderer, auto_id=False))


def test_every_kind_of_field_in_a_whole_form():
    files = {"document": SimpleUploadedFile("a.pdf", b"%PDF")}
    for data in (None, {}, {"count": "1", "agree": "on", "colour": "r"}):
        for make in (
            lambda renderer, data=data: EveryKindForm(data, renderer=renderer),
            lambda renderer, data=data: EveryKindForm(data, files, renderer=renderer),
            lambda renderer, data=data: EveryKindForm(data, renderer=renderer, auto_id=False),
        ):
            fast, slow = make(WIDGET_RENDERER), make(TEMPLATES)
            assert crispy_form(fast) == as_crispy_form(slow)


def test_the_photo_and_review_forms_whole(monkeypatch):
    """The forms of the report page, rendered without crispy-forms' templates, as `{{ form|crispy }}`."""
    forms_made = [
        lambda renderer: visits_forms.PhotoForm(renderer=renderer),
        lambda renderer: visits_forms.PhotoForm({"caption": "<x>" * 100}, renderer=renderer),
        lambda renderer: visits_forms.ReviewForm(renderer=renderer),
    ]
    expected = [as_crispy_form(make(TEMPLATES)) for make in forms_made]
    assert 'type="file" name="image" class="form-control is-invalid"' in expected[1]

    def template_used(*args, **kwargs):
        raise AssertionError("the template rendered the form")

    monkeypatch.setattr(rendering, "as_crispy_form", template_used)
    monkeypatch.setattr(rendering, "as_crispy_field", template_used)
    assert [crispy_form(make(WIDGET_RENDERER)) for make in forms_made] == expected


def test_what_the_templates_still_render():
    """A file already stored (a link and a clear box) and errors of the whole form: the templates."""

    class StoredFile:
        url = "/media/a.jpg"
        name = "a.jpg"

    class Stored(forms.Form):
        image = forms.FileField(required=False, initial=StoredFile())
        caption = forms.CharField()

        def clean(self):
            raise forms.ValidationError("Not <this>")

    for data in (None, {"caption": "x"}):
        fast, slow = Stored(data, renderer=WIDGET_RENDERER), Stored(data, renderer=TEMPLATES)
        assert crispy_form(fast) == as_crispy_form(slow)
        assert crispy_field(fast["image"]) == as_crispy_field(slow["image"])
    assert "a.jpg" in as_crispy_form(Stored())


def test_the_filter_of_the_templates(officer, trip, center):
    report = visits_forms.CenterReport(trip=trip)
    form = visits_forms.CenterReportForm(instance=report, user=officer, trip=trip)
    template = Template("{% load form_tags %}{{ form.visit_date|as_form_field }}")
    html = template.render(Context({"form": form}))
    assert 'id="div_id_visit_date"' in html
    assert 'class="be-date bedateinput form-control"' in html
