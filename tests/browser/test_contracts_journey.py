"""An officer draws up a contract for a household, previews and prints it, signs it, and collects the first
instalment through the center's monthly collection sheet."""

from decimal import Decimal

import pytest

from centers.models import Center, MemberFund
from contracts.models import Contract, Repayment, SavingsEntry
from debts.models import DebtLine
from households.models import HouseholdStatus
from tests.debts.factories import make_debt
from tests.households.factories import HouseholdFactory, make_national_id

pytestmark = pytest.mark.browser


def test_officer_draws_up_signs_and_collects_a_contract(page, login, demo_site, screenshot):
    center = Center.objects.get(name__contains="บวกครกหลวง")
    fund = MemberFund.objects.get(center=center, fund_type="savings_group")
    household = HouseholdFactory(
        center=center, head_name="นางทดสอบ รวมหนี้", national_id=make_national_id(987654), status="target"
    )
    lender = make_debt(household, creditor_type="money_lender", balance="20000.00", original="20000.00")

    login("officer_mueang")
    page.goto(f"{demo_site.url}/households/{household.pk}/")
    page.click("#draw-up-contract")
    page.fill("#id_term_months", "12")
    page.fill(f"#id_payoff_{lender.pk}", "20,000")
    page.fill(f"#id_principal_{fund.pk}", "20000")
    page.click("#preview")
    page.wait_for_selector("#preview-schedule")
    assert "20,000.00" in page.locator("#total-principal").inner_text()
    screenshot("contract-preview")
    page.click("#save")
    page.wait_for_selector("#contract-status")
    contract = Contract.objects.get(household=household)
    page.click("#print-contract")
    page.wait_for_selector("#printed-contract")
    assert "สองหมื่นบาทถ้วน" in page.locator("#principal-in-words").inner_text()
    screenshot("contract-print")

    page.goto(f"{demo_site.url}/contracts/{contract.pk}/")
    page.click("#sign-contract")
    payoff = contract.payoffs.get()
    page.fill(f"#id_receipt_{payoff.pk}", "บจ 001")
    page.click("#sign")
    page.wait_for_selector("#record-payment-link")
    contract.refresh_from_db()
    assert contract.is_active
    lender.refresh_from_db()
    assert lender.status == DebtLine.Status.PAID_OFF
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ENROLLED

    page.goto(f"{demo_site.url}/contracts/collection/{center.pk}/")
    page.fill(f"#id_paid_{contract.pk}", "1,000")
    page.fill(f"#id_saved_{contract.pk}", "200")
    screenshot("collection-sheet")
    page.click("#save-collection")
    page.wait_for_selector(".alert-success")
    assert Repayment.objects.get(contract=contract).amount == Decimal("1000.00")
    assert SavingsEntry.objects.get(contract=contract).amount == Decimal("200.00")
