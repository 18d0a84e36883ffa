"""Invoices from a CSV file (the format is in docs/invoice-csv.md), imported under one policy
through core.imports: core reads the stored file in chunks and keeps the job; this importer
reads a line's cells strictly, checks a chunk (its debtors looked up in one query, each
invoice checked by exposure.services.invoice_build, the same invoice twice in the file), and
writes a chunk of good rows set-based, skipping the invoices the policy already has."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Role
from core.exceptions import NotFound
from core.imports import Importer, LineError, register
from core.imports.services import import_job_create, import_job_run
from core.models import ImportJob, ImportMode
from debtors.models import Debtor
from policies.models import Policy

from ..exceptions import InvoiceInvalid
from ..services.invoices import invoice_build, policy_for_reporting
from .reading import (
    COLUMNS,
    DEBTOR_COLUMNS,
    Reader,
    Row,
    header_problems,
    invoice_data,
    invoice_values,
)
from .writing import invoices_write, known_debtors, reported

__all__ = ["COLUMNS", "KIND", "InvoiceImporter", "invoice_import_create", "invoices_import"]

KIND = "invoices"
IMPORTERS = (Role.INSURED, Role.ADMIN)
# invoice_build's fields that are not a column of the file: the column the value comes from
FIELD_COLUMNS = {"terms_days": "payment_terms_days", "open_amount": "net_amount"}


@register
class InvoiceImporter(Importer):
    kind = KIND
    title = gettext_lazy("Import invoices")
    upload_url = "invoice-import"

    def __init__(self, *, actor, options: dict):
        super().__init__(actor=actor, options=options)
        self.policy: Policy | None = None  # set when the header is checked
        self.today = timezone.localdate()
        name = options.get("file")
        self.reason = _("Imported from %(file)s") % {"file": name} if name else _("Imported")
        self._reader: Reader | None = None
        # invoice_build only points the invoice at its debtor, which parse does not know yet
        self._debtor = Debtor()
        # hash((debtor id, invoice number)) → its first line: an int per line, not a tuple
        self.seen: dict[int, int] = {}

    @classmethod
    def may_import(cls, user) -> bool:
        return user.is_authenticated and user.role in IMPORTERS

    @classmethod
    def may_see(cls, user, job: ImportJob) -> bool:
        """Whether `user` may see `job`: an insured user only a job under its company's
        policy."""
        if not cls.may_import(user):
            return False
        if user.role != Role.INSURED:
            return True
        policy_id = job.options.get("policy")
        return isinstance(policy_id, int) and (
            Policy.objects.filter(pk=policy_id, insured_id=user.company_id).exists()
        )

    # Pass 1 --------------------------------------------------------------------------------

    def header_problems(self, columns: list[str]) -> list[str]:
        """The columns' problems, and first whether the job's actor may report invoices under
        its policy at all (checked here, when the run starts, whoever queued it)."""
        refusal = self._policy_refusal()
        return ([refusal] if refusal else []) + header_problems(columns)

    def _policy_refusal(self) -> str | None:
        actor = self.actor
        if actor is not None and not self.may_import(actor):
            return _("%(user)s may not import invoices.") % {"user": actor}
        policy_id = self.options.get("policy")
        try:
            if not isinstance(policy_id, int):
                raise NotFound(field="policy")
            self.policy = policy_for_reporting(actor, policy_id)
        except NotFound:
            return _("The policy does not exist, or you may not report invoices under it.")
        except InvoiceInvalid as exc:
            return str(exc.message)
        return None

    def parse(self, line: int, cells: list[str]):
        """The line's cells read strictly, then its invoice checked by invoice_build (which
        needs nothing but the line: its debtor is looked up with the chunk's)."""
        if self._reader is None:
            self._reader = Reader(self.columns)
        errors: list[LineError] = []
        values = self._reader.values(line, cells, errors)
        invoice = None
        if all(e.column in DEBTOR_COLUMNS for e in errors):  # else it would repeat them
            try:
                invoice = invoice_values(
                    invoice_build(
                        self.policy,
                        self._debtor,
                        invoice_data(values),
                        actor=self.actor,
                        today=self.today,
                    )
                )
            except InvoiceInvalid as exc:
                column = FIELD_COLUMNS.get(exc.field, exc.field)
                column = column if column in COLUMNS else None
                errors.append(LineError(line, column, str(exc.message), exc.code))
        row = Row(line, values["country"], values["registration_number"], values["number"], invoice)
        return row, errors

    def check(self, rows: list[Row]) -> list[LineError]:
        """Per row: its debtor in the register (one query for the chunk), and the same
        invoice number for the same debtor on an earlier line of the file."""
        known = known_debtors({k for r in rows if (k := r.debtor_key) is not None})
        errors = []
        for row in rows:
            key = row.debtor_key
            if key is None:
                continue
            debtor_id = known.get(key)
            if debtor_id is None:
                errors.append(_unknown_debtor(row))
            elif row.number is not None:
                seen = hash((debtor_id, row.number))
                if seen in self.seen:
                    message = _(
                        "Line %(other)s has the same invoice number for the same debtor."
                    ) % {"other": self.seen[seen]}
                    errors.append(LineError(row.line, "number", message, "duplicate"))
                else:
                    self.seen[seen] = row.line
        return errors

    # Pass 2 --------------------------------------------------------------------------------

    def write(self, rows: list[Row]) -> dict[str, int]:
        """Write a chunk of good rows; a line whose invoice the policy already has (this file,
        imported before) is skipped."""
        keys = {r.debtor_key for r in rows}
        known = known_debtors(keys)
        if len(known) < len(keys):
            # A debtor of a checked line left the register while the file was read.
            raise IntegrityError("a debtor of the file is no longer in the register")
        done = reported(self.policy.pk, {(known[r.debtor_key], r.number) for r in rows})
        fresh = [r for r in rows if (known[r.debtor_key], r.number) not in done]
        if fresh:
            invoices_write(
                [(known[r.debtor_key], r.invoice) for r in fresh],
                policy=self.policy,
                actor=self.actor,
                reason=self.reason,
            )
        return {"imported": len(fresh), "skipped": len(rows) - len(fresh)}

    @classmethod
    def summary(cls, totals: dict[str, int]) -> str:
        imported = totals.get("imported", 0)
        text = ngettext("%(n)s invoice added", "%(n)s invoices added", imported) % {"n": imported}
        if skipped := totals.get("skipped", 0):
            text += "; " + ngettext(
                "%(n)s line skipped: its invoice was already reported",
                "%(n)s lines skipped: their invoices were already reported",
                skipped,
            ) % {"n": skipped}
        return text + "."


