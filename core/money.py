"""Money: Decimal amounts with two places and one rounding helper. Never float.

Amounts have at most 13 digits before the point and are written with the ASCII digits 0-9;
a form in Swedish or Dutch also takes that language's grouping and decimal comma
(`parse_decimal_text`).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The database columns keep their width; the rule (13 digits before the point) is checked by
# `validate_money_digits`, so no app's table has to change with it.
MONEY_DIGITS = 16
MONEY_PLACES = 2
MONEY_INTEGER_DIGITS = 13
MONEY_MAX = Decimal("9999999999999.99")
CENT = Decimal("0.01")
# Sums of amounts (a policy year's premium, its declared turnover) are never stored: they are
# written with up to 28 digits, Python's decimal precision, so that no sum of allowed amounts
# overflows the field that writes it (a DecimalField refuses a value wider than max_digits).
MONEY_TOTAL_DIGITS = 28
# Rates (per mille, percentages) carry more places than money.
RATE_DIGITS = 9
RATE_PLACES = 4


def to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal, int or string.")
    return value if isinstance(value, Decimal) else Decimal(value)


def money_from_db(value) -> Decimal:
    """An amount as a raw SQL statement returns it (PostgreSQL: a Decimal; SQLite: a number
    or text), with two places; None is 0."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    return Decimal(str(value)).quantize(CENT)


def round_money(value: Decimal | int | str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round to the cent, half up unless the rule at hand says otherwise."""
    return to_decimal(value).quantize(CENT, rounding=rounding)


def validate_money_digits(value: Decimal) -> None:
    """At most 13 digits before the point."""
    if value is not None and abs(value) > MONEY_MAX:
        raise ValidationError(
            _("An amount has at most %(digits)s digits before the decimal point."),
            code="max_whole_digits",
            params={"digits": MONEY_INTEGER_DIGITS},
        )


@deconstructible
class AbovePositive:
    """A value above zero (a rate, a minimum premium): 0 would mean nothing here."""

    message = _("Enter a value above 0.")
    code = "not_positive"

    def __call__(self, value) -> None:
        if value is not None and value <= 0:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, AbovePositive)


above_zero = AbovePositive()


# Reading amounts as people write them ----------------------------------------------------------

# Per language: the characters that group thousands, and those that mark the decimals. A
# Swedish amount is grouped with (non-breaking) spaces, a Dutch one with dots; both take a
# decimal comma. A plain "1234.50", as machines write it, is read in every language unless a
# dot groups thousands there ("1.234" is one thousand two hundred and thirty-four in Dutch).
SPACES = " \u00a0\u202f\u2009"
NOTATION = {
    "en": {"group": "," + SPACES, "decimal": "."},
    "sv": {"group": SPACES, "decimal": ",."},
    "nl": {"group": "." + SPACES, "decimal": ","},
}


class AmountSyntaxError(ValueError):
    """Text that is not an amount; `code` says why (`digits`, `grouping`, `invalid`)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def _grouped(integer: str, group_chars: str) -> str:
    """The digits of an integer part, checking that grouping separators stand every 3 digits."""
    chunks, current = [], ""
    for ch in integer:
        if ch in group_chars:
            chunks.append(current)
            current = ""
        else:
            current += ch
    chunks.append(current)
    if len(chunks) > 1 and (
        not 1 <= len(chunks[0]) <= 3 or any(len(chunk) != 3 for chunk in chunks[1:])
    ):
        raise AmountSyntaxError("grouping")
    return "".join(chunks)


def parse_decimal_text(text: str, language: str | None) -> Decimal:
    """An amount typed in `language` ("1 234 567,89" in Swedish, "1.234.567,89" in Dutch,
    "1,234,567.89" in English) as a Decimal. Raises AmountSyntaxError."""
    notation = NOTATION.get((language or "en").split("-")[0].lower(), NOTATION["en"])
    group, decimal = notation["group"], notation["decimal"]
    text = (text or "").strip()
    sign = ""
    if text[:1] in ("-", "\u2212"):
        sign, text = "-", text[1:].lstrip()
    elif text[:1] == "+":
        text = text[1:].lstrip()
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text):
        raise AmountSyntaxError("digits")
    if not text or any(not ("0" <= ch <= "9") and ch not in group + decimal for ch in text):
        raise AmountSyntaxError("invalid")
    marks = [i for i, ch in enumerate(text) if ch in decimal and ch not in group]
    if not marks and "." in group and "." in text and "," not in text:
        # Dutch "1.234" groups; "1234.50" (no valid grouping, one dot) is a machine's decimal.
        try:
            return Decimal(sign + _grouped(text, group))
        except AmountSyntaxError:
            if text.count(".") != 1:
                raise
            marks = [text.index(".")]
            group = group.replace(".", "")
    if len(marks) > 1:
        raise AmountSyntaxError("invalid")
    integer, fraction = (text[: marks[0]], text[marks[0] + 1 :]) if marks else (text, "")
    if not integer or not fraction.isdigit() and fraction:
        raise AmountSyntaxError("invalid")
    digits = _grouped(integer, group)
    if not digits.isdigit():
        raise AmountSyntaxError("invalid")
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation as exc:  # pragma: no cover - the text is digits by now
        raise AmountSyntaxError("invalid") from exc
