"""The insured's actions on its claim through the API: a document uploaded as a file fills
the checklist, the documents asked for are sent back to the handler, a claim is withdrawn."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import ClaimDocument
from claims.services.claims import claim_documents_ask
from tests.api.test_claims_api import (  # noqa: F401  (fixtures)
    CLAIMS,
    debtor_fixture,
    empty_cache,
    errors_of,
    file,
    notified_fixture,
)
from tests.claims.conftest import WAITING_END, on


@pytest.fixture
def claim(api_for, insured_user, issued_policy, debtor, notified):
    with on(WAITING_END):
        return file(api_for(insured_user), issued_policy, debtor).json()


def upload(client, claim, name="invoices.pdf", kind="invoices", content=b"%PDF-1.4 two invoices"):
    return client.post(
        f"{CLAIMS}{claim['id']}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content), "note": "F-1 and F-2"},
        format="multipart",
    )


def test_an_uploaded_document_is_on_the_claim_and_ticks_its_checklist(api_for, insured_user, claim):
    client = api_for(insured_user)

    with on(WAITING_END):
        response = upload(client, claim)
        detail = client.get(f"{CLAIMS}{claim['id']}/").json()

    assert response.status_code == 201
    document = response.json()
    assert (document["kind"], document["name"], document["content_type"], document["note"]) == (
        "invoices",
        "invoices.pdf",
        "application/pdf",
        "F-1 and F-2",
    )
    assert [d["id"] for d in detail["documents"]] == [document["id"]]
    assert {c["kind"]: c["present"] for c in detail["checklist"]}["invoices"] is True
    assert "invoices" not in detail["reasons"][0]["values"]["kinds"]


@pytest.mark.parametrize(
    ("name", "kind", "content", "error"),
    [
        ("invoices.zip", "invoices", b"PK", {"file": "file_type"}),
        ("empty.pdf", "invoices", b"", {"file": "empty"}),
        ("invoices.pdf", "selfie", b"%PDF", {"kind": "invalid"}),
    ],
)
def test_a_document_the_claim_cannot_take_is_refused_naming_the_field(
    api_for, insured_user, claim, name, kind, content, error
):
    with on(WAITING_END):
        response = upload(api_for(insured_user), claim, name, kind, content)

    assert response.status_code == 400
    assert errors_of(response) == error
    assert not ClaimDocument.objects.exists()


def test_a_document_sent_as_json_is_refused_as_the_wrong_media_type(api_for, insured_user, claim):
    with on(WAITING_END):
        response = api_for(insured_user).post(
            f"{CLAIMS}{claim['id']}/documents/", {"kind": "invoices"}, format="json"
        )

    assert response.status_code == 415


def test_the_documents_asked_for_go_back_to_the_handler_once_sent(
    api_for, insured_user, claims_handler, claim
):
    client = api_for(insured_user)
    with on(WAITING_END):
        claim_documents_ask(
            actor=claims_handler,
            claim_id=claim["id"],
            kinds=["proof_of_delivery"],
            message="The signed delivery notes, please.",
        )
        waiting = client.get(f"{CLAIMS}{claim['id']}/").json()
        upload(client, claim, "delivery.pdf", "proof_of_delivery")
        sent = client.post(
            f"{CLAIMS}{claim['id']}/documents-sent/", {"note": "Both notes added."}, format="json"
        )

    assert waiting["status"] == "waiting_documents"
    assert waiting["reasons"][0] == {
        "code": "documents_requested",
        "message": "The signed delivery notes, please.",
        "values": {"kinds": ["proof_of_delivery"]},
    }
    assert sent.status_code == 200
    assert sent.json()["status"] == "assessment"
    assert sent.json()["history"][-1]["reason"] == "Both notes added."


def test_documents_sent_on_a_claim_not_waiting_for_any_is_a_conflict(api_for, insured_user, claim):
    with on(WAITING_END):
        response = api_for(insured_user).post(
            f"{CLAIMS}{claim['id']}/documents-sent/", {}, format="json"
        )

    assert response.status_code == 409
    assert errors_of(response) == {"status": "transition_not_allowed"}


def test_a_withdrawn_claim_says_why_and_cannot_be_withdrawn_again(api_for, insured_user, claim):
    client = api_for(insured_user)
    path = f"{CLAIMS}{claim['id']}/withdraw/"

    with on(WAITING_END):
        no_reason = client.post(path, {}, format="json")
        withdrawn = client.post(path, {"reason": "The debtor paid in full."}, format="json")
        again = client.post(path, {"reason": "Once more"}, format="json")

    assert errors_of(no_reason) == {"reason": "required"}
    assert withdrawn.status_code == 200
    body = withdrawn.json()
    assert (body["status"], body["open"]) == ("withdrawn", False)
    assert body["reasons"] == [
        {"code": "withdrawn", "message": "The debtor paid in full.", "values": {}}
    ]
    assert again.status_code == 409


def test_staff_other_than_claims_handlers_may_not_act_for_the_insured(
    api_for, underwriter, claims_handler, claim
):
    with on(WAITING_END):
        uploaded = upload(api_for(underwriter), claim)
        withdrawn = api_for(claims_handler).post(
            f"{CLAIMS}{claim['id']}/withdraw/", {"reason": "x"}, format="json"
        )
        by_handler = upload(api_for(claims_handler), claim)

    assert (uploaded.status_code, withdrawn.status_code) == (403, 403)
    assert by_handler.status_code == 201
