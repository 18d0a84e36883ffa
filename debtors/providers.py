"""Information providers: where a debtor's credit report comes from besides imports.

A provider is anything with a `name` and `fetch(country, registration_number)` returning a
`ReportData` or None. `FileProvider` reads JSON files from a directory (the shape is in
docs/credit-report-csv.md); a real credit bureau is plugged in by writing another class with
the same two members and returning it from `configured_provider`.
"""

import json
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.translation import gettext as _

from core.identifiers import normalise_registration_number


@dataclass(frozen=True)
class ReportData:
    """What a provider knows of one company on one date. Dated lists are
    [{"date": "YYYY-MM-DD", "amount": "123.00"}]; booleans are None when unknown."""

    name: str
    as_of: date
    legal_form: str = ""
    rating: int | None = None
    payment_remarks: list = field(default_factory=list)
    debt_balance: Decimal | None = None
    debt_balance_history: list = field(default_factory=list)
    payment_orders: list = field(default_factory=list)
    failed_distraints: list = field(default_factory=list)
    turnover: Decimal | None = None
    result: Decimal | None = None
    equity_ratio: Decimal | None = None
    employees: int | None = None
    accounts_closed_on: date | None = None
    registered_on: date | None = None
    f_tax: bool | None = None
    vat_registered: bool | None = None
    employer_registered: bool | None = None
    board_changed_on: date | None = None
    clean_audit: bool | None = None

    def figures(self) -> dict[str, Any]:
        """The credit report's fields (everything but the name and the date)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in NOT_FIGURES}


NOT_FIGURES = frozenset({"name", "as_of"})
DATE_FIELDS = frozenset({"as_of", "accounts_closed_on", "registered_on", "board_changed_on"})
DECIMAL_FIELDS = frozenset({"debt_balance", "turnover", "result", "equity_ratio"})
INT_FIELDS = frozenset({"rating", "employees"})
BOOL_FIELDS = frozenset({"f_tax", "vat_registered", "employer_registered", "clean_audit"})


@runtime_checkable
class InformationProvider(Protocol):
    name: str

    def fetch(self, country: str, registration_number: str) -> ReportData | None: ...


class ProviderDataError(ValueError):
    """The provider answered with data that cannot be read."""


def report_data_from_dict(data: dict) -> ReportData:
    """A ReportData from the JSON shape (strings for dates and decimals, never floats)."""
    known = {f.name for f in fields(ReportData)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            continue  # providers may send more than we use
        try:
            if value is None:
                values[key] = None
            elif key in DATE_FIELDS:
                values[key] = date.fromisoformat(value)
            elif key in DECIMAL_FIELDS:
                if isinstance(value, float):
                    raise TypeError("a decimal is sent as a string")
                values[key] = Decimal(str(value))
            elif key in INT_FIELDS:
                if isinstance(value, bool) or not isinstance(value, int | str):
                    raise TypeError("not an integer")
                values[key] = int(value)
            elif key in BOOL_FIELDS:
                if not isinstance(value, bool):
                    raise TypeError("not true/false/null")
                values[key] = value
            else:
                values[key] = value
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise ProviderDataError(f"{key}: {exc}") from exc
    if not values.get("name") or not values.get("as_of"):
        raise ProviderDataError("name and as_of are required")
    return ReportData(**values)


class FileProvider:
    """Reads `<directory>/<COUNTRY>/<registration number>.json`: the number in its stored
    form (as the register shows it, e.g. `556677-8907`) or with only its letters and digits
    (`5566778907`)."""

    def __init__(self, directory: str | Path, name: str = "files"):
        self.directory = Path(directory)
        self.name = name

    def _path(self, country: str, registration_number: str) -> Path | None:
        folder = self.directory / country.upper()
        compact = "".join(ch for ch in registration_number if ch.isalnum())
        for candidate in (registration_number, compact):
            if not candidate or "/" in candidate or candidate.startswith("."):
                continue
            path = folder / f"{candidate}.json"
            if path.is_file():
                return path
        return None

    def fetch(self, country: str, registration_number: str) -> ReportData | None:
        try:
            registration_number = normalise_registration_number(country, registration_number)
        except Exception:  # noqa: BLE001 - an invalid number has no file
            return None
        path = self._path(country, registration_number)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ProviderDataError(
                _("%(file)s cannot be read: %(error)s") % {"file": path.name, "error": exc}
            ) from exc
        if not isinstance(data, dict):
            raise ProviderDataError(_("%(file)s is not a JSON object.") % {"file": path.name})
        return report_data_from_dict(data)


def configured_provider() -> InformationProvider | None:
    """The provider the settings name: `CREDIT_INFO_PROVIDER_DIR` for the file provider;
    None (no provider) when unset."""
    directory = getattr(settings, "CREDIT_INFO_PROVIDER_DIR", None)
    if not directory:
        return None
    return FileProvider(directory)
