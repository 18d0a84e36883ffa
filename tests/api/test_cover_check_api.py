"""The cover check API: an ERP asks on every order whether a delivery is covered, gets yes
or no with every reason in its language, and can read the stored answer again as proof."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exposure import services
from exposure.models import CoverCheck
from limits.models import LimitChange
from tests.exposure.conftest import grant_limit, invoice_data
from tests.factories.limits import DebtorFactory

CHECKS = "/api/v1/cover-check/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def mid_june():
    """Every test runs at noon on 15 June 2026, inside the issued policy's year."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # idempotency keys live in the cache, which outlives each test
    yield
    cache.clear()


@pytest.fixture
def debtor(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB", registration_number="556677-8907")


@pytest.fixture
def limited(issued_policy, debtor):
    return grant_limit(issued_policy, debtor, 50000)


def ask(client, policy, debtor, amount="30000.00", terms=30, **extra):
    """Ask; `HTTP_*` extras are headers, the others change the body (`policy_id` and
    `debtor_id` replace the ids)."""
    body = {
        "policy": extra.pop("policy_id", policy.pk),
        "debtor": extra.pop("debtor_id", debtor.pk),
        "amount": amount,
        "terms_days": terms,
    }
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    body.update({k: v for k, v in extra.items() if not k.startswith("HTTP_")})
    return client.post(CHECKS, body, format="json", **headers)


def error_fields(response) -> dict:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


# Answers --------------------------------------------------------------------------------------


def test_a_delivery_within_the_cover_left_is_covered_and_the_answer_is_stored(
    api_for, insured_user, issued_policy, debtor, limited
):
    # Given a 50 000 limit and one unpaid invoice of 10 000
    services.invoice_report(
        actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, **invoice_data(1)
    )

    response = ask(api_for(insured_user), issued_policy, debtor)

    assert response.status_code == 201
    body = response.json()
    assert (body["covered"], body["covered_amount"], body["cover_left"]) == (
        True,
        "30000.00",
        "40000.00",
    )
    assert body["limit_amount"] == "50000.00" and body["currency"] == "SEK"
    assert body["delivery_date"] == "2026-06-15" and body["terms_days"] == 30
    assert body["reasons"] == [] and body["asked_by"] == "insured-a"
    assert body["debtor"]["registration_number"] == "556677-8907"
    assert body["asked_at"] == "2026-06-15T12:00:00+02:00"
    assert str(CoverCheck.objects.get().pk) == body["id"]


def test_the_debtor_may_be_named_by_its_registration_number_as_the_erp_knows_it(
    api_for, insured_user, issued_policy, debtor, limited
):
    response = api_for(insured_user).post(
        CHECKS,
        {
            "policy": issued_policy.pk,
            "debtor_country": "se",
            "debtor_registration_number": "5566778907",
            "amount": "100.00",
            "terms_days": 30,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["debtor"]["id"] == debtor.pk


def test_above_the_cover_left_says_by_how_much_in_the_readers_language(
    api_for, insured_user, issued_policy, debtor, limited
):
    response = ask(
        api_for(insured_user), issued_policy, debtor, "65000.00", HTTP_ACCEPT_LANGUAGE="sv"
    )

    body = response.json()
    assert (body["covered"], body["covered_amount"]) == (False, "50000.00")
    [reason] = body["reasons"]
    assert reason["code"] == "limit_exceeded"
    assert reason["values"] == {"by": "15000.00", "left": "50000.00", "limit": "50000.00"}
    assert "15\xa0000,00\xa0kr" in reason["message"]


def test_every_reason_is_given_with_its_figures_and_a_reduction_to_come_only_informs(
    api_for, insured_user, issued_policy, debtor
):
    # Given a limit of 50 000 for at most 45 days, which the insurer reduces from 15 July
    limit = grant_limit(issued_policy, debtor, 50000, max_terms_days=45)
    LimitChange.objects.create(
        limit=limit, kind="reduced", amount=20000, effective_from=date(2026, 7, 15)
    )

    response = ask(api_for(insured_user), issued_policy, debtor, "1000.00", terms=120)

    body = response.json()
    assert [r["code"] for r in body["reasons"]] == [
        "terms_too_long",
        "terms_above_limit",
        "insurer_reduction",
    ]
    assert body["reasons"][0]["values"] == {"terms": 120, "max": 90}
    assert all(r["message"] for r in body["reasons"])
    assert (body["covered"], body["covered_amount"]) == (False, "0.00")


def test_a_debtor_without_a_limit_is_not_covered(api_for, insured_user, issued_policy, debtor):
    body = ask(api_for(insured_user), issued_policy, debtor).json()

    assert body["covered"] is False
    assert [r["code"] for r in body["reasons"]] == ["no_limit"]


def test_a_later_delivery_date_is_checked_on_that_day(
    api_for, insured_user, issued_policy, debtor, limited
):
    body = ask(api_for(insured_user), issued_policy, debtor, delivery_date="2027-03-01").json()

    assert body["delivery_date"] == "2027-03-01"
    assert [r["code"] for r in body["reasons"]] == ["policy_not_in_force"]


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"amount": "abc"}, "amount", "invalid"),
        ({"amount": 300.5}, "amount", "float_not_allowed"),
        ({"amount": "0"}, "amount", "not_positive"),
        ({"amount": "99999999999999.00"}, "amount", "max_whole_digits"),
        ({"terms_days": -1}, "terms_days", "min_value"),
        ({"terms_days": "thirty"}, "terms_days", "invalid"),
        ({"delivery_date": "15/06/2026"}, "delivery_date", "invalid"),
        ({"delivery_date": "2027-12-31"}, "delivery_date", "too_far"),
        ({"debtor_id": 999999}, "debtor", "does_not_exist"),
        ({"policy_id": 999999}, "policy", "does_not_exist"),
    ],
)
def test_bad_input_is_named_per_field_and_nothing_is_stored(
    api_for, insured_user, issued_policy, debtor, limited, change, field, code
):
    response = ask(api_for(insured_user), issued_policy, debtor, **change)

    assert response.status_code == 400
    assert error_fields(response) == {field: code}
    assert not CoverCheck.objects.exists()


