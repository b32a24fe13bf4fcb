"""get_FOO_display() answers what Django's own method answers, for every field with fixed choices."""

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.translation import override

from centers.models import Center


def fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_fixed_choice_field_uses_the_kept_labels():
    replaced = 0
    for model, field in fields_with_choices():
        method = vars(model).get(f"get_{field.name}_display")
        if isinstance(field.choices, list | tuple) and method is not None:
            assert not isinstance(method, partialmethod), (model, field)
            replaced += 1
    assert replaced > 20


def test_the_labels_are_django_labels_in_both_languages():
    for model, field in fields_with_choices():
        values = [value for value, _label in field.flatchoices] + ["not-a-choice", None, 12]
        for value in values:
            obj = model()
            setattr(obj, field.attname, value)
            for language in ("th", "en"):
                with override(language):
                    expected = Model._get_FIELD_display(obj, field)
                    assert getattr(obj, f"get_{field.name}_display")() == expected, (model, field, value)


def test_a_label_follows_the_language():
    center = Center(status=Center.Status.DORMANT)
    with override("en"):
        assert center.get_status_display() == "Dormant"
    with override("th"):
        assert center.get_status_display() != "Dormant"
