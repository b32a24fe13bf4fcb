"""The allocation order of a payment between the funds of a contract (issue 13, points 1 and 2), on the pure
functions of contracts.calculations: oldest instalment first, interest before principal, funds in the
instalment's scheduled proportions; a payment inside an instalment's period counts as that instalment."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.calculations import (
    ZERO,
    Method,
    Overpayment,
    PayoffRule,
    Tranche,
    add_months,
    allocate_payment,
    current_instalment,
    payoff_allocation,
    schedule,
)

FIRST_DUE = date(2025, 1, 5)


def issue_example():
    """30,000 baht from the village fund at 6 % flat and 20,000 from the savings group at 12 % declining,
    24 months (issue 13)."""
    return schedule(
        [
            Tranche("village", Decimal("30000.00"), Decimal("6"), Method.FLAT),
            Tranche("savings", Decimal("20000.00"), Decimal("12"), Method.DECLINING),
        ],
        24,
        FIRST_DUE,
    )


def pay_on_schedule(instalments, *, days_early=0):
    """Pay each instalment's amount `days_early` days before its due date; yield (instalment, allocation,
    paid interest, paid principal) after each payment."""
    keys = list(instalments[0].lines)
    paid_interest, paid_principal = dict.fromkeys(keys, ZERO), dict.fromkeys(keys, ZERO)
    due_dates = [i.due_date for i in instalments]
    for instalment in instalments:
        on = instalment.due_date - timedelta(days=days_early)
        allocation = allocate_payment(
            instalment.amount,
            instalments=instalments,
            paid_interest=paid_interest,
            paid_principal=paid_principal,
            current=current_instalment(due_dates, on),
        )
        for key in keys:
            paid_interest[key] += allocation.interest[key]
            paid_principal[key] += allocation.principal[key]
        yield instalment, allocation, dict(paid_interest), dict(paid_principal)


def test_the_issue_example_follows_each_funds_schedule():
    instalments = issue_example()
    assert instalments[0].amount == Decimal("2341.47")
    principal = {"village": Decimal("30000.00"), "savings": Decimal("20000.00")}
    for instalment, allocation, _interest, paid_principal in pay_on_schedule(instalments):
        if instalment.number == 1:
            assert allocation.principal == {"village": Decimal("1250.00"), "savings": Decimal("741.47")}
            assert allocation.interest == {"village": Decimal("150.00"), "savings": Decimal("200.00")}
        for key, line in instalment.lines.items():
            assert allocation.principal[key] == line.principal
            assert allocation.interest[key] == line.interest
            assert principal[key] - paid_principal[key] == line.balance  # the schedule's balance, exactly
    assert paid_principal == principal


def test_a_payment_before_the_due_date_counts_as_that_instalment():
    """Issue 13, point 2: 2,353.67 paid before the first due date of 50,000 at 12 %, 24 months, goes
    500.00 to interest and 1,853.67 to principal, as the printed schedule shows."""
    instalments = schedule(
        [Tranche("fund", Decimal("50000.00"), Decimal("12"), Method.DECLINING)], 24, FIRST_DUE
    )
    assert instalments[0].amount == Decimal("2353.67")
    allocation = allocate_payment(
        Decimal("2353.67"),
        instalments=instalments,
        paid_interest={},
        paid_principal={},
        current=current_instalment([i.due_date for i in instalments], FIRST_DUE - timedelta(days=12)),
    )
    assert allocation.interest == {"fund": Decimal("500.00")}
    assert allocation.principal == {"fund": Decimal("1853.67")}


def test_current_instalment_is_the_one_whose_period_holds_the_date():
    due = [date(2025, 1, 5), date(2025, 2, 5), date(2025, 3, 5)]
    assert current_instalment(due, date(2024, 12, 20)) == 1
    assert current_instalment(due, date(2025, 1, 5)) == 1
    assert current_instalment(due, date(2025, 1, 6)) == 2
    assert current_instalment(due, date(2025, 3, 5)) == 3
    assert current_instalment(due, date(2025, 9, 1)) == 3  # after the term: the last one


def test_a_partial_payment_goes_to_interest_first_in_the_instalments_proportions():
    instalments = issue_example()
    allocation = allocate_payment(
        Decimal("100.00"), instalments=instalments, paid_interest={}, paid_principal={}, current=1
    )
    # the first instalment's interest is 150.00 : 200.00
    assert allocation.interest == {"village": Decimal("42.86"), "savings": Decimal("57.14")}
    assert allocation.principal == {"village": ZERO, "savings": ZERO}


def test_a_late_payment_settles_the_oldest_instalment_first():
    instalments = issue_example()
    two = instalments[0].amount + instalments[1].amount
    allocation = allocate_payment(
        two, instalments=instalments, paid_interest={}, paid_principal={}, current=2
    )
    for key in ("village", "savings"):
        assert (
            allocation.interest[key]
            == instalments[0].lines[key].interest + instalments[1].lines[key].interest
        )
        assert allocation.principal[key] == (
            instalments[0].lines[key].principal + instalments[1].lines[key].principal
        )


def test_an_overpayment_prepays_principal_in_the_order_of_the_schedule():
    instalments = issue_example()
    extra = Decimal("1000.00")
    allocation = allocate_payment(
        instalments[0].amount + extra, instalments=instalments, paid_interest={}, paid_principal={}, current=1
    )
    # the interest of instalment 2 is not paid ahead: the extra goes to its principal (1,250.00 : 748.88)
    assert allocation.interest == {key: line.interest for key, line in instalments[0].lines.items()}
    second = instalments[1].lines
    assert second["savings"].principal == Decimal("748.88")
    assert allocation.principal == {
        "village": instalments[0].lines["village"].principal + Decimal("625.35"),
        "savings": instalments[0].lines["savings"].principal + Decimal("374.65"),
    }
    assert allocation.total == instalments[0].amount + extra


def test_more_than_the_principal_and_the_current_interest_is_an_overpayment():
    instalments = issue_example()
    payable = Decimal("50000.00") + instalments[0].interest
    assert allocate_payment(payable, instalments=instalments, paid_interest={}, paid_principal={}, current=1)
    with pytest.raises(Overpayment) as excinfo:
        allocate_payment(
            payable + Decimal("0.01"), instalments=instalments, paid_interest={}, paid_principal={}, current=1
        )
    assert excinfo.value.payable == payable


def test_payoff_rules():
    instalments = schedule(
        [Tranche("fund", Decimal("50000.00"), Decimal("12"), Method.DECLINING)], 24, FIRST_DUE
    )
    start = add_months(FIRST_DUE, -1)  # 5 December 2024: the first period has 31 days
    on = date(2024, 12, 20)  # 15 days in
    by_instalment = payoff_allocation(
        instalments=instalments, paid_interest={}, paid_principal={}, on=on,
        rule=PayoffRule.INSTALMENT, period_start=start,
    )  # fmt: skip
    assert by_instalment.interest == {"fund": Decimal("500.00")}
    assert by_instalment.principal == {"fund": Decimal("50000.00")}
    to_date = payoff_allocation(
        instalments=instalments, paid_interest={}, paid_principal={}, on=on,
        rule=PayoffRule.TO_DATE, period_start=start,
    )  # fmt: skip
    assert to_date.interest == {"fund": Decimal("241.94")}  # 500.00 x 15 / 31
    assert to_date.principal == {"fund": Decimal("50000.00")}
    # on the due date, both rules ask for the whole instalment's interest
    on_due = payoff_allocation(
        instalments=instalments, paid_interest={}, paid_principal={}, on=FIRST_DUE,
        rule=PayoffRule.TO_DATE, period_start=start,
    )  # fmt: skip
    assert on_due.interest == {"fund": Decimal("500.00")}
    # interest already paid is not refunded
    paid = payoff_allocation(
        instalments=instalments, paid_interest={"fund": Decimal("500.00")},
        paid_principal={"fund": Decimal("1853.67")}, on=on, rule=PayoffRule.TO_DATE, period_start=start,
    )  # fmt: skip
    assert paid.interest == {"fund": ZERO}
    assert paid.principal == {"fund": Decimal("50000.00") - Decimal("1853.67")}


tranche_strategy = st.tuples(
    st.integers(min_value=100_00, max_value=200_000_00),  # satang
    st.decimals(min_value=Decimal("0"), max_value=Decimal("24"), places=2),
    st.sampled_from(list(Method)),
)


@st.composite
def contracts(draw):
    terms = draw(st.lists(tranche_strategy, min_size=1, max_size=4))
    months = draw(st.integers(min_value=1, max_value=48))
    return schedule(
        [
            Tranche(f"fund{index}", Decimal(satang) / 100, rate, method)
            for index, (satang, rate, method) in enumerate(terms)
        ],
        months,
        FIRST_DUE,
    )


@settings(max_examples=150, deadline=None)
@given(instalments=contracts())
def test_paid_on_schedule_every_fund_is_at_its_scheduled_balance(instalments):
    principal = {
        key: sum((i.lines[key].principal for i in instalments), ZERO) for key in instalments[0].lines
    }
    for instalment, allocation, _interest, paid_principal in pay_on_schedule(instalments):
        assert allocation.total == instalment.amount
        for key, line in instalment.lines.items():
            assert allocation.interest[key] == line.interest
            assert principal[key] - paid_principal[key] == line.balance


@settings(max_examples=100, deadline=None)
@given(instalments=contracts(), days_early=st.integers(min_value=1, max_value=27))
def test_paying_a_few_days_early_splits_as_on_the_due_date(instalments, days_early):
    on_time = [allocation for _i, allocation, _p, _q in pay_on_schedule(instalments)]
    early = [allocation for _i, allocation, _p, _q in pay_on_schedule(instalments, days_early=days_early)]
    assert early == on_time


@settings(max_examples=150, deadline=None)
@given(
    instalments=contracts(),
    payments=st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=12),
)
def test_partial_and_odd_payments_never_lose_a_satang_nor_overpay_a_fund(instalments, payments):
    """Whatever is paid, each payment's parts are not negative and sum to it; no fund is paid more interest
    than its schedule holds to the current instalment, nor more principal than it lent."""
    keys = list(instalments[0].lines)
    paid_interest, paid_principal = dict.fromkeys(keys, ZERO), dict.fromkeys(keys, ZERO)
    due_dates = [i.due_date for i in instalments]
    for index, satang in enumerate(payments):
        current = current_instalment(due_dates, add_months(FIRST_DUE, index))
        try:
            allocation = allocate_payment(
                Decimal(satang) / 100,
                instalments=instalments,
                paid_interest=paid_interest,
                paid_principal=paid_principal,
                current=current,
            )
        except Overpayment:
            continue
        assert allocation.total == Decimal(satang) / 100
        for key in keys:
            assert allocation.interest[key] >= 0
            assert allocation.principal[key] >= 0
            paid_interest[key] += allocation.interest[key]
            paid_principal[key] += allocation.principal[key]
            assert paid_interest[key] <= sum((i.lines[key].interest for i in instalments[:current]), ZERO)
            assert paid_principal[key] <= sum((i.lines[key].principal for i in instalments), ZERO)
