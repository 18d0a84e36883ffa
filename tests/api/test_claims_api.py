"""The claims API for the insured: file a claim (with Idempotency-Key) and be told exactly why
not, preview what it would pay, read it whole, list and filter; another company sees none of
it. Its helpers serve the other claims API tests too."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import reset_queries

from claims.models import Claim
from exposure.services.notifications import overdue_notify
from tests.claims.conftest import NOTIFIED, WAITING_END, on, report
from tests.exposure.conftest import grant_limit
from tests.factories.limits import DebtorFactory

CLAIMS = "/api/v1/claims/"
FILING_DEADLINE = WAITING_END + timedelta(days=60)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # idempotency keys live in the cache, which outlives each test
    yield
    cache.clear()


@pytest.fixture(name="debtor")
def debtor_fixture(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB")


@pytest.fixture(name="notified")
def notified_fixture(insured_user, issued_policy, debtor):
    """The worked example of tests/claims: invoices of 20 000 and 30 000 within a 40 000
    limit, notified overdue on NOTIFIED; a claim pays 36 000."""
    grant_limit(issued_policy, debtor, "40000.00", on=date(2026, 1, 1))
    with on(NOTIFIED):
        report(insured_user, issued_policy, debtor, "F-1", "20000.00", date(2026, 1, 10))
        report(insured_user, issued_policy, debtor, "F-2", "30000.00", date(2026, 1, 20))
        return overdue_notify(
            actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="cash_flow"
        )


def claim_body(policy, debtor, **changes) -> dict:
    return {
        "policy": policy.pk,
        "debtor": debtor.pk,
        "cause": "protracted_default",
        "evidence": "No payment since January; reminders unanswered.",
        **changes,
    }


def file(client, policy, debtor, **changes):
    headers = {k: changes.pop(k) for k in list(changes) if k.startswith("HTTP_")}
    return client.post(CLAIMS, claim_body(policy, debtor, **changes), format="json", **headers)


def errors_of(response) -> dict:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


def another_debtor_notified(insured_user, policy, name, amount="10000.00"):
    """A second debtor of `amount` unpaid within a 40 000 limit, notified on NOTIFIED."""
    other = DebtorFactory(country="SE", name=name)
    grant_limit(policy, other, "40000.00", on=date(2026, 1, 1))
    with on(NOTIFIED):
        report(insured_user, policy, other, f"{name[:3]}-1", amount, date(2026, 1, 15))
        overdue_notify(
            actor=insured_user, policy_id=policy.pk, debtor_id=other.pk, reason="cash_flow"
        )
    return other


# Filing ---------------------------------------------------------------------------------------


def test_a_filed_claim_reads_whole_with_its_calculation_line_by_line(
    api_for, insured_user, issued_policy, debtor, notified
):
    with on(WAITING_END):
        response = file(api_for(insured_user), issued_policy, debtor)

    assert response.status_code == 201
    claim = response.json()
    assert (claim["status"], claim["claimed_amount"], claim["loss_date"]) == (
        "filed",
        "36000.00",
        "2026-09-28",
    )
    calc = claim["calculation"]
    assert [(x["number"], x["unpaid"], x["covered"]) for x in calc["lines"]] == [
        ("F-1", "20000.00", "20000.00"),
        ("F-2", "30000.00", "20000.00"),
    ]
    assert [(s["code"], s["amount"]) for s in calc["steps"]] == [
        ("qualifying", "50000.00"),
        ("eligible_loss", "50000.00"),
        ("insured_loss", "40000.00"),
        ("threshold", "500.00"),
        ("percentage", "36000.00"),
        ("indemnity", "36000.00"),
    ]
    assert all(step["label"] and step["note"] for step in calc["steps"])
    assert claim["calculation_settled"] is False
    assert [(c["kind"], c["present"]) for c in claim["checklist"]][:2] == [
        ("invoices", False),
        ("account_statement", False),
    ]
    assert [r["code"] for r in claim["reasons"]] == ["documents_missing"]
    [filed] = claim["history"]
    assert (filed["status"], filed["who"], filed["reason"]) == ("filed", "insured-a", "Claim filed")


def test_a_retry_with_the_same_key_answers_the_first_claim_and_another_body_is_refused(
    api_for, insured_user, issued_policy, debtor, notified
):
    client = api_for(insured_user)

    with on(WAITING_END):
        first = file(client, issued_policy, debtor, HTTP_IDEMPOTENCY_KEY="claim-1")
        again = file(client, issued_policy, debtor, HTTP_IDEMPOTENCY_KEY="claim-1")
        other = file(
            client, issued_policy, debtor, evidence="Something else", HTTP_IDEMPOTENCY_KEY="claim-1"
        )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Claim.objects.count() == 1
    assert other.status_code == 409
    assert errors_of(other) == {"Idempotency-Key": "idempotency_key_reused"}


def test_a_protracted_default_before_the_waiting_period_ends_is_refused_naming_the_day(
    api_for, insured_user, issued_policy, debtor, notified
):
    with on(date(2026, 6, 1)):
        response = file(api_for(insured_user), issued_policy, debtor)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("cause", "waiting_period")
    assert error["values"] == {"may_file_from": "2026-09-28"}
    assert "2026-09-28" in error["message"]
    assert not Claim.objects.exists()


def test_a_claim_after_the_filing_deadline_is_refused_naming_the_deadline(
    api_for, insured_user, issued_policy, debtor, notified
):
    with on(FILING_DEADLINE + timedelta(days=1)):
        response = file(api_for(insured_user), issued_policy, debtor)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"], error["values"]) == (
        "filed_on",
        "filing_deadline_passed",
        {"deadline": "2026-11-27"},
    )


def test_a_second_claim_while_one_is_open_is_a_conflict(
    api_for, insured_user, issued_policy, debtor, notified
):
    client = api_for(insured_user)

    with on(WAITING_END):
        file(client, issued_policy, debtor)
        response = file(client, issued_policy, debtor)

    assert response.status_code == 409
    assert errors_of(response) == {"debtor": "claim_open"}


def test_bad_input_names_every_field_and_files_nothing(
    api_for, insured_user, issued_policy, debtor, notified
):
    with on(WAITING_END):
        response = api_for(insured_user).post(
            CLAIMS,
            {"policy": issued_policy.pk, "debtor": debtor.pk, "cause": "boredom"},
            format="json",
        )

    assert response.status_code == 400
    assert errors_of(response) == {"cause": "invalid_choice", "evidence": "required"}
    assert not Claim.objects.exists()


# The list -------------------------------------------------------------------------------------


def test_claims_filter_by_what_a_user_searches_and_sort_by_amount(
    api_for, insured_user, issued_policy, debtor, notified
):
    client = api_for(insured_user)
    small = another_debtor_notified(insured_user, issued_policy, "Bullens Bageri AB")
    with on(WAITING_END):
        big_claim = file(client, issued_policy, debtor).json()
    with on(WAITING_END + timedelta(days=5)):
        small_claim = file(client, issued_policy, small).json()

    def ids(query: str) -> list[int]:
        response = client.get(f"{CLAIMS}?{query}")
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids("") == [small_claim["id"], big_claim["id"]]  # newest filing first
    assert ids("ordering=claimed_amount") == [small_claim["id"], big_claim["id"]]
    assert ids("ordering=-claimed_amount") == [big_claim["id"], small_claim["id"]]
    assert ids("debtor_name=bullens") == [small_claim["id"]]
    assert ids(f"debtor_registration_number={debtor.registration_number}") == [big_claim["id"]]
    assert ids("filed_on_before=2026-09-30") == [big_claim["id"]]
    assert ids(f"policy_number={issued_policy.number}&status=filed&cause=protracted_default") == [
        small_claim["id"],
        big_claim["id"],
    ]
    assert ids("status=paid") == []
    assert small_claim["claimed_amount"] == "9000.00"


def test_an_unknown_filter_value_is_a_bad_request(api_for, insured_user):
    response = api_for(insured_user).get(f"{CLAIMS}?status=lost&filed_on_after=yesterday")

    assert response.status_code == 400
    assert errors_of(response) == {"status": "invalid_choice", "filed_on": "invalid"}


def test_the_list_reads_in_as_many_queries_for_two_claims_as_for_one(
    api_for, insured_user, issued_policy, debtor, notified, django_assert_max_num_queries
):
    client = api_for(insured_user)
    with on(WAITING_END):
        file(client, issued_policy, debtor)
    reset_queries()  # each request resets the log the count reads
    with django_assert_max_num_queries(100) as first:
        client.get(CLAIMS)
    queries_for_one = len(first)
    other = another_debtor_notified(insured_user, issued_policy, "Bullens Bageri AB")
    with on(WAITING_END):
        file(client, issued_policy, other)

    reset_queries()
    with django_assert_max_num_queries(queries_for_one):
        assert len(client.get(CLAIMS).json()["results"]) == 2
