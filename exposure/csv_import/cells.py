"""The cells of an invoice CSV file, read strictly: each cell's text to its value, or a
CellError saying why not (in the words the import's error list shows). Dates and amounts are
kept as their checked text, the form they are spooled in between the two passes."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.countries import is_country
from core.identifiers import normalise_registration_number
from core.money import MONEY_INTEGER_DIGITS, MONEY_PLACES
from core.text import validate_plain_text


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$", re.ASCII)
# The usual amount, accepted by one match: ASCII digits, at most 13 before the point and 2 after.
_AMOUNT = re.compile(rf"^\d{{1,{MONEY_INTEGER_DIGITS}}}(\.\d{{1,{MONEY_PLACES}}})?$", re.ASCII)
_DAYS = re.compile(r"^\d+$", re.ASCII)
_CURRENCY = re.compile(r"^[A-Za-z]{3}$", re.ASCII)
AMOUNT_LIMIT = Decimal(10) ** MONEY_INTEGER_DIGITS  # exclusive
DAYS_MAX = 3650
KEPT = 20_000  # registration numbers and dates remembered, each checked once


class Cells:
    """The cell readers of one file, remembering the registration numbers and dates already
    checked (a file names the same debtors and days again and again)."""

    def __init__(self):
        self._numbers: dict[tuple[str, str], str | CellError] = {}
        self._dates: dict[str, str | None] = {}  # text → None (a date) or why it is not one
        self._countries: dict[str, bool] = {}

    def country(self, value: str) -> str:
        code = value.upper()
        known = self._countries.get(code)
        if known is None:
            if len(self._countries) > KEPT:
                self._countries.clear()
            known = self._countries[code] = is_country(code)
        if not known:
            raise CellError(
                _("“%(v)s” is not a two-letter ISO country code, e.g. SE.") % {"v": value}
            )
        return code

    def registration_number(self, country: str, value: str) -> str:
        """The number as the register stores it (core.identifiers)."""
        key = (country, value)
        found = self._numbers.get(key)
        if found is None:
            if len(self._numbers) > KEPT:  # bounded: a file may hold millions of lines
                self._numbers.clear()
            try:
                self.text(value, 40)
                found = normalise_registration_number(country, value)
            except CellError as exc:
                found = exc
            except ValidationError as exc:
                found = CellError(" ".join(exc.messages))
            self._numbers[key] = found
        if isinstance(found, CellError):
            raise found
        return found

    def currency(self, value: str) -> str:
        """Three letters; whether they are the policy's currency is invoice_build's to say."""
        if not _CURRENCY.match(value):
            raise CellError(
                _("“%(v)s” is not a currency code: three letters, e.g. SEK.") % {"v": value}
            )
        return value.upper()

    def text(self, value: str, length: int) -> str:
        if len(value) > length:
            raise CellError(
                _("At most %(n)s characters (this has %(has)s).") % {"n": length, "has": len(value)}
            )
        try:
            validate_plain_text(value)
        except ValidationError as exc:
            raise CellError(" ".join(exc.messages)) from None
        return value

    def amount(self, value: str) -> str:
        """A positive amount or zero, as its decimal text (leading zeros dropped)."""
        if _AMOUNT.match(value):
            return value
        if not _NUMBER.match(value):
            raise CellError(
                _(
                    "“%(v)s” is not an amount: write ASCII digits with a decimal point and no "
                    "thousands separators, e.g. 1200.50."
                )
                % {"v": value}
            )
        if value.startswith("-"):
            raise CellError(_("%(v)s is negative.") % {"v": value})
        if value.startswith("+"):
            raise CellError(_("“%(v)s”: write the amount without a sign.") % {"v": value})
        if "." in value and len(value) - value.index(".") - 1 > MONEY_PLACES:
            raise CellError(_("%(v)s has more than two decimals.") % {"v": value})
        number = Decimal(value)
        if number >= AMOUNT_LIMIT:
            raise CellError(
                _("%(v)s is too large: at most 13 digits before the decimal point.") % {"v": value}
            )
        return str(number)  # "007.50" → "7.50"

    def date(self, value: str) -> str:
        """A date as YYYY-MM-DD (checked that it exists)."""
        if value not in self._dates:
            if len(self._dates) > KEPT:
                self._dates.clear()
            self._dates[value] = _date_problem(value)
        problem = self._dates[value]
        if problem is not None:
            raise CellError(problem)
        return value

    def days(self, value: str) -> int:
        if not _DAYS.match(value) or int(value) > DAYS_MAX:
            raise CellError(
                _("“%(v)s” is not a number of days (a whole number from 0 to %(max)s).")
                % {"v": value, "max": DAYS_MAX}
            )
        return int(value)


def _date_problem(value: str) -> str | None:
    try:
        if not _DATE.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        return _("“%(v)s” is not a date in the form YYYY-MM-DD.") % {"v": value}
    return None
