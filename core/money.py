"""Money: Decimal amounts with two places and one rounding helper. Never float."""

from decimal import ROUND_HALF_UP, Decimal

MONEY_DIGITS = 16
MONEY_PLACES = 2
CENT = Decimal("0.01")
# Rates (per mille, percentages) carry more places than money.
RATE_DIGITS = 9
RATE_PLACES = 4


def to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal, int or string.")
    return value if isinstance(value, Decimal) else Decimal(value)


def round_money(value: Decimal | int | str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round to the cent, half up unless the rule at hand says otherwise."""
    return to_decimal(value).quantize(CENT, rounding=rounding)
