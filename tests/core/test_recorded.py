"""The recorded_by / recorded_at pair is defined once (core.models.Recorded)."""

import pytest
from django.conf import settings

from core.models import Recorded
from debts.models import DebtBalance
from households.models import StatusChange


@pytest.mark.parametrize("model", [StatusChange, DebtBalance])
def test_entries_take_the_pair_from_recorded(model):
    assert issubclass(model, Recorded)
    by, at = model._meta.get_field("recorded_by"), model._meta.get_field("recorded_at")
    assert by.related_model._meta.label == settings.AUTH_USER_MODEL
    assert by.null
    assert at.auto_now_add
    assert model.history.model._meta.get_field("recorded_at")  # simple-history keeps the pair
