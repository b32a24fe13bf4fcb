"""The form renderer writes the commonest widgets in Python: the HTML must be Django's, byte for byte."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from core import renderers
from core.renderers import FastWidgetRenderer

DJANGO = DjangoTemplates()
FAST = FastWidgetRenderer()

CHOICES = [
    ("", "— all —"),
    ("a", "Alpha & <b>"),
    (1, gettext_lazy("Thai")),
    ("safe", mark_safe("<i>safe</i>")),
    ("Group <1>", [("g1", "In group"), ("g2", 'Quote "x"')]),
    (Decimal("1.50"), 2567),
]
WIDGETS = [
    (forms.TextInput(), "text <value> & 'q'"),
    (forms.TextInput(attrs={"class": "form-control", "required": True, "disabled": False}), None),
    (forms.TextInput(attrs={"placeholder": gettext_lazy("Thai"), "data-x": mark_safe("<ok>")}), ""),
    (forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": Decimal("0.01")}), 12),
    (forms.NumberInput(), Decimal("1234.50")),
    (forms.EmailInput(), "a@b.c"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), 5),
    (forms.DateInput(), datetime.date(2024, 3, 24)),
    (forms.DateInput(format="%d/%m/%Y"), datetime.date(2024, 3, 24)),
    (forms.TimeInput(), datetime.time(9, 5)),
    (forms.URLInput(), "https://example.com/?a=1&b=2"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), False),
    (forms.Textarea(), "line 1\nline <2>"),
    (forms.Textarea(attrs={"rows": 3}), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select", "data-area-url": "/geo/?a=1&b=2"}), None),
    (forms.Select(choices=CHOICES), "g2"),
    (forms.Select(choices=CHOICES), 1),
    (forms.Select(choices=[]), ""),
    (forms.NullBooleanSelect(), True),
    (forms.SelectMultiple(choices=CHOICES), ["a", "g1"]),
    (forms.ClearableFileInput(), None),
    (forms.RadioSelect(choices=CHOICES), "a"),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["a"]),
    (forms.SelectDateWidget(), datetime.date(2024, 3, 24)),
]


def test_every_common_widget_template_is_rendered_in_python():
    names = set(FAST.fast)
    for name in ("input", "text", "number", "select", "select_option", "textarea", "checkbox", "hidden"):
        assert f"django/forms/widgets/{name}.html" in names


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_python_rendering_is_django_rendering(widget, value, language, monkeypatch):
    attrs = {"id": "id_field"}
    with override(language):
        expected = widget.render("field", value, attrs=attrs, renderer=DJANGO)
        if widget.template_name in FAST.fast:  # rendered in Python, not by the template

            def no_template(*args, **kwargs):
                raise AssertionError("rendered by the template")

            monkeypatch.setattr(DjangoTemplates, "render", no_template)
        assert widget.render("field", value, attrs=attrs, renderer=FAST) == expected


def test_a_real_form_renders_the_same(provincial):
    from centers.filters import CenterFilter

    data = {"province": "50", "status": "active", "q": "<script>"}
    form = CenterFilter(data, user=provincial).form
    for field in form:
        form.renderer = DJANGO
        expected = str(field)
        form.renderer = FAST
        assert str(field) == expected


def test_an_unexpected_context_goes_to_the_template():
    widget = forms.TextInput(attrs={"data-x": lambda: "called"})  # the template calls callables
    assert widget.render("f", "v", renderer=FAST) == widget.render("f", "v", renderer=DJANGO)


def test_a_changed_django_template_is_rendered_by_django(tmp_path, monkeypatch):
    source = renderers._WIDGET_TEMPLATES
    for path in source.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "select_option.html").write_text("<option>{{ widget.label }}</option>\n", encoding="utf-8")
    monkeypatch.setattr(renderers, "_WIDGET_TEMPLATES", tmp_path)
    fast = FastWidgetRenderer()
    assert "django/forms/widgets/select.html" not in fast.fast
    assert "django/forms/widgets/select_option.html" not in fast.fast
    assert "django/forms/widgets/text.html" in fast.fast


def test_the_project_uses_it():
    assert isinstance(get_default_renderer(), FastWidgetRenderer)
