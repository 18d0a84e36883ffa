from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from limits import services
from limits.models import LimitRequest
from tests.factories.limits import CreditReportFactory, DebtorFactory, default_template

REQUESTS = "/api/v1/limit-requests/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def in_march():
    """Every test runs at noon on 2 March 2026, inside the issued policy's year."""
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    # Idempotency keys live in the cache (Redis in tests), which outlives each test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def template(db):
    return default_template()


@pytest.fixture
def healthy_debtor(template):
    # rating 70, turnover 10 000 000 → guideline 5 % = 500 000
    return CreditReportFactory(debtor=DebtorFactory(registration_number="556677-8907")).debtor


@pytest.fixture
def weak_debtor(template):
    return CreditReportFactory(rating=30).debtor


def ask(client, policy, debtor, amount="200000.00", **extra):
    body = {"policy": policy.pk, "debtor": debtor.pk, "amount": amount, **extra}
    return client.post(REQUESTS, body, format="json")


def error_fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


def referred_request(policy, user, debtor):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal("200000")
    )


# Deciding at once -----------------------------------------------------------------------------


def test_request_within_the_guideline_is_approved_in_the_same_call(
    api_for, insured_user, issued_policy, healthy_debtor
):
    response = ask(api_for(insured_user), issued_policy, healthy_debtor, reference="ERP-1")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "approved"
    assert body["amount"] == "200000.00" and body["decided_amount"] == "200000.00"
    assert body["currency"] == "SEK" and body["guideline"] == "500000.00"
    assert body["decided_automatically"] is True and body["decided_by"] is None
    assert body["decided_at"] == "2026-03-02T12:00:00+01:00"
    assert body["reference"] == "ERP-1" and body["reasons"] == []
    assert body["debtor"]["registration_number"] == "556677-8907"
    assert body["conditions"] == {"max_terms_days": None, "expires_on": None}
    [letter] = body["letters"]
    assert (letter["kind"], letter["status"], letter["download_url"]) == (
        "approval",
        "pending",
        None,
    )


def test_the_debtor_can_be_named_by_country_and_registration_number(
    api_for, insured_user, issued_policy, healthy_debtor
):
    body = {
        "policy": issued_policy.pk,
        "debtor_country": "se",
        "debtor_registration_number": "5566778907",
        "amount": "200000",
    }
    response = api_for(insured_user).post(REQUESTS, body, format="json")

    assert response.status_code == 201
    assert response.json()["debtor"]["id"] == healthy_debtor.pk


def test_a_debtor_not_in_the_register_is_refused_with_where_to_register_it(
    api_for, insured_user, issued_policy, template
):
    body = {
        "policy": issued_policy.pk,
        "debtor_country": "SE",
        "debtor_registration_number": "556036-0793",
        "amount": "200000",
    }
    response = api_for(insured_user).post(REQUESTS, body, format="json")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "debtor_registration_number"
    assert error["code"] == "debtor_not_registered"
    assert "/api/v1/debtors/" in error["message"]


def test_an_unknown_debtor_id_is_refused(api_for, insured_user, issued_policy, template):
    body = {"policy": issued_policy.pk, "debtor": 999999, "amount": "200000"}

    response = api_for(insured_user).post(REQUESTS, body, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"debtor"}


def test_an_invalid_registration_number_names_the_field(api_for, insured_user, issued_policy):
    body = {
        "policy": issued_policy.pk,
        "debtor_country": "SE",
        "debtor_registration_number": "556036-0794",
        "amount": "200000",
    }
    response = api_for(insured_user).post(REQUESTS, body, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"debtor_registration_number"}


def test_a_failing_parameter_refers_the_request_with_every_reason(
    api_for, insured_user, issued_policy, weak_debtor
):
    response = ask(api_for(insured_user), issued_policy, weak_debtor)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "referred"
    assert body["decided_amount"] is None and body["decided_at"] is None
    assert body["decided_automatically"] is False and body["letters"] == []
    [reason] = body["reasons"]
    assert reason["code"] == "rating"
    assert reason["values"]["value"] == 30
    assert "30" in reason["message"] and "40" in reason["message"]


