from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile

from limits import services
from limits.models import DecisionLetter, LetterStatus
from tests.factories.limits import CreditReportFactory, default_template

LIMITS = "/api/v1/limits/"
LETTERS = "/api/v1/letters/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def in_march():
    """Every test runs at noon on 2 March 2026, inside the issued policy's year."""
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture
def debtor(db):
    default_template()
    return CreditReportFactory().debtor


def grant(policy, user, debtor, amount="200000"):
    """A limit approved at once by the template (the debtor's guideline is 500 000)."""
    request = services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount)
    )
    return request.policy.limits.get(debtor=debtor), request


@pytest.fixture
def limit(issued_policy, insured_user, debtor):
    return grant(issued_policy, insured_user, debtor)[0]


def error_fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


def amount_on(client, limit, day: date | None = None) -> str:
    params = {"as_of": day.isoformat()} if day else {}
    [row] = [r for r in client.get(LIMITS, params).json()["results"] if r["id"] == limit.pk]
    return row["amount"]


# Reading limits on a date ---------------------------------------------------------------------


def test_the_list_shows_each_limit_as_of_today(api_for, insured_user, limit, debtor):
    response = api_for(insured_user).get(LIMITS)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["amount"] == "200000.00" and row["currency"] == "SEK"
    assert row["limit_kind"] == "named" and row["effective_from"] == "2026-03-02"
    assert row["debtor"] == {
        "id": debtor.pk,
        "name": debtor.name,
        "country": "SE",
        "registration_number": debtor.registration_number,
    }
    assert row["under_review"] is False and row["as_of"] == "2026-03-02"
    assert row["policy_number"] == limit.policy.number


def test_before_the_grant_the_limit_was_nothing(api_for, insured_user, limit):
    assert amount_on(api_for(insured_user), limit, TODAY - timedelta(days=1)) == "0.00"


def test_a_bad_as_of_names_the_parameter(api_for, insured_user, limit):
    response = api_for(insured_user).get(LIMITS, {"as_of": "02/03/2026"})

    assert response.status_code == 400
    assert error_fields(response) == {"as_of"}


def test_an_insurer_reduction_shows_only_after_the_notice_period(
    api_for, insured_user, underwriter, limit
):
    # When an underwriter reduces the limit (30 days' notice on the policy)
    response = api_for(underwriter).post(
        f"{LIMITS}{limit.pk}/insurer-reduce/",
        {"amount": "100000.00", "reason": "Rating fell to 35."},
        format="json",
    )

    # Then the change takes effect in 30 days and today's limit is unchanged
    assert response.status_code == 200
    body = response.json()
    assert body["change"]["kind"] == "reduced" and body["change"]["by"] == "uw"
    assert body["change"]["effective_from"] == "2026-04-01"
    assert body["limit"]["amount"] == "200000.00"
    client = api_for(insured_user)
    assert amount_on(client, limit) == "200000.00"
    assert amount_on(client, limit, TODAY + timedelta(days=29)) == "200000.00"
    assert amount_on(client, limit, TODAY + timedelta(days=31)) == "100000.00"


def test_an_insurer_reduction_needs_a_reason(api_for, underwriter, limit):
    response = api_for(underwriter).post(
        f"{LIMITS}{limit.pk}/insurer-reduce/", {"amount": "100000.00"}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"reason"}


