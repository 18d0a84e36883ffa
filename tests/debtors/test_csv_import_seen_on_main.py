"""What issue 7 saw on the credit report import, each through the upload page as a user does
it: a short line, an unterminated quote and a NUL byte are named errors on their line, and the
import runs in a Celery task, not in the web request."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from debtors.models import CreditReport, Debtor

HEADER = "country,registration_number,name,legal_form,city,as_of,rating,turnover,f_tax"


def error_shown(page: str, line: int, column: str, reason: str) -> bool:
    """The result page lists the error in its table: line, column, reason."""
    cells = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    return any(int(n) == line and c == column and r.startswith(reason) for n, c, r in cells)


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


@pytest.fixture
def upload(client, underwriter, django_capture_on_commit_callbacks):
    """Upload `lines` on the page and let the queued task run; the page the upload and then
    the job answered with."""
    client.force_login(underwriter)

    def send(*lines: str, mode: str = "good", run: bool = True):
        text = "\n".join([HEADER, *lines]) + "\n"
        file = SimpleUploadedFile("reports.csv", text.encode(), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=run):
            response = client.post(reverse("debtor-import"), {"file": file, "mode": mode})
        if response.status_code == 302:
            return response, client.get(response["Location"]).content.decode()
        return response, response.content.decode()

    return send


def test_a_line_with_fewer_cells_than_the_header_is_an_error_on_its_line(upload, sent_tasks):
    response, page = upload(
        f"SE,5566778907,Acme AB,AB,Umeå,{days_ago(5)},72,48000000.00,yes",
        f"SE,5560360793,Kalles Kaffe AB,AB,Göteborg,{days_ago(5)}",
    )

    assert error_shown(page, 3, "—", "6 cells, but the header has 9 columns.")
    assert not Debtor.objects.filter(registration_number="556036-0793").exists()
    assert Debtor.objects.filter(registration_number="556677-8907").exists()


def test_an_unterminated_quote_is_an_error_on_its_line_and_the_next_line_imports(
    upload, sent_tasks
):
    response, page = upload(
        f'SE,5566778907,"Acme AB,AB,Umeå,{days_ago(5)},72,48000000.00,yes',
        f"SE,5560360793,Kalles Kaffe AB,AB,Göteborg,{days_ago(5)},38,3200000.00,yes",
    )

    assert error_shown(page, 2, "name", "A quote is opened and not closed on this line")
    assert not Debtor.objects.filter(registration_number="556677-8907").exists()
    kalles = Debtor.objects.get(registration_number="556036-0793")
    assert kalles.name == "Kalles Kaffe AB"
    assert not Debtor.objects.filter(name__contains="\n").exists()


def test_a_nul_byte_in_a_cell_is_an_error_on_its_line(upload, sent_tasks):
    response, page = upload(
        f"SE,5566778907,Acme\x00 AB,AB,Umeå,{days_ago(5)},72,48000000.00,yes",
        f"SE,5560360793,Kalles Kaffe AB,AB,Göteborg,{days_ago(5)},38,3200000.00,yes",
    )

    assert response.status_code == 302
    assert error_shown(page, 2, "name", "The cell holds a NUL character")
    assert not Debtor.objects.filter(registration_number="556677-8907").exists()
    assert Debtor.objects.filter(registration_number="556036-0793").exists()


def test_the_upload_answers_at_once_with_the_jobs_page_not_the_import(upload):
    # When: the file is uploaded and the queued task has not run yet
    response, page = upload(
        f"SE,5566778907,Acme AB,AB,Umeå,{days_ago(5)},72,48000000.00,yes", run=False
    )

    # Then: the answer is the job's status page, polling its progress; nothing imported yet
    assert response.status_code == 302 and "/imports/" in response["Location"]
    assert "Waiting to start" in page and "hx-get" in page
    assert not CreditReport.objects.exists()
