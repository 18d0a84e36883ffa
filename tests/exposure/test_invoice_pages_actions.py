"""What the insured does from an invoice's page: a payment, a credit note, a dispute and its
settlement, a later due date (at once within the maximum extension period, else a request to
the insurer). Each says what it did; bad input names its field and changes nothing; another
company's invoice does not exist; staff may not act; writes are POSTs with a CSRF token."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from exposure import services
from exposure.models import CreditNote, ExtensionRequest, ExtensionStatus, Invoice, Payment
from tests.exposure import test_invoice_pages as pages
from tests.exposure.test_invoice_pages import (
    messages_of,
    page_of,
    report,
)

ACTIONS = {
    "invoice-payment": {"amount": "4000", "received_on": "2026-06-10", "named": "on"},
    "invoice-credit-note": {"number": "K-1", "amount": "1000", "issued_on": "2026-06-10"},
    "invoice-dispute": {"since": "2026-06-10", "reason": "Goods damaged"},
    "invoice-settle-dispute": {"reason": "Agreed with the debtor"},
    "invoice-extend": {"due_date": "2026-06-20", "reason": ""},
}

# Company B's policy and invoice
other_policy, others_invoice = pages.other_policy, pages.others_invoice


@pytest.fixture
def invoice(insured_user, issued_policy, debtor):
    """Delivered 1 May on 30 days: due 31 May, maximum extension period until 30 July."""
    return report(insured_user, issued_policy, debtor, 1)


def post(client, name, invoice, data, **kwargs):
    return client.post(reverse(name, args=[invoice.pk]), data, **kwargs)


def errors_of(response) -> dict:
    return {k: " ".join(v) for k, v in response.context["form"].errors.items()}


def state(invoice) -> tuple:
    invoice.refresh_from_db()
    return (
        invoice.open_amount,
        invoice.due_date,
        invoice.disputed_since,
        Payment.objects.count(),
        CreditNote.objects.count(),
        ExtensionRequest.objects.count(),
    )


# Payments ----------------------------------------------------------------------------------


def test_a_partial_payment_lowers_the_unpaid_amount_and_says_where_it_went(
    client, insured_user, invoice
):
    client.force_login(insured_user)
    form = client.get(reverse("invoice-payment", args=[invoice.pk])).context["form"]
    assert form["amount"].value() == Decimal("10000.00")  # prefilled: what is unpaid

    response = post(client, "invoice-payment", invoice, ACTIONS["invoice-payment"], follow=True)

    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("6000.00")
    assert response.redirect_chain == [(reverse("invoice-detail", args=[invoice.pk]), 302)]
    assert messages_of(response) == [
        "Payment of SEK\xa04,000.00 from Kalles Kaffe AB recorded: SEK\xa04,000.00 against "
        "invoice F-1 (unpaid now SEK\xa06,000.00)."
    ]
    assert Payment.objects.get().invoice == invoice


def test_a_payment_not_naming_the_invoice_goes_to_the_oldest_first(
    client, insured_user, issued_policy, debtor
):
    older = report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 3, 1))
    newer = report(insured_user, issued_policy, debtor, 2)
    client.force_login(insured_user)

    post(client, "invoice-payment", newer, {"amount": "12000", "received_on": "2026-06-10"})

    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.open_amount, newer.open_amount) == (Decimal("0.00"), Decimal("8000.00"))


@pytest.mark.parametrize(
    ("name", "changes", "field", "text"),
    [
        ("invoice-payment", {"amount": "0"}, "amount", "above 0"),
        ("invoice-payment", {"amount": "1,2,3"}, "amount", "Group the thousands"),
        ("invoice-payment", {"received_on": "2026-07-01"}, "received_on", "future"),
        ("invoice-credit-note", {"amount": "10000.01"}, "amount", "larger than what is unpaid"),
        ("invoice-credit-note", {"number": ""}, "number", "required"),
        ("invoice-credit-note", {"issued_on": "2026-06-16"}, "issued_on", "future"),
        ("invoice-dispute", {"reason": ""}, "reason", "Say what the debtor disputes"),
        ("invoice-dispute", {"since": "2026-06-16"}, "since", "future"),
        ("invoice-settle-dispute", {}, "__all__", "not disputed"),
        ("invoice-extend", {"due_date": "2026-05-31"}, "due_date", "must lie after"),
        ("invoice-extend", {"due_date": "2026-08-15"}, "reason", "the insurer must consent"),
        ("invoice-extend", {"due_date": "2026-13-45"}, "due_date", "valid date"),
    ],
)
def test_bad_input_names_its_field_keeps_the_input_and_changes_nothing(
    client, insured_user, invoice, name, changes, field, text
):
    client.force_login(insured_user)
    before = state(invoice)
    data = {**ACTIONS[name], **changes}

    response = post(client, name, invoice, data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == [field] and text in errors[field], errors
    assert state(invoice) == before
    form = response.context["form"]
    assert all(form[k].value() == v for k, v in data.items() if k in form.fields and v != "on")


# Credit notes, disputes ---------------------------------------------------------------------


def test_a_credit_note_lowers_what_is_unpaid(client, insured_user, invoice):
    client.force_login(insured_user)

    response = post(
        client, "invoice-credit-note", invoice, ACTIONS["invoice-credit-note"], follow=True
    )

    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("9000.00")
    assert "Credit note K-1 of SEK\xa01,000.00 recorded" in messages_of(response)[0]
    assert "K-1" in page_of(response)
    again = post(client, "invoice-credit-note", invoice, ACTIONS["invoice-credit-note"])
    assert "already recorded" in errors_of(again)["number"]


def test_a_dispute_is_marked_with_its_reason_and_settled(client, insured_user, invoice):
    client.force_login(insured_user)

    response = post(client, "invoice-dispute", invoice, ACTIONS["invoice-dispute"], follow=True)

    invoice.refresh_from_db()
    assert invoice.disputed_since == date(2026, 6, 10)
    assert invoice.dispute_reason == "Goods damaged"
    assert "is not covered" in messages_of(response)[0]
    page = page_of(response)
    assert "Goods damaged" in page and "Settle the dispute" in page
    # And the dispute page now says it is disputed already, without a form
    again = client.get(reverse("invoice-dispute", args=[invoice.pk]))
    assert not again.context["available"] and "already disputed" in page_of(again)

    response = post(client, "invoice-settle-dispute", invoice, ACTIONS["invoice-settle-dispute"])

    invoice.refresh_from_db()
    assert invoice.disputed_since is None and response.status_code == 302


# Extensions --------------------------------------------------------------------------------


def test_a_due_date_within_the_period_applies_at_once(client, insured_user, invoice):
    client.force_login(insured_user)

    response = post(client, "invoice-extend", invoice, ACTIONS["invoice-extend"], follow=True)

    invoice.refresh_from_db()
    assert invoice.due_date == date(2026, 6, 20) and invoice.original_due_date == date(2026, 5, 31)
    assert (
        "is now 2026-06-20. This is within the maximum extension period"
        in (messages_of(response)[0])
    )
    assert not ExtensionRequest.objects.exists()


def test_a_due_date_beyond_the_period_is_asked_of_the_insurer(client, insured_user, invoice):
    client.force_login(insured_user)
    page = page_of(client.get(reverse("invoice-extend", args=[invoice.pk])))
    assert "Up to <strong>30 July 2026</strong>" in page

    response = post(
        client,
        "invoice-extend",
        invoice,
        {"due_date": "2026-08-15", "reason": "Seasonal business"},
        follow=True,
    )

    request = ExtensionRequest.objects.get()
    assert (request.status, request.due_date) == (ExtensionStatus.PENDING, date(2026, 8, 15))
    invoice.refresh_from_db()
    assert invoice.due_date == date(2026, 5, 31)
    assert messages_of(response) == [
        "2026-08-15 lies beyond the maximum extension period, which ends on 2026-07-30: the "
        "insurer must consent. Your request is sent to the insurer; the due date stays "
        "2026-05-31 until it is granted."
    ]
    assert "is waiting for the insurer" in page_of(response)


def test_a_paid_invoice_offers_no_credit_note_or_extension(
    client, insured_user, issued_policy, debtor, invoice
):
    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("10000"),
        received_on=date(2026, 6, 1),
    )
    client.force_login(insured_user)

    for name in ("invoice-credit-note", "invoice-extend"):
        response = client.get(reverse(name, args=[invoice.pk]))
        assert not response.context["available"] and "paid in full" in page_of(response)


# Who may act -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTIONS)
def test_another_companys_invoice_does_not_exist_and_staff_may_not_act(
    client, insured_user, underwriter, claims_handler, admin_user, others_invoice, name
):
    before = state(others_invoice)
    client.force_login(insured_user)
    assert client.get(reverse(name, args=[others_invoice.pk])).status_code == 404
    assert post(client, name, others_invoice, ACTIONS[name]).status_code == 404
    for user in (underwriter, claims_handler, admin_user):
        client.force_login(user)
        assert client.get(reverse(name, args=[others_invoice.pk])).status_code == 403
        assert post(client, name, others_invoice, ACTIONS[name]).status_code == 403
    client.logout()
    assert post(client, name, others_invoice, ACTIONS[name]).status_code == 302
    assert state(others_invoice) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_a_write_without_the_csrf_token_is_refused(insured_user, invoice, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(insured_user)
    before = state(invoice)

    assert post(client, name, invoice, ACTIONS[name]).status_code == 403
    assert state(invoice) == before
    assert Invoice.objects.count() == 1
