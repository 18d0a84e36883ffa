"""Extension requests beyond the maximum extension period: the insured reads its own, an
underwriter grants or refuses, once; nobody else decides."""

import pytest

from exposure import services
from exposure.models import ExtensionStatus
from tests.api.test_invoices_api import (  # noqa: F401  (fixtures)
    INVOICES,
    debtor_fixture,
    empty_cache,
    errors_of,
    mid_june,
    reported,
)

REQUESTS = "/api/v1/extension-requests/"


@pytest.fixture
def waiting(insured_user, issued_policy, debtor):
    """A request to move F-1's due date from 31 May to 15 September (MEP ends 30 July)."""
    invoice = reported(insured_user, issued_policy, debtor)
    return services.invoice_extend(
        actor=insured_user,
        invoice_id=invoice.pk,
        due_date=invoice.due_date.replace(month=9, day=15),
        reason="Seasonal",
    )


def test_the_insured_reads_its_request_with_why_it_waits(api_for, insured_user, waiting):
    [listed] = api_for(insured_user).get(REQUESTS).json()["results"]
    detail = api_for(insured_user).get(f"{REQUESTS}{waiting.pk}/").json()

    assert listed == detail
    assert (detail["status"], detail["due_date"], detail["original_due_date"]) == (
        "pending",
        "2026-09-15",
        "2026-05-31",
    )
    assert (detail["reason"], detail["requested_by"], detail["decided_by"]) == (
        "Seasonal",
        insured_user.username,
        None,
    )
    [reason] = detail["reasons"]
    assert reason["code"] == "beyond_extension"
    assert reason["values"] == {"due_date": "2026-09-15", "original_due_date": "2026-05-31"}


def test_another_company_neither_sees_nor_finds_the_request(api_for, other_insured_user, waiting):
    assert api_for(other_insured_user).get(REQUESTS).json()["results"] == []
    assert api_for(other_insured_user).get(f"{REQUESTS}{waiting.pk}/").status_code == 404


def test_an_underwriter_grants_and_the_invoice_takes_the_new_due_date(
    api_for, underwriter, insured_user, waiting
):
    client = api_for(underwriter)
    url = f"{REQUESTS}{waiting.pk}/decide/"

    granted = client.post(url, {"grant": True, "reason": "Long-standing debtor"}, format="json")
    again = client.post(url, {"grant": False, "reason": "Changed my mind"}, format="json")

    assert granted.status_code == 200
    assert (granted.json()["status"], granted.json()["decided_by"]) == ("granted", "uw")
    assert granted.json()["reasons"] == [
        {"code": "underwriter", "message": "Long-standing debtor", "values": {}}
    ]
    assert again.status_code == 409
    assert errors_of(again) == {"status": "transition_not_allowed"}
    invoice = api_for(insured_user).get(f"{INVOICES}{waiting.invoice_id}/").json()
    assert invoice["due_date"] == invoice["consented_due_date"] == "2026-09-15"
    assert [m["code"] for m in invoice["timeline"]][:3] == [
        "original_due",
        "consented_due",
        "extension_end",
    ]


def test_a_refusal_leaves_the_due_date_and_needs_a_reason(api_for, admin_user, waiting):
    client = api_for(admin_user)
    url = f"{REQUESTS}{waiting.pk}/decide/"

    no_reason = client.post(url, {"grant": False, "reason": ""}, format="json")
    refused = client.post(url, {"grant": False, "reason": "Debtor too weak"}, format="json")

    assert no_reason.status_code == 400 and errors_of(no_reason) == {"reason": "blank"}
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    waiting.invoice.refresh_from_db()
    assert waiting.invoice.due_date.isoformat() == "2026-05-31"


@pytest.mark.parametrize(
    ("role", "status"),
    [("insured_user", 403), ("claims_handler", 403), ("other_insured_user", 403)],
)
def test_only_underwriters_and_admins_decide(request, api_for, waiting, role, status):
    user = request.getfixturevalue(role)

    response = api_for(user).post(
        f"{REQUESTS}{waiting.pk}/decide/", {"grant": True, "reason": "Mine"}, format="json"
    )

    assert response.status_code == status
    waiting.refresh_from_db()
    assert waiting.status == ExtensionStatus.PENDING


def test_underwriters_find_the_requests_that_wait(api_for, underwriter, waiting):
    client = api_for(underwriter)

    pending = client.get(f"{REQUESTS}?status=pending").json()["results"]
    granted = client.get(f"{REQUESTS}?status=granted").json()["results"]

    assert [r["id"] for r in pending] == [waiting.pk] and granted == []
    assert client.get(f"{REQUESTS}?status=nonsense").status_code == 400
