"""A list asked for with a filter that is not valid shows no rows and says why, never a wider list."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from centers.filters import CenterFilter
from contracts.filters import ContractFilter
from core.filters import StrictFilterSet
from debts.filters import HouseholdFilter
from tests.factories import MAE_FAEK, CenterFactory, VillageFactory
from tests.households.factories import HouseholdFactory
from visits.filters import RecommendationFilter, ReportFilter


@pytest.fixture
def households(officer):
    mine = CenterFactory(village=VillageFactory(moo=1))
    theirs = CenterFactory(village=VillageFactory(moo=2, subdistrict_id=MAE_FAEK))
    HouseholdFactory(center=mine, head_name="นางสมศรี ใจดี")
    HouseholdFactory(center=mine, head_name="นายสมชาย ใจงาม")
    return mine, theirs


def test_a_center_outside_the_officers_choices_shows_no_household_and_the_error(client, officer, households):
    _mine, theirs = households
    client.force_login(officer)
    body = client.get(reverse("debts:household_list"), {"center": theirs.pk}).content.decode()
    assert "นางสมศรี" not in body
    assert "นายสมชาย" not in body
    assert "เลือกตัวเลือกที่ถูกต้อง" in body  # Django's "Select a valid choice", in Thai, under the field
    assert 'id="result-count">0 ' in body


def test_a_valid_filter_still_shows_its_rows(client, officer, households):
    mine, _ = households
    client.force_login(officer)
    body = client.get(reverse("debts:household_list"), {"center": mine.pk}).content.decode()
    assert "นางสมศรี" in body
    assert "นายสมชาย" in body


def test_an_unknown_status_shows_no_center(client, officer, households):
    client.force_login(officer)
    response = client.get(reverse("centers:center_list"), {"status": "no-such-status", "q": ""})
    assert response.status_code == 200
    assert not response.context["filter"].is_valid()
    assert list(response.context["page"].object_list) == []
    assert len(client.get(reverse("centers:center_list")).context["page"].object_list) == 1


def test_every_list_filter_of_the_project_is_strict():
    """Each FilterSet of our apps' `filters` modules: a new one left on django-filter's base fails here."""
    found = set()
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        try:
            module = importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            ours = isinstance(value, type) and value.__module__ == module.__name__
            if ours and issubclass(value, django_filters.FilterSet):
                found.add(value)
                assert issubclass(value, StrictFilterSet), value
    assert {CenterFilter, HouseholdFilter, ContractFilter, ReportFilter, RecommendationFilter} <= found


def test_the_contract_and_report_lists_say_why_nothing_is_listed(client, officer):
    client.force_login(officer)
    for name in ("contracts:contract_list", "visits:report_list"):
        body = client.get(reverse(name), {"status": "nonsense"}).content.decode()
        assert 'id="filter-errors"' in body, name
        assert 'id="filter-errors"' not in client.get(reverse(name)).content.decode(), name
