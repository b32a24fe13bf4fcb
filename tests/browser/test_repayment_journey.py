"""An officer at a phone's width records a household's payment on its contract's repayment form: the form
says how a payment is split and what a payoff costs, proposes what is due, and asks before recording the
same amount twice on one day; then sets the center's payoff rule on the savings-rule page."""

from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Contract, SavingsRule
from contracts.selectors import contract_position

pytestmark = pytest.mark.browser


def test_officer_records_a_payment_and_sets_the_payoff_rule(page, login, demo_site, screenshot):
    contract = (
        Contract.objects.active()
        .filter(center__name__contains="บวกครกหลวง")
        .exclude(repayments__paid_on=timezone.localdate())
        .order_by("pk")
        .first()
    )
    page.set_viewport_size({"width": 360, "height": 800})
    login("officer_mueang")
    page.goto(f"{demo_site.url}/contracts/{contract.pk}/repayments/new/")
    page.wait_for_selector("#allocation-order")
    assert page.locator("#payoff-rule").inner_text()
    due = contract_position(contract, timezone.localdate()).due
    assert page.input_value("#id_amount") == (f"{due:f}" if due else "")  # what is due today, proposed
    screenshot("repayment-form-phone")
    page.fill("#id_amount", "100")
    page.click("#record-payment")
    page.wait_for_selector(".alert-success")
    page.goto(f"{demo_site.url}/contracts/{contract.pk}/repayments/new/")
    page.fill("#id_amount", "100")
    page.click("#record-payment")
    page.wait_for_selector("#id_confirm_repeat")
    assert contract.repayments.filter(amount=Decimal("100.00")).count() == 1
    screenshot("repayment-form-confirm-repeat")
    page.check("#id_confirm_repeat")
    page.click("#record-payment")
    page.wait_for_selector(".alert-success")
    assert contract.repayments.filter(amount=Decimal("100.00")).count() == 2

    page.goto(f"{demo_site.url}/contracts/savings-rule/{contract.center_id}/")
    page.check("input[name=payoff_rule][value=to_date]")
    page.click("#save-savings-rule")
    page.wait_for_selector(".alert-success")
    assert SavingsRule.objects.get(center=contract.center).payoff_rule == "to_date"
