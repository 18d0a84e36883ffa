"""Creating an import job and running it: two passes over the stored file in chunks, so
memory stays bounded whatever the file's size.

1. Checking: each chunk of lines is read, parsed and checked by the importer; every error is
   stored with its line (ImportLineError) and the good rows are spooled to a temporary file.
2. Writing (unless all-or-nothing found an error): the spooled chunks are written a few at a
   time (WRITE_CHUNKS), each group in its own transaction. A line imported before (the same
   file again, or a run cut short) is skipped by the importer, so running a file twice adds
   nothing the second time.
"""

import gc
import logging
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable
from itertools import islice

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import ImportJob, ImportLineError, ImportMode
from core.status import transition

from .importers import importer_for
from .lines import CsvFile, LineError, Record

log = logging.getLogger(__name__)
CONTENT_KEPT = 2000  # characters of a bad line kept for the error report
WRITE_CHUNKS = 5  # checked chunks written in one transaction
GC_YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest objects


class ImportNotAllowed(DomainError):
    code = "import_not_allowed"
    status = 403


def import_job_create(
    *, actor, kind: str, file: File, name: str, mode: str, options: dict, queue: bool = True
) -> ImportJob:
    """Store the upload as a job and (with `queue`) queue its run once the job is committed."""
    if actor is not None and not importer_for(kind).may_import(actor):
        raise ImportNotAllowed()
    if mode not in ImportMode.values:
        raise DomainError(field="mode")
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            created_by=actor,
            file_name=name[:200],
            file_size=file.size or 0,
            mode=mode,
            options=options,
        )
        job.file.save(name, file, save=False)
        job.save()
        if queue:
            from core.tasks import import_job_run_task

            transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def import_job_run(job_id: int, *, on_progress: Callable[[ImportJob], None] | None = None):
    """Run the job `job_id` if it is still waiting (a second delivery of the task does
    nothing). Returns the job as it ended."""
    try:
        job = transition(ImportJob.objects, job_id, "start", actor=None, reason="")
    except TransitionNotAllowed:
        return ImportJob.objects.get(pk=job_id)
    run = _Run(job, on_progress)
    thresholds = gc.get_threshold()
    # A run makes many small objects that hold no reference cycles (rows of text and numbers):
    # the cyclic collector runs less often meanwhile (about a tenth of a run's time otherwise).
    gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        run.check()
        if job.mode == ImportMode.ALL_OR_NOTHING and job.lines_failed:
            return run.end("refuse")
        run.end("write")
        run.write()
        return run.end("finish")
    except IntegrityError:
        log.warning("import job %s: a concurrent change", job_id, exc_info=True)
        return run.fail(
            _(
                "Another change to the register happened during the import. Import the file "
                "again: the lines already imported are skipped."
            )
        )
    except Exception:
        log.exception("import job %s failed", job_id)
        run.fail(_("The import failed because of an error on our side; it has been logged."))
        raise
    finally:
        gc.set_threshold(*thresholds)
        run.close()


class _Run:
    def __init__(self, job: ImportJob, on_progress):
        self.job = job
        self.on_progress = on_progress
        self.importer = importer_for(job.kind)(actor=job.created_by, options=job.options)
        self.chunk_lines = settings.IMPORT_CHUNK_LINES
        self.spool = tempfile.TemporaryFile(prefix="cia-import-")  # noqa: SIM115 closed by close()
        self.chunks = 0
        self.totals: Counter = Counter()

    def close(self) -> None:
        self.spool.close()

    # Pass 1 --------------------------------------------------------------------------------

    def check(self) -> None:
        job = self.job
        ImportLineError.objects.filter(job=job).delete()
        with job.file.open("rb") as stream:
            reader = CsvFile(stream)
            problems = reader.header()
            if not problems:
                problems = [
                    LineError(1, None, message, "header")
                    for message in self.importer.header_problems(reader.columns)
                ]
            if problems:
                self._errors_save(problems, {})
                job.lines_failed = 1
                return
            self.importer.columns = list(reader.columns)
            items = reader.records()
            while chunk := list(islice(items, self.chunk_lines)):
                self._check_chunk(chunk)
                job.progress = min(49, 50 * reader.bytes_read // max(job.file_size, 1))
                self._progress()
        if not job.lines_read:
            message = _("The file has a header but no lines of data.")
            self._errors_save([LineError(2, None, message, "no_data")], {})
            job.lines_failed = 1

    def _check_chunk(self, chunk: list[Record | LineError]) -> None:
        errors: list[LineError] = []
        rows = []
        parse = self.importer.parse
        for item in chunk:
            if isinstance(item, LineError):
                errors.append(item)
                continue
            row, problems = parse(item.line, item.cells)
            if problems:
                errors += problems
            if row is not None:
                rows.append(row)
        errors += self.importer.check(rows)
        errors.sort(key=lambda e: e.line)  # stable: each line's errors in the order found
        bad = {e.line for e in errors}
        good = [r for r in rows if r.line not in bad] if bad else rows
        if errors:
            texts = {
                item.line: item.content if isinstance(item, LineError) else item.text
                for item in chunk
                if item.line in bad
            }
            self._errors_save(errors, texts)
        if good:
            pickle.dump(good, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.chunks += 1
        self.job.lines_read += len(chunk)
        self.job.lines_failed += len(bad)

    def _errors_save(self, errors: list[LineError], texts: dict[int, str]) -> None:
        ImportLineError.objects.bulk_create(
            [
                ImportLineError(
                    job=self.job,
                    line=e.line,
                    column=(e.column or "")[:100],
                    code=e.code,
                    message=e.message,
                    content=(e.content or texts.get(e.line, "")).rstrip("\r\n")[:CONTENT_KEPT],
                )
                for e in errors
            ],
            batch_size=500,
        )

    # Pass 2 --------------------------------------------------------------------------------

    def write(self) -> None:
        """Spooled chunks are written WRITE_CHUNKS at a time: fewer, larger statements."""
        self.spool.seek(0)
        done = 0
        while done < self.chunks:
            rows = []
            for _chunk in range(min(WRITE_CHUNKS, self.chunks - done)):
                rows += pickle.load(self.spool)
                done += 1
            with transaction.atomic():
                counts = self.importer.write(rows)
            self.totals.update(counts)
            self.job.lines_imported = self.totals["imported"]
            self.job.lines_skipped = self.totals["skipped"]
            self.job.progress = min(99, 50 + 50 * done // self.chunks)
            self._progress()

    # Recording -----------------------------------------------------------------------------

    def _progress(self) -> None:
        fields = ["progress", "lines_read", "lines_failed", "lines_imported", "lines_skipped"]
        ImportJob.objects.filter(pk=self.job.pk).update(**{f: getattr(self.job, f) for f in fields})
        if self.on_progress:
            self.on_progress(self.job)

    def end(self, name: str) -> ImportJob:
        job = self.job
        fields = {
            "progress": 100 if name != "write" else 50,
            "lines_read": job.lines_read,
            "lines_failed": job.lines_failed,
            "lines_imported": job.lines_imported,
            "lines_skipped": job.lines_skipped,
            "result": dict(self.totals),
        }
        self.job = transition(ImportJob.objects, job.pk, name, actor=None, reason="", **fields)
        if self.on_progress:
            self.on_progress(self.job)
        return self.job

    def fail(self, message: str) -> ImportJob:
        self.job = transition(
            ImportJob.objects, self.job.pk, "fail", actor=None, reason="", failure=message
        )
        return self.job
