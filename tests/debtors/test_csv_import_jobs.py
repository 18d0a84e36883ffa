"""The credit report import as a job: its status and progress, all or nothing against the
good lines only, the error report, a second run of the same file, the pages and who may see
them, and the management command."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from core.imports.services import import_job_run
from core.models import ImportJob, ImportMode, ImportStatus
from debtors.csv_import import credit_reports_import
from debtors.models import CreditReport, Debtor

HEADER = "country,registration_number,name,as_of,rating"


def se_number(n: int) -> str:
    body = f"55{n:07d}"
    return body + str(luhn.calc_check_digit(body))


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def content(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


GOOD = f"SE,5566778907,Acme AB,{days_ago(5)},72"
BAD_RATING = f"SE,5560360793,Kalles Kaffe AB,{days_ago(5)},140"
SHORT = "BE,0403170701,Brussels Steel NV"
FILE = content(GOOD, BAD_RATING, SHORT)


def run(text: str, mode=ImportMode.ALL_OR_NOTHING, **kwargs):
    return credit_reports_import(
        actor=None, content=text, source="import:test.csv", mode=mode, **kwargs
    )


def report_rows(client, job) -> list[list[str]]:
    response = client.get(reverse("import-job-errors", kwargs={"pk": job.pk}))
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_all_or_nothing_writes_nothing_when_a_line_has_an_error(db, sent_tasks):
    job = run(FILE)

    assert job.status == ImportStatus.REFUSED and job.progress == 100
    assert (job.lines_read, job.lines_imported, job.lines_failed) == (3, 0, 2)
    assert job.started_at and job.finished_at
    assert not Debtor.objects.exists()


def test_good_lines_only_imports_the_good_lines_and_keeps_the_others(db, sent_tasks):
    job = run(FILE, mode=ImportMode.GOOD_LINES)

    assert job.status == ImportStatus.DONE and job.progress == 100
    assert (job.lines_read, job.lines_imported, job.lines_failed) == (3, 1, 2)
    assert list(Debtor.objects.values_list("name", flat=True)) == ["Acme AB"]
    assert [(e.line, e.column, e.code) for e in job.line_errors.order_by("line")] == [
        (3, "rating", "invalid"),
        (4, "", "cell_count"),
    ]


def test_the_same_file_twice_adds_nothing_the_second_time(db, sent_tasks):
    first = run(FILE, mode=ImportMode.GOOD_LINES)

    again = run(FILE, mode=ImportMode.GOOD_LINES)

    assert (first.lines_imported, again.lines_imported, again.lines_skipped) == (1, 0, 1)
    assert CreditReport.objects.count() == 1 and Debtor.objects.count() == 1


def test_the_file_is_read_in_chunks_and_progress_is_recorded(db, sent_tasks, settings):
    # Given: chunks of two lines, and a file of seven good lines (four chunks)
    settings.IMPORT_CHUNK_LINES = 2
    numbers = [se_number(n) for n in range(7)]
    lines = [f"SE,{n},Company {i},{days_ago(5)},{50 + i}" for i, n in enumerate(numbers)]
    seen = []

    job = run(content(*lines), on_progress=lambda j: seen.append((j.status, j.progress)))

    assert job.status == ImportStatus.DONE, list(job.line_errors.values_list("message"))
    assert job.lines_imported == len(lines)
    progress = [p for _, p in seen]
    assert progress == sorted(progress) and progress[-1] == 100 and len(progress) >= 6


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(db, sent_tasks):
    job = run(content(GOOD))

    again = import_job_run(job.pk)

    assert again.status == ImportStatus.DONE and CreditReport.objects.count() == 1


# The pages ---------------------------------------------------------------------------------


@pytest.fixture
def uploaded(client, underwriter, sent_tasks, django_capture_on_commit_callbacks):
    client.force_login(underwriter)
    file = SimpleUploadedFile("reports.csv", FILE.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("debtor-import"), {"file": file, "mode": "good"})
    return response, ImportJob.objects.get()


def test_upload_then_status_page_then_progress_then_result_and_error_report(client, uploaded):
    response, job = uploaded

    # The upload answers with the job's page
    assert response["Location"] == reverse("import-job", kwargs={"pk": job.pk})
    # The progress fragment tells htmx to show the whole result once the job has ended
    progress = client.get(
        reverse("import-job-progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    assert "3 lines read, 2 with errors, 1 imported" in progress.content.decode()
    # The result: the figures, every bad line, the summary and the report's link
    page = client.get(response["Location"]).content.decode()
    assert "1 debtor registered, 1 report added, 0 events recorded." in page
    assert "140 is not between 1 and 100." in page and "3 cells, but the header has 5" in page
    assert reverse("import-job-errors", kwargs={"pk": job.pk}) in page
    # The error report: one row per error, with the line as it was read
    assert report_rows(client, job) == [
        ["line", "column", "code", "reason", "content"],
        ["3", "rating", "invalid", "140 is not between 1 and 100.", BAD_RATING],
        ["4", "", "cell_count", "3 cells, but the header has 5 columns.", SHORT],
    ]


def test_a_job_still_running_shows_its_progress_bar_polling_for_more(client, underwriter):
    job = ImportJob.objects.create(
        kind="credit_reports",
        file="imports/x.csv",
        file_name="big.csv",
        mode="all",
        status=ImportStatus.CHECKING,
        progress=30,
        lines_read=15000,
    )
    client.force_login(underwriter)

    page = client.get(reverse("import-job", kwargs={"pk": job.pk})).content.decode()

    assert f'hx-get="{reverse("import-job-progress", kwargs={"pk": job.pk})}"' in page
    assert '<progress class="w-100" max="100" value="30"' in page
    assert "15000 lines read" in page


def test_the_error_report_cannot_smuggle_a_spreadsheet_formula(client, underwriter, sent_tasks):
    job = run(content("=HYPERLINK(1),5566778907,Acme AB,2026-01-01,72"))
    client.force_login(underwriter)

    rows = report_rows(client, job)

    assert rows[1][4].startswith("'=HYPERLINK")


@pytest.mark.parametrize("role", ["insured_user", "claims_handler"])
def test_only_underwriters_and_admins_see_import_jobs(request, client, uploaded, role):
    _, job = uploaded
    client.force_login(request.getfixturevalue(role))

    for name in ("import-job", "import-job-progress", "import-job-errors"):
        response = client.get(reverse(name, kwargs={"pk": job.pk}))
        assert response.status_code == 403, name
        assert b"Kalles" not in response.content


def test_an_administrator_sees_an_underwriters_job(client, uploaded, admin_user):
    _, job = uploaded
    client.force_login(admin_user)

    assert client.get(reverse("import-job", kwargs={"pk": job.pk})).status_code == 200


def test_an_insured_user_cannot_upload(client, insured_user):
    client.force_login(insured_user)
    file = SimpleUploadedFile("reports.csv", FILE.encode(), content_type="text/csv")

    response = client.post(reverse("debtor-import"), {"file": file, "mode": "good"})

    assert response.status_code == 403 and not ImportJob.objects.exists()


# The command -------------------------------------------------------------------------------


def test_the_command_prints_progress_and_imports_the_good_lines_when_asked(
    db, tmp_path, sent_tasks, capsys
):
    path = tmp_path / "reports.csv"
    path.write_text(FILE)

    with pytest.raises(CommandError) as caught:
        call_command("import_credit_reports", str(path), "--good-lines")

    out, err = capsys.readouterr()
    assert caught.value.returncode == 1  # some lines failed
    assert "1 debtor registered, 1 report added, 0 events recorded." in out
    assert "100 %  3 lines read, 2 with errors, 1 imported" in err
    assert "line 3, rating: 140 is not between 1 and 100." in err
    assert "line 4: 3 cells, but the header has 5 columns." in err
    assert ImportJob.objects.get().status == ImportStatus.DONE