def test_the_insured_reduces_its_own_limit_at_once(api_for, insured_user, limit):
    client = api_for(insured_user)

    response = client.post(
        f"{LIMITS}{limit.pk}/reduce/", {"amount": "150000", "reason": "Fewer orders"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["change"]["kind"] == "reduced_by_insured"
    assert body["change"]["effective_from"] == "2026-03-02"
    assert body["change"]["by"] == "insured-a"
    assert body["limit"]["amount"] == "150000.00"
    assert amount_on(client, limit) == "150000.00"


def test_a_reduction_must_lower_the_limit(api_for, insured_user, limit):
    response = api_for(insured_user).post(
        f"{LIMITS}{limit.pk}/reduce/", {"amount": "250000"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "limit_change_invalid"
    assert error_fields(response) == {"amount"}


def test_the_history_lists_every_change_with_who_made_it(api_for, insured_user, underwriter, limit):
    services.limit_reduce_by_insurer(
        actor=underwriter, limit_id=limit.pk, amount=Decimal("100000"), reason="Rating fell"
    )

    response = api_for(insured_user).get(f"{LIMITS}{limit.pk}/", {"as_of": "2026-04-01"})

    body = response.json()
    assert body["amount"] == "100000.00" and body["as_of"] == "2026-04-01"
    assert [(c["kind"], c["amount"], c["effective_from"], c["by"]) for c in body["history"]] == [
        ("granted", "200000.00", "2026-03-02", "automatic"),
        ("reduced", "100000.00", "2026-04-01", "uw"),
    ]
    assert body["history"][1]["reason"] == "Rating fell"


def test_filters_keep_limits_in_force_and_of_a_kind(api_for, insured_user, issued_policy, limit):
    dcl, _ = grant(issued_policy, insured_user, CreditReportFactory().debtor, amount="8000")
    ended, _ = grant(issued_policy, insured_user, CreditReportFactory().debtor, amount="50000")
    services.limit_reduce_by_insured(actor=insured_user, limit_id=ended.pk, amount=Decimal(0))
    client = api_for(insured_user)

    def ids(**params):
        return {r["id"] for r in client.get(LIMITS, params).json()["results"]}

    assert ids() == {limit.pk, dcl.pk, ended.pk}
    assert ids(in_force="true") == {limit.pk, dcl.pk}
    assert ids(in_force="false") == {ended.pk}
    assert ids(kind="dcl") == {dcl.pk}


# Who may do what ------------------------------------------------------------------------------


def test_another_company_never_sees_the_limit(api_for, other_insured_user, limit):
    client = api_for(other_insured_user)

    assert client.get(LIMITS).json()["results"] == []
    assert client.get(f"{LIMITS}{limit.pk}/").status_code == 404
    reduce = client.post(f"{LIMITS}{limit.pk}/reduce/", {"amount": "0"}, format="json")
    assert reduce.status_code == 404


def test_each_reduction_is_for_its_own_role(api_for, insured_user, underwriter, limit):
    body = {"amount": "100000", "reason": "x"}

    insured = api_for(insured_user).post(f"{LIMITS}{limit.pk}/insurer-reduce/", body, format="json")
    staff = api_for(underwriter).post(f"{LIMITS}{limit.pk}/reduce/", body, format="json")

    assert insured.status_code == 403 and staff.status_code == 403


# Letters --------------------------------------------------------------------------------------


@pytest.fixture
def letter(limit):
    return DecisionLetter.objects.get(limit=limit)


def make_ready(letter):
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.4 approval"), save=False)
    letter.status = LetterStatus.READY
    letter.save()


def test_the_insured_downloads_its_ready_letter(api_for, insured_user, letter):
    make_ready(letter)
    client = api_for(insured_user)

    listed = client.get(LETTERS).json()["results"]
    response = client.get(f"{LETTERS}{letter.pk}/download/")

    assert [(item["id"], item["kind"]) for item in listed] == [(letter.pk, "approval")]
    assert listed[0]["download_url"].endswith(f"{LETTERS}{letter.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 approval"


def test_another_company_cannot_download_the_letter(api_for, other_insured_user, letter):
    make_ready(letter)
    client = api_for(other_insured_user)

    assert client.get(LETTERS).json()["results"] == []
    assert client.get(f"{LETTERS}{letter.pk}/download/").status_code == 404


def test_a_letter_being_prepared_is_not_ready(api_for, insured_user, underwriter, letter):
    # The insured sees its letters once ready; staff see them at once, not yet downloadable.
    assert api_for(insured_user).get(f"{LETTERS}{letter.pk}/download/").status_code == 404

    response = api_for(underwriter).get(f"{LETTERS}{letter.pk}/download/")

    assert response.status_code == 409 and response.json()["code"] == "letter_not_ready"
