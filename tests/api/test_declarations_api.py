from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core import idempotency
from policies import services
from policies.models import TurnoverDeclaration
from tests.factories import UserFactory

DECLARATIONS = "/api/v1/declarations/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def on(year, month, day):
    """Travel to noon of a day in the policy's country."""
    return time_machine.travel(datetime(year, month, day, 12, tzinfo=STOCKHOLM), tick=False)


def error_fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


@pytest.fixture(autouse=True)
def empty_cache():
    # Idempotency keys live in the cache (Redis in tests), which outlives each test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def january(issued_policy):
    return {"policy": issued_policy.pk, "period_start": "2026-01-01", "turnover": "1000000.00"}


def declare(policy, user, period_start: date, turnover="1000000"):
    return services.declaration_submit(
        actor=user, policy_id=policy.pk, period_start=period_start, turnover=Decimal(turnover)
    )


# Declaring ------------------------------------------------------------------------------------


def test_insured_declares_a_finished_period(api_for, insured_user, january):
    with on(2026, 2, 10):
        response = api_for(insured_user).post(
            DECLARATIONS, {**january, "note": "January"}, format="json"
        )

    assert response.status_code == 201
    body = response.json()
    assert body["period_start"] == "2026-01-01"
    assert body["period_end"] == "2026-01-31"
    assert body["turnover"] == "1000000.00"
    assert body["currency"] == "SEK"
    assert body["premium_rate"] == "2.0000"
    assert body["premium"] == "2000.00"
    assert body["due_date"] == "2026-03-02"
    assert body["declared_at"] == "2026-02-10T12:00:00+01:00"
    assert body["is_late"] is False
    assert body["note"] == "January"


def test_an_integer_turnover_is_accepted(api_for, insured_user, january):
    with on(2026, 2, 10):
        response = api_for(insured_user).post(
            DECLARATIONS, {**january, "turnover": 250000}, format="json"
        )

    assert response.status_code == 201
    assert response.json()["turnover"] == "250000.00"


def test_a_float_turnover_is_refused_naming_turnover(api_for, insured_user, january):
    with on(2026, 2, 10):
        response = api_for(insured_user).post(
            DECLARATIONS, {**january, "turnover": 1000000.5}, format="json"
        )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "turnover"
    assert response.json()["errors"][0]["code"] == "float_not_allowed"
    assert not TurnoverDeclaration.objects.exists()


def test_declaring_a_period_twice_is_a_conflict(api_for, insured_user, january):
    client = api_for(insured_user)
    with on(2026, 2, 10):
        client.post(DECLARATIONS, january, format="json")
        response = client.post(DECLARATIONS, january, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "declaration_exists"
    assert error_fields(response) == {"period_start"}


def test_a_period_that_has_not_ended_is_refused(api_for, insured_user, january):
    with on(2026, 1, 20):
        response = api_for(insured_user).post(DECLARATIONS, january, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"period_start"}


def test_another_companys_policy_is_refused_like_a_missing_one(
    api_for, other_insured_user, issued_policy, january
):
    with on(2026, 2, 10):
        response = api_for(other_insured_user).post(DECLARATIONS, january, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"policy"}
    assert response.json()["errors"][0]["code"] == "does_not_exist"
    assert issued_policy.number not in response.content.decode()
    assert not TurnoverDeclaration.objects.exists()


@pytest.mark.parametrize("role", ["underwriter", "claims_handler", "admin_user"])
def test_staff_may_not_declare(request, role, api_for, january):
    with on(2026, 2, 10):
        response = api_for(request.getfixturevalue(role)).post(DECLARATIONS, january)

    assert response.status_code == 403


# Reading --------------------------------------------------------------------------------------


def test_declarations_are_seen_by_their_company_and_staff_only(
    api_for, insured_user, other_insured_user, underwriter, issued_policy
):
    with on(2026, 2, 10):
        declaration = declare(issued_policy, insured_user, date(2026, 1, 1))
    url = f"{DECLARATIONS}{declaration.pk}/"

    assert api_for(insured_user).get(DECLARATIONS).json()["count"] == 1
    assert api_for(insured_user).get(url).json()["premium"] == "2000.00"
    assert api_for(underwriter).get(url).status_code == 200
    assert api_for(other_insured_user).get(DECLARATIONS).json()["count"] == 0
    assert api_for(other_insured_user).get(url).status_code == 404


def test_declarations_filter_by_lateness_and_period(api_for, insured_user, issued_policy):
    # given January declared after its due date (2 March) and February on time
    with on(2026, 3, 10):
        late = declare(issued_policy, insured_user, date(2026, 1, 1))
        on_time = declare(issued_policy, insured_user, date(2026, 2, 1))
    client = api_for(insured_user)

    def listed(query: str) -> list[int]:
        return [d["id"] for d in client.get(f"{DECLARATIONS}?{query}").json()["results"]]

    assert listed("late=true") == [late.pk]
    assert listed("late=false") == [on_time.pk]
    assert listed("period_start_after=2026-02-01") == [on_time.pk]
    assert listed(f"policy={issued_policy.pk}&ordering=-period_start") == [on_time.pk, late.pk]


# Idempotency ----------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_replays_the_first_response(api_for, insured_user, january):
    client = api_for(insured_user)
    with on(2026, 2, 10):
        first = client.post(DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    with on(2026, 2, 11):
        retry = client.post(DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert TurnoverDeclaration.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(api_for, insured_user, january):
    client = api_for(insured_user)
    with on(2026, 2, 10):
        client.post(DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        response = client.post(
            DECLARATIONS,
            {**january, "turnover": "2000000.00"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert TurnoverDeclaration.objects.get().turnover == Decimal("1000000.00")


def test_a_retry_while_the_first_request_runs_is_a_conflict(api_for, insured_user, january):
    # given a first request with key "k-3" still being processed
    first = Request(APIRequestFactory().post(DECLARATIONS, january, format="json"), [JSONParser()])
    marker = {"fingerprint": idempotency.request_fingerprint(first), "state": "in_progress"}
    cache.set(idempotency._cache_key(insured_user.pk, "k-3"), marker)

    # when the client retries it
    with on(2026, 2, 10):
        response = api_for(insured_user).post(
            DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
        )

    # then it is told to wait, and nothing is declared twice
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_request_in_progress"
    assert not TurnoverDeclaration.objects.exists()


def test_a_refused_request_leaves_its_key_free(api_for, insured_user, january):
    # given a first attempt refused for its float turnover
    client = api_for(insured_user)
    with on(2026, 2, 10):
        refused = client.post(
            DECLARATIONS, {**january, "turnover": 1.5}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
        )
        # when the corrected body is sent with the same key
        fixed = client.post(DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    # then it is carried out
    assert refused.status_code == 400
    assert fixed.status_code == 201
    assert not fixed.has_header("Idempotent-Replayed")


def test_keys_belong_to_one_user(api_for, insured_user, company, january):
    colleague = UserFactory(company=company)
    with on(2026, 2, 10):
        api_for(insured_user).post(DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k")
        response = api_for(colleague).post(
            DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="k"
        )

    # the colleague's request ran on its own, and found the period declared
    assert response.status_code == 409
    assert response.json()["code"] == "declaration_exists"


def test_an_unusable_key_is_a_400(api_for, insured_user, january):
    with on(2026, 2, 10):
        response = api_for(insured_user).post(
            DECLARATIONS, january, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
        )

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert error_fields(response) == {"Idempotency-Key"}
