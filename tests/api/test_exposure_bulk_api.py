"""Reporting many invoices in one call: all or nothing, and a refusal names every bad item,
whether the input checks or the service find it."""

import pytest

from exposure.models import Invoice
from exposure.serializers import INVOICE_BULK_MAX
from tests.api.test_invoices_api import (  # noqa: F401  (fixtures)
    debtor_fixture,
    empty_cache,
    errors_of,
    mid_june,
    reported,
)
from tests.factories.limits import DebtorFactory

BULK = "/api/v1/invoices/bulk/"


def item(debtor=None, number="F-1", **changes) -> dict:
    """One invoice of a bulk call: as one reported alone, without `policy`."""
    data = {
        "number": number,
        "net_amount": "8000.00",
        "vat_amount": "2000.00",
        "invoice_date": "2026-05-01",
        "delivery_date": "2026-05-01",
        "original_due_date": "2026-05-31",
    }
    if debtor is not None:
        data["debtor"] = debtor.pk
    return {**data, **changes}


def bulk(policy, items) -> dict:
    return {"policy": policy.pk, "invoices": items}


def test_every_invoice_is_reported_in_the_order_sent(api_for, insured_user, issued_policy, debtor):
    other = DebtorFactory(country="SE", registration_number="556036-0793")
    items = [
        item(debtor, "F-1"),
        item(None, "F-2", debtor_country="SE", debtor_registration_number="5560360793"),
        item(debtor, "F-3", vat_amount="0", net_amount="400"),
    ]

    response = api_for(insured_user).post(BULK, bulk(issued_policy, items), format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["count"] == 3
    assert [(i["number"], i["debtor"]["id"], i["gross_amount"]) for i in answer["invoices"]] == [
        ("F-1", debtor.pk, "10000.00"),
        ("F-2", other.pk, "10000.00"),
        ("F-3", debtor.pk, "400.00"),
    ]
    assert [i["id"] for i in answer["invoices"]] == list(
        Invoice.objects.order_by("id").values_list("id", flat=True)
    )


def test_a_refusal_names_every_bad_item_and_reports_none(
    api_for, insured_user, issued_policy, debtor
):
    # Given invoices wrong in every way: types, the register, the rules, the numbers
    reported(insured_user, issued_policy, debtor, "F-OLD")
    items = [
        item(debtor, "F-1"),  # good
        item(debtor, "F-2", net_amount="-5"),  # not above 0
        item(debtor, "F-3", currency="EUR"),  # not the policy's currency
        item(None, "F-4", debtor_country="SE", debtor_registration_number="556036-0793"),
        item(debtor, "F-1"),  # the same number twice in the call
        item(debtor, "F-OLD"),  # reported before
        item(debtor, "F-7", invoice_date="1 May"),  # not a date
        "F-8",  # not an object
        None,
    ]

    # When they are sent in one call
    response = api_for(insured_user).post(BULK, bulk(issued_policy, items), format="json")

    # Then the answer names each bad item with its field and code, and nothing was reported
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert errors_of(response) == {
        "invoices[1].net_amount": "invalid",
        "invoices[2].currency": "currency_mismatch",
        "invoices[3].debtor_registration_number": "debtor_not_registered",
        "invoices[4].number": "duplicate",
        "invoices[5].number": "already_reported",
        "invoices[6].invoice_date": "invalid",
        "invoices[7]": "invalid",
        "invoices[8]": "null",
    }
    assert list(Invoice.objects.values_list("number", flat=True)) == ["F-OLD"]


def test_a_refusal_by_the_service_alone_names_its_items(
    api_for, insured_user, issued_policy, debtor
):
    items = [item(debtor, "F-1"), item(debtor, "F-2", delivery_date="2026-06-30")]

    response = api_for(insured_user).post(BULK, bulk(issued_policy, items), format="json")

    assert response.status_code == 400
    assert errors_of(response) == {"invoices[1].delivery_date": "in_future"}
    assert not Invoice.objects.exists()


def test_a_json_float_anywhere_is_refused_before_anything_else(
    api_for, insured_user, issued_policy, debtor
):
    items = [item(debtor, "F-1", currency="EUR"), item(debtor, "F-2", net_amount=100.5)]

    response = api_for(insured_user).post(BULK, bulk(issued_policy, items), format="json")

    assert response.status_code == 400
    assert errors_of(response) == {"invoices[1].net_amount": "float_not_allowed"}


@pytest.mark.parametrize(
    ("invoices", "code"),
    [([], "min_length"), ([{}] * (INVOICE_BULK_MAX + 1), "max_length"), ("F-1", "not_a_list")],
)
def test_a_call_holds_one_to_the_stated_number_of_invoices(
    api_for, insured_user, issued_policy, invoices, code
):
    response = api_for(insured_user).post(
        BULK, {"policy": issued_policy.pk, "invoices": invoices}, format="json"
    )

    assert response.status_code == 400
    assert errors_of(response) == {"invoices": code}


def test_the_most_invoices_a_call_takes_are_reported_in_one_go(
    api_for, insured_user, issued_policy, debtor
):
    items = [item(debtor, f"F-{n}") for n in range(INVOICE_BULK_MAX)]

    response = api_for(insured_user).post(BULK, bulk(issued_policy, items), format="json")

    assert response.status_code == 201 and response.json()["count"] == INVOICE_BULK_MAX
    assert Invoice.objects.count() == INVOICE_BULK_MAX


def test_a_retry_with_the_same_key_reports_nothing_twice(
    api_for, insured_user, issued_policy, debtor
):
    client = api_for(insured_user)
    data = bulk(issued_policy, [item(debtor, "F-1"), item(debtor, "F-2")])

    first = client.post(BULK, data, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")
    retried = client.post(BULK, data, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")
    without_key = client.post(BULK, data, format="json")

    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json()
    assert without_key.status_code == 400
    assert set(errors_of(without_key).values()) == {"already_reported"}
    assert Invoice.objects.count() == 2


def test_only_the_insured_reports_and_only_under_its_policy(
    api_for, other_insured_user, underwriter, issued_policy, debtor
):
    data = bulk(issued_policy, [item(debtor)])

    assert api_for(underwriter).post(BULK, data, format="json").status_code == 403
    response = api_for(other_insured_user).post(BULK, data, format="json")
    assert response.status_code == 400 and errors_of(response) == {"policy": "does_not_exist"}
    assert not Invoice.objects.exists()
