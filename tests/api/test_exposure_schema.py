"""The exposure API answers as its schema says, in the states the fuzzing world does not hold
(invoices paid, disputed, extended, with payments and credit notes; requests decided), and
documents every refusal it can give."""

import json
from datetime import date
from decimal import Decimal

import pytest
import requests
import schemathesis
from rest_framework.test import APIClient
from schemathesis.core.transport import Response

from exposure import services
from tests.api.test_invoices_api import (  # noqa: F401  (fixtures)
    INVOICES,
    debtor_fixture,
    empty_cache,
    limit_of,
    mid_june,
    reported,
)
from tests.api.test_schema import operations
from tests.factories.limits import DebtorFactory

EXPOSURE_PATHS = ("invoices", "payments", "credit-notes", "extension-requests")


@pytest.fixture
def raw_schema(db) -> dict:
    return APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def conforms(schema, method: str, template: str, response) -> None:
    """Raises when the answer is not one the schema documents for the operation."""
    answer = Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=requests.Request(method, f"http://testserver{template}").prepare(),
        elapsed=0.0,
        verify=True,
    )
    schema[template][method].validate_response(answer)


@pytest.fixture
def world(insured_user, underwriter, issued_policy, debtor):
    """Invoices in every state the detail shows: covered in part, paid, disputed, extended
    within the period and beyond it (granted), with payments and credit notes."""
    limit_of(issued_policy, debtor, "15000.00")
    covered = reported(insured_user, issued_policy, debtor, "F-1")
    above = reported(insured_user, issued_policy, debtor, "F-2", delivered=date(2026, 5, 2))
    paid = reported(insured_user, issued_policy, debtor, "F-3", delivered=date(2026, 5, 3))
    disputed = reported(insured_user, issued_policy, debtor, "F-4", delivered=date(2026, 5, 4))
    payment = services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("7000.00"),
        received_on=date(2026, 6, 1),
        invoice_id=paid.pk,
    )
    note = services.credit_note_record(
        actor=insured_user,
        invoice_id=paid.pk,
        number="K-1",
        amount=Decimal("3000.00"),
        issued_on=date(2026, 6, 2),
    )
    services.invoice_dispute(
        actor=insured_user, invoice_id=disputed.pk, since=date(2026, 6, 3), reason="Damaged"
    )
    services.invoice_extend(actor=insured_user, invoice_id=covered.pk, due_date=date(2026, 7, 1))
    request = services.invoice_extend(
        actor=insured_user, invoice_id=above.pk, due_date=date(2026, 9, 1), reason="Seasonal"
    )
    services.invoice_extension_decide(
        actor=underwriter, request_id=request.pk, grant=True, reason="Fine"
    )
    return {
        "invoices": [covered, above, paid, disputed],
        "payment": payment,
        "note": note,
        "request": request,
    }


@pytest.mark.parametrize("role", ["insured_user", "underwriter"])
def test_every_read_answers_as_the_schema_says(request, api_for, raw_schema, world, role):
    schema = schemathesis.openapi.from_dict(raw_schema)
    client = api_for(request.getfixturevalue(role))
    reads = [
        ("/api/v1/invoices/", None),
        ("/api/v1/payments/", None),
        ("/api/v1/credit-notes/", None),
        ("/api/v1/extension-requests/", None),
        *(("/api/v1/invoices/{id}/", invoice.pk) for invoice in world["invoices"]),
        ("/api/v1/payments/{id}/", world["payment"].pk),
        ("/api/v1/credit-notes/{id}/", world["note"].pk),
        ("/api/v1/extension-requests/{id}/", world["request"].pk),
    ]

    for template, pk in reads:
        response = client.get(template.replace("{id}", str(pk)) if pk else template)
        assert response.status_code == 200, template
        conforms(schema, "GET", template, response)


def test_the_paid_invoice_has_no_cover_and_the_others_say_why(api_for, insured_user, world):
    client = api_for(insured_user)

    covers = [client.get(f"{INVOICES}{i.pk}/").json()["cover"] for i in world["invoices"]]

    assert covers[2] is None
    assert [(c["covered"], c["reason"]) for c in (covers[0], covers[1], covers[3])] == [
        ("10000.00", None),
        ("5000.00", "above_limit"),
        ("0.00", "disputed"),
    ]