def test_a_debtor_named_neither_way_names_both_missing_fields(api_for, insured_user, issued_policy):
    response = api_for(insured_user).post(
        CHECKS,
        {"policy": issued_policy.pk, "amount": "100", "terms_days": 30},
        format="json",
    )

    assert response.status_code == 400
    assert set(error_fields(response)) == {"debtor_country", "debtor_registration_number"}


def test_a_debtor_not_in_the_register_says_where_to_register_it(
    api_for, insured_user, issued_policy
):
    response = api_for(insured_user).post(
        CHECKS,
        {
            "policy": issued_policy.pk,
            "debtor_country": "SE",
            "debtor_registration_number": "556036-0793",
            "amount": "100",
            "terms_days": 30,
        },
        format="json",
    )

    assert error_fields(response) == {"debtor_registration_number": "debtor_not_registered"}
    assert "/api/v1/debtors/" in response.json()["errors"][0]["message"]


# Who may ask and read -------------------------------------------------------------------------


def test_staff_read_every_answer_but_do_not_ask(
    api_for, insured_user, underwriter, claims_handler, issued_policy, debtor, limited
):
    answer = ask(api_for(insured_user), issued_policy, debtor).json()

    assert ask(api_for(underwriter), issued_policy, debtor).status_code == 403
    for user in (underwriter, claims_handler):
        assert api_for(user).get(f"{CHECKS}{answer['id']}/").json()["id"] == answer["id"]
        assert [c["id"] for c in api_for(user).get(CHECKS).json()["results"]] == [answer["id"]]


def test_another_company_never_sees_the_answers_nor_asks_on_the_policy(
    api_for, insured_user, other_insured_user, issued_policy, debtor, limited
):
    answer = ask(api_for(insured_user), issued_policy, debtor).json()
    other = api_for(other_insured_user)

    assert other.get(CHECKS).json()["results"] == []
    assert other.get(f"{CHECKS}{answer['id']}/").status_code == 404
    refused = ask(other, issued_policy, debtor)
    assert refused.status_code == 400 and error_fields(refused) == {"policy": "does_not_exist"}
    assert CoverCheck.objects.count() == 1


def test_a_stored_answer_reads_as_it_was_given(
    api_for, insured_user, issued_policy, debtor, limited
):
    client = api_for(insured_user)
    answer = ask(client, issued_policy, debtor, "65000.00").json()
    # the limit is raised later: the stored answer still says what was said
    grant_limit(issued_policy, debtor, 100000, on=date(2026, 6, 15))

    again = client.get(f"{CHECKS}{answer['id']}/").json()

    assert again == answer


def test_the_list_is_newest_first_and_filters_by_debtor(
    api_for, insured_user, issued_policy, debtor, limited
):
    client = api_for(insured_user)
    other_debtor = DebtorFactory(country="SE")
    first = ask(client, issued_policy, debtor, "100.00").json()
    with time_machine.travel(datetime(2026, 6, 15, 13, tzinfo=STOCKHOLM), tick=False):
        second = ask(client, issued_policy, other_debtor).json()

    listed = client.get(CHECKS).json()["results"]
    filtered = client.get(CHECKS, {"debtor": debtor.pk}).json()["results"]
    covered = client.get(CHECKS, {"covered": "true"}).json()["results"]

    assert [c["id"] for c in listed] == [second["id"], first["id"]]
    assert [c["id"] for c in filtered] == [first["id"]]
    assert [c["id"] for c in covered] == [first["id"]]


def test_a_retry_with_the_same_key_returns_the_first_answer(
    api_for, insured_user, issued_policy, debtor, limited
):
    client = api_for(insured_user)

    first = ask(client, issued_policy, debtor, HTTP_IDEMPOTENCY_KEY="order-77")
    again = ask(client, issued_policy, debtor, HTTP_IDEMPOTENCY_KEY="order-77")
    other = ask(client, issued_policy, debtor, "1.00", HTTP_IDEMPOTENCY_KEY="order-77")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert CoverCheck.objects.count() == 1


def test_asking_takes_as_many_queries_for_many_invoices_as_for_one(
    api_for, insured_user, issued_policy, debtor, limited
):
    client = api_for(insured_user)

    def queries_with(invoices: int) -> int:
        for n in range(
            CoverCheck.objects.count() * 100, CoverCheck.objects.count() * 100 + invoices
        ):
            services.invoice_report(
                actor=insured_user,
                policy_id=issued_policy.pk,
                debtor_id=debtor.pk,
                **invoice_data(n, net_amount=Decimal("100.00"), vat_amount=Decimal("0")),
            )
        with CaptureQueriesContext(connection) as queries:
            assert ask(client, issued_policy, debtor, "100.00").status_code == 201
        return len(queries)

    assert queries_with(1) == queries_with(20) <= 17
