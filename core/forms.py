"""Model forms that speak Thai dates and baht: every DateField is typed in BE, every money field in baht."""

from typing import Any

from django import forms
from django.db import models

from core.fields import BahtField, BEDateField, BoundedModelChoiceField, BoundedModelMultipleChoiceField


def thai_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """formfield_callback: BE dates for date fields, baht for 2-decimal money fields."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return db_field.formfield(form_class=BEDateField, **kwargs)
    if isinstance(db_field, models.DecimalField) and db_field.decimal_places == 2:
        return db_field.formfield(form_class=BahtField, **kwargs)
    if isinstance(db_field, models.ForeignKey):
        return db_field.formfield(form_class=BoundedModelChoiceField, **kwargs)
    if isinstance(db_field, models.ManyToManyField):
        return db_field.formfield(form_class=BoundedModelMultipleChoiceField, **kwargs)
    return db_field.formfield(**kwargs)


class ThaiModelForm(forms.ModelForm):
    class Meta:
        formfield_callback = thai_formfield
