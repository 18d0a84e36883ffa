"""An underwriter drafts and issues a policy; the insured then finds it and its schedule."""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Role
from policies.models import DocumentKind, DocumentStatus, Policy, PolicyDocument
from tests.factories import PASSWORD, CompanyFactory, UserFactory

SHOTS = Path("/tmp")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"e2e-{name}.png"), full_page=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def stylesheets_applied(page: Page) -> bool:
    """Bootstrap and the app's stylesheet loaded with rules (not an empty or missing file)."""
    return page.evaluate(
        """() => {
            const loaded = [...document.styleSheets].filter(s => s.href && s.cssRules.length);
            return ['bootstrap.min.css', 'app.css'].every(
                name => loaded.some(s => s.href.includes(name)));
        }"""
    )


@pytest.mark.e2e
def test_underwriter_issues_a_policy_and_the_insured_downloads_its_schedule(
    live_server, page: Page, failed_requests
):
    # Given: an insured company with one user, and an underwriter
    company = CompanyFactory(name="Nordisk Stålhandel AB", country="SE", language="sv")
    UserFactory(username="karin", role=Role.INSURED, company=company, first_name="Karin")
    UserFactory(username="pieter", role=Role.UNDERWRITER, company=None, first_name="Pieter")
    start = timezone.localdate().replace(day=1)
    base = live_server.url

    # The underwriter signs in and opens "New policy"
    page.goto(f"{base}/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert stylesheets_applied(page)
    shot(page, "01-login")
    log_in(page, base, "pieter")
    expect(page.get_by_role("heading", name="Underwriting")).to_be_visible()
    shot(page, "02-underwriter-home")
    page.get_by_role("link", name="New policy").first.click()

    # picks the insured, fills the start date and currency, and creates the draft
    expect(page.get_by_role("heading", name="New policy")).to_be_visible()
    page.get_by_label("Insured company").select_option(label=company.name)
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Currency").fill("SEK")
    shot(page, "03-new-policy-form")
    page.get_by_role("button", name="Create draft").click()

    policy = Policy.objects.get(insured=company)
    expect(page.get_by_text(f"Draft policy {policy.number} created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(policy.number)
    shot(page, "04-draft")

    # issues it, accepting the confirmation
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue policy").click()
    expect(page.get_by_text(f"Policy {policy.number} issued")).to_be_visible()

    # The schedule was rendered after the commit and is listed under Documents
    schedule = PolicyDocument.objects.get(policy=policy, kind=DocumentKind.SCHEDULE)
    assert schedule.status == DocumentStatus.READY
    documents = page.get_by_role("region", name="Documents")
    link = documents.get_by_role("link", name="Policy schedule v1")
    expect(link).to_be_visible()
    shot(page, "05-issued")

    # and downloads as a PDF that names the policy
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{policy.number}-schedule-v1.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert policy.number in text and company.name in text

    # The underwriter logs out; the insured user signs in
    page.get_by_role("navigation", name="Main").locator(".dropdown-toggle").last.click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    log_in(page, base, "karin")
    expect(page.get_by_role("heading", name=f"Welcome, {company.name}")).to_be_visible()
    shot(page, "06-insured-home")

    # sees the policy in "My policies"
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name="Policies").click()
    page.get_by_role("link", name="My policies").click()
    row = page.get_by_role("row").filter(has_text=policy.number)
    expect(row).to_contain_text("Issued")
    shot(page, "07-my-policies")
    row.get_by_role("link", name=policy.number).click()
    expect(
        page.get_by_role("region", name="Documents").get_by_role("link", name="Policy schedule v1")
    ).to_be_visible()
    shot(page, "08-insured-policy")

    # and its schedule on the Documents page
    menu.get_by_role("button", name="Policies").click()
    menu.get_by_role("link", name="Documents").click()
    expect(page.get_by_role("row").filter(has_text=policy.number)).to_contain_text(
        re.compile("Policy schedule")
    )
    shot(page, "09-insured-documents")

    assert stylesheets_applied(page)
    assert failed_requests == []
