"""Recording a payment from the payments page (policy, debtor, an invoice it names by number)
and the payments list: scoped to the insured's company, sorted and paginated."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from exposure import services
from exposure.models import Payment
from tests.exposure import test_invoice_pages as pages
from tests.exposure.test_invoice_pages import (
    messages_of,
    page_of,
    report,
)
from tests.factories.limits import DebtorFactory

# Company B's policy and invoice
other_policy, others_invoice = pages.other_policy, pages.others_invoice


def payment_data(policy, debtor, /, **changes) -> dict:
    data = {
        "policy": policy.pk,
        "debtor": debtor.pk,
        "amount": "15000",
        "received_on": "2026-06-12",
        "invoice_number": "",
        "reference": "Bank 42",
    }
    return {**data, **changes}


def pay(user, policy, debtor, amount, received_on=date(2026, 6, 1)) -> Payment:
    return services.payment_record(
        actor=user,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal(amount),
        received_on=received_on,
    )


def test_a_payment_naming_an_invoice_pays_it_first_and_leaves_a_credit_balance(
    client, insured_user, issued_policy, debtor
):
    older = report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 3, 1))
    named = report(insured_user, issued_policy, debtor, 2)
    client.force_login(insured_user)

    response = client.post(
        reverse("payment-create"),
        payment_data(issued_policy, debtor, amount="25000", invoice_number="F-2"),
        follow=True,
    )

    payment = Payment.objects.get()
    assert payment.invoice == named and payment.unallocated_amount == Decimal("5000.00")
    assert response.redirect_chain[-1][0] == f"{reverse('payment-list')}?debtor={debtor.pk}"
    [message] = messages_of(response)
    assert message.startswith("Payment of SEK\xa025,000.00 from Kalles Kaffe AB recorded")
    assert "SEK\xa010,000.00 against invoice F-2" in message.split(";")[0]
    assert "SEK\xa05,000.00 left as the debtor's credit balance" in message
    older.refresh_from_db()
    assert older.open_amount == 0


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"invoice_number": "F-404"}, "invoice_number", "No invoice F-404"),
        ({"amount": "-5"}, "amount", "above 0"),
        ({"received_on": "2026-06-16"}, "received_on", "future"),
        ({"debtor": ""}, "debtor", "Find the debtor"),
        ({"policy": "999999"}, "policy", "Select a valid choice"),
    ],
)
def test_a_bad_payment_names_its_field_and_writes_nothing(
    client, insured_user, issued_policy, debtor, changes, field, text
):
    report(insured_user, issued_policy, debtor)
    client.force_login(insured_user)

    response = client.post(
        reverse("payment-create"), payment_data(issued_policy, debtor, **changes)
    )

    errors = {k: " ".join(v) for k, v in response.context["form"].errors.items()}
    assert list(errors) == [field] and text in errors[field], errors
    assert response.context["form"]["reference"].value() == "Bank 42"
    assert not Payment.objects.exists()


def test_the_payment_form_takes_policy_and_debtor_from_the_link(
    client, insured_user, issued_policy, debtor
):
    client.force_login(insured_user)

    response = client.get(
        reverse("payment-create"), {"policy": issued_policy.pk, "debtor": debtor.pk}
    )

    assert response.context["chosen"] == debtor
    assert response.context["form"]["policy"].value() == issued_policy.pk


def test_only_insured_users_record_payments(
    client, underwriter, claims_handler, admin_user, issued_policy, debtor
):
    for user in (underwriter, claims_handler, admin_user):
        client.force_login(user)
        assert client.get(reverse("payment-create")).status_code == 403
        data = payment_data(issued_policy, debtor)
        assert client.post(reverse("payment-create"), data).status_code == 403
    assert not Payment.objects.exists()


def test_the_payments_list_shows_the_companys_payments_and_where_each_went(
    client, insured_user, other_insured_user, issued_policy, debtor, others_invoice
):
    report(insured_user, issued_policy, debtor)
    pay(insured_user, issued_policy, debtor, "4000")
    client.force_login(insured_user)

    response = client.get(reverse("payment-list"))

    [payment] = response.context["object_list"]
    page = page_of(response)
    assert "F-1</a>: SEK\xa04,000.00" in page and "B-SECRET" not in page
    client.force_login(other_insured_user)
    assert not client.get(reverse("payment-list")).context["object_list"]


@pytest.mark.parametrize(
    ("params", "amounts"),
    [
        ({}, ["300.00", "200.00", "100.00"]),
        ({"ordering": "amount"}, ["100.00", "200.00", "300.00"]),
        ({"ordering": "debtor"}, ["200.00", "100.00", "300.00"]),
        ({"q": "Aalto"}, ["200.00"]),
        ({"q": "Aalto\x00"}, ["300.00", "200.00", "100.00"]),
    ],
)
def test_the_payments_list_sorts_and_filters(
    client, insured_user, issued_policy, debtor, params, amounts
):
    aalto = DebtorFactory(name="Aalto Trading AB")
    for n, (who, amount) in enumerate([(debtor, "100"), (aalto, "200"), (debtor, "300")]):
        pay(insured_user, issued_policy, who, amount, date(2026, 6, 1) + timedelta(days=n))
    client.force_login(insured_user)

    response = client.get(reverse("payment-list"), params)

    assert [str(p.amount) for p in response.context["object_list"]] == amounts


def test_the_payments_list_pages_in_a_fixed_number_of_queries(
    client, underwriter, insured_user, issued_policy, debtor, django_assert_max_num_queries
):
    report(insured_user, issued_policy, debtor)
    for _n in range(30):
        pay(insured_user, issued_policy, debtor, "100")
    client.force_login(underwriter)
    client.get(reverse("payment-list"))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("payment-list"))

    assert len(response.context["object_list"]) == 25
    assert len(client.get(reverse("payment-list"), {"page": 2}).context["object_list"]) == 5
