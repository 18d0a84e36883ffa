"""The cells of a credit report CSV file: one parser per column, turning text into a value or
a CellError that says why not (in the words the import's error list shows)."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.countries import is_country
from core.identifiers import normalise_registration_number
from core.money import MONEY_INTEGER_DIGITS, MONEY_PLACES
from core.text import validate_plain_text

from ..models import RiskEventKind


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)
_INT = re.compile(r"^-?\d+$", re.ASCII)
BOOLEANS = {"": None, "yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
MONEY_MAX = Decimal(10) ** MONEY_INTEGER_DIGITS  # exclusive: at most 13 digits before the point
NUMBERS_KEPT = 20_000  # registration numbers remembered, checked once each
DATES_KEPT = 5_000  # date cells remembered, parsed once each
_SE_PLAIN = re.compile(r"^(\d{6})-?(\d{4})$", re.ASCII)  # core.identifiers, ASCII digits
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a Luhn digit doubled, its digits summed


def _luhn(digits: str) -> bool:
    """Whether a string of digits has a right Luhn check digit (its last)."""
    total = sum(map(int, digits[-1::-2])) + sum(_DOUBLED[int(d)] for d in digits[-2::-2])
    return total % 10 == 0


# What an empty cell means, for the columns where it is not a plain None.
REQUIRED = frozenset({"country", "registration_number", "as_of"})
REQUIRED_CELL = object()  # in a plan: the cell may not be empty
EMPTY = {
    **dict.fromkeys(("name", "legal_form", "city", "event_kind"), ""),
    **dict.fromkeys(
        ("payment_remarks", "debt_balance_history", "payment_orders", "failed_distraints"), ()
    ),
}


class Parsers:
    """One parser per column: the cell's text to its value, or CellError saying why not."""

    def __init__(self, today: date):
        self.today = today
        self._numbers: dict[tuple[str, str], str | CellError] = {}
        self._countries: dict[str, bool] = {}
        self._dates: dict[str, date | str] = {}
        self._amounts: dict[tuple, re.Pattern] = {}
        self.spec = {
            "country": (self.country,),
            "registration_number": (self.text, 40, True),
            "name": (self.text, 200),
            "legal_form": (self.text, 40),
            "city": (self.text, 100),
            "as_of": (self.date, True),
            "rating": (self.integer, 1, 100),
            "debt_balance": (self.decimal, MONEY_MAX, False),
            "turnover": (self.decimal, MONEY_MAX, False),
            "result": (self.decimal, MONEY_MAX, True),
            "equity_ratio": (self.decimal, Decimal(100000), True),
            "employees": (self.integer, 0, 2_000_000_000),
            "event_kind": (self.kind,),
        }
        for name in (
            "payment_remarks",
            "debt_balance_history",
            "payment_orders",
            "failed_distraints",
        ):
            self.spec[name] = (self.dated,)
        for name in ("accounts_closed_on", "registered_on", "board_changed_on", "event_date"):
            self.spec[name] = (self.date, False)
        for name in ("f_tax", "vat_registered", "employer_registered", "clean_audit"):
            self.spec[name] = (self.boolean,)

    def cell(self, column: str, value: str):
        if not value and column not in REQUIRED:
            return EMPTY.get(column)
        method, *args = self.spec[column]
        return method(value, *args)

    def plan(self, wanted, columns: list[str]) -> list[tuple]:
        """How to read each of the columns `wanted` from a line whose cells are in the order of
        `columns` (the file's): (column, index of its cell or None, parser, the parser's
        arguments, the value of an empty cell or REQUIRED_CELL). `cell` with its look-ups done
        once, for parsing many lines. Dates and amounts are read as their checked text, which
        is already the form they are stored in (and much cheaper to spool than date and
        Decimal objects)."""
        where = {c: i for i, c in enumerate(columns)}
        as_text = {self.date: self.date_text, self.decimal: self.decimal_text}
        out = []
        for column in wanted:
            method, *args = self.spec[column]
            empty = REQUIRED_CELL if column in REQUIRED else EMPTY.get(column)
            out.append((column, where.get(column), as_text.get(method, method), tuple(args), empty))
        return out

    def country(self, value: str) -> str:
        code = value.upper()
        if not value:
            raise CellError(_("Required."))
        if code not in self._countries:
            self._countries[code] = is_country(code)
        if not self._countries[code]:
            raise CellError(
                _("“%(v)s” is not a two-letter ISO country code, e.g. SE.") % {"v": value}
            )
        return code

    def number(self, country: str, value: str) -> str:
        key = (country, value)
        if len(self._numbers) > NUMBERS_KEPT:  # bounded: a file may hold millions
            self._numbers.clear()
        if key not in self._numbers:
            if country == "SE" and (plain := _SE_PLAIN.match(value)) and _luhn(plain[1] + plain[2]):
                self._numbers[key] = f"{plain[1]}-{plain[2]}"  # the usual spelling, quickly
                return self._numbers[key]
            try:
                self._numbers[key] = normalise_registration_number(country, value)
            except ValidationError as exc:
                self._numbers[key] = CellError(" ".join(exc.messages))
        found = self._numbers[key]
        if isinstance(found, CellError):
            raise found
        return found

    def text(self, value: str, length: int, required: bool = False) -> str:
        if required and not value:
            raise CellError(_("Required."))
        if len(value) > length:
            raise CellError(_("At most %(n)s characters.") % {"n": length})
        try:
            validate_plain_text(value)
        except ValidationError as exc:
            raise CellError(" ".join(exc.messages)) from exc
        return value

    def date(self, value: str, required: bool = False) -> date | None:
        if not value:
            if required:
                raise CellError(_("Required."))
            return None
        day = self._dates.get(value)
        if day is None:
            if len(self._dates) > DATES_KEPT:  # bounded, like the numbers
                self._dates.clear()
            day = self._dates[value] = self._date(value)
        if isinstance(day, str):
            raise CellError(day)
        return day

    def _date(self, value: str) -> "date | str":
        """The date, or the message saying why the text is not one."""
        try:
            if not _DATE.match(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            return _("“%(v)s” is not a date in the form YYYY-MM-DD.") % {"v": value}
        if day > self.today:
            return _("%(v)s lies in the future.") % {"v": value}
        return day

    def integer(self, value: str, low: int, high: int) -> int | None:
        if not value:
            return None
        if not _INT.match(value):
            raise CellError(_("“%(v)s” is not a whole number.") % {"v": value})
        number = int(value)
        if not low <= number <= high:
            raise CellError(
                _("%(v)s is not between %(low)s and %(high)s.")
                % {"v": value, "low": low, "high": high}
            )
        return number

    def decimal(self, value: str, limit: Decimal, negative: bool) -> Decimal | None:
        if not value:
            return None
        if not _DECIMAL.match(value):
            raise CellError(
                _(
                    "“%(v)s” is not a number: use a decimal point and no thousands "
                    "separators, e.g. 1200.50."
                )
                % {"v": value}
            )
        number = Decimal(value)
        if "." in value and len(value) - value.index(".") - 1 > MONEY_PLACES:
            raise CellError(_("%(v)s has more than two decimals.") % {"v": value})
        if number < 0 and not negative:
            raise CellError(_("%(v)s is negative.") % {"v": value})
        if abs(number) >= limit:
            raise CellError(_("%(v)s is too large.") % {"v": value})
        return number

    def decimal_text(self, value: str, limit: Decimal, negative: bool) -> str:
        """`decimal`'s check, keeping the text: a usual amount passes one regular expression,
        anything else is read by `decimal`, which says what is wrong with it."""
        key = (limit, negative)
        if key not in self._amounts:
            digits = len(str(int(limit))) - 1  # limit is a power of ten: its digits, less one
            sign = "-?" if negative else ""
            self._amounts[key] = re.compile(
                rf"^{sign}\d{{1,{digits}}}(\.\d{{1,{MONEY_PLACES}}})?$", re.ASCII
            )
        if not self._amounts[key].match(value):
            self.decimal(value, limit, negative)
        return value

    def date_text(self, value: str, required: bool = False) -> str:
        self.date(value, required)
        return value

    def boolean(self, value: str) -> bool | None:
        try:
            return BOOLEANS[value.lower()]
        except KeyError:
            raise CellError(
                _("“%(v)s” is not yes, no, true, false, 1, 0 or empty.") % {"v": value}
            ) from None

    def dated(self, value: str) -> list[dict]:
        out = []
        for part in filter(None, (p.strip() for p in value.split(";"))):
            day_text, _sep, amount_text = part.partition(":")
            try:
                day = self.date(day_text.strip(), True)
                amount = self.decimal(amount_text.strip(), MONEY_MAX, False)
            except CellError as exc:
                reason = exc.message if _DATE.match(day_text.strip()) else ""
                raise CellError(
                    _(
                        "“%(part)s” is not a date:amount entry. %(reason)sWrite entries "
                        "separated by semicolons, e.g. 2026-03-01:1200.00;2025-11-02:800.00."
                    )
                    % {"part": part, "reason": f"{reason} " if reason else ""}
                ) from None
            entry = {"date": day.isoformat()}
            if amount is not None:
                entry["amount"] = str(amount.quantize(Decimal("0.01")))
            out.append(entry)
        return sorted(out, key=lambda e: e["date"], reverse=True)

    def kind(self, value: str) -> str:
        if value and value.lower() not in RiskEventKind.values:
            raise CellError(
                _("“%(v)s” is not a kind of risk event: %(kinds)s.")
                % {"v": value, "kinds": ", ".join(RiskEventKind.values)}
            )
        return value.lower()
