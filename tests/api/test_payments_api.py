"""The payment and credit note API: a payment goes to the invoice the debtor named, then to the
oldest unpaid ones, and says where it went; a credit note lowers what is unpaid; each company
sees its own."""

from datetime import date
from decimal import Decimal

import pytest

from exposure.models import CreditNote, Payment
from tests.api.test_invoices_api import (  # noqa: F401  (fixtures)
    debtor_fixture,
    empty_cache,
    errors_of,
    mid_june,
    reported,
)
from tests.factories.limits import DebtorFactory

PAYMENTS = "/api/v1/payments/"
CREDIT_NOTES = "/api/v1/credit-notes/"


def paid(policy, debtor, amount="12500.00", **extra) -> dict:
    return {
        "policy": policy.pk,
        "debtor": debtor.pk,
        "amount": amount,
        "received_on": "2026-06-10",
        **extra,
    }


@pytest.fixture
def two_invoices(insured_user, issued_policy, debtor):
    """F-1 due 31 May and F-2 due 9 June, 10 000 each."""
    older = reported(insured_user, issued_policy, debtor, "F-1")
    newer = reported(insured_user, issued_policy, debtor, "F-2", delivered=date(2026, 5, 10))
    return older, newer


# Payments ---------------------------------------------------------------------------------------


def test_a_payment_goes_to_the_oldest_invoices_and_says_where_it_went(
    api_for, insured_user, issued_policy, debtor, two_invoices
):
    older, newer = two_invoices

    response = api_for(insured_user).post(
        PAYMENTS, paid(issued_policy, debtor, "22500.00", reference="BG-1"), format="json"
    )

    assert response.status_code == 201, response.json()
    payment = response.json()
    assert (payment["amount"], payment["currency"], payment["invoice"]) == (
        "22500.00",
        "SEK",
        None,
    )
    assert [(a["invoice"], a["invoice_number"], a["amount"]) for a in payment["allocations"]] == [
        (older.pk, "F-1", "10000.00"),
        (newer.pk, "F-2", "10000.00"),
    ]
    assert payment["unallocated_amount"] == "2500.00"
    assert payment["recorded_by"] == insured_user.username


def test_a_payment_for_a_named_invoice_by_registration_number_goes_to_it_first(
    api_for, insured_user, issued_policy, debtor, two_invoices
):
    older, newer = two_invoices
    data = paid(issued_policy, debtor, "4000.00", invoice=newer.pk)
    del data["debtor"]
    data.update(debtor_country="SE", debtor_registration_number="5566778907")

    response = api_for(insured_user).post(PAYMENTS, data, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["invoice"] == newer.pk
    assert [(a["invoice"], a["amount"]) for a in response.json()["allocations"]] == [
        (newer.pk, "4000.00")
    ]
    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.open_amount, newer.open_amount) == (Decimal("10000.00"), Decimal("6000.00"))


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount": 100.5}, "amount", "float_not_allowed"),
        ({"amount": "0"}, "amount", "not_positive"),
        ({"received_on": "2026-06-16"}, "received_on", "in_future"),
        ({"debtor": 999999}, "debtor", "does_not_exist"),
        ({"invoice": 999999}, "invoice", "does_not_exist"),
    ],
)
def test_a_bad_payment_names_its_field_and_records_nothing(
    api_for, insured_user, issued_policy, debtor, two_invoices, changes, field, code
):
    response = api_for(insured_user).post(
        PAYMENTS, {**paid(issued_policy, debtor), **changes}, format="json"
    )

    assert response.status_code == 400
    assert errors_of(response) == {field: code}
    assert not Payment.objects.exists()


def test_an_invoice_of_another_debtor_named_by_a_payment_is_not_found(
    api_for, insured_user, issued_policy, debtor, two_invoices
):
    other = DebtorFactory(country="SE")
    data = paid(issued_policy, other, invoice=two_invoices[0].pk)

    response = api_for(insured_user).post(PAYMENTS, data, format="json")

    assert response.status_code == 404
    assert errors_of(response) == {"invoice": "not_found"}


