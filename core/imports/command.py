"""Running an import job from a management command, in this process: progress on stderr,
every bad line, then the result; the exit status says whether every line was imported."""

import time

from django.core.management.base import BaseCommand, CommandError

from core.models import ImportJob, ImportLineError, ImportStatus

from .importers import importer_for
from .services import import_job_run


def import_job_run_in_command(
    command: BaseCommand, job: ImportJob, *, file_name: str, quiet: bool, started: float
) -> None:
    def progress(job):
        if not quiet:
            command.stderr.write(
                f"{job.progress:3d} %  {job.lines_read} lines read, {job.lines_failed} "
                f"with errors, {job.lines_imported} imported"
            )

    job = import_job_run(job.pk, on_progress=progress)
    seconds = time.monotonic() - started
    for error in ImportLineError.objects.filter(job=job).order_by("line", "id").iterator():
        command.stderr.write(str(error))
    if job.status == ImportStatus.FAILED:
        raise CommandError(job.failure, returncode=1)
    if job.status == ImportStatus.REFUSED:
        raise CommandError(
            f"{job.lines_failed} line(s) with errors in {file_name}; nothing was imported "
            f"(import job {job.pk}).",
            returncode=1,
        )
    summary = importer_for(job.kind).summary(job.result)
    command.stdout.write(command.style.SUCCESS(f"{summary} ({seconds:.1f} s, import job {job.pk})"))
    if job.lines_failed:
        raise CommandError(
            f"{job.lines_failed} line(s) with errors were not imported.", returncode=1
        )
