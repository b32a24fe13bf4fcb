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


PERCENT_STEP = Decimal("0.1")


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal, rounded half up: the one percentage rule of every
    page, export and dashboard (PAR30, debt reduced). None when `whole` is zero (nothing to measure)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)