INVOICE = {
    "number": "F-9",
    "net_amount": "100.00",
    "invoice_date": "2026-06-01",
    "delivery_date": "2026-06-01",
    "original_due_date": "2026-07-01",
}


def test_writes_answer_as_the_schema_says(
    api_for, raw_schema, insured_user, underwriter, world, debtor
):
    schema = schemathesis.openapi.from_dict(raw_schema)
    covered, above, paid, disputed = world["invoices"]
    policy, other = covered.policy_id, DebtorFactory(country="SE")
    pending = services.invoice_extend(
        actor=insured_user, invoice_id=disputed.pk, due_date=date(2026, 9, 1), reason="Seasonal"
    )
    payment = {"policy": policy, "debtor": debtor.pk, "amount": "1", "received_on": "2026-06-01"}
    # (who, method, operation, id, body, the status it answers)
    answers = [
        (
            insured_user,
            "POST",
            "/api/v1/invoices/",
            None,
            {"policy": policy, "debtor": debtor.pk, **INVOICE},
            201,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/",
            None,
            {"policy": policy, "debtor": debtor.pk, **INVOICE},
            409,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/bulk/",
            None,
            {"policy": policy, "invoices": [{"debtor": debtor.pk, **INVOICE, "number": "F-10"}]},
            201,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/bulk/",
            None,
            {"policy": policy, "invoices": [{}]},
            400,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/{id}/extend/",
            covered.pk,
            {"due_date": "2026-07-10"},
            200,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/{id}/extend/",
            covered.pk,
            {"due_date": "2026-10-01", "reason": "Late season"},
            202,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/{id}/dispute/",
            above.pk,
            {"since": "2026-06-01", "reason": "Damaged"},
            200,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/{id}/settle-dispute/",
            above.pk,
            {"reason": "Agreed"},
            200,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/invoices/{id}/settle-dispute/",
            above.pk,
            {"reason": "Again"},
            409,
        ),
        (insured_user, "POST", "/api/v1/payments/", None, payment, 201),
        (
            insured_user,
            "POST",
            "/api/v1/payments/",
            None,
            {**payment, "debtor": other.pk, "invoice": paid.pk},
            404,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/credit-notes/",
            None,
            {"invoice": covered.pk, "number": "K-9", "amount": "1", "issued_on": "2026-06-01"},
            201,
        ),
        (
            insured_user,
            "POST",
            "/api/v1/extension-requests/{id}/decide/",
            pending.pk,
            {"grant": False, "reason": "No"},
            403,
        ),
        (
            underwriter,
            "POST",
            "/api/v1/extension-requests/{id}/decide/",
            pending.pk,
            {"grant": False, "reason": "No"},
            200,
        ),
        (
            underwriter,
            "POST",
            "/api/v1/extension-requests/{id}/decide/",
            pending.pk,
            {"grant": True, "reason": "Yes"},
            409,
        ),
    ]

    for user, method, template, pk, data, status in answers:
        path = template.replace("{id}", str(pk)) if pk else template
        response = api_for(user).generic(
            method, path, data=json.dumps(data), content_type="application/json"
        )
        assert response.status_code == status, (template, response.json())
        conforms(schema, method, template, response)


def test_every_exposure_operation_documents_its_refusals(raw_schema):
    # Given the exposure operations of the schema
    ours = {
        name: op
        for name, op in operations(raw_schema)
        if name.split()[1].split("/")[3] in EXPOSURE_PATHS
    }
    assert len(ours) == 16

    # Then each documents 401; those with an id 404; the writes 400 and 403; the creating
    # ones 409 for a reused Idempotency-Key, and say they take one
    missing = {}
    for name, op in ours.items():
        method, path = name.split()
        expected = {"401"}
        if "{id}" in path:
            expected.add("404")
        if method == "POST":
            expected |= {"400", "403"}
        params = {p["name"] for p in op.get("parameters", [])}
        if method == "POST" and "{id}" not in path:
            expected.add("409")
            if "Idempotency-Key" not in params:
                missing[name] = "Idempotency-Key"
        if not expected <= set(op["responses"]):
            missing[name] = sorted(expected - set(op["responses"]))
    assert missing == {}
