"""Reading a credit report CSV file: the columns, each line parsed and checked, every error
kept with its line and column."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


@dataclass(frozen=True)
class LineError:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("line %(line)s, %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    debtors_registered: int = 0
    reports_added: int = 0
    events_recorded: int = 0
    rows_skipped: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _("%(debtors)s, %(reports)s, %(events)s") % {
            "debtors": ngettext(
                "%(n)s debtor registered", "%(n)s debtors registered", self.debtors_registered
            )
            % {"n": self.debtors_registered},
            "reports": ngettext("%(n)s report added", "%(n)s reports added", self.reports_added)
            % {"n": self.reports_added},
            "events": ngettext(
                "%(n)s event recorded", "%(n)s events recorded", self.events_recorded
            )
            % {"n": self.events_recorded},
        }
        if self.rows_skipped:
            text += "; " + ngettext(
                "%(n)s line skipped: that report was already imported from this file",
                "%(n)s lines skipped: those reports were already imported from this file",
                self.rows_skipped,
            ) % {"n": self.rows_skipped}
        return text + "."


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


def read_rows(text: str, errors: list[LineError]) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        errors.append(LineError(1, None, _("The file is empty.")))
        return []
    except csv.Error as exc:
        errors.append(LineError(1, None, str(exc)))
        return []
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if len(header) == 1 and ";" in header[0]:
        errors.append(LineError(1, None, _("Columns are separated by commas, not semicolons.")))
        return []
    if unknown:
        errors.append(
            LineError(
                1,
                None,
                _("Unknown columns: %(cols)s. The columns are: %(all)s.")
                % {"cols": ", ".join(unknown), "all": ", ".join(COLUMNS)},
            )
        )
    if missing:
        errors.append(
            LineError(1, None, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
        )
    if len(set(names)) != len(names):
        errors.append(LineError(1, None, _("A column appears twice.")))
    if errors:
        return []

    parse = Parsers(today=timezone.localdate())
    rows = []
    line = 1
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LineError(start, None, str(exc)))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names):
            errors.append(
                LineError(
                    start,
                    None,
                    _("%(n)s cells, but the header has %(cols)s columns.")
                    % {"n": len(cells), "cols": len(names)},
                )
            )
            continue
        raw = dict(zip(names, (c.strip() for c in cells), strict=False))
        row = _parse_row(start, raw, parse, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(LineError(2, None, _("The file has a header but no lines of data.")))
    return rows


def _parse_row(line: int, raw: dict[str, str], parse: Parsers, errors: list[LineError]):
    """The line's values, its errors added to `errors`. None when its debtor (country and
    number) cannot be read: such a line cannot be checked against the register."""
    values: dict[str, Any] = {}
    for column in COLUMNS:
        try:
            values[column] = parse.cell(column, raw.get(column, ""))
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
