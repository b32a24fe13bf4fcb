"""`Model.history` answers the same managers as django-simple-history's, from a class built once."""

import pytest
from django.apps import apps
from simple_history.manager import HistoryDescriptor, HistoryManager

from centers.models import Center
from core.history import CachedHistoryDescriptor
from tests.factories import CenterFactory


def test_every_model_with_history_has_the_caching_descriptor():
    descriptors = [
        value
        for model in apps.get_models()
        for value in vars(model).values()
        if isinstance(value, HistoryDescriptor)
    ]
    assert len(descriptors) > 10
    assert all(isinstance(value, CachedHistoryDescriptor) for value in descriptors)
    assert isinstance(vars(Center)["history"], CachedHistoryDescriptor)


@pytest.mark.django_db
def test_history_managers_work_as_before():
    center = CenterFactory()
    other = CenterFactory()
    center.name = "renamed"
    center.save()
    assert type(Center.history) is type(Center.history)
    assert isinstance(Center.history, HistoryManager)
    assert Center.history.filter(id=center.pk).count() == 2
    assert Center.history.count() == 3
    assert [h.name for h in center.history.all()] == ["renamed", center.history.last().name]
    assert other.history.count() == 1
    assert center.history.most_recent().name == "renamed"
    assert Center.history.as_of(center.history.first().history_date).get(pk=center.pk).name == "renamed"
