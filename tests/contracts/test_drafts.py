"""One open draft per household; a draft cancelled with a reason stays, marked cancelled, with its number."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from contracts import services
from contracts.models import Contract
from tests.contracts.factories import draw_up, sign
from tests.contracts.test_views import form_data
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_household_with_a_draft_gets_no_second_one(officer):
    household = HouseholdFactory()
    first = draw_up(officer, household=household)
    with pytest.raises(ValidationError) as caught:
        draw_up(officer, household=household)
    assert "already has a draft contract" in str(caught.value)
    assert list(Contract.objects.filter(household=household)) == [first]


def test_the_database_refuses_a_second_draft_too(officer):
    first = draw_up(officer)
    copy = Contract(
        household=first.household,
        center=first.center,
        number="2567/0099",
        term_months=12,
        first_due_on=first.first_due_on,
        drawn_up_on=first.drawn_up_on,
        created_by=officer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_cancelled_draft_keeps_its_number_and_reason_in_its_history(officer, time_machine):
    time_machine.move_to(date(2024, 2, 3))
    household = HouseholdFactory()
    draft = draw_up(officer, household=household)
    services.contract_cancel_draft(user=officer, contract=draft, reason="  Wrong fund chosen ")
    draft.refresh_from_db()
    assert draft.is_cancelled
    assert draft.number == "2567/0001"
    assert draft.cancelled_on == date(2024, 2, 3)
    assert draft.cancellation_reason == "Wrong fund chosen"
    latest = draft.history.first()
    assert latest.status == Contract.Status.CANCELLED
    assert latest.history_user == officer
    assert draft.history.count() == 2  # drawn up, then cancelled: no edit in between
    # the household may get a new draft, under the next number: the cancelled one's is not reused
    again = draw_up(officer, household=household)
    assert again.is_draft
    assert again.number == "2567/0002"


def test_only_a_draft_is_cancelled_and_only_with_a_reason(officer, outsider, time_machine):
    time_machine.move_to(date(2024, 2, 10))
    draft = draw_up(officer)
    with pytest.raises(ValidationError) as caught:
        services.contract_cancel_draft(user=officer, contract=draft, reason="   ")
    assert caught.value.message_dict == {"reason": ["Give the reason for the cancellation."]}
    with pytest.raises(PermissionDenied):
        services.contract_cancel_draft(user=outsider, contract=draft, reason="not mine")
    signed = sign(officer, draft)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.contract_cancel_draft(user=officer, contract=signed, reason="changed my mind")
    signed.refresh_from_db()
    assert signed.is_active


def test_a_cancelled_restructuring_lets_the_contract_be_restructured_again(officer, time_machine):
    time_machine.move_to(date(2024, 6, 20))
    active = sign(officer, draw_up(officer, principal="12000.00", rate="0"))
    services.repayment_record(
        user=officer, contract=active, paid_on=date(2024, 3, 5), amount=Decimal("1000"), token=uuid.uuid4()
    )
    terms = {"user": officer, "contract": active, "term_months": 24, "first_due_on": date(2024, 7, 5)}
    first = services.contract_restructure(**terms)
    with pytest.raises(ValidationError):
        services.contract_restructure(**terms)
    services.contract_cancel_draft(user=officer, contract=first, reason="Household asked for 36 months")
    first.refresh_from_db()
    assert first.restructured_from is None
    assert first.history.first().restructured_from is None
    assert first.history.all()[1].restructured_from_id == active.pk  # the history keeps the link
    second = services.contract_restructure(**{**terms, "term_months": 36})
    assert second.restructured_from == active


def test_the_draw_up_page_links_to_the_open_draft_instead_of_a_second_form(client, officer, time_machine):
    time_machine.move_to(date(2024, 2, 1))
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type="money_lender", balance="10000.00")
    client.force_login(officer)
    url = reverse("contracts:contract_create", args=[household.pk])
    assert client.post(url, form_data(household, fund, line)).status_code == 302
    draft = Contract.objects.get()
    with translation.override("th"):
        page = client.get(url, headers={"accept-language": "th"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="contract-form"' not in html
    assert reverse("contracts:contract_detail", args=[draft.pk]) in html
    assert "มีร่างสัญญาอยู่แล้ว" in html
    again = client.post(url, form_data(household, fund, line))
    assert again.status_code == 409
    assert Contract.objects.count() == 1


def test_the_draft_page_cancels_it_with_a_reason(client, officer, outsider, time_machine):
    time_machine.move_to(date(2024, 2, 3))
    draft = draw_up(officer)
    url = reverse("contracts:contract_cancel_draft", args=[draft.pk])
    client.force_login(outsider)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(officer)
    detail = reverse("contracts:contract_detail", args=[draft.pk])
    assert 'id="cancel-draft"' in client.get(detail).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_draft
    assert client.post(url, {"reason": "Duplicate of another draft"}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_cancelled
    html = client.get(detail).content.decode()
    assert "Duplicate of another draft" in html
    assert 'id="cancel-draft"' not in html
    household_page = client.get(reverse("households:household_detail", args=[draft.household_id]))
    assert 'id="draw-up-contract"' in household_page.content.decode()
