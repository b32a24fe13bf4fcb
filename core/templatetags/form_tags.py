"""Forms rendered in Python as crispy-forms renders them (core.rendering); `{% load form_tags %}`.

`{{ form|as_form }}` is `{{ form|crispy }}`, `{{ field|as_form_field }}` is `{{ field|as_crispy_field }}`.
"""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from core import rendering

register = template.Library()


@register.filter
def as_form(form: forms.BaseForm) -> SafeString:
    return rendering.crispy_form(form)


@register.filter
def as_form_field(field: forms.BoundField) -> SafeString:
    return rendering.crispy_field(field)
