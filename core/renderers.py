"""The form renderer: Django's, with the commonest widget templates written out in Python.

Rendering a widget through Django's templates costs an include per attribute list and per option: a
select of 80 districts is about 160 template renders. The functions here produce exactly the same text
as Django's templates for inputs, selects with their options, and text areas (tests/core/test_renderers.py
compares them); anything else, or a widget whose context they do not expect, goes to the templates.

A template is written out here only while its Django source is the one these functions copy; after a
Django upgrade that changes one, that template is rendered by Django again (see `_FAST`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"


class Unexpected(Exception):
    """A context the Python renderings do not copy exactly: let Django's template render it."""


def _text(value: Any) -> str:
    """``{{ value }}`` with autoescaping."""
    if type(value) is not str:
        if callable(value):
            raise Unexpected
        value = localize(template_localtime(value))
        if not isinstance(value, str):
            value = str(value)
    return conditional_escape(value)


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping."""
    if type(value) is str:
        return conditional_escape(value)
    if callable(value):
        raise Unexpected
    result = stringformat(value, "s")
    if isinstance(value, SafeData):
        result = mark_safe(result)  # noqa: S308 (stringformat keeps safe input safe, as in the template)
    return conditional_escape(result)


def attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    if "items" in attrs:  # the template would read attrs["items"], not attrs.items
        raise Unexpected
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (and text.html, number.html, ... which only include it)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 (as the template compares)
    attrs = attrs_html(widget["attrs"])
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{attrs}>'


def _option(option: dict[str, Any]) -> str:
    """django/forms/widgets/select_option.html."""
    if option.get("template_name") != WIDGETS + "select_option.html":
        raise Unexpected
    return (
        f'<option value="{_formatted(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def _select(widget: dict[str, Any]) -> str:
    """django/forms/widgets/select.html, with the trailing newline of each included option."""
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


# The Django sources the functions above copy, byte for byte.
_ATTRS = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
)
_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
_SOURCES: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "attrs.html": (_ATTRS, attrs_html),
    "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n',
        _input,
    ),
    "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n"
        "</select>\n",
        _select,
    ),
    "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n',
        _option,
    ),
    "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n",
        _textarea,
    ),
}
_INPUT_KINDS = [
    "checkbox", "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel",
    "text", "time", "url",
]  # fmt: skip
_WIDGET_TEMPLATES = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"


def _fast_renderings() -> dict[str, Callable[[dict[str, Any]], str]]:
    """{template name: Python rendering} for the templates whose Django source is the one copied."""

    def source(name: str) -> str | None:
        try:
            return (_WIDGET_TEMPLATES / name).read_text(encoding="utf-8")
        except OSError:
            return None

    fast: dict[str, Callable[[dict[str, Any]], str]] = {}
    if source("attrs.html") != _ATTRS:
        return fast
    for name, (expected, function) in _SOURCES.items():
        if name != "attrs.html" and source(name) == expected:
            fast[WIDGETS + name] = function
    if WIDGETS + "input.html" in fast:
        for kind in _INPUT_KINDS:
            if source(f"{kind}.html") == _INCLUDE_INPUT:
                fast[f"{WIDGETS}{kind}.html"] = _input
    if WIDGETS + "select_option.html" not in fast:
        fast.pop(WIDGETS + "select.html", None)
    return fast


class FastWidgetRenderer(DjangoTemplates):
    """FORM_RENDERER: Django's template renderer, with the commonest widgets rendered in Python."""

    def __init__(self) -> None:
        super().__init__()
        self.fast = _fast_renderings()

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        function = self.fast.get(template_name)
        widget = context.get("widget") if function is not None and len(context) == 1 else None
        if isinstance(widget, dict):
            try:
                return function(widget)
            except (Unexpected, KeyError, TypeError, ValueError):
                pass
        return super().render(template_name, context, request=request)