def test_above_the_guideline_is_partly_approved_at_the_guideline(
    api_for, insured_user, issued_policy, healthy_debtor
):
    response = ask(api_for(insured_user), issued_policy, healthy_debtor, amount="900000.00")

    body = response.json()
    assert body["status"] == "partly_approved"
    assert body["decided_amount"] == "500000.00"
    assert [r["code"] for r in body["reasons"]] == ["above_guideline"]
    assert body["reasons"][0]["values"] == {"requested": "900000.00", "guideline": "500000.00"}
    assert body["letters"][0]["kind"] == "partial_approval"


def test_a_small_request_is_a_discretionary_limit_at_once(
    api_for, insured_user, issued_policy, healthy_debtor
):
    response = ask(api_for(insured_user), issued_policy, healthy_debtor, amount="8000")

    body = response.json()
    assert body["status"] == "approved" and body["is_dcl"] is True
    assert body["decided_amount"] == "8000.00"
    assert [r["code"] for r in body["reasons"]] == ["dcl"]
    # Twelve months would run to 2027-03-02; a DCL ends with its policy at the latest.
    assert body["conditions"] == {"max_terms_days": None, "expires_on": "2026-12-31"}


# Refusals -------------------------------------------------------------------------------------


def test_a_second_pending_request_on_the_debtor_is_a_conflict(
    api_for, insured_user, issued_policy, weak_debtor
):
    client = api_for(insured_user)
    ask(client, issued_policy, weak_debtor)

    response = ask(client, issued_policy, weak_debtor, amount="300000")

    assert response.status_code == 409
    assert response.json()["code"] == "limit_request_pending"
    assert error_fields(response) == {"debtor"}


def test_terms_beyond_the_credit_period_name_the_field(
    api_for, insured_user, issued_policy, healthy_debtor
):
    response = ask(api_for(insured_user), issued_policy, healthy_debtor, payment_terms_days=120)

    assert response.status_code == 400
    assert response.json()["code"] == "limit_request_invalid"
    assert error_fields(response) == {"payment_terms_days"}


def test_a_float_amount_is_refused(api_for, insured_user, issued_policy, healthy_debtor):
    response = ask(api_for(insured_user), issued_policy, healthy_debtor, amount=200000.5)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("amount", "float_not_allowed")
    assert not LimitRequest.objects.exists()


def test_staff_cannot_request_limits(api_for, underwriter, issued_policy, healthy_debtor):
    response = ask(api_for(underwriter), issued_policy, healthy_debtor)

    assert response.status_code == 403


def test_another_companys_policy_is_refused_like_a_missing_one(
    api_for, other_insured_user, issued_policy, healthy_debtor
):
    response = ask(api_for(other_insured_user), issued_policy, healthy_debtor)

    assert response.status_code == 400
    assert error_fields(response) == {"policy"}
    assert not LimitRequest.objects.exists()


def test_another_companys_requests_stay_invisible(
    api_for, insured_user, other_insured_user, issued_policy, weak_debtor
):
    request = referred_request(issued_policy, insured_user, weak_debtor)
    client = api_for(other_insured_user)

    assert client.get(REQUESTS).json()["results"] == []
    assert client.get(f"{REQUESTS}{request.pk}/").status_code == 404
    assert client.post(f"{REQUESTS}{request.pk}/withdraw/").status_code == 404


