"""The insured asks for two limits and gets both decisions at once, one approved and one
referred with its reason; the underwriter decides the referred one; the insured reads the
decision and downloads its letter."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Role
from limits.models import LimitRequest, RequestStatus
from policies import services as policy_services
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tests.factories.limits import CreditReportFactory, default_template

SHOTS = Path("/tmp")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"limits-{name}.png"), full_page=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def log_out(page: Page) -> None:
    button = page.get_by_role("button", name="Log out")
    if not button.is_visible():  # inside the account menu
        page.get_by_role("navigation", name="Main").locator(".dropdown-toggle").last.click()
    button.click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def main_menu(page: Page):
    return page.get_by_role("navigation", name="Main")


def request_limit(page: Page, base_url: str, search: str, debtor_name: str, amount: str) -> None:
    """Open the form from "My debtors", find the debtor with the search box, ask for `amount`."""
    main_menu(page).get_by_role("link", name="My debtors").click()
    page.get_by_role("main").get_by_role("link", name="Request a limit").click()
    expect(page.get_by_role("heading", name="Request a limit")).to_be_visible()
    page.get_by_label("Search by registration number or name").press_sequentially(search, delay=40)
    results = page.locator("#debtor-results")
    expect(results).to_contain_text(debtor_name)
    results.get_by_text(debtor_name).first.click()
    expect(page.locator("#debtor-chosen")).to_contain_text(debtor_name)
    page.get_by_label("Amount (SEK)").fill(amount)


@pytest.mark.e2e
def test_instant_decisions_and_an_underwriters_decision_with_its_letter(
    live_server, page: Page, failed_requests
):
    # Given: an issued SEK policy, its insured user, an underwriter, the standard template,
    # a healthy debtor and a weak one (rating 30, below the template's 40)
    company = CompanyFactory(name="Nordisk Stålhandel AB", country="SE", language="en")
    UserFactory(username="karin", role=Role.INSURED, company=company, first_name="Karin")
    pieter = UserFactory(
        username="pieter", role=Role.UNDERWRITER, company=None, first_name="Pieter"
    )
    policy = policy_services.policy_create(
        actor=pieter,
        insured=company,
        start_date=timezone.localdate().replace(day=1),
        currency="SEK",
    )
    policy_services.policy_issue(actor=pieter, policy_id=policy.pk)
    default_template()
    healthy = CreditReportFactory(
        debtor__name="Göta Verkstäder AB", debtor__registration_number="556677-8907"
    ).debtor
    weak = CreditReportFactory(
        rating=30, debtor__name="Skakig Bygg AB", debtor__registration_number="559012-3450"
    ).debtor
    base = live_server.url

    # The insured finds the healthy debtor by its registration number and asks for 200 000
    log_in(page, base, "karin")
    request_limit(page, base, "556677", healthy.name, "200000")
    shot(page, "01-request-form")
    page.get_by_role("button", name="Send request").click()

    # and sees the approval at once
    decision = page.get_by_role("region", name=re.compile("Approved"))
    expect(decision).to_contain_text("Approved: SEK\xa0200,000.00")
    expect(decision).to_contain_text("Decided automatically")
    shot(page, "02-approved")

    # The weak debtor, found by name, is referred, and the page says why
    request_limit(page, base, "Skakig", weak.name, "200000")
    page.get_by_role("button", name="Send request").click()
    referred_heading = page.get_by_role("heading", name="Referred to an underwriter", exact=True)
    expect(referred_heading).to_be_visible()
    reasons = page.get_by_role("region", name="Reasons")
    expect(reasons).to_contain_text("The debtor's rating of 30 is below the minimum of 40.")
    shot(page, "03-referred")
    referred = LimitRequest.objects.get(debtor=weak)
    assert referred.status == RequestStatus.REFERRED

    # "My debtors" lists both, the referred one with its pending request
    main_menu(page).get_by_role("link", name="My debtors").click()
    expect(page.get_by_role("row").filter(has_text=healthy.name)).to_contain_text("200,000.00")
    expect(page.get_by_role("row").filter(has_text=weak.name)).to_contain_text("Referred")
    shot(page, "04-my-debtors")
    log_out(page)

    # The underwriter opens the queue and decides the referred request: partly, with a reason
    log_in(page, base, "pieter")
    page.goto(f"{base}{reverse('underwriting-queue')}")
    queued = page.get_by_role("row").filter(has_text=weak.name)
    expect(queued).to_be_visible()
    shot(page, "05-queue")
    queued.get_by_role("link", name="Decide").click()
    page.get_by_label("Partly approve").check()
    page.get_by_label("Amount granted").fill("50000")
    page.get_by_label("Reason").fill("Weak rating: we cover part of the amount for now.")
    shot(page, "06-decide")
    page.get_by_role("button", name="Record the decision").click()
    referred.refresh_from_db()
    assert referred.status == RequestStatus.PARTLY_APPROVED
    log_out(page)

    # The insured sees the decision among its requests
    log_in(page, base, "karin")
    main_menu(page).get_by_role("link", name="Limit requests").click()
    row = page.get_by_role("row").filter(has_text=weak.name)
    expect(row).to_contain_text("Partly approved")
    shot(page, "07-requests")
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text(
        "Partly approved: SEK\xa050,000.00 of the SEK\xa0200,000.00 asked"
    )
    expect(page.get_by_role("region", name="Reasons")).to_contain_text("Weak rating")
    expect(page.get_by_text(re.compile("Decided by Pieter"))).to_be_visible()
    shot(page, "08-decided")

    # and downloads the letter, a PDF that names the debtor
    letters = page.get_by_role("region", name="Decision letter")
    with page.expect_download() as download_info:
        letters.get_by_role("link", name=re.compile("letter")).click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert weak.name in text

    # The limit page shows the amount in force and who decided it
    page.get_by_role("link", name="Limit and history").click()
    expect(page.get_by_role("region", name="In force today")).to_contain_text("SEK\xa050,000.00")
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("row").filter(has_text="Granted")).to_contain_text("Pieter")
    shot(page, "09-limit")

    assert failed_requests == []
