"""Money: Decimal baht, exact to the satang, rounded half up. The one rounding rule of Kongtun: the Thai
formatting (core/thai.py), the contract arithmetic (contracts/calculations.py) and the dashboards' figures
(dashboards/series.py) all round with `money`."""

from decimal import ROUND_HALF_UP, Decimal

SATANG = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str | float | None) -> Decimal:
    """`value` rounded half up to the satang. None (an empty SUM) is zero; a float comes only from the
    database (SQLite sums decimals as floats): user input is read by core.thai.to_money, which refuses
    floats."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        value = Decimal(value)
    return value.quantize(SATANG, rounding=ROUND_HALF_UP)