# Idempotency ----------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_answer(
    api_for, insured_user, issued_policy, healthy_debtor
):
    client = api_for(insured_user)
    body = {"policy": issued_policy.pk, "debtor": healthy_debtor.pk, "amount": "200000.00"}

    first = client.post(REQUESTS, body, format="json", HTTP_IDEMPOTENCY_KEY="order-77")
    again = client.post(REQUESTS, body, format="json", HTTP_IDEMPOTENCY_KEY="order-77")
    other = client.post(
        REQUESTS, {**body, "amount": "1000"}, format="json", HTTP_IDEMPOTENCY_KEY="order-77"
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert LimitRequest.objects.count() == 1
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


# Withdrawing and deciding ---------------------------------------------------------------------


def test_the_insured_withdraws_a_waiting_request(api_for, insured_user, issued_policy, weak_debtor):
    request = referred_request(issued_policy, insured_user, weak_debtor)
    client = api_for(insured_user)

    response = client.post(f"{REQUESTS}{request.pk}/withdraw/")
    again = client.post(f"{REQUESTS}{request.pk}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert again.status_code == 409 and again.json()["code"] == "limit_request_decided"


def test_an_underwriter_decides_a_referred_request(
    api_for, insured_user, underwriter, issued_policy, weak_debtor
):
    request = referred_request(issued_policy, insured_user, weak_debtor)
    client = api_for(underwriter)
    decision = {
        "outcome": "partly_approve",
        "amount": "50000.00",
        "reason": "Weak rating; terms limited.",
        "max_terms_days": 60,
        "expires_on": "2026-12-31",
    }

    response = client.post(f"{REQUESTS}{request.pk}/decide/", decision, format="json")
    again = client.post(f"{REQUESTS}{request.pk}/decide/", decision, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "partly_approved" and body["decided_amount"] == "50000.00"
    assert body["decided_by"] == "uw" and body["decided_automatically"] is False
    assert body["conditions"] == {"max_terms_days": 60, "expires_on": "2026-12-31"}
    assert body["reasons"] == [
        {"code": "underwriter", "message": "Weak rating; terms limited.", "values": {}}
    ]
    assert again.status_code == 409 and again.json()["code"] == "limit_request_decided"


def test_a_partial_approval_needs_an_amount_below_the_request(
    api_for, insured_user, underwriter, issued_policy, weak_debtor
):
    request = referred_request(issued_policy, insured_user, weak_debtor)
    decision = {"outcome": "partly_approve", "amount": "250000", "reason": "Too much"}

    response = api_for(underwriter).post(f"{REQUESTS}{request.pk}/decide/", decision, format="json")

    assert response.status_code == 400 and error_fields(response) == {"amount"}


def test_an_insured_user_cannot_decide(api_for, insured_user, issued_policy, weak_debtor):
    request = referred_request(issued_policy, insured_user, weak_debtor)

    response = api_for(insured_user).post(
        f"{REQUESTS}{request.pk}/decide/", {"outcome": "approve", "reason": "Me"}, format="json"
    )

    assert response.status_code == 403


# Reading --------------------------------------------------------------------------------------


def test_requests_filter_by_status_and_sort_by_amount(
    api_for, insured_user, issued_policy, healthy_debtor, weak_debtor
):
    client = api_for(insured_user)
    ask(client, issued_policy, healthy_debtor, amount="100000")
    ask(client, issued_policy, weak_debtor, amount="300000")

    referred = client.get(REQUESTS, {"status": "referred"}).json()["results"]
    by_amount = client.get(REQUESTS, {"ordering": "-amount"}).json()["results"]
    today = client.get(
        REQUESTS, {"submitted_at_after": "2026-03-02", "submitted_at_before": "2026-03-02"}
    ).json()

    assert [r["debtor"]["id"] for r in referred] == [weak_debtor.pk]
    assert [r["amount"] for r in by_amount] == ["300000.00", "100000.00"]
    assert today["count"] == 2


def test_staff_see_every_companys_requests(
    api_for, insured_user, claims_handler, issued_policy, weak_debtor
):
    request = referred_request(issued_policy, insured_user, weak_debtor)

    response = api_for(claims_handler).get(f"{REQUESTS}{request.pk}/")

    assert response.status_code == 200
    assert response.json()["requested_by"] == "insured-a"
