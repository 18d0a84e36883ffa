"""A claim from the overdue notification to the settlement statement, as it is clicked: the
insured notifies a debtor overdue and files a claim on its insolvency, seeing beforehand what
it would pay, with a document; a claims handler asks for one more; the insured adds it and
says the documents are all there; the handler approves above the four-eyes amount, a second
handler approves, the payment is recorded, and the insured downloads the settlement
statement."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from claims.models import Claim, ClaimStatus
from exposure import services as exposure
from policies import services as policy_services
from tests.e2e.test_invoice_flow import log_in, log_out
from tests.exposure.test_invoice_pages import grant_limit
from tests.factories import CompanyFactory, UserFactory
from tests.factories.limits import DebtorFactory

SHOTS = Path("/tmp/claims_shots")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def a_pdf(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n% a scanned document\n")
    return path


@pytest.fixture
def world(db):
    """An insured with an issued SEK policy (four-eyes amount 10 000), a debtor with a limit of
    50 000 that went bankrupt five days ago owing a 20 000 invoice overdue since a month, an
    underwriter and two claims handlers."""
    today = timezone.localdate()
    company = CompanyFactory(name="Nordisk Stålhandel AB", country="SE", language="en")
    karin = UserFactory(username="karin", role=Role.INSURED, company=company, first_name="Karin")
    pieter = UserFactory(username="pieter", role=Role.UNDERWRITER, company=None)
    UserFactory(username="clara", role=Role.CLAIMS, first_name="Clara", last_name="Berg")
    UserFactory(username="hugo", role=Role.CLAIMS, first_name="Hugo", last_name="Lind")
    start = (today - timedelta(days=90)).replace(day=1)
    policy = policy_services.policy_create(
        actor=pieter,
        insured=company,
        start_date=start,
        currency="SEK",
        four_eyes_amount=Decimal("10000"),
    )
    policy = policy_services.policy_issue(actor=pieter, policy_id=policy.pk)
    debtor = DebtorFactory(
        name="Göta Verkstäder AB",
        country="SE",
        registration_number="556677-8907",
        insolvent_since=today - timedelta(days=5),
    )
    grant_limit(policy, debtor, "50000", since=start)
    exposure.invoice_report(
        actor=karin,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        number="F-501",
        net_amount=Decimal("20000.00"),
        vat_amount=Decimal("0.00"),
        invoice_date=today - timedelta(days=60),
        delivery_date=today - timedelta(days=60),
        original_due_date=today - timedelta(days=30),
    )
    return {"policy": policy, "debtor": debtor}


def open_claim(page: Page, base: str, claim: Claim) -> None:
    page.goto(f"{base}{reverse('claim-detail', args=[claim.pk])}")
    expect(page.get_by_role("heading", name=f"Claim {claim.number}")).to_be_visible()


@pytest.mark.e2e
def test_a_claim_from_notification_to_settlement_statement(
    live_server, page: Page, failed_requests, world, tmp_path
):
    base, policy, debtor = live_server.url, world["policy"], world["debtor"]

    # The insured notifies the debtor overdue from the notification form
    log_in(page, base, "karin")
    page.goto(f"{base}{reverse('notification-create')}?policy={policy.pk}&debtor={debtor.pk}")
    expect(page.locator("#notification-preview")).to_contain_text("F-501")
    page.get_by_role("button", name="Notify overdue").click()
    expect(page.get_by_role("status").first).to_contain_text("Göta Verkstäder AB is notified")

    # and files a claim from the notification: insolvency, on the register's date
    page.get_by_role("link", name="File a claim").click()
    expect(page.get_by_role("heading", name="File a claim")).to_be_visible()
    expect(page.get_by_label("Insolvency", exact=True)).to_be_checked()
    expect(page.get_by_label("Protracted default")).not_to_be_checked()
    page.get_by_label("Kind of insolvency").select_option(label="Bankruptcy")
    preview = page.locator("#claim-preview")
    expect(preview.locator("#preview-indemnity")).to_have_text("SEK\xa018,000.00")
    expect(preview.locator("#calculation-lines")).to_contain_text("F-501")
    expect(preview.locator("[data-step=insured_loss]")).to_contain_text("SEK\xa020,000.00")
    expect(preview).to_contain_text("from the debtor register")
    # choosing protracted default instead: the preview names the day it may be filed
    page.get_by_label("Protracted default").check()
    expect(preview.locator("#preview-waiting")).to_contain_text("may be filed from that day")
    expect(page.get_by_label("Kind of insolvency")).to_be_hidden()
    page.get_by_label("Insolvency", exact=True).check()
    expect(page.get_by_label("Kind of insolvency")).to_be_visible()
    expect(preview.locator("#preview-waiting")).to_have_count(0)
    page.get_by_label("What happened").fill("Bankruptcy order of the district court.")
    shot(page, "01-file-form-with-preview")
    page.get_by_role("button", name="File the claim").click()

    claim = Claim.objects.get()
    expect(page.get_by_role("heading", name=f"Claim {claim.number}")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("today it would pay SEK\xa018,000.00")

    # with a document: the unpaid invoices
    page.get_by_role("combobox", name="Document").select_option(label="The unpaid invoices")
    page.get_by_label("File", exact=True).set_input_files(a_pdf(tmp_path, "invoices.pdf"))
    page.get_by_role("button", name="Add the document").click()
    expect(page.get_by_role("status").first).to_contain_text("“invoices.pdf” is added")
    expect(page.locator("#document-checklist")).to_contain_text("invoices.pdf")
    shot(page, "02-claim-insured-filed")
    log_out(page)

    # A claims handler finds it in the queue, takes it up and asks for one more document
    log_in(page, base, "clara")
    expect(page.locator("#claims-by-status")).to_contain_text("Filed")
    shot(page, "03-home-handler")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Claims").click()
    nav.get_by_role("link", name="Claims queue").click()
    row = page.get_by_role("row").filter(has_text=claim.number)
    expect(row).to_contain_text("Filed")
    shot(page, "04-queue")
    row.get_by_role("link", name=claim.number).click()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("#claim-status")).to_contain_text("Under assessment")
    ask = page.locator("#action-ask")
    for kind in ask.get_by_role("checkbox").all():
        kind.uncheck()
    ask.get_by_label("Proof of delivery").check()
    ask.get_by_label("Message to the insured").fill("The signed delivery note for F-501.")
    ask.get_by_role("button", name="Ask the insured").click()
    expect(page.get_by_role("status").first).to_contain_text("asked for: Proof of delivery")
    log_out(page)

    # The insured adds it and says the documents are all there
    log_in(page, base, "karin")
    expect(page.locator("#claims-needing-documents")).to_contain_text("Proof of delivery")
    page.locator("#claims-needing-documents").get_by_role("link", name=claim.number).click()
    expect(page.locator("#documents-asked")).to_contain_text("The signed delivery note for F-501.")
    page.get_by_role("combobox", name="Document").select_option(label="Proof of delivery")
    page.get_by_label("File", exact=True).set_input_files(a_pdf(tmp_path, "delivery-note.pdf"))
    page.get_by_role("button", name="Add the document").click()
    expect(page.get_by_role("status").first).to_contain_text("“delivery-note.pdf” is added")
    page.get_by_role("button", name="The documents are all there").click()
    expect(page.get_by_role("status").first).to_contain_text("is back with the claims handler")
    log_out(page)

    # The handler approves: above the four-eyes amount, a second handler must agree
    log_in(page, base, "clara")
    open_claim(page, base, claim)
    expect(page.locator("#four-eyes-note")).to_contain_text("above the four-eyes amount")
    shot(page, "05-claim-handler-decide")
    page.get_by_label("Approve the calculated indemnity").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "above the four-eyes amount of SEK\xa010,000.00"
    )
    expect(page.locator("#action-second")).to_contain_text("You decided this settlement")
    log_out(page)

    log_in(page, base, "hugo")
    expect(page.locator("#second-approvals")).to_contain_text("decided by Clara Berg")
    shot(page, "06-home-second-handler")
    open_claim(page, base, claim)
    expect(page.locator("#four-eyes-decision")).to_contain_text(
        "Clara Berg settled the claim at SEK\xa018,000.00"
    )
    page.get_by_label("Agree with the settlement").check()
    shot(page, "07-claim-second-approval")
    page.get_by_role("button", name="Record the second approval").click()
    expect(page.get_by_role("status").first).to_contain_text("You gave the second approval")

    # and the payment is recorded (the statement is made at once: tasks run eagerly here)
    page.locator("#action-pay").get_by_label("Payment reference").fill("BG-2026-77")
    page.locator("#action-pay").get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status").first).to_contain_text("is paid: SEK\xa018,000.00")
    shot(page, "08-claim-handler-paid")
    log_out(page)

    # The insured reads the steps and downloads the settlement statement
    log_in(page, base, "karin")
    open_claim(page, base, claim)
    steps = page.locator("#claim-steps")
    expect(steps.get_by_role("listitem")).to_have_count(7)
    expect(steps).to_contain_text("Claims handler")
    expect(steps).not_to_contain_text("Clara")
    shot(page, "09-claim-insured-paid")
    with page.expect_download() as download:
        page.get_by_role("link", name="Settlement statement").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="My claims").click()
    expect(page.get_by_role("row").filter(has_text=claim.number)).to_contain_text("Paid")
    shot(page, "10-my-claims")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.documents.count() == 2
    # A link that answers with an attachment ends its navigation as a download.
    assert [f for f in failed_requests if "ERR_ABORTED" not in f] == []
