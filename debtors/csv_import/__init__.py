"""Credit reports from a CSV file (the format is in docs/credit-report-csv.md), imported
through core.imports: core reads the stored file in chunks and keeps the job; this importer
parses a line, checks a chunk against the file so far and the register, and writes a chunk of
good rows set-based (one query finds the chunk's known debtors, new debtors and reports are
inserted in batches, one statement points each debtor at its newest report)."""

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.access import UNDERWRITING
from core.bulk import equals_any
from core.imports import Importer, LineError, register
from core.imports.services import import_job_create, import_job_run
from core.models import ImportJob, ImportMode

from ..models import CreditReport, Debtor
from .cells import Parsers
from .reading import COLUMNS, Row, header_problems, parse_row
from .writing import Known, write

__all__ = ["COLUMNS", "KIND", "CreditReportImporter", "credit_reports_import"]

KIND = "credit_reports"


def _known_debtors(rows: list[Row]) -> dict[tuple[str, str], Known]:
    """The chunk's debtors already in the register, in one query."""
    keys = {(r.country, r.number) for r in rows}
    numbers = sorted({k[1] for k in keys})
    if connection.vendor == "postgresql":  # one array parameter, not thousands
        debtors = Debtor.objects.filter(equals_any(Debtor, "registration_number", numbers))
    else:
        debtors = Debtor.objects.filter(registration_number__in=numbers)
    found = debtors.values_list(
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


@register
class CreditReportImporter(Importer):
    kind = KIND
    title = gettext_lazy("Import credit reports")
    upload_url = "debtor-import"

    def __init__(self, *, actor, options: dict):
        super().__init__(actor=actor, options=options)
        self.source = options["source"][:100]
        self.parsers = Parsers(today=timezone.localdate())
        self._plan: list[tuple] | None = None
        # hash((country, number, as_of)) → its first line: an int per line, not three objects
        self.seen: dict[int, int] = {}

    @classmethod
    def may_import(cls, user) -> bool:
        return user.is_authenticated and user.role in UNDERWRITING

    def header_problems(self, columns: list[str]) -> list[str]:
        return header_problems(columns)

    def parse(self, line: int, cells: list[str]):
        if self._plan is None:
            self._plan = self.parsers.plan(COLUMNS, self.columns)
        errors: list[LineError] = []
        row = parse_row(line, cells, self._plan, self.parsers, errors)
        return row, errors

    def check(self, rows: list[Row]) -> list[LineError]:
        """The same debtor twice on one date in the file; a new debtor without a name."""
        errors = []
        nameless = [r for r in rows if r.name == ""]
        known = _known_debtors(nameless) if nameless else {}
        for row in rows:
            key = hash((row.country, row.number, row.as_of))
            if row.as_of is not None and key in self.seen:
                message = _("Line %(other)s has a report of the same debtor on the same date.")
                errors.append(
                    LineError(row.line, "as_of", message % {"other": self.seen[key]}, "duplicate")
                )
            elif row.as_of is not None:
                self.seen[key] = row.line
            if (row.country, row.number) not in known and row.name == "":
                message = _("Required for a debtor that is not yet in the register.")
                errors.append(LineError(row.line, "name", message, "required"))
        return errors

    def write(self, rows: list[Row]) -> dict[str, int]:
        """Write a chunk; a line whose debtor already has a report of its date from this
        source (this file, imported before) is skipped."""
        known = _known_debtors(rows)
        done = {
            (debtor_id, as_of.isoformat())  # rows keep their dates as text
            for debtor_id, as_of in CreditReport.objects.filter(
                debtor_id__in=[k.id for k in known.values()], source=self.source
            ).values_list("debtor_id", "as_of")
        }
        fresh = [
            r
            for r in rows
            if not ((k := known.get((r.country, r.number))) and (k.id, r.as_of) in done)
        ]
        counts = write(fresh, known, actor=self.actor, source=self.source) if fresh else {}
        return {**counts, "imported": len(fresh), "skipped": len(rows) - len(fresh)}

    @classmethod
    def summary(cls, totals: dict[str, int]) -> str:
        debtors, reports, events = (totals.get(k, 0) for k in ("debtors", "reports", "events"))
        text = _("%(debtors)s, %(reports)s, %(events)s") % {
            "debtors": ngettext("%(n)s debtor registered", "%(n)s debtors registered", debtors)
            % {"n": debtors},
            "reports": ngettext("%(n)s report added", "%(n)s reports added", reports)
            % {"n": reports},
            "events": ngettext("%(n)s event recorded", "%(n)s events recorded", events)
            % {"n": events},
        }
        if skipped := totals.get("skipped", 0):
            text += "; " + ngettext(
                "%(n)s line skipped: that report was already imported from this file",
                "%(n)s lines skipped: those reports were already imported from this file",
                skipped,
            ) % {"n": skipped}
        return text + "."


def credit_reports_import(
    *,
    actor,
    content: bytes | str,
    source: str,
    name: str = "reports.csv",
    mode: str = ImportMode.ALL_OR_NOTHING,
    on_progress=None,
) -> ImportJob:
    """Import `content` now, in this process, through the same job as an upload (for the
    demo data, tests and the benchmark); the job as it ended."""
    if isinstance(content, str):
        content = content.encode()
    job = import_job_create(
        actor=actor,
        kind=KIND,
        file=ContentFile(content),
        name=name,
        mode=mode,
        options={"source": source},
        queue=False,
    )
    return import_job_run(job.pk, on_progress=on_progress)
