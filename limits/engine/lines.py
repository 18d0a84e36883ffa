"""How the engine writes a step or a reason (a stable code, JSON-ready values and the line in
plain English), its amounts, and how it counts months.

Months are whole calendar months, with month ends clamped (31 Jan to 28 Feb is one month), as
`dateutil.relativedelta` counts them.
"""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .facts import Reason, Step


def _json(value):
    return str(value) if isinstance(value, Decimal | date) else value


def _step(code: str, message: str, **values) -> Step:
    return Step(code=code, values={k: _json(v) for k, v in values.items()}, message=message)


def _reason(code: str, message: str, **values) -> Reason:
    return Reason(code, message, {k: _json(v) for k, v in values.items()})


def _fmt(value: Decimal | int, cents: bool = True) -> str:
    """12 000 000, 52 173.91: spaces between thousands, decimals only when there are any; two
    of them for computed amounts (`cents`), else as given (0.4, 11.5)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}".replace(",", " ")
    return (f"{value:,.2f}" if cents else f"{value.normalize():,f}").replace(",", " ")


def _months_between(start: date, end: date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months
