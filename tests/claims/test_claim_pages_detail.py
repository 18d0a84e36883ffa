"""One claim's page for the insured and the claims handler: its steps, the calculation line by
line, the documents checklist with upload and download, the documents asked for and sent
back, withdrawal; and what another company or another role may not do."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import ClaimDocument, ClaimStatus
from claims.services.claims import claim_assess, claim_document_add, claim_documents_ask
from tests.claims.conftest import WAITING_END, on


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def url(name, claim, *args) -> str:
    return reverse(name, args=[claim.pk, *args])


def pdf(name="invoices.pdf", body=b"%PDF-1.4 the unpaid invoices") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def insured(client, insured_user):
    client.force_login(insured_user)
    return client


@pytest.fixture
def handler(client, claims_handler):
    client.force_login(claims_handler)
    return client


def test_the_insured_reads_its_claim_with_the_calculation_and_what_is_missing(insured, claim):
    with on(WAITING_END):
        response = insured.get(url("claim-detail", claim))

    page = page_of(response)
    assert f"Claim {claim.number}" in page and "Filed" in page
    assert "A claims handler will take the claim up" in page
    assert response.context["calc"].indemnity == 36000
    assert "6. Within the maximum liability left: indemnity" in page
    assert "SEK\xa036,000.00" in page
    assert [r["kind"] for r in response.context["missing"]] == [
        "invoices",
        "account_statement",
        "proof_of_delivery",
        "correspondence",
        "collection_history",
    ]
    assert "Add a document" in page
    assert "Decide" not in page and "Take the claim up" not in page
    assert "Withdraw the claim" in page
    assert reverse("collection-detail", args=[claim.notification_id]) in page
    assert reverse("notification-detail", args=[claim.notification_id]) in page


def test_the_handler_reads_the_claim_with_the_decision_and_four_eyes(handler, claim):
    with on(WAITING_END):
        page = page_of(handler.get(url("claim-detail", claim)))

    assert "Take the claim up" in page and "Record the decision" in page
    assert "Ask for documents" in page
    assert "Indemnity calculated today" in page and "SEK\xa050,000.00" in page  # four eyes
    assert "this one, as calculated, does not" in page
    assert "Nordic Steel AB" in page
    assert "Withdraw the claim" not in page


def test_another_company_finds_neither_the_claim_nor_its_documents(
    client, other_insured_user, insured_user, claim
):
    with on(WAITING_END):
        document = claim_document_add(
            actor=insured_user, claim_id=claim.pk, kind="invoices", upload=pdf()
        )
    client.force_login(other_insured_user)

    assert client.get(url("claim-detail", claim)).status_code == 404
    assert client.get(url("claim-document-download", claim, document.pk)).status_code == 404
    withdraw = client.post(url("claim-withdraw", claim), {"withdraw-reason": "Mine now"})
    assert withdraw.status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FILED


def test_the_insured_may_not_act_as_a_claims_handler(insured, claim):
    assert insured.post(url("claim-assess", claim)).status_code == 403
    assert insured.post(url("claim-decide", claim), {"decide-decision": "approve"}).status_code == (
        403
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FILED


def test_the_insured_adds_a_document_and_downloads_it(insured, claim):
    with on(WAITING_END):
        response = insured.post(
            url("claim-document-add", claim),
            {"document-kind": "invoices", "document-file": pdf(), "document-note": "Both"},
        )
        page = page_of(insured.get(response["Location"]))

    document = ClaimDocument.objects.get()
    assert response["Location"] == url("claim-detail", claim)
    assert f"“invoices.pdf” is added to claim {claim.number} as: The unpaid invoices." in page
    download = insured.get(url("claim-document-download", claim, document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 the unpaid invoices"
    assert 'attachment; filename="invoices.pdf"' in download["Content-Disposition"]


def test_a_file_of_the_wrong_kind_is_refused_on_the_file_field(insured, claim):
    with on(WAITING_END):
        response = insured.post(
            url("claim-document-add", claim),
            {"document-kind": "invoices", "document-file": pdf("run.exe"), "document-note": "Kept"},
        )

    assert response.status_code == 200
    form = response.context["forms"]["document"]
    assert "not run.exe" in " ".join(form.errors["file"])
    page = page_of(response)
    assert "Nothing was changed." in page and 'value="Kept"' in page
    assert not ClaimDocument.objects.exists()


def test_documents_asked_for_are_sent_back_by_the_insured(
    insured, claims_handler, insured_user, claim
):
    with on(WAITING_END):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        claim_documents_ask(
            actor=claims_handler,
            claim_id=claim.pk,
            kinds=["proof_of_delivery"],
            message="The delivery notes for F-2, please.",
        )
        asked = page_of(insured.get(url("claim-detail", claim)))
        sent = insured.post(url("claim-documents-sent", claim), {"sent-note": "Uploaded"})
        after = page_of(insured.get(sent["Location"]))

    assert "The claims handler asks you for documents" in asked
    assert "Proof of delivery" in asked and "The delivery notes for F-2, please." in asked
    assert "The documents are all there" in asked
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSESSMENT
    assert "is back with the claims handler" in after


def test_the_steps_name_the_handler_as_such_to_the_insured(insured, client, claims_handler, claim):
    claims_handler.first_name, claims_handler.last_name = "Clara", "Handler"
    claims_handler.save()
    with on(WAITING_END):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        steps = insured.get(url("claim-detail", claim)).context["life"]

    assert [(s["label"], s["by"]) for s in steps] == [
        ("Filed", "insured-a"),
        ("Under assessment", "Claims handler"),
    ]
    client.force_login(claims_handler)
    with on(WAITING_END):
        staff = client.get(url("claim-detail", claim)).context["life"]
    assert staff[-1]["by"] == "Clara Handler"


def test_withdrawing_needs_a_reason(insured, claim):
    with on(WAITING_END):
        refused = insured.post(url("claim-withdraw", claim), {"withdraw-reason": ""})
        done = insured.post(url("claim-withdraw", claim), {"withdraw-reason": "Paid after all"})

    assert (
        "Say why the claim is withdrawn." in refused.context["forms"]["withdraw"].errors["reason"]
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN


def test_an_action_is_posted_never_opened(insured, claim):
    assert insured.get(url("claim-withdraw", claim)).status_code == 405


def test_the_claim_page_reads_a_bounded_number_of_queries(
    handler, claim, django_assert_max_num_queries
):
    with on(WAITING_END), django_assert_max_num_queries(16):
        handler.get(url("claim-detail", claim))
