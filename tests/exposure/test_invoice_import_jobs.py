"""The invoice import as a job: all or nothing against the good lines only, the error
report, the same file twice, a constant number of queries whatever the file's length, and
who may import under which policy."""

import csv as csv_module
import io
import re
from collections import Counter

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exceptions import NotFound
from core.imports.services import import_job_create, import_job_run
from core.models import ImportJob, ImportMode, ImportStatus
from exposure.csv_import import KIND, InvoiceImporter, invoice_import_create
from exposure.exceptions import InvoiceInvalid
from exposure.models import Invoice
from tests.exposure.test_invoice_import import DOC, GOOD, GOOD_2, csv, errors, run
from tests.factories.limits import DebtorFactory

BAD_AMOUNT = GOOD.replace("F-1001", "F-1003").replace("8000.00", '"8000,5"')
SHORT = "SE,5566778907,F-1004"
FILE = csv(GOOD, BAD_AMOUNT, GOOD_2, SHORT)


@pytest.fixture
def debtors(db):
    return (
        DebtorFactory(country="SE", registration_number="556677-8907", name="Byggvaror AB"),
        DebtorFactory(country="SE", registration_number="556036-0793", name="Kalles Kaffe AB"),
    )


def report_rows(client, job) -> list[list[str]]:
    response = client.get(reverse("import-job-errors", kwargs={"pk": job.pk}))
    assert response["Content-Type"].startswith("text/csv")
    return list(csv_module.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_all_or_nothing_writes_nothing_when_a_line_is_bad(insured_user, issued_policy, debtors):
    job = run(FILE, actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.REFUSED
    assert (job.lines_read, job.lines_failed, job.lines_imported) == (4, 2, 0)
    assert not Invoice.objects.exists()


def test_good_lines_writes_the_good_ones_and_reports_the_others(
    client, insured_user, issued_policy, debtors
):
    job = run(FILE, actor=insured_user, policy=issued_policy, mode=ImportMode.GOOD_LINES)

    assert job.status == ImportStatus.DONE
    assert (job.lines_read, job.lines_failed, job.lines_imported) == (4, 2, 2)
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["F-1001", "F-1002"]
    client.force_login(insured_user)
    assert report_rows(client, job) == [
        ["line", "column", "code", "reason", "content"],
        [
            "3",
            "net_amount",
            "invalid",
            "“8000,5” is not an amount: write ASCII digits with a decimal point and no "
            "thousands separators, e.g. 1200.50.",
            BAD_AMOUNT,
        ],
        ["5", "", "cell_count", "3 cells, but the header has 12 columns.", SHORT],
    ]


def test_the_same_file_twice_adds_nothing_the_second_time(insured_user, issued_policy, debtors):
    first = run(FILE, actor=insured_user, policy=issued_policy, mode=ImportMode.GOOD_LINES)

    again = run(FILE, actor=insured_user, policy=issued_policy, mode=ImportMode.GOOD_LINES)

    assert (first.lines_imported, again.lines_imported, again.lines_skipped) == (2, 0, 2)
    assert Invoice.objects.count() == 2 and Invoice.history.count() == 2
    assert InvoiceImporter.summary(again.result) == (
        "0 invoices added; 2 lines skipped: their invoices were already reported."
    )


def test_a_file_adding_to_invoices_reported_before_writes_only_the_new_ones(
    insured_user, issued_policy, debtors
):
    run(csv(GOOD), actor=insured_user, policy=issued_policy)

    job = run(csv(GOOD, GOOD_2), actor=insured_user, policy=issued_policy)

    assert (job.status, job.lines_imported, job.lines_skipped) == (ImportStatus.DONE, 1, 1)
    assert InvoiceImporter.summary(job.result) == (
        "1 invoice added; 1 line skipped: its invoice was already reported."
    )


def lines_for(debtors_, n: int) -> list[str]:
    return [
        f"SE,{debtors_[i % 2].registration_number},F-{i},100.00,25.00,SEK,"
        "2026-05-04,2026-05-04,2026-06-03,,,"
        for i in range(n)
    ]


def test_the_queries_do_not_grow_with_the_number_of_lines(
    insured_user, issued_policy, debtors, settings
):
    settings.IMPORT_CHUNK_LINES = 1000
    with CaptureQueriesContext(connection) as few:
        run(csv(*lines_for(debtors, 3)), actor=insured_user, policy=issued_policy)
    Invoice.objects.all().delete()
    Invoice.history.all().delete()

    with CaptureQueriesContext(connection) as many:
        run(csv(*lines_for(debtors, 300)), actor=insured_user, policy=issued_policy)

    assert Invoice.objects.count() == 300
    kinds = Counter(re.sub(r"\d+", "N", q["sql"][:60]) for q in many.captured_queries)
    assert len(many) == len(few), f"{len(few)} queries for 3 lines, {len(many)} for 300: {kinds}"


def test_the_portable_write_path_writes_the_same(insured_user, issued_policy, debtors, monkeypatch):
    # Given: the database is not PostgreSQL (no arrays, no COPY): bulk_create_with_history
    import exposure.csv_import.writing as writing

    class Elsewhere:
        vendor = "sqlite"

        def __getattr__(self, name):
            return getattr(connection, name)

    monkeypatch.setattr(writing, "connection", Elsewhere())

    job = run(csv(GOOD, GOOD_2), actor=insured_user, policy=issued_policy)
    again = run(csv(GOOD, GOOD_2), actor=insured_user, policy=issued_policy)

    assert (job.lines_imported, again.lines_skipped) == (2, 2), errors(job)
    invoice = Invoice.objects.get(number="F-1001")
    assert (invoice.open_amount, invoice.terms_days, invoice.reported_by) == (
        10000,
        30,
        insured_user,
    )
    assert invoice.history.get().history_change_reason == "Imported from invoices.csv"


def test_the_documented_example_imports(insured_user, issued_policy, debtors):
    DebtorFactory(country="BE", registration_number="0403170701", name="Brussels Steel NV")
    example = re.search(r"```csv\n(.*?)```", DOC.read_text(), re.DOTALL)[1]

    job = run(example, actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.DONE and job.lines_imported == 3, errors(job)
    assert Invoice.objects.get(number="2026/0415").reference == "Order 9, phase 2"


# Who may import under which policy ----------------------------------------------------------


def test_an_insured_cannot_import_under_another_company_s_policy(
    other_insured_user, issued_policy, debtors
):
    with pytest.raises(NotFound):
        run(FILE, actor=other_insured_user, policy=issued_policy)

    assert not ImportJob.objects.exists()


def test_the_run_itself_refuses_an_actor_who_may_not_act_for_the_policy(
    other_insured_user, issued_policy, debtors
):
    # Given: a job queued around invoice_import_create's check (an older job, a direct call)
    job = import_job_create(
        actor=other_insured_user,
        kind=KIND,
        file=ContentFile(csv(GOOD).encode()),
        name="invoices.csv",
        mode=ImportMode.ALL_OR_NOTHING,
        options={"policy": issued_policy.pk},
        queue=False,
    )

    job = import_job_run(job.pk)

    assert job.status == ImportStatus.REFUSED
    assert errors(job) == [
        "line 1: The policy does not exist, or you may not report invoices under it."
    ]
    assert not Invoice.objects.exists()


def test_a_draft_policy_takes_no_invoices(insured_user, draft_policy, debtors):
    with pytest.raises(InvoiceInvalid) as caught:
        run(csv(GOOD), actor=insured_user, policy=draft_policy)

    assert caught.value.code == "policy_not_in_force"


@pytest.mark.parametrize("user", ["underwriter", "claims_handler"])
def test_only_insured_users_and_administrators_import_invoices(
    request, issued_policy, debtors, user
):
    with pytest.raises(NotFound):
        run(csv(GOOD), actor=request.getfixturevalue(user), policy=issued_policy)


def test_an_administrator_imports_under_any_policy(admin_user, issued_policy, debtors):
    job = run(csv(GOOD), actor=admin_user, policy=issued_policy)

    assert job.status == ImportStatus.DONE
    assert Invoice.objects.get().reported_by == admin_user


def test_a_system_import_has_no_actor(issued_policy, debtors):
    job = invoice_import_create(
        actor=None,
        policy_id=issued_policy.pk,
        file=ContentFile(csv(GOOD).encode()),
        name="erp.csv",
        mode=ImportMode.ALL_OR_NOTHING,
        queue=False,
    )

    assert import_job_run(job.pk).status == ImportStatus.DONE
    assert Invoice.history.get().history_user is None


# The command ---------------------------------------------------------------------------------


def test_the_command_imports_the_good_lines_when_asked_and_prints_every_error(
    tmp_path, insured_user, issued_policy, debtors, capsys
):
    path = tmp_path / "invoices.csv"
    path.write_text(FILE)

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_invoices", issued_policy.number, str(path), "--good-lines", "--user=insured-a"
        )

    out, err = capsys.readouterr()
    assert caught.value.returncode == 1  # some lines failed
    assert "2 invoices added." in out
    assert "100 %  4 lines read, 2 with errors, 2 imported" in err
    assert "line 5: 3 cells, but the header has 12 columns." in err
    assert Invoice.objects.count() == 2


def test_the_command_refuses_an_insured_user_of_another_company(
    tmp_path, other_insured_user, issued_policy
):
    path = tmp_path / "invoices.csv"
    path.write_text(FILE)

    with pytest.raises(CommandError, match="insured-b may not report invoices under policy"):
        call_command("import_invoices", issued_policy.number, str(path), "--user=insured-b")
