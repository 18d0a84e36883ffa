"""Import a CSV file of invoices (docs/invoice-csv.md) under one policy, through the same
import job as the page (core.imports), run here in this process, printing its progress."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError, NotFound
from core.imports.command import import_job_run_in_command
from core.models import ImportMode
from exposure.csv_import import InvoiceImporter, invoice_import_create
from policies.models import Policy


class Command(BaseCommand):
    help = (
        "Import invoices from a CSV file under the policy POLICY_NUMBER. Every error is "
        "printed with its line and column; a line whose invoice the policy already has is "
        "skipped. All or nothing (the default): if any line has an error nothing is written "
        "and the exit code is 1; with --good-lines the good lines are imported and the exit "
        "code is 1 if any line failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("policy", help="The policy's number.")
        parser.add_argument("file", help="Path of the CSV file (UTF-8, comma-separated).")
        parser.add_argument(
            "--user",
            help="Username recorded as the reporter (default: none, a system import). An "
            "insured user imports only under its own company's policies.",
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
            if not InvoiceImporter.may_import(actor):
                raise CommandError(f"{actor.username} may not import invoices.")
        policy = Policy.objects.filter(number=options["policy"]).first()
        if policy is None:
            raise CommandError(f"No policy {options['policy']!r}.")
        mode = ImportMode.GOOD_LINES if options["good_lines"] else ImportMode.ALL_OR_NOTHING
        started = time.monotonic()
        try:
            with path.open("rb") as stream:
                job = invoice_import_create(
                    actor=actor,
                    policy_id=policy.pk,
                    file=File(stream, name=path.name),
                    name=path.name,
                    mode=mode,
                    queue=False,
                )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        except NotFound as exc:
            who = actor.username if actor else "The system"
            raise CommandError(
                f"{who} may not report invoices under policy {policy.number}."
            ) from exc
        except DomainError as exc:
            raise CommandError(f"{policy.number}: {exc.message}") from exc

        import_job_run_in_command(
            self, job, file_name=path.name, quiet=options["quiet_progress"], started=started
        )
