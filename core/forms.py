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
    """A model form in Thai dates and baht. A new row's money fields start empty rather than showing the
    model's default zero (typing into a "0.00" gave "0.006000"); a stored zero shows as "0.00"."""

    class Meta:
        formfield_callback = thai_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            return
        for name, field in self.fields.items():
            if isinstance(field, BahtField) and name not in given:
                if field.initial is not None and not callable(field.initial) and field.initial == 0:
                    field.initial = None
                if self.initial.get(name) is not None and self.initial[name] == 0:
                    del self.initial[name]
