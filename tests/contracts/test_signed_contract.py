"""The contract as signed: the borrower's masked ID, the chair from the committee, the guarantors, the
late-payment clause, each fund's schedule; an informal lender's payoff evidenced by a witness."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from centers.models import CommitteeMember
from contracts import services
from contracts.models import Guarantor, SavingsRule
from households import national_id
from tests.contracts.factories import draw_up, draw_up_two_tranches, sign
from tests.contracts.test_views import form_data
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory, make_national_id

pytestmark = pytest.mark.django_db

GUARANTOR_ID = make_national_id(900001)


def guarantor(name="นายค้ำ ประกัน", relation="พี่ชาย", nid=GUARANTOR_ID):
    return services.GuarantorTerms(name, relation, nid)


def draw_with_guarantors(user, household, guarantors, *, creditor_type="money_lender"):
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type=creditor_type, balance="10000.00")
    return services.contract_draw_up(
        user=user,
        household=household,
        term_months=12,
        first_due_on=date(2024, 3, 5),
        drawn_up_on=date(2024, 2, 1),
        tranches=[services.TrancheTerms(fund, Decimal("10000.00"), Decimal("6"), "flat")],
        payoffs=[services.PayoffTerms(line, Decimal("10000.00"))],
        guarantors=guarantors,
    )


def test_guarantors_are_kept_with_their_id_encrypted_and_shown_masked(officer):
    contract = draw_with_guarantors(
        officer, HouseholdFactory(), [guarantor(nid=f"  {GUARANTOR_ID[:1]}-{GUARANTOR_ID[1:]}")]
    )
    stored = Guarantor.objects.get()
    assert stored.contract == contract
    assert GUARANTOR_ID not in stored.national_id_encrypted
    assert stored.national_id_hash == national_id.keyed_hash(GUARANTOR_ID)
    assert stored.national_id_masked == national_id.masked(GUARANTOR_ID)
    assert stored.history.count() == 1


def test_a_guarantor_needs_a_valid_id_not_the_borrowers_and_not_twice(officer):
    household = HouseholdFactory(national_id=make_national_id(77))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        draw_with_guarantors(
            officer,
            household,
            [
                guarantor(nid="1234"),
                guarantor(nid=make_national_id(77)),
                guarantor(),
                guarantor(name=" ", relation=""),
            ],
        )
    errors = caught.value.message_dict
    assert errors["guarantor-0-national_id"] == ["A national ID has 13 digits."]
    assert errors["guarantor-1-national_id"] == ["The borrower cannot be their own guarantor."]
    assert errors["guarantor-3-national_id"] == ["This person is already a guarantor of the contract."]
    assert "guarantor-3-full_name" in errors
    assert "guarantor-3-relation" in errors
    assert not Guarantor.objects.exists()


def test_the_draw_up_page_takes_guarantors_in_rows(client, officer, time_machine):
    time_machine.move_to(date(2024, 2, 1))
    household = HouseholdFactory()
    fund = MemberFundFactory(center=household.center)
    line = make_debt(household, creditor_type="money_lender", balance="10000.00")
    client.force_login(officer)
    url = reverse("contracts:contract_create", args=[household.pk])
    assert 'name="guarantor-0-national_id"' in client.get(url).content.decode()
    rows = {"guarantor-TOTAL_FORMS": "2", "guarantor-INITIAL_FORMS": "0"}
    bad = client.post(
        url,
        {
            **form_data(household, fund, line),
            **rows,
            "guarantor-0-full_name": "นางค้ำ",
            "guarantor-0-relation": "แม่",
            "guarantor-0-national_id": "1111111111111",
        },
    )
    assert bad.status_code == 200
    assert bad.context["guarantors"].forms[0].errors["national_id"]
    assert 'value="นางค้ำ"' in bad.content.decode()  # what was typed is kept
    good = client.post(
        url,
        {
            **form_data(household, fund, line),
            **rows,
            "guarantor-0-full_name": "นางค้ำ",
            "guarantor-0-relation": "แม่",
            "guarantor-0-national_id": GUARANTOR_ID,
        },
    )
    assert good.status_code == 302
    assert Guarantor.objects.get().full_name == "นางค้ำ"


def test_the_print_carries_what_is_signed(client, officer, django_assert_max_num_queries, time_machine):
    time_machine.move_to(date(2024, 2, 10))
    household = HouseholdFactory()
    SavingsRule.objects.create(
        center=household.center, late_payment_clause="ค่าปรับร้อยละ 1 ต่อเดือนของเงินงวดที่ค้าง"
    )
    CommitteeMember.objects.create(
        center=household.center, full_name="นายเก่า ประธาน", role="chair",
        term_start=date(2019, 1, 1), term_end=date(2023, 12, 31),
    )  # fmt: skip
    CommitteeMember.objects.create(
        center=household.center, full_name="นางสมศรี ประธาน", role="chair", term_start=date(2024, 1, 1)
    )
    line = make_debt(household, creditor_type="money_lender", balance="30000.00")
    contract = draw_up_two_tranches(
        officer, household, line, flat="20000.00", declining="10000.00", payoff="30000.00"
    )
    Guarantor.objects.create(contract=contract, full_name="นายค้ำ", relation="น้อง")
    stored = Guarantor.objects.get()
    stored.set_national_id(GUARANTOR_ID)
    stored.save()
    contract = sign(officer, contract)
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("contracts:contract_print", args=[contract.pk])).content.decode()
    assert household.national_id_masked in html
    assert "นางสมศรี ประธาน" in html
    assert "นายเก่า ประธาน" not in html
    assert "(ประธานศูนย์)" not in html
    assert "ค่าปรับร้อยละ 1 ต่อเดือนของเงินงวดที่ค้าง" in html
    assert "นายค้ำ" in html
    assert national_id.masked(GUARANTOR_ID) in html
    assert GUARANTOR_ID not in html
    assert 'id="fund-schedule-1"' in html
    assert 'id="fund-schedule-2"' in html
    assert 'id="fund-schedule-3"' not in html
    assert "css/contracts-print.css" in html


def test_a_print_without_chair_or_clause_says_so_plainly(client, officer):
    contract = draw_up(officer)
    client.force_login(officer)
    html = client.get(reverse("contracts:contract_print", args=[contract.pk])).content.decode()
    assert "(ประธานศูนย์)" in html
    assert "ติดตามทวงถามตามระเบียบของศูนย์" in html


def test_the_clause_is_the_centers_when_drawn_up(officer):
    household = HouseholdFactory()
    rule = SavingsRule.objects.create(center=household.center, late_payment_clause="ข้อ ก")
    contract = draw_up(officer, household=household)
    rule.late_payment_clause = "ข้อ ข"
    rule.save()
    contract.refresh_from_db()
    assert contract.late_payment_clause == "ข้อ ก"


def test_the_savings_rule_page_sets_the_clause(client, officer):
    household = HouseholdFactory()
    client.force_login(officer)
    url = reverse("contracts:savings_rule", args=[household.center.pk])
    response = client.post(
        url,
        {
            "instalment_share": "0",
            "minimum_stock_share": "0",
            "payoff_rule": "instalment",
            "late_payment_clause": " ค่าปรับวันละ 5 บาท ",
        },
    )
    assert response.status_code == 302
    assert SavingsRule.objects.get(center=household.center).late_payment_clause == "ค่าปรับวันละ 5 บาท"


def test_an_informal_lender_is_paid_off_against_a_witness_statement(client, officer, time_machine):
    time_machine.move_to(date(2024, 2, 10))
    contract = draw_up(officer)  # pays off a money lender
    payoff = contract.payoffs.get()
    client.force_login(officer)
    url = reverse("contracts:contract_sign", args=[contract.pk])
    base = {"signed_on": "10/02/2567", f"paid_on_{payoff.pk}": "10/02/2567"}
    missing = client.post(url, {**base, f"witness_name_{payoff.pk}": "นายพยาน"})
    assert missing.status_code == 200
    assert missing.context["form"].errors[f"witness_statement_{payoff.pk}"]
    signed = client.post(
        url,
        {
            **base,
            f"witness_name_{payoff.pk}": "นายพยาน ผู้เห็น",
            f"witness_statement_{payoff.pk}": "เห็นนายทุนรับเงินสด 30,000 บาทที่ศาลาหมู่บ้าน",
        },
    )
    assert signed.status_code == 302
    payoff.refresh_from_db()
    assert payoff.receipt == ""
    assert payoff.witness_name == "นายพยาน ผู้เห็น"
    html = client.get(reverse("contracts:contract_print", args=[contract.pk])).content.decode()
    assert "เห็นนายทุนรับเงินสด 30,000 บาทที่ศาลาหมู่บ้าน" in html
    assert (
        "นายพยาน ผู้เห็น"
        in client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    )


def test_a_bank_still_needs_its_receipt(officer, time_machine):
    time_machine.move_to(date(2024, 2, 10))
    contract = draw_with_guarantors(officer, HouseholdFactory(), [], creditor_type="commercial_bank")
    payoff = contract.payoffs.get()
    witness = services.PayoffReceipt(
        paid_on=date(2024, 2, 10), receipt="", witness_name="นายพยาน", witness_statement="เห็นการชำระ"
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.contract_sign(
            user=officer, contract=contract, signed_on=date(2024, 2, 10), receipts={payoff.pk: witness}
        )
    assert caught.value.message_dict[f"receipt_{payoff.pk}"] == [
        "A bank, cooperative or fund gives a receipt: enter its number."
    ]
    contract.refresh_from_db()
    assert contract.is_draft
