from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from contracts import services
from contracts.models import Contract, ScheduledInstalment
from debts.models import DebtLine
from households.models import HouseholdStatus
from tests.contracts.factories import draw_up

pytestmark = pytest.mark.django_db
SIGNED = date(2024, 2, 10)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(date(2024, 2, 20))


def receipts(contract, paid_on=SIGNED, receipt="R-001"):
    return {p.pk: services.PayoffReceipt(paid_on=paid_on, receipt=receipt) for p in contract.payoffs.all()}


def test_signing_pays_off_closes_the_registry_lines_enrols_and_writes_the_schedule(officer):
    contract = draw_up(officer, principal="12000.00", rate="6", months=12)
    household = contract.household
    assert household.status == HouseholdStatus.SURVEYED
    services.contract_sign(user=officer, contract=contract, signed_on=SIGNED, receipts=receipts(contract))
    contract.refresh_from_db()
    household.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert contract.signed_on == SIGNED
    payoff = contract.payoffs.get()
    assert (payoff.paid_on, payoff.receipt) == (SIGNED, "R-001")
    line = payoff.debt_line
    line.refresh_from_db()
    assert line.status == DebtLine.Status.PAID_OFF
    assert line.current_balance == Decimal("0.00")
    assert line.balances.first().balance == Decimal("0.00")
    assert household.status == HouseholdStatus.ENROLLED
    assert list(household.status_changes.values_list("to_status", flat=True)) == ["target", "enrolled"]
    rows = ScheduledInstalment.objects.filter(contract=contract)
    assert rows.count() == 12
    assert sum(r.principal for r in rows) == Decimal("12000.00")
    assert sum(r.interest for r in rows) == Decimal("720.00")
    assert rows.order_by("number").last().due_on == date(2025, 2, 5)


def test_a_target_household_is_enrolled_directly(officer):
    contract = draw_up(officer)
    from households.services import household_select_as_target

    household_select_as_target(user=officer, household=contract.household, on=date(2024, 2, 1))
    services.contract_sign(user=officer, contract=contract, signed_on=SIGNED, receipts=receipts(contract))
    contract.household.refresh_from_db()
    assert contract.household.status == HouseholdStatus.ENROLLED


@pytest.mark.parametrize(
    ("signed_on", "paid_on", "receipt", "field"),
    [
        (date(2024, 2, 21), SIGNED, "R", "signed_on"),  # future
        (date(2024, 1, 31), SIGNED, "R", "signed_on"),  # before drawn up
        (SIGNED, date(2024, 2, 21), "R", "paid_on"),  # future payoff
        (SIGNED, date(2024, 1, 10), "R", "paid_on"),  # before the latest balance
        (SIGNED, SIGNED, "  ", "receipt"),
    ],
)
def test_bad_signing_leaves_everything_as_it_was(officer, signed_on, paid_on, receipt, field):
    contract = draw_up(officer)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.contract_sign(
            user=officer, contract=contract, signed_on=signed_on,
            receipts=receipts(contract, paid_on=paid_on, receipt=receipt),
        )  # fmt: skip
    assert any(key.startswith(field) for key in exc.value.message_dict)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT
    assert contract.payoffs.get().debt_line.is_open
    contract.household.refresh_from_db()
    assert contract.household.status == HouseholdStatus.SURVEYED
    assert not ScheduledInstalment.objects.exists()


def test_a_second_active_contract_is_refused(officer):
    first = draw_up(officer)
    services.contract_sign(user=officer, contract=first, signed_on=SIGNED, receipts=receipts(first))
    second = draw_up(officer, household=first.household)
    with pytest.raises(ValidationError):
        services.contract_sign(user=officer, contract=second, signed_on=SIGNED, receipts=receipts(second))
    second.refresh_from_db()
    assert second.is_draft
    assert second.payoffs.get().debt_line.is_open


def test_a_signed_contract_cannot_be_signed_again(officer):
    contract = draw_up(officer)
    services.contract_sign(user=officer, contract=contract, signed_on=SIGNED, receipts=receipts(contract))
    with pytest.raises(ValidationError):
        services.contract_sign(user=officer, contract=contract, signed_on=SIGNED, receipts=receipts(contract))


def test_the_sign_page_signs(client, officer):
    contract = draw_up(officer)
    payoff = contract.payoffs.get()
    client.force_login(officer)
    url = reverse("contracts:contract_sign", args=[contract.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "signed_on": "10/02/2567",
            f"paid_on_{payoff.pk}": "10/02/2567",
            f"receipt_{payoff.pk}": "ใบเสร็จ 12",
        },
    )
    assert response.url == reverse("contracts:contract_detail", args=[contract.pk])
    contract.refresh_from_db()
    assert contract.is_active
    assert client.get(url).status_code == 302  # signed: back to the contract


def test_the_sign_page_shows_errors_on_fields(client, officer):
    contract = draw_up(officer)
    payoff = contract.payoffs.get()
    client.force_login(officer)
    url = reverse("contracts:contract_sign", args=[contract.pk])
    response = client.post(
        url, {"signed_on": "10/02/2567", f"paid_on_{payoff.pk}": "10/01/2567", f"receipt_{payoff.pk}": "R"}
    )
    assert response.status_code == 200
    assert f"paid_on_{payoff.pk}" in response.context["form"].errors


def test_staff_who_cannot_edit_get_404(client, officer, outsider, provincial, national):
    contract = draw_up(officer)
    url = reverse("contracts:contract_sign", args=[contract.pk])
    for user in (outsider, provincial, national):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
