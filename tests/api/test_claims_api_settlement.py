"""The claims handler through the API: take a claim up, decide it, a second handler's approval
above the four-eyes amount, the payment and its statement, recoveries and their split. A
status that does not allow the step answers 409; the insured may only read."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from claims.models import ClaimStatement, StatementKind
from claims.pdf import statement_render
from policies.models import Policy
from tests.api.test_claims_api import (  # noqa: F401  (fixtures)
    CLAIMS,
    debtor_fixture,
    empty_cache,
    errors_of,
    file,
    notified_fixture,
)
from tests.claims.conftest import WAITING_END, on
from tests.factories import UserFactory

PAID_ON = date(2026, 10, 5)


@pytest.fixture
def claim(api_for, insured_user, issued_policy, debtor, notified):
    with on(WAITING_END):
        return file(api_for(insured_user), issued_policy, debtor).json()


@pytest.fixture
def second_handler(db):
    return UserFactory(
        username="ch2", first_name="Karin", last_name="Lund", role=Role.CLAIMS, company=None
    )


def act(client, claim, step: str, body=None):
    return client.post(f"{CLAIMS}{claim['id']}/{step}/", body or {}, format="json")


@pytest.fixture
def paid(api_for, claims_handler, claim):
    client = api_for(claims_handler)
    with on(PAID_ON):
        act(client, claim, "assess")
        act(client, claim, "decide", {"decision": "approve"})
        response = act(client, claim, "pay", {"paid_on": "2026-10-05", "reference": "PAY-1"})
    assert response.status_code == 200, response.json()
    return response.json()


def test_above_the_four_eyes_amount_a_second_handler_must_approve_before_payment(
    api_for, claims_handler, second_handler, issued_policy, claim
):
    # Given a policy whose settlements above 30 000 need a second handler
    Policy.objects.filter(pk=issued_policy.pk).update(four_eyes_amount=Decimal("30000.00"))
    first, second = api_for(claims_handler), api_for(second_handler)

    with on(PAID_ON):
        # When the first handler takes the claim up and approves it
        assessed = act(first, claim, "assess")
        proposed = act(first, claim, "decide", {"decision": "approve"})
        # Then the same handler may not approve it a second time, but another may
        same = act(first, claim, "second-approval", {"agree": True})
        approved = act(second, claim, "second-approval", {"agree": True})
        paid = act(first, claim, "pay", {"reference": "PAY-1"})

    assert assessed.json()["status"] == "assessment"
    body = proposed.json()
    assert (body["status"], body["indemnity"], body["calculation_settled"]) == (
        "second_approval",
        "36000.00",
        True,
    )
    assert body["reasons"][0]["code"] == "four_eyes"
    assert body["reasons"][0]["values"] == {
        "indemnity": "36000.00",
        "four_eyes_amount": "30000.00",
    }
    assert same.status_code == 409
    assert errors_of(same) == {"claim": "four_eyes"}
    assert approved.status_code == 200
    assert approved.json()["second_approved_by"] == "Karin Lund"
    assert paid.status_code == 200
    history = paid.json()["history"]
    assert [(h["status"], h["who"]) for h in history] == [
        ("filed", "insured-a"),
        ("assessment", "ch"),
        ("second_approval", "ch"),
        ("approved", "Karin Lund"),
        ("paid", "ch"),
    ]


def test_an_adjustment_and_a_refusal_need_their_reason(api_for, claims_handler, claim):
    client = api_for(claims_handler)

    with on(PAID_ON):
        no_reason = act(client, claim, "decide", {"decision": "adjust", "amount": "30000.00"})
        adjusted = act(
            client,
            claim,
            "decide",
            {"decision": "adjust", "amount": "30000.00", "reason": "F-2 partly late."},
        )

    assert no_reason.status_code == 400
    assert errors_of(no_reason) == {"reason": "required"}
    body = adjusted.json()
    assert (body["status"], body["indemnity"], body["calculated_amount"]) == (
        "adjusted",
        "30000.00",
        "36000.00",
    )
    assert body["reasons"] == [
        {
            "code": "adjusted",
            "message": "F-2 partly late.",
            "values": {"calculated_amount": "36000.00", "indemnity": "30000.00"},
        }
    ]


def test_a_step_the_status_does_not_allow_is_a_conflict_and_changes_nothing(
    api_for, claims_handler, claim
):
    client = api_for(claims_handler)

    with on(PAID_ON):
        pay = act(client, claim, "pay")
        second = act(client, claim, "second-approval", {"agree": True})
        refused = act(client, claim, "decide", {"decision": "refuse", "reason": "No cover."})
        assess = act(client, claim, "assess")

    assert (pay.status_code, second.status_code, assess.status_code) == (409, 409, 409)
    assert errors_of(pay) == {"status": "transition_not_allowed"}
    assert refused.json()["reasons"] == [{"code": "refused", "message": "No cover.", "values": {}}]


def test_the_insured_and_underwriters_may_not_take_the_handlers_steps(
    api_for, insured_user, underwriter, claim
):
    with on(PAID_ON):
        answers = [
            act(api_for(user), claim, step, body).status_code
            for user in (insured_user, underwriter)
            for step, body in (
                ("assess", {}),
                ("ask-documents", {"kinds": ["invoices"]}),
                ("decide", {"decision": "approve"}),
                ("second-approval", {"agree": True}),
                ("pay", {}),
                ("recoveries", {"amount": "1.00", "received_on": "2026-10-05"}),
            )
        ]

    assert set(answers) == {403}


def test_a_recovery_after_payment_is_split_and_kept_in_the_claims_ledger(
    api_for, insured_user, claims_handler, paid
):
    with on(date(2026, 11, 2)):
        recorded = act(
            api_for(claims_handler),
            paid,
            "recoveries",
            {"amount": "10000.00", "received_on": "2026-11-02", "source": "The estate"},
        )
        ledger = api_for(insured_user).get(f"{CLAIMS}{paid['id']}/recoveries/")

    assert recorded.status_code == 201
    recovery = recorded.json()
    # 40/50 of it falls on the insured loss: 8 000, of which 90 % to the insurer
    assert (
        recovery["on_insured_loss"],
        recovery["on_excess"],
        recovery["to_insurer"],
        recovery["to_insured"],
    ) == ("8000.00", "2000.00", "7200.00", "2800.00")
    assert ledger.status_code == 200
    body = ledger.json()
    assert (body["paid"], body["recovered"], body["to_insurer"], body["to_insured"]) == (
        "36000.00",
        "10000.00",
        "7200.00",
        "2800.00",
    )
    assert [r["id"] for r in body["recoveries"]] == [recovery["id"]]


def test_a_recovery_on_a_claim_not_paid_is_a_conflict(api_for, claims_handler, claim):
    with on(PAID_ON):
        response = act(
            api_for(claims_handler),
            claim,
            "recoveries",
            {"amount": "100.00", "received_on": "2026-10-05"},
        )

    assert response.status_code == 409
    assert errors_of(response) == {"claim": "not_paid"}


def test_the_settlement_statement_downloads_once_rendered_and_only_for_whom_may_see_it(
    api_for, insured_user, other_insured_user, paid
):
    statement = ClaimStatement.objects.get(claim_id=paid["id"], kind=StatementKind.SETTLEMENT)
    path = f"{CLAIMS}{paid['id']}/statements/{statement.pk}/"
    client = api_for(insured_user)

    # Before it is rendered: not ready, and no download URL
    waiting = client.get(path)
    [listed] = client.get(f"{CLAIMS}{paid['id']}/").json()["statements"]
    statement_render(statement_id=statement.pk)
    ready = client.get(path)
    [listed_ready] = client.get(f"{CLAIMS}{paid['id']}/").json()["statements"]

    assert waiting.status_code == 409
    assert errors_of(waiting) == {"statement": "not_ready"}
    assert (listed["status"], listed["download_url"]) == ("pending", None)
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/pdf"
    assert b"".join(ready.streaming_content).startswith(b"%PDF")
    assert listed_ready["download_url"].endswith(path)
    assert api_for(other_insured_user).get(path).status_code == 404
    assert client.get(f"{CLAIMS}{paid['id']}/statements/{statement.pk + 1000}/").status_code == 404


def test_the_insured_reads_staff_as_claims_handler_as_on_the_pages(
    api_for, insured_user, claims_handler, claim
):
    # Given a claim a handler took up
    with on(WAITING_END):
        act(api_for(claims_handler), claim, "assess")

    # When the insured reads it
    history = api_for(insured_user).get(f"/api/v1/claims/{claim['id']}/").json()["history"]

    # Then the handler has no name there, the insured's own user keeps its own
    assert [(h["status"], h["who"]) for h in history] == [
        ("filed", "insured-a"),
        ("assessment", "Claims handler"),
    ]
