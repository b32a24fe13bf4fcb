"""The savings rule page of a center: bands by principal, share of the instalment, minimum stock."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import SavingsRule, SavingsTier
from contracts.selectors import monthly_saving_for
from tests.factories import CenterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    return CenterFactory()


def url(center):
    return reverse("contracts:savings_rule", args=[center.pk])


def rule_data(**overrides):
    data = {
        "instalment_share": "10",
        "minimum_stock_share": "5",
        "payoff_rule": "instalment",
        "from_0": "0",
        "saving_0": "200",
        "from_1": "50,000",
        "saving_1": "300",
        "from_2": "",
        "saving_2": "",
    }
    return {**data, **overrides}


def tiers_of(center):
    return list(
        SavingsTier.objects.filter(rule__center=center).values_list("principal_from", "monthly_saving")
    )


def test_the_officer_sets_then_changes_the_rule_from_the_center_page(client, officer, center):
    client.force_login(officer)
    center_page = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
    assert url(center) in center_page
    page = client.get(url(center))
    assert page.status_code == 200
    assert 'id="no-rule"' in page.content.decode()
    response = client.post(url(center), rule_data())
    assert response.status_code == 302
    rule = SavingsRule.objects.get(center=center)
    assert (rule.instalment_share, rule.minimum_stock_share) == (Decimal("10.00"), Decimal("5.00"))
    assert tiers_of(center) == [
        (Decimal("0.00"), Decimal("200.00")),
        (Decimal("50000.00"), Decimal("300.00")),
    ]
    assert monthly_saving_for(
        center_id=center.pk, principal=Decimal("60000"), instalment=Decimal("2000")
    ) == Decimal("300.00")
    # the form shows the rule; clearing a row removes its band, a new row adds one
    page = client.get(url(center)).content.decode()
    assert 'value="50000.00"' in page
    client.post(url(center), rule_data(from_0="", saving_0="", from_2="100000", saving_2="500"))
    assert tiers_of(center) == [
        (Decimal("50000.00"), Decimal("300.00")),
        (Decimal("100000.00"), Decimal("500.00")),
    ]
    assert SavingsRule.objects.count() == 1
    assert SavingsTier.history.filter(history_type="-").count() == 1  # the removed band stays in the history


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"from_1": "0"}, "from_1", "ไม่ซ้ำกัน"),  # two bands starting at the same principal overlap
        ({"saving_1": "-300"}, "saving_1", "ติดลบ"),
        ({"from_1": "-5"}, "from_1", "ติดลบ"),
        ({"instalment_share": "120"}, "instalment_share", "100"),
        ({"minimum_stock_share": "100.5"}, "minimum_stock_share", "100"),
        ({"instalment_share": "-1"}, "instalment_share", "100"),
        ({"saving_1": ""}, "saving_1", ""),
        ({"from_1": ""}, "from_1", ""),
        ({"saving_1": "100"}, "__all__", "มาก"),  # a larger principal requiring less saving
        ({"from_1": "abc"}, "from_1", ""),
        ({"payoff_rule": "free"}, "payoff_rule", "ดอกเบี้ย"),
        ({"payoff_rule": ""}, "payoff_rule", "ดอกเบี้ย"),
    ],
)
def test_bad_rules_are_refused_with_a_message(client, officer, center, overrides, field, message):
    client.force_login(officer)
    response = client.post(url(center), rule_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in str(errors[field])
    assert not SavingsRule.objects.exists()


def test_the_service_checks_the_rule_too(officer, center):
    with pytest.raises(ValidationError) as caught:
        services.savings_rule_save(
            user=officer, center=center, instalment_share=Decimal("101"), minimum_stock_share=Decimal("0"),
            tiers=[services.TierTerms(Decimal("0"), Decimal("100")),
                   services.TierTerms(Decimal("0"), Decimal("200"))],
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"instalment_share", "__all__"}
    assert not SavingsRule.objects.exists()


def test_outsiders_and_staff_above_the_district_get_404(client, outsider, provincial, national, center):
    for user in (outsider, provincial, national):
        client.force_login(user)
        assert client.get(url(center)).status_code == 404
        assert client.post(url(center), rule_data()).status_code == 404
        center_page = client.get(reverse("centers:center_detail", args=[center.pk]))
        assert url(center) not in center_page.content.decode()
    assert not SavingsRule.objects.exists()


def test_the_payoff_rule_is_chosen_on_the_rule_page_kept_in_history_and_printed(client, officer, center):
    from tests.contracts.factories import draw_up
    from tests.households.factories import HouseholdFactory

    client.force_login(officer)
    page = client.get(url(center)).content.decode()
    assert 'name="payoff_rule"' in page
    assert client.post(url(center), rule_data()).status_code == 302
    assert client.post(url(center), rule_data(payoff_rule="to_date")).status_code == 302
    rule = SavingsRule.objects.get(center=center)
    assert rule.payoff_rule == "to_date"
    assert list(rule.history.order_by("history_id").values_list("payoff_rule", flat=True)) == [
        "instalment",
        "to_date",
    ]
    assert client.get(url(center)).context["form"]["payoff_rule"].value() == "to_date"
    contract = draw_up(officer, household=HouseholdFactory(center=center))
    assert contract.payoff_rule == "to_date"  # the contract keeps the rule it was drawn up with
    client.post(url(center), rule_data(payoff_rule="instalment"))
    contract.refresh_from_db()
    assert contract.payoff_rule == "to_date"
    printed = client.get(reverse("contracts:contract_print", args=[contract.pk])).content.decode()
    assert 'id="payoff-rule"' in printed
    assert "ดอกเบี้ยถึงวันที่ชำระปิดบัญชี" in printed


def test_the_service_refuses_an_unknown_payoff_rule_and_keeps_the_rule_when_not_given(officer, center):
    save = services.savings_rule_save
    with pytest.raises(ValidationError) as caught:
        save(user=officer, center=center, instalment_share=Decimal("0"), minimum_stock_share=Decimal("0"),
             tiers=[], payoff_rule="free")  # fmt: skip
    assert set(caught.value.message_dict) == {"payoff_rule"}
    save(user=officer, center=center, instalment_share=Decimal("0"), minimum_stock_share=Decimal("0"),
         tiers=[], payoff_rule="to_date")  # fmt: skip
    save(user=officer, center=center, instalment_share=Decimal("1"), minimum_stock_share=Decimal("0"),
         tiers=[])  # fmt: skip
    assert SavingsRule.objects.get(center=center).payoff_rule == "to_date"
