"""Money inputs of a new row start empty (a "0.00" placeholder, no value); a stored zero shows as 0.00."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from households.forms import BudgetStatementForm
from households.models import BudgetStatement
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_a_new_statement_starts_with_empty_money_boxes(client, officer):
    household = HouseholdFactory()
    client.force_login(officer)
    html = client.get(reverse("households:budget_create", args=[household.pk])).content.decode()
    tag = input_tag(html, "income_farming")
    assert "value=" not in tag
    assert 'placeholder="0.00"' in tag


def test_a_stored_zero_and_a_given_initial_still_show(officer):
    household = HouseholdFactory()
    stored = BudgetStatement.objects.create(
        household=household, as_of=date(2024, 1, 15), income_farming=Decimal("1200.50")
    )
    form = BudgetStatementForm(instance=stored, household=household)
    assert 'value="0.00"' in str(form["income_wages"])
    assert 'value="1200.50"' in str(form["income_farming"])
    proposed = BudgetStatementForm(household=household, initial={"income_wages": Decimal("0.00")})
    assert 'value="0.00"' in str(proposed["income_wages"])
    assert "value=" not in str(proposed["income_farming"])


def test_an_empty_money_box_is_saved_as_zero(client, officer):
    household = HouseholdFactory()
    form = BudgetStatementForm({"as_of": "15/01/2567", "income_farming": "6000"}, household=household)
    assert form.is_valid(), form.errors
    statement = form.save()
    assert statement.income_farming == Decimal("6000.00")
    assert statement.income_wages == Decimal("0.00")
