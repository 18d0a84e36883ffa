"""The insured reports an invoice (finding the debtor in the register), records a partial
payment from the invoice's page and sees what is still unpaid and the invoice's timeline; in a
second flow it asks for a due date beyond the maximum extension period and an underwriter
grants it from the extension queue."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from exposure import services
from exposure.models import ExtensionRequest, ExtensionStatus, Invoice
from policies import services as policy_services
from tests.exposure.test_invoice_pages import grant_limit
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tests.factories.limits import DebtorFactory

SHOTS = Path("/tmp/shots")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"invoices-{name}.png"), full_page=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")


def log_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main").locator(".dropdown-toggle").last.click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


@pytest.fixture
def world(db):
    """An insured with an issued SEK policy since two months ago, a 50 000 limit on one
    debtor, and an underwriter."""
    company = CompanyFactory(name="Nordisk Stålhandel AB", country="SE", language="en")
    UserFactory(username="karin", role=Role.INSURED, company=company, first_name="Karin")
    pieter = UserFactory(username="pieter", role=Role.UNDERWRITER, company=None)
    start = (timezone.localdate() - timedelta(days=60)).replace(day=1)
    policy = policy_services.policy_create(
        actor=pieter, insured=company, start_date=start, currency="SEK"
    )
    policy = policy_services.policy_issue(actor=pieter, policy_id=policy.pk)
    debtor = DebtorFactory(
        name="Göta Verkstäder AB", country="SE", registration_number="556677-8907"
    )
    grant_limit(policy, debtor, "50000", since=start)
    return {"policy": policy, "debtor": debtor, "karin": company.users.get(), "pieter": pieter}


@pytest.mark.e2e
def test_the_insured_reports_an_invoice_and_a_partial_payment(
    live_server, page: Page, failed_requests, world
):
    base, today = live_server.url, timezone.localdate()
    delivered, due = today - timedelta(days=40), today - timedelta(days=10)
    log_in(page, base, "karin")

    # The insured opens its invoices: none yet, and the page says what to do
    page.goto(f"{base}{reverse('invoice-list')}")
    expect(page.get_by_text("You have reported no invoices yet")).to_be_visible()
    page.get_by_role("link", name="Report an invoice").click()
    expect(page.get_by_role("heading", name="Report an invoice")).to_be_visible()

    # finds the debtor by its registration number and chooses it
    page.get_by_label("Search the register").press_sequentially("556677", delay=40)
    options = page.locator("#debtor-options")
    expect(options.get_by_text("Your debtors")).to_have_count(0)  # the matches have come
    expect(options.get_by_label(re.compile("Göta Verkstäder AB"))).to_have_count(1)
    options.get_by_label(re.compile("Göta Verkstäder AB")).check()

    # and sends the invoice without its due date first: the error names the field
    page.get_by_label("Invoice number").fill("F-2024")
    page.get_by_label("Net amount (SEK)").fill("8000")
    page.get_by_label("VAT (SEK)").fill("2000")
    page.get_by_label("Invoice date").fill(delivered.isoformat())
    page.get_by_label("Delivery date").fill(delivered.isoformat())
    page.get_by_role("button", name="Report the invoice").click()
    due_field = page.get_by_role("textbox", name="Due date", exact=True)
    expect(due_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Invoice number")).to_have_value("F-2024")
    expect(page.get_by_label(re.compile("Göta Verkstäder AB"))).to_be_checked()
    shot(page, "01-form-error")
    due_field.fill(due.isoformat())
    page.get_by_label("Payment terms (days)").fill("30")
    page.get_by_role("button", name="Report the invoice").click()

    # The invoice's page: reported, unpaid in full, overdue, covered within the limit
    expect(page.get_by_role("heading", name=re.compile("Invoice F-2024"))).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Invoice F-2024 to Göta")
    expect(page.locator("#unpaid-amount")).to_have_text("SEK\xa010,000.00")
    expect(page.get_by_role("region", name="Cover", exact=True)).to_contain_text("SEK\xa010,000.00")
    shot(page, "02-reported")

    # The insured records a partial payment of 4 000 from the invoice's page
    page.get_by_role("link", name="Record a payment").click()
    expect(
        page.get_by_role("heading", name=re.compile("Record a payment from Göta"))
    ).to_be_visible()
    page.get_by_label("Amount received (SEK)").fill("4000")
    shot(page, "03-payment-form")
    page.get_by_role("button", name="Record the payment").click()

    # and sees what is still unpaid, the payment, and the timeline with the next deadline
    expect(page.get_by_role("status").first).to_contain_text(
        "SEK\xa04,000.00 against invoice F-2024 (unpaid now SEK\xa06,000.00)"
    )
    expect(page.locator("#unpaid-amount")).to_have_text("SEK\xa06,000.00")
    payments = page.get_by_role("region", name="Payments")
    expect(payments.get_by_role("row").filter(has_text="4,000.00")).to_have_count(1)
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_role("listitem")).to_have_count(4)
    expect(timeline.get_by_role("listitem").first).to_contain_text("Original due date")
    expect(timeline.get_by_role("listitem").first).to_contain_text("passed")
    next_one = timeline.locator("li[aria-current=step]")
    expect(next_one).to_contain_text("End of the maximum extension period")
    expect(next_one).to_contain_text("maximum extension period, 60 days")
    shot(page, "04-after-payment")

    # The list shows the invoice with its unpaid amount and the covered part
    page.get_by_role("link", name="Invoices").first.click()
    row = page.get_by_role("row").filter(has_text="F-2024")
    expect(row).to_contain_text("SEK\xa06,000.00")
    expect(row).to_contain_text("Overdue")
    shot(page, "05-list")
    assert Invoice.objects.get().open_amount == 6000
    assert failed_requests == []


@pytest.mark.e2e
def test_an_extension_beyond_the_period_is_granted_by_an_underwriter(
    live_server, page: Page, failed_requests, world
):
    today = timezone.localdate()
    invoice = services.invoice_report(
        actor=world["karin"],
        policy_id=world["policy"].pk,
        debtor_id=world["debtor"].pk,
        number="F-77",
        net_amount=Decimal("8000.00"),
        vat_amount=Decimal("2000.00"),
        invoice_date=today - timedelta(days=40),
        delivery_date=today - timedelta(days=40),
        original_due_date=today - timedelta(days=10),
    )
    later = today + timedelta(days=80)  # beyond the 60 days' period from the due date
    base = live_server.url

    # The insured asks for a due date beyond the maximum extension period, with a reason
    log_in(page, base, "karin")
    page.goto(f"{base}{reverse('invoice-detail', args=[invoice.pk])}")
    page.get_by_role("link", name="Extend the due date").click()
    page.get_by_label("New due date").fill(later.isoformat())
    page.get_by_role("button", name="Extend the due date").click()
    expect(page.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    shot(page, "06-extend-needs-reason")
    page.get_by_label("Reason").fill("The debtor waits for its own customer's payment.")
    page.get_by_role("button", name="Extend the due date").click()
    expect(page.get_by_role("status").first).to_contain_text("the insurer must consent")
    shot(page, "07-extension-asked")
    log_out(page)

    # The underwriter finds it first in the queue and grants it
    log_in(page, base, "pieter")
    page.goto(f"{base}{reverse('extension-queue')}")
    row = page.get_by_role("row").filter(has_text="F-77")
    expect(row).to_contain_text("waiting")
    shot(page, "08-queue")
    row.get_by_role("link", name=re.compile("Decide")).click()
    expect(page.get_by_role("region", name="What the insured asks")).to_contain_text(
        "The debtor waits"
    )
    page.get_by_label("Grant the later due date").check()
    page.get_by_label("Reason").fill("A long-standing customer; the debtor pays late but pays.")
    shot(page, "09-decide")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status").first).to_contain_text("Granted: invoice F-77")
    shot(page, "10-queue-after")
    request = ExtensionRequest.objects.get()
    assert request.status == ExtensionStatus.GRANTED
    invoice.refresh_from_db()
    assert invoice.due_date == later
    assert failed_requests == []
