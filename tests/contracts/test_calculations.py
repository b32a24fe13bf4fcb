from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.calculations import (
    Method,
    Tranche,
    add_months,
    schedule,
    split,
    tranche_schedule,
)

amounts = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5000000.00"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("60"), places=3)
terms = st.integers(min_value=1, max_value=240)
methods = st.sampled_from(list(Method))


@given(principal=amounts, rate=rates, months=terms, method=methods)
def test_a_schedule_repays_exactly_the_principal(principal, rate, months, method):
    lines = tranche_schedule(Tranche("fund", principal, rate, method), months)
    assert len(lines) == months
    assert sum(line.principal for line in lines) == principal
    assert lines[-1].balance == Decimal("0.00")
    assert all(line.principal >= 0 and line.interest >= 0 for line in lines)
    assert all(line.principal.as_tuple().exponent == -2 for line in lines)


@given(principal=amounts, rate=rates, months=terms)
def test_flat_interest_is_exactly_rate_times_time(principal, rate, months):
    lines = tranche_schedule(Tranche("fund", principal, rate, Method.FLAT), months)
    expected = (principal * rate / 100 * months / 12).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert sum(line.interest for line in lines) == expected


@given(
    principal=st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("5000000.00"), places=2),
    rate=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("36"), places=2),
    months=st.integers(min_value=2, max_value=120),
)
def test_declining_instalments_are_equal_but_the_last(principal, rate, months):
    """Equal instalments; the last one absorbs the rounding of the others (at most a satang each).
    (A loan of a few baht over years would round its instalment to nothing, hence the 1,000 floor.)"""
    lines = tranche_schedule(Tranche("fund", principal, rate, Method.DECLINING), months)
    payments = {line.principal + line.interest for line in lines[:-1]}
    assert len(payments) == 1
    # Each month's rounding (half a satang at most) grows at the loan's rate until the end.
    monthly = rate / 100 / 12
    bound = Decimal("0.01") * sum((1 + monthly) ** k for k in range(months))
    assert abs((lines[-1].principal + lines[-1].interest) - payments.pop()) <= bound


def test_declining_worked_example():
    # 12,000 baht over 12 months at 12% a year: 1,066.19 a month (the annuity formula); interest on the
    # balance each month, rounded to the satang, adds up to 794.23, so the last instalment is 1,066.14
    # (checked by hand in a spreadsheet: 120.00, 110.54, 100.98, ... 21.01, 10.56).
    lines = tranche_schedule(Tranche("fund", Decimal("12000.00"), Decimal("12"), Method.DECLINING), 12)
    assert lines[0].principal + lines[0].interest == Decimal("1066.19")
    assert [line.interest for line in lines[:3]] == [Decimal("120.00"), Decimal("110.54"), Decimal("100.98")]
    assert sum(line.interest for line in lines) == Decimal("794.23")
    assert lines[-1].principal + lines[-1].interest == Decimal("1066.14")


def test_flat_worked_example():
    # 10,000 baht over 3 months at 6% a year flat: 150.00 interest, 50.00 a month; principal 3,333.33 twice
    # and 3,333.34 in the last month.
    lines = tranche_schedule(Tranche("fund", Decimal("10000.00"), Decimal("6"), Method.FLAT), 3)
    assert [line.principal for line in lines] == [Decimal("3333.33"), Decimal("3333.33"), Decimal("3333.34")]
    assert [line.interest for line in lines] == [Decimal("50.00")] * 3


def test_a_contract_adds_its_tranches_month_by_month():
    tranches = [
        Tranche("savings", Decimal("30000.00"), Decimal("12"), Method.DECLINING),
        Tranche("village", Decimal("20000.00"), Decimal("6"), Method.FLAT),
    ]
    instalments = schedule(tranches, 24, date(2024, 1, 31))
    assert [i.due_date for i in instalments[:3]] == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]
    assert sum(i.principal for i in instalments) == Decimal("50000.00")
    assert instalments[-1].balance == Decimal("0.00")
    assert instalments[0].lines["village"].interest == Decimal("100.00")


@pytest.mark.parametrize("bad", [{"months": 0}, {"principal": Decimal("0")}, {"rate": Decimal("-1")}])
def test_impossible_tranches_are_refused(bad):
    args = {"principal": Decimal("100"), "rate": Decimal("5"), "months": 12} | bad
    with pytest.raises(ValueError, match=r"month|principal"):
        tranche_schedule(Tranche("f", args["principal"], args["rate"], Method.FLAT), args["months"])


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)


weights = st.dictionaries(
    st.sampled_from("abcdef"),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2),
    min_size=1,
)


@given(weights=weights, fraction=st.fractions(min_value=0, max_value=1))
def test_split_never_loses_or_creates_a_satang(weights, fraction):
    total = sum(weights.values(), Decimal("0"))
    amount = (total * fraction.numerator / fraction.denominator).quantize(
        Decimal("0.01"), rounding="ROUND_DOWN"
    )
    parts = split(amount, weights)
    assert sum(parts.values(), Decimal("0")) == amount
    assert all(Decimal("0") <= parts[key] <= weights[key] for key in weights)


def test_split_worked_example():
    assert split(Decimal("100.00"), {"a": Decimal("50"), "b": Decimal("50"), "c": Decimal("50")}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }


def test_saving_due_takes_the_larger_of_the_tier_and_the_instalment_share():
    from contracts.calculations import saving_due

    tiers = [(Decimal("20000"), Decimal("300.00")), (Decimal("0"), Decimal("100.00"))]
    assert saving_due(principal=Decimal("5000"), instalment=Decimal("500"), tiers=tiers,
                      instalment_share=Decimal("10")) == Decimal("100.00")  # fmt: skip
    assert saving_due(principal=Decimal("20000"), instalment=Decimal("500"), tiers=tiers,
                      instalment_share=Decimal("10")) == Decimal("300.00")  # fmt: skip
    assert saving_due(principal=Decimal("20000"), instalment=Decimal("4000.05"), tiers=tiers,
                      instalment_share=Decimal("10")) == Decimal("400.01")  # fmt: skip
    assert saving_due(principal=Decimal("1"), instalment=Decimal("1"), tiers=[],
                      instalment_share=Decimal("0")) == Decimal("0.00")  # fmt: skip
