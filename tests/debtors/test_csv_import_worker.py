"""A real Celery worker on Redis runs the import an upload queued: the web request only
stores the file and answers with the job's page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import ImportJob, ImportStatus
from debtors.models import Debtor
from tests.test_celery_worker import taken_by_the_worker, wait_for, worker  # noqa: F401

pytestmark = pytest.mark.worker


def test_the_worker_imports_an_uploaded_file(worker, client, underwriter):  # noqa: F811
    # Given: an underwriter uploads a file of two lines, one of them bad
    as_of = (timezone.localdate() - timedelta(days=5)).isoformat()
    text = (
        "country,registration_number,name,as_of,rating\n"
        f"SE,5566778907,Acme AB,{as_of},72\nSE,5560360793,Kalles Kaffe AB,{as_of},140\n"
    )
    client.force_login(underwriter)
    file = SimpleUploadedFile("reports.csv", text.encode(), content_type="text/csv")

    response = client.post(reverse("debtor-import"), {"file": file, "mode": "good"})

    # Then: the page answers with the job; the worker imports the good line
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import-job", kwargs={"pk": job.pk})
    done = wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).first(),
        "the import to finish",
    )
    assert (done.lines_read, done.lines_imported, done.lines_failed) == (2, 1, 1)
    assert Debtor.objects.get().name == "Acme AB"
    assert taken_by_the_worker(worker, "core.tasks.import_job_run_task")
