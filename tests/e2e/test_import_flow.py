"""The underwriter imports a file of credit reports: the page answers at once with the job,
its progress bar runs while the worker reads, then the result lists every bad line and the
error report downloads."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from core.models import ImportJob, ImportStatus
from tests.factories import PASSWORD, UserFactory

SHOTS = Path("/tmp")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"imports-{name}.png"), full_page=True)


@pytest.mark.e2e
def test_an_underwriter_imports_a_file_and_downloads_the_error_report(
    live_server, page: Page, failed_requests, tmp_path
):
    uw = UserFactory(username="uw", role=Role.UNDERWRITER, company=None)
    day = (timezone.localdate() - timedelta(days=5)).isoformat()
    file = tmp_path / "reports.csv"
    file.write_text(
        "country,registration_number,name,as_of,rating\n"
        f"SE,5566778907,Acme AB,{day},72\n"
        f"SE,5560360793,Kalles Kaffe AB,{day},140\n"
        f'BE,0403170701,"Brussels Steel NV,{day},64\n'
        f"NL,12345678,Delft Tools BV,{day},12\n"
    )
    # A job another underwriter started, still being read by the worker
    running = ImportJob.objects.create(
        kind="credit_reports",
        created_by=uw,
        file="imports/x.csv",
        file_name="big.csv",
        file_size=50_000_000,
        mode="good",
        status=ImportStatus.CHECKING,
        progress=38,
        lines_read=146_000,
        lines_failed=12,
        started_at=timezone.now(),
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("uw")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")  # the home page, before going on

    # The running job's page polls its progress
    page.goto(f"{live_server.url}/imports/{running.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "38")
    ImportJob.objects.filter(pk=running.pk).update(progress=44, lines_read=170_000)
    expect(page.locator("progress")).to_have_attribute("value", "44", timeout=5000)
    shot(page, "running")

    # The upload: the good lines imported, the others listed and downloadable
    page.goto(f"{live_server.url}/debtors/import/")
    page.get_by_label("CSV file").set_input_files(str(file))
    page.get_by_label("Import the good lines and report the others").check()
    shot(page, "upload")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result")).to_contain_text("2 debtors registered", timeout=10000)
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("140 is not between 1 and 100.")
    expect(errors).to_contain_text("A quote is opened and not closed on this line")
    shot(page, "result")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    report = Path(download.value.path()).read_text()
    assert report.splitlines()[0] == "line,column,code,reason,content"
    assert "Kalles Kaffe AB" in report
    assert failed_requests == []
