"""The claims handler's actions on a claim's page: take it up, ask for documents, decide
(approve, adjust, refuse), the second approval above the four-eyes amount by another handler;
each confirms what it did or names the field. The payment and the recoveries after it are in
test_claim_pages_payment.py."""

import html
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from claims.services.settlement import claim_decide
from tests.claims.conftest import WAITING_END, on

FOUR_EYES_10K = pytest.mark.parametrize("policy_terms", [{"four_eyes_amount": D("10000")}])
LATER = date(2026, 11, 2)


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def url(name, claim) -> str:
    return reverse(name, args=[claim.pk])


def post(client, name, claim, data=None, day=WAITING_END):
    with on(day):
        response = client.post(url(name, claim), data or {})
        if response.status_code == 302:
            return client.get(response["Location"])
        return response


def errors(response, action) -> dict:
    return response.context["forms"][action].errors


@pytest.fixture
def handler(client, claims_handler):
    client.force_login(claims_handler)
    return client


def test_taking_up_and_asking_for_documents_confirm_what_was_done(handler, claim):
    taken = post(handler, "claim-assess", claim)
    asked = post(
        handler,
        "claim-documents-ask",
        claim,
        {"ask-kinds": ["proof_of_delivery", "correspondence"], "ask-message": "For F-2."},
    )

    assert f"You took up claim {claim.number}: it is under assessment." in page_of(taken)
    assert (
        "The insured is asked for: Proof of delivery, Correspondence with the debtor."
        in page_of(asked)
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WAITING_DOCUMENTS
    assert claim.documents_message == "For F-2."


def test_asking_for_nothing_is_refused_on_the_documents_field(handler, claim):
    response = post(handler, "claim-documents-ask", claim, {"ask-message": ""})

    assert "Name the documents you need" in " ".join(errors(response, "ask")["kinds"])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FILED


def test_approving_within_the_four_eyes_amount_settles_at_once(handler, claim):
    page = page_of(post(handler, "claim-decide", claim, {"decide-decision": "approve"}))

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.indemnity == 36000
    assert f"Claim {claim.number} is approved at SEK\xa036,000.00 and can be paid." in page
    assert "As the claim was settled on" in page and "Record the payment" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "decision", "Choose approve, adjust or refuse."),
        ({"decide-decision": "refuse"}, "reason", "Say why the claim is refused."),
        (
            {"decide-decision": "adjust", "decide-reason": "Set-off"},
            "amount",
            "Give the adjusted indemnity.",
        ),
        (
            {"decide-decision": "adjust", "decide-amount": "30000"},
            "reason",
            "Say why the indemnity is adjusted.",
        ),
        (
            {"decide-decision": "adjust", "decide-amount": "tons", "decide-reason": "x"},
            "amount",
            "Enter a number.",
        ),
    ],
)
def test_a_decision_the_rules_refuse_names_the_field_and_keeps_the_input(
    handler, claim, data, field, message
):
    response = post(handler, "claim-decide", claim, data)

    assert response.status_code == 200
    assert message in " ".join(errors(response, "decide")[field])
    assert response.context["failed_action"] == "decide"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FILED


def test_an_adjusted_indemnity_is_kept_with_its_reason(handler, claim):
    page = page_of(
        post(
            handler,
            "claim-decide",
            claim,
            {"decide-decision": "adjust", "decide-amount": "30000", "decide-reason": "Set-off"},
        )
    )

    claim.refresh_from_db()
    assert (claim.status, claim.indemnity, claim.calculated_amount) == (
        ClaimStatus.ADJUSTED,
        30000,
        36000,
    )
    assert (
        "adjusted to SEK\xa030,000.00" in page and "(adjusted; calculated SEK\xa036,000.00)" in page
    )


@FOUR_EYES_10K
def test_above_the_four_eyes_amount_another_handler_must_approve(
    handler, claims_handler, second_handler, claim
):
    decided = page_of(post(handler, "claim-decide", claim, {"decide-decision": "approve"}))
    same = post(handler, "claim-second-approval", claim, {"second-verdict": "agree"})

    assert "above the four-eyes amount of SEK\xa010,000.00" in decided
    assert "You decided this settlement: another claims handler must give the second" in decided
    assert "another claims handler than the one who decided" in page_of(same)
    assert "must come from another claims handler" in " ".join(errors(same, "second")["__all__"])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SECOND_APPROVAL

    handler.force_login(second_handler)
    redecided = post(handler, "claim-decide", claim, {"decide-decision": "approve"})
    with on(WAITING_END):
        waiting = page_of(handler.get(url("claim-detail", claim)))
    agreed = page_of(post(handler, "claim-second-approval", claim, {"second-verdict": "agree"}))

    assert "cannot be decided now" in " ".join(errors(redecided, "decide")["__all__"])
    assert "ch settled the claim at SEK\xa036,000.00" in waiting
    assert "Record the second approval" in waiting
    assert "You gave the second approval: claim" in agreed
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.second_approved_by == second_handler


@FOUR_EYES_10K
def test_a_second_handler_sends_a_settlement_back_with_the_reason(
    handler, claims_handler, second_handler, claim
):
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
    handler.force_login(second_handler)

    silent = post(handler, "claim-second-approval", claim, {"second-verdict": "send_back"})
    back = post(
        handler,
        "claim-second-approval",
        claim,
        {"second-verdict": "send_back", "second-reason": "Check the set-off first."},
    )

    assert "Say why the settlement goes back" in " ".join(errors(silent, "second")["reason"])
    assert f"Claim {claim.number} goes back to assessment." in page_of(back)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSESSMENT


def test_refusing_closes_the_claim_with_the_reason(handler, claim):
    page = page_of(
        post(
            handler,
            "claim-decide",
            claim,
            {"decide-decision": "refuse", "decide-reason": "The goods were never delivered."},
        )
    )

    assert f"Claim {claim.number} is refused." in page
    assert "Refused: The goods were never delivered." in page
    assert "Record the decision" not in page
