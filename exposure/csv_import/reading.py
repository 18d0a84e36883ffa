"""Reading an invoice CSV file: its columns, each line's cells read strictly into values,
every error kept with its line and column (core.imports reads the lines), and the Row a
line is spooled as between the two passes."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from core.imports import LineError

from ..services.invoices import INVOICE_FIELDS
from .cells import CellError, Cells

# The debtor, then what exposure.services.invoice_build checks.
COLUMNS = ("country", "registration_number", *INVOICE_FIELDS)
REQUIRED = (
    "country",
    "registration_number",
    "number",
    "net_amount",
    "invoice_date",
    "delivery_date",
    "original_due_date",
)
DEBTOR_COLUMNS = ("country", "registration_number")
TEXT_LENGTHS = {"number": 60, "reference": 100}  # the Invoice fields' lengths


# What a checked line spools of its invoice (the Invoice fields invoice_build sets from the
# file), each as text: dates as YYYY-MM-DD, amounts as decimal text.
INVOICE_VALUES = (
    "number",
    "reference",
    "currency",
    "net_amount",
    "vat_amount",
    "open_amount",
    "invoice_date",
    "delivery_date",
    "original_due_date",
    "due_date",
    "terms_days",
)


class Row(NamedTuple):
    """A line as read, and as spooled between the checking and the writing pass."""

    line: int
    country: str | None  # None: the cell has an error
    registration_number: str | None  # as the register stores it
    number: str | None
    invoice: tuple | None  # INVOICE_VALUES, as invoice_build made them; None: not valid

    @property
    def debtor_key(self) -> tuple[str, str] | None:
        if self.country is None or self.registration_number is None:
            return None
        return self.country, self.registration_number


def invoice_values(invoice) -> tuple:
    """The spooled form of an unsaved Invoice: text and whole numbers only."""
    return tuple(
        v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
        for v in (getattr(invoice, name) for name in INVOICE_VALUES)
    )


def header_problems(names: list[str]) -> list[str]:
    unknown = [n for n in names if n not in COLUMNS]
    missing = [c for c in REQUIRED if c not in names]
    problems = []
    if unknown:
        problems.append(
            _("Unknown columns: %(cols)s. The columns are: %(all)s.")
            % {"cols": ", ".join(unknown), "all": ", ".join(COLUMNS)}
        )
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    return problems


class Reader:
    """Reads the lines of a file whose header had `columns` (accepted by header_problems)."""

    def __init__(self, columns: list[str]):
        where = {c: i for i, c in enumerate(columns)}
        self.index = [where.get(c) for c in COLUMNS]
        self.cells = Cells()
        c = self.cells
        text = c.text
        self.readers = {
            "country": c.country,
            "number": lambda v: text(v, TEXT_LENGTHS["number"]),
            "net_amount": c.amount,
            "vat_amount": c.amount,
            "currency": c.currency,
            "invoice_date": c.date,
            "delivery_date": c.date,
            "original_due_date": c.date,
            "due_date": c.date,
            "payment_terms_days": c.days,
            "reference": lambda v: text(v, TEXT_LENGTHS["reference"]),
        }
        self.empty = {"currency": "", "reference": ""}  # other optional cells: None

    def values(self, line: int, cells: list[str], errors: list[LineError]) -> dict:
        """The line's values by column (None: empty, or an error added to `errors`)."""
        values = []
        for column, index in zip(COLUMNS, self.index, strict=True):
            cell = cells[index] if index is not None else ""
            if not cell:
                if column in REQUIRED:
                    errors.append(LineError(line, column, _("Required."), "required"))
                values.append(self.empty.get(column))
                continue
            try:
                if column == "registration_number":  # read by its country's rules
                    country = values[0]
                    values.append(
                        self.cells.registration_number(country, cell) if country else None
                    )
                else:
                    values.append(self.readers[column](cell))
            except CellError as exc:
                errors.append(LineError(line, column, exc.message))
                values.append(None)
        return dict(zip(COLUMNS, values, strict=True))


def invoice_data(values: dict) -> dict:
    """A line's values as exposure.services.invoice_build takes them."""
    data = {name: values[name] for name in INVOICE_FIELDS}
    for name in ("net_amount", "vat_amount"):
        if data[name] is not None:
            data[name] = Decimal(data[name])
    for name in ("invoice_date", "delivery_date", "original_due_date", "due_date"):
        if data[name] is not None:
            data[name] = date.fromisoformat(data[name])
    return data
