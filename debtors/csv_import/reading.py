"""Reading a credit report CSV file: the columns, and each line's cells parsed and checked,
every error kept with its line and column (core.imports reads the lines)."""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from core.imports import LineError

from .cells import REQUIRED_CELL, CellError, Parsers

IDENTITY = ("country", "registration_number", "name", "legal_form", "city")
FIGURES = (
    "rating",
    "payment_remarks",
    "debt_balance",
    "debt_balance_history",
    "payment_orders",
    "failed_distraints",
    "turnover",
    "result",
    "equity_ratio",
    "employees",
    "accounts_closed_on",
    "registered_on",
    "f_tax",
    "vat_registered",
    "employer_registered",
    "board_changed_on",
    "clean_audit",
)
COLUMNS = (*IDENTITY, "as_of", *FIGURES, "event_kind", "event_date")
REQUIRED_COLUMNS = ("country", "registration_number", "as_of")
FIGURE_INDEX = {name: i for i, name in enumerate(FIGURES)}
_FIGURES = slice(len(IDENTITY) + 1, len(IDENTITY) + 1 + len(FIGURES))  # in COLUMNS
_EVENT_KIND, _EVENT_DATE = COLUMNS.index("event_kind"), COLUMNS.index("event_date")
_BAD = object()  # a cell with an error of its own


class Row(NamedTuple):
    """A checked line, as spooled between the checking and the writing pass: dates and
    amounts as their ISO and decimal text."""

    line: int
    country: str
    number: str
    name: str | None
    legal_form: str
    city: str
    as_of: str  # YYYY-MM-DD
    figures: tuple  # in the order of FIGURES
    event_kind: str
    event_date: str | None


def figure(row: Row, name: str):
    return row.figures[FIGURE_INDEX[name]]


def header_problems(names: list[str]) -> list[str]:
    unknown = [n for n in names if n not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    problems = []
    if unknown:
        problems.append(
            _("Unknown columns: %(cols)s. The columns are: %(all)s.")
            % {"cols": ", ".join(unknown), "all": ", ".join(COLUMNS)}
        )
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    return problems


def parse_row(line: int, cells: list[str], plan: list[tuple], parse: Parsers, errors: list):
    """The line's values read with `plan` (Parsers.plan of COLUMNS), its errors added to
    `errors`. None when its debtor (country and number) cannot be read: such a line cannot be
    checked against the register."""
    values: list[Any] = []
    append = values.append
    for column, index, method, args, empty in plan:
        cell = cells[index] if index is not None else ""
        if not cell and empty is not REQUIRED_CELL:
            append(empty)
            continue
        try:
            append(method(cell, *args))
        except CellError as exc:
            errors.append(LineError(line, column, exc.message))
            append(_BAD)
    country, number, name, legal_form, city, as_of = values[:6]
    kind, day = values[_EVENT_KIND], values[_EVENT_DATE]
    if bool(kind) != bool(day):  # a cell with an error counts as given
        missing = "event_date" if kind else "event_kind"
        errors.append(
            LineError(line, missing, _("Give both event_kind and event_date, or neither."))
        )
    if country is _BAD or not country or number is _BAD or not number:
        return None
    try:
        number = parse.number(country, number)
    except CellError as exc:
        errors.append(LineError(line, "registration_number", exc.message))
        return None
    return Row(
        line,
        country,
        number,
        None if name is _BAD else name,  # None when the cell has an error of its own
        "" if legal_form is _BAD else legal_form,
        "" if city is _BAD else city,
        None if as_of is _BAD else as_of,
        tuple(None if v is _BAD else v for v in values[_FIGURES]),
        "" if kind is _BAD else kind,
        None if day is _BAD else day,
    )
