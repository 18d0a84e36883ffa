"""Reading a credit report CSV file: the columns, and each line's cells parsed and checked,
every error kept with its line and column (core.imports reads the lines)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from core.imports import LineError

from .cells import CellError, Parsers

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


@dataclass
class Row:
    line: int
    country: str
    number: str
    name: str | None
    legal_form: str
    city: str
    as_of: date
    figures: dict[str, Any]
    event_kind: str
    event_date: date | None


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


def parse_row(line: int, raw: dict[str, str], parse: Parsers, errors: list[LineError]):
    """The line's values, its errors added to `errors`. None when its debtor (country and
    number) cannot be read: such a line cannot be checked against the register."""
    values: dict[str, Any] = {}
    get = raw.get
    for column, cell in parse.compiled(COLUMNS):
        try:
            values[column] = cell(get(column, ""))
        except CellError as exc:
            errors.append(LineError(line, column, exc.message))
    kind, day = values.get("event_kind", "?"), values.get("event_date", "?")
    if bool(kind) != bool(day):
        missing = "event_date" if kind else "event_kind"
        errors.append(
            LineError(line, missing, _("Give both event_kind and event_date, or neither."))
        )
    country = values.get("country")
    if not (country and values.get("registration_number")):
        return None
    try:
        number = parse.number(country, values["registration_number"])
    except CellError as exc:
        errors.append(LineError(line, "registration_number", exc.message))
        return None
    return Row(
        line=line,
        country=country,
        number=number,
        name=values.get("name"),  # None when the cell has an error of its own
        legal_form=values.get("legal_form", ""),
        city=values.get("city", ""),
        as_of=values.get("as_of"),
        figures={f: values.get(f) for f in FIGURES},
        event_kind=values.get("event_kind", ""),
        event_date=values.get("event_date"),
    )
