"""`get_FOO_display()` without rebuilding the field's choices at every call.

Django's version flattens the field's choices and builds a dict of them on each call (about 15 µs); a list
of 25 centers with their status pays it 25 times. For a field whose choices are a fixed list, the method
here keeps that dict and answers the same label, translated at the call as before.
"""

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display_method(field: Any) -> Any:
    labels = dict(make_hashable(field.flatchoices))
    attname = field.attname

    def display(self: Model) -> Any:
        value = getattr(self, attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display


def cache_choice_displays() -> None:
    """Replace Django's own get_FOO_display() of every field with fixed choices (from CoreConfig.ready)."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or not isinstance(
                getattr(field, "choices", None), list | tuple
            ):
                continue
            name = f"get_{field.name}_display"
            method = vars(model).get(name)
            # Only Django's generated method: one a model defines itself stays.
            if (
                isinstance(method, partialmethod)
                and method.func is Model._get_FIELD_display
                and method.keywords.get("field") is field
            ):
                setattr(model, name, _display_method(field))
