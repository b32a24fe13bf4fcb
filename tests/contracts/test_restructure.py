import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import Contract
from contracts.selectors import contract_position
from tests.contracts.factories import draw_up, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(officer, time_machine):
    time_machine.move_to(date(2024, 6, 20))
    contract = sign(officer, draw_up(officer, principal="12000.00", rate="0", months=12))
    services.repayment_record(
        user=officer, contract=contract, paid_on=date(2024, 3, 5), amount=Decimal("1000"), token=uuid.uuid4()
    )
    return contract


def test_restructuring_keeps_the_old_contract_linked_and_closed(officer, active):
    tranche = active.tranches.get()
    new = services.contract_restructure(
        user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5),
        rates={tranche.pk: (Decimal("3"), "declining")},
    )  # fmt: skip
    assert new.is_draft
    assert new.restructured_from == active
    assert new.principal == Decimal("11000.00")
    assert new.tranches.get().method == "declining"
    active.refresh_from_db()
    assert active.is_active  # until the new one is signed
    services.contract_sign(user=officer, contract=new, signed_on=date(2024, 6, 20), receipts={})
    active.refresh_from_db()
    new.refresh_from_db()
    assert active.status == Contract.Status.RESTRUCTURED
    assert active.closed_on == date(2024, 6, 20)
    assert new.is_active
    assert contract_position(new, date(2024, 6, 20)).principal == Decimal("11000.00")
    with pytest.raises(ValidationError):
        services.repayment_record(
            user=officer, contract=active, paid_on=date(2024, 6, 20), amount=Decimal("1"), token=uuid.uuid4()
        )


def test_only_an_active_contract_is_restructured_once(officer, active):
    services.contract_restructure(
        user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5)
    )
    with pytest.raises(ValidationError):
        services.contract_restructure(
            user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5)
        )
    with pytest.raises(ValidationError):
        services.contract_restructure(user=officer, contract=draw_up(officer), term_months=12,
                                      first_due_on=date(2024, 7, 5))  # fmt: skip
    with pytest.raises(ValidationError):
        services.contract_restructure(
            user=officer, contract=active, term_months=0, first_due_on=date(2024, 7, 5)
        )


# --- the page ---------------------------------------------------------------------------------------------


def restructure_url(contract):
    return reverse("contracts:contract_restructure", args=[contract.pk])


def test_the_officer_restructures_from_the_contract_page(client, officer, active):
    client.force_login(officer)
    detail = client.get(reverse("contracts:contract_detail", args=[active.pk])).content.decode()
    assert 'id="restructure-contract"' in detail
    page = client.get(restructure_url(active))
    assert page.status_code == 200
    html = page.content.decode()
    assert "11,000.00" in html  # the principal still owed
    tranche = active.tranches.get()
    response = client.post(
        restructure_url(active),
        {"term_months": "24", "first_due_on": "05/07/2567", f"rate_{tranche.pk}": "3",
         f"method_{tranche.pk}": "declining"},
    )  # fmt: skip
    new = Contract.objects.get(restructured_from=active)
    assert response.url == reverse("contracts:contract_detail", args=[new.pk])
    assert (new.term_months, new.first_due_on, new.principal) == (24, date(2024, 7, 5), Decimal("11000.00"))
    assert new.tranches.get().annual_rate == Decimal("3")
    old_page = client.get(reverse("contracts:contract_detail", args=[active.pk])).content.decode()
    assert 'id="restructured-into"' in old_page
    assert 'id="restructure-contract"' not in old_page
    # a second restructuring leads to the first one
    assert client.get(restructure_url(active)).url == reverse("contracts:contract_detail", args=[new.pk])
    client.post(reverse("contracts:contract_sign", args=[new.pk]), {"signed_on": "20/06/2567"})
    active.refresh_from_db()
    assert active.status == Contract.Status.RESTRUCTURED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("term_months", "0", "360"),
        ("term_months", "abc", ""),
        ("first_due_on", "01/06/2567", ""),  # before the day it is drawn up
        ("first_due_on", "05/07/2024", ""),  # a Christian-era year in a BE field
        ("rate", "101", "100"),
        ("rate", "-1", "100"),
        ("method", "weekly", ""),
    ],
)
def test_bad_terms_are_refused_with_a_message(client, officer, active, field, value, message):
    client.force_login(officer)
    tranche = active.tranches.get()
    data = {"term_months": "24", "first_due_on": "05/07/2567", f"rate_{tranche.pk}": "3",
            f"method_{tranche.pk}": "flat"}  # fmt: skip
    key = f"{field}_{tranche.pk}" if field in ("rate", "method") else field
    response = client.post(restructure_url(active), {**data, key: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert key in errors
    assert message in str(errors[key])
    assert not Contract.objects.filter(restructured_from=active).exists()


def test_outsiders_and_staff_above_the_district_get_404(client, outsider, provincial, national, active):
    for user in (outsider, provincial, national):
        client.force_login(user)
        assert client.get(restructure_url(active)).status_code == 404
        assert client.post(restructure_url(active), {"term_months": "12"}).status_code == 404
    assert not Contract.objects.filter(restructured_from=active).exists()


def test_a_draft_is_not_restructured(client, officer, time_machine):
    time_machine.move_to(date(2024, 6, 20))
    draft = draw_up(officer)
    client.force_login(officer)
    response = client.get(restructure_url(draft))
    assert response.url == reverse("contracts:contract_detail", args=[draft.pk])
    detail = client.get(response.url).content.decode()
    assert 'id="restructure-contract"' not in detail
