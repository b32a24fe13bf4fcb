import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import Contract
from contracts.selectors import contract_position
from households.models import BudgetStatement
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


# --- against the household's budget -------------------------------------------------------------------------


def budget_leaving(household, surplus):
    """A budget statement whose income less living expenses is `surplus` a month."""
    return BudgetStatement.objects.create(
        household=household,
        as_of=date(2024, 6, 1),
        income_wages=Decimal("5000.00") + Decimal(surplus),
        expense_food=Decimal("5000.00"),
    )


def test_new_terms_above_the_budget_need_a_reason_kept_with_the_figures(officer, active):
    """11,000 owed over 12 months at 0 %: 916.67 a month. With 500 left by the budget, a reason is needed;
    over 24 months (458.33, the last 11,000 - 23 × 458.33 = 458.41: the largest counts) the terms fit and none
    is asked."""
    budget_leaving(active.household, "500.00")
    with pytest.raises(ValidationError) as refused:
        services.contract_restructure(
            user=officer, contract=active, term_months=12, first_due_on=date(2024, 7, 5)
        )
    assert "916.67" in refused.value.message_dict["affordability_reason"][0]
    assert not Contract.objects.filter(restructured_from=active).exists()
    new = services.contract_restructure(
        user=officer, contract=active, term_months=12, first_due_on=date(2024, 7, 5),
        affordability_reason="ขายข้าวเดือนธันวาคม",
    )  # fmt: skip
    assert (new.affordability_burden, new.affordability_surplus) == (Decimal("916.67"), Decimal("500.00"))
    assert new.affordability_reason == "ขายข้าวเดือนธันวาคม"
    services.contract_cancel_draft(user=officer, contract=new, reason="ทดลอง")
    fitting = services.contract_restructure(
        user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5)
    )
    assert fitting.affordability_burden == Decimal("458.41")
    assert fitting.affordability_reason == ""


def test_the_page_shows_what_the_new_terms_ask_and_keeps_what_was_typed(client, officer, active):
    budget_leaving(active.household, "500.00")
    client.force_login(officer)
    tranche = active.tranches.get()
    data = {"term_months": "12", "first_due_on": "05/07/2567", f"rate_{tranche.pk}": "0",
            f"method_{tranche.pk}": "flat"}  # fmt: skip
    refused = client.post(restructure_url(active), data)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert refused.context["form"].errors["affordability_reason"]
    assert 'id="affordability-above"' in html
    assert 'name="affordability_reason"' in html
    assert 'value="12"' in html  # the term typed is kept
    assert not Contract.objects.filter(restructured_from=active).exists()
    saved = client.post(restructure_url(active), {**data, "affordability_reason": "ลูกส่งเงินมาช่วย"})
    new = Contract.objects.get(restructured_from=active)
    assert saved.url == reverse("contracts:contract_detail", args=[new.pk])
    detail = client.get(saved.url).content.decode()
    assert 'id="affordability-reason"' in detail
