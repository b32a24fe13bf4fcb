"""One rounding rule for money, in core/money.py, used by the Thai formatting, the contract arithmetic and the
dashboards' figures alike."""

from decimal import Decimal

import pytest

import contracts.calculations
import core.thai
import dashboards.series
from core.money import SATANG, ZERO, money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.005"), Decimal("1.01")),  # half up, not half even
        (Decimal("1.004999"), Decimal("1.00")),
        (Decimal("-1.005"), Decimal("-1.01")),
        (Decimal(7), Decimal("7.00")),
        (12, Decimal("12.00")),
        ("3.335", Decimal("3.34")),
        (0.1 + 0.2, Decimal("0.30")),  # SQLite sums decimals as floats
        (None, ZERO),  # an empty SUM()
    ],
)
def test_money_rounds_half_up_to_the_satang(value, expected):
    result = money(value)
    assert result == expected
    assert result.as_tuple().exponent == SATANG.as_tuple().exponent


def test_the_apps_round_with_the_one_function():
    assert contracts.calculations.money is money
    assert dashboards.series.money is money
    assert core.thai.to_money("1.005") == Decimal("1.01")
