"""Import a CSV file of credit reports (docs/credit-report-csv.md) through the same import job
as the page (core.imports), run here in this process, printing its progress."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from core.imports.command import import_job_run_in_command
from core.imports.services import import_job_create
from core.models import ImportMode
from debtors.csv_import import KIND, CreditReportImporter


class Command(BaseCommand):
    help = (
        "Import credit reports from a CSV file. Unknown debtors are registered, known ones get "
        "a new report. Every error is printed with its line and column. All or nothing (the "
        "default): if any line has an error nothing is written and the exit code is 1; with "
        "--good-lines the good lines are imported and the exit code is 1 if any line failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (UTF-8, comma-separated).")
        parser.add_argument(
            "--source",
            help="The reports' source, shown with each report (default: import:<file name>).",
        )
        parser.add_argument(
            "--user", help="Username recorded as the importer (default: none, a system import)."
        )
        parser.add_argument(
            "--good-lines",
            action="store_true",
            help="Import the good lines even when others have errors.",
        )
        parser.add_argument(
            "--quiet-progress", action="store_true", help="Do not print the progress."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
            if not CreditReportImporter.may_import(actor):
                raise CommandError(f"{actor.username} may not import credit reports.")
        mode = ImportMode.GOOD_LINES if options["good_lines"] else ImportMode.ALL_OR_NOTHING
        started = time.monotonic()
        try:
            with path.open("rb") as stream:
                job = import_job_create(
                    actor=actor,
                    kind=KIND,
                    file=File(stream, name=path.name),
                    name=path.name,
                    mode=mode,
                    options={"source": options["source"] or f"import:{path.name}"},
                    queue=False,
                )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc

        import_job_run_in_command(
            self, job, file_name=path.name, quiet=options["quiet_progress"], started=started
        )
