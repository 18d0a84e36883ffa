"""After the settlement, on the claim's page: the claims handler records the payment (its
statement follows, linked once ready) and the recoveries after it, each split into the ledger
and shown in the claim's steps."""

import html
from datetime import date

import pytest
from django.urls import reverse

from claims.models import ClaimStatement, ClaimStatus
from claims.services.settlement import claim_decide, claim_pay
from tests.claims.conftest import WAITING_END, on

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


def test_the_payment_is_recorded_with_its_statement(handler, claims_handler, claim):
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")

    future = post(handler, "claim-pay", claim, {"pay-paid_on": "2026-09-29"})
    paid = page_of(
        post(handler, "claim-pay", claim, {"pay-paid_on": "2026-09-28", "pay-reference": "P-7"})
    )

    assert "The date lies in the future." in errors(future, "pay")["paid_on"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.payment_reference == "P-7"
    assert "is paid: SEK\xa036,000.00 on 2026-09-28" in paid
    assert ClaimStatement.objects.filter(claim=claim, kind="settlement").count() == 1
    assert "Settlement statement" in paid and "Nothing recovered since the payment." in paid


def test_a_recovery_after_payment_is_split_into_the_ledger(handler, claims_handler, claim):
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        claim_pay(actor=claims_handler, claim_id=claim.pk, reference="P-7")

    early = post(
        handler,
        "claim-recovery",
        claim,
        {"recovery-amount": "10000", "recovery-received_on": "2026-09-01"},
        day=LATER,
    )
    page = page_of(
        post(
            handler,
            "claim-recovery",
            claim,
            {
                "recovery-amount": "10000",
                "recovery-received_on": "2026-11-01",
                "recovery-source": "The estate",
            },
            day=LATER,
        )
    )

    assert "money received before that" in " ".join(errors(early, "recovery")["received_on"])
    assert (
        "A recovery of SEK\xa010,000.00 is recorded on claim "
        f"{claim.number}: SEK\xa07,200.00 to the insurer, SEK\xa02,800.00 to the insured." in page
    )
    recovery = claim.recoveries.get()
    assert (recovery.on_insured_loss, recovery.source) == (8000, "The estate")
    assert "Recovery statement" in page


def test_a_ready_statement_is_linked_for_the_insured(client, insured_user, claims_handler, claim):
    from claims.pdf import statement_render

    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        claim_pay(actor=claims_handler, claim_id=claim.pk, reference="P-7")
        statement = claim.statements.get()
        client.force_login(insured_user)
        pending = page_of(client.get(url("claim-detail", claim)))
        statement_render(statement_id=statement.pk)
        ready = page_of(client.get(url("claim-detail", claim)))
        link = reverse("claim-statement-download", args=[statement.pk])
        download = client.get(link)

    assert link not in pending and "Being prepared" in pending
    assert link in ready
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_recoveries_show_in_the_claims_steps_for_the_insured(
    client, insured_user, claims_handler, claim
):
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        claim_pay(actor=claims_handler, claim_id=claim.pk, reference="P-7")
    handler = client
    handler.force_login(claims_handler)
    post(
        handler,
        "claim-recovery",
        claim,
        {
            "recovery-amount": "1000",
            "recovery-received_on": "2026-11-01",
            "recovery-source": "Estate",
        },
        day=LATER,
    )
    client.force_login(insured_user)
    with on(LATER):
        steps = client.get(url("claim-detail", claim)).context["life"]

    assert [(s["label"], s["amount"], s["by"]) for s in steps[-2:]] == [
        ("Paid", 36000, "Claims handler"),
        ("Recovery", 1000, "Claims handler"),
    ]
    assert steps[-1]["reason"] == "Estate"