def test_a_payment_is_recorded_once_whatever_the_retries(
    api_for, insured_user, issued_policy, debtor, two_invoices
):
    client = api_for(insured_user)
    data = paid(issued_policy, debtor, "1000.00")

    first = client.post(PAYMENTS, data, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    retried = client.post(PAYMENTS, data, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")

    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json()
    assert Payment.objects.count() == 1


def test_each_company_sees_its_own_payments_and_staff_only_read(
    api_for, insured_user, other_insured_user, underwriter, issued_policy, debtor, two_invoices
):
    created = api_for(insured_user).post(PAYMENTS, paid(issued_policy, debtor), format="json")
    url = f"{PAYMENTS}{created.json()['id']}/"

    assert api_for(other_insured_user).get(PAYMENTS).json()["results"] == []
    assert api_for(other_insured_user).get(url).status_code == 404
    assert api_for(underwriter).get(url).json() == created.json()
    assert api_for(underwriter).post(PAYMENTS, paid(issued_policy, debtor)).status_code == 403
    response = api_for(other_insured_user).post(PAYMENTS, paid(issued_policy, debtor))
    assert response.status_code == 400 and errors_of(response) == {"policy": "does_not_exist"}


def test_payments_are_listed_newest_first_and_filtered(
    api_for, insured_user, issued_policy, debtor, two_invoices
):
    client = api_for(insured_user)
    for day in ("2026-06-01", "2026-06-12", "2026-06-05"):
        client.post(PAYMENTS, paid(issued_policy, debtor, "100", received_on=day), format="json")

    def days(query=""):
        return [p["received_on"] for p in client.get(f"{PAYMENTS}?{query}").json()["results"]]

    assert days() == ["2026-06-12", "2026-06-05", "2026-06-01"]
    assert days("received_on_after=2026-06-02&ordering=received_on") == [
        "2026-06-05",
        "2026-06-12",
    ]
    assert days(f"debtor={debtor.pk + 1000}") == []


# Credit notes -----------------------------------------------------------------------------------


def note(invoice, amount="2500.00", number="K-1", **extra) -> dict:
    return {
        "invoice": invoice.pk,
        "number": number,
        "amount": amount,
        "issued_on": "2026-06-11",
        **extra,
    }


def test_a_credit_note_lowers_what_is_unpaid(api_for, insured_user, two_invoices):
    invoice = two_invoices[0]

    response = api_for(insured_user).post(
        CREDIT_NOTES, note(invoice, reason="Returned"), format="json"
    )

    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("invoice", "number", "amount", "currency")} == {
        "invoice": invoice.pk,
        "number": "K-1",
        "amount": "2500.00",
        "currency": "SEK",
    }
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("7500.00")


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount": "10000.01"}, "amount", "exceeds_unpaid"),
        ({"amount": 1.5}, "amount", "float_not_allowed"),
        ({"issued_on": "2026-06-16"}, "issued_on", "in_future"),
        ({"number": ""}, "number", "blank"),
    ],
)
def test_a_bad_credit_note_names_its_field(
    api_for, insured_user, two_invoices, changes, field, code
):
    response = api_for(insured_user).post(
        CREDIT_NOTES, note(two_invoices[0], **changes), format="json"
    )

    assert response.status_code == 400
    assert errors_of(response) == {field: code}
    assert not CreditNote.objects.exists()


def test_a_credit_note_number_is_recorded_once_per_invoice(api_for, insured_user, two_invoices):
    client = api_for(insured_user)
    client.post(CREDIT_NOTES, note(two_invoices[0], "100"), format="json")

    again = client.post(CREDIT_NOTES, note(two_invoices[0], "200"), format="json")
    elsewhere = client.post(CREDIT_NOTES, note(two_invoices[1], "200"), format="json")

    assert again.status_code == 409 and errors_of(again) == {"number": "already_reported"}
    assert elsewhere.status_code == 201


def test_each_company_sees_its_own_credit_notes(
    api_for, insured_user, other_insured_user, claims_handler, two_invoices
):
    created = api_for(insured_user).post(CREDIT_NOTES, note(two_invoices[0]), format="json")
    url = f"{CREDIT_NOTES}{created.json()['id']}/"

    assert api_for(other_insured_user).get(CREDIT_NOTES).json()["results"] == []
    assert api_for(other_insured_user).get(url).status_code == 404
    assert api_for(claims_handler).get(url).json() == created.json()
    [listed] = (
        api_for(insured_user).get(f"{CREDIT_NOTES}?invoice={two_invoices[0].pk}").json()["results"]
    )
    assert listed == created.json()
    response = api_for(other_insured_user).post(CREDIT_NOTES, note(two_invoices[0], number="K-9"))
    assert response.status_code == 400 and errors_of(response) == {"invoice": "does_not_exist"}
    assert api_for(claims_handler).post(CREDIT_NOTES, note(two_invoices[0])).status_code == 403