def _unknown_debtor(row: Row) -> LineError:
    message = _(
        "No debtor %(country)s %(number)s is in the register: register it, or request a "
        "limit on it, before reporting its invoices."
    ) % {"country": row.country, "number": row.registration_number}
    return LineError(row.line, "registration_number", message, "unknown_debtor")


@transaction.atomic
def invoice_import_create(
    *, actor, policy_id: int, file, name: str, mode: str, queue: bool = True
) -> ImportJob:
    """Store an upload of invoices for `policy_id` as an import job, queued to run once
    committed: the actor must be one who imports invoices and acts for the policy's insured
    (DomainError naming `policy` otherwise)."""
    if actor is not None and not InvoiceImporter.may_import(actor):
        raise NotFound(field="policy")
    policy = policy_for_reporting(actor, policy_id)  # ensure_acts_for, and issued
    return import_job_create(
        actor=actor,
        kind=KIND,
        file=file,
        name=name,
        mode=mode,
        options={"policy": policy.pk, "file": name[:200]},
        queue=queue,
    )


def invoices_import(
    *,
    actor,
    policy_id: int,
    content: bytes | str,
    name: str = "invoices.csv",
    mode: str = ImportMode.ALL_OR_NOTHING,
    on_progress=None,
) -> ImportJob:
    """Import `content` now, in this process, through the same job as an upload (for tests,
    the demo data and the benchmark); the job as it ended."""
    if isinstance(content, str):
        content = content.encode()
    job = invoice_import_create(
        actor=actor,
        policy_id=policy_id,
        file=ContentFile(content),
        name=name,
        mode=mode,
        queue=False,
    )
    return import_job_run(job.pk, on_progress=on_progress)
