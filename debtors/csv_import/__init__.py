"""Credit reports from a CSV file (the format is in docs/credit-report-csv.md).

All or nothing: every line is read and checked first and every error is collected with its
line and column; only a file without errors is written, in one transaction. The writes are
set-based: one query finds the file's known debtors, new debtors and reports are inserted in
batches, and one statement points each debtor at its newest report.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import CreditReport, Debtor
from .reading import COLUMNS, ImportResult, LineError, Row, read_rows
from .writing import Known, write

__all__ = ["COLUMNS", "ImportResult", "LineError", "credit_reports_import"]


def _known_debtors(rows: list[Row]) -> dict[tuple[str, str], Known]:
    """The file's debtors already in the register, in one query."""
    keys = {(r.country, r.number) for r in rows}
    found = Debtor.objects.filter(registration_number__in={k[1] for k in keys}).values_list(
        "id",
        "country",
        "registration_number",
        "legal_form",
        "latest_report__as_of",
        "latest_report__rating",
    )
    return {
        (country, number): Known(pk, form, as_of, rating)
        for pk, country, number, form, as_of, rating in found
        if (country, number) in keys
    }


def _check(rows: list[Row], known: dict, source: str, errors: list[LineError]) -> set[int]:
    """Errors that need the whole file or the register; the lines already imported."""
    seen: dict[tuple, int] = {}
    for row in rows:
        key = (row.country, row.number, row.as_of)
        if row.as_of is None:
            pass  # its own error says why
        elif key in seen:
            errors.append(
                LineError(
                    row.line,
                    "as_of",
                    _("Line %(other)s has a report of the same debtor on the same date.")
                    % {"other": seen[key]},
                )
            )
        seen.setdefault(key, row.line)
        if (row.country, row.number) not in known and row.name == "":
            errors.append(
                LineError(
                    row.line, "name", _("Required for a debtor that is not yet in the register.")
                )
            )
    known_ids = [k.id for k in known.values()]
    done = set(
        CreditReport.objects.filter(debtor_id__in=known_ids, source=source).values_list(
            "debtor_id", "as_of"
        )
    )
    return {
        r.line for r in rows if (k := known.get((r.country, r.number))) and (k.id, r.as_of) in done
    }


def credit_reports_import(*, actor, content: bytes | str, source: str) -> ImportResult:
    """Read, check and (only when the whole file is right) write a file of credit reports."""
    result = ImportResult()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(LineError(1, None, _("The file is not UTF-8 text.")))
            return result
    rows = read_rows(content, result.errors)
    if not rows:
        return result
    source = source[:100]
    known = _known_debtors(rows)
    skipped = _check(rows, known, source, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: e.line)  # each line's errors in column order
        return result
    result.rows_skipped = len(skipped)
    rows = [r for r in rows if r.line not in skipped]
    try:
        with transaction.atomic():
            write(rows, known, actor=actor, source=source, result=result)
    except IntegrityError:
        result.errors.append(
            LineError(
                1,
                None,
                _(
                    "Another change to the register happened during the import; nothing was "
                    "written. Import the file again."
                ),
            )
        )
        result.debtors_registered = result.reports_added = result.events_recorded = 0
    return result
