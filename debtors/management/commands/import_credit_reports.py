"""Import a CSV file of credit reports (docs/credit-report-csv.md): all or nothing."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from debtors.csv_import import credit_reports_import


class Command(BaseCommand):
    help = (
        "Import credit reports from a CSV file. Unknown debtors are registered, known ones get "
        "a new report. If any line has an error nothing is written, every error is printed "
        "with its line and column, and the exit code is 1."
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

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        started = time.monotonic()
        result = credit_reports_import(
            actor=actor, content=content, source=options["source"] or f"import:{path.name}"
        )
        seconds = time.monotonic() - started
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors)} error(s) in {path.name}; nothing was imported.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"{result.summary()} ({seconds:.1f} s)"))
