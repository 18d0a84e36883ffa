"""Filing a claim (DOMAIN.md, "Causes of loss", "Deadlines"): when each cause may be filed, until
when, by whom, and what the claim keeps; then its life before settlement: assessment, documents
asked for, uploaded and sent, withdrawal."""

import hashlib
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.exceptions import ClaimConflict, ClaimInvalid, DocumentInvalid
from claims.models import Claim, ClaimStatus
from claims.services.claims import (
    MAX_DOCUMENT_BYTES,
    checklist,
    claim_assess,
    claim_document_add,
    claim_documents_ask,
    claim_documents_sent,
    claim_withdraw,
)
from core.exceptions import NotFound
from core.models import Notification
from tests.claims.conftest import FILING_DEADLINE, WAITING_END, file_claim, on
from tests.factories.limits import DebtorFactory


def test_protracted_default_waits_for_the_end_of_the_waiting_period(
    notified, insured_user, issued_policy, debtor
):
    with on(WAITING_END - timedelta(days=1)), pytest.raises(ClaimInvalid) as refused:
        file_claim(insured_user, issued_policy, debtor)

    assert (refused.value.code, refused.value.field) == ("waiting_period", "cause")
    assert "2026-09-28" in str(refused.value.message)
    assert refused.value.values == {"may_file_from": "2026-09-28"}
    assert not Claim.objects.exists()


def test_protracted_default_is_filed_from_the_end_of_the_waiting_period(
    notified, insured_user, issued_policy, debtor
):
    with on(WAITING_END):
        claim = file_claim(insured_user, issued_policy, debtor)

    claim.refresh_from_db()
    assert re.fullmatch(r"CL-2026-\d{6}", claim.number)
    assert claim.number == f"CL-2026-{claim.pk:06d}"
    assert (claim.status, claim.cause, claim.loss_date, claim.filed_on) == (
        ClaimStatus.FILED,
        "protracted_default",
        WAITING_END,
        WAITING_END,
    )
    assert (claim.filing_deadline, claim.policy_year, claim.notification) == (
        FILING_DEADLINE,
        1,
        notified,
    )
    # 50 000 unpaid capped at the 40 000 limit, 90 %: what the calculation gives today
    assert (claim.claimed_amount, claim.currency) == (Decimal("36000.00"), "SEK")


@pytest.mark.parametrize(("day", "filed"), [(FILING_DEADLINE, True), (date(2026, 11, 28), False)])
def test_a_claim_after_the_filing_deadline_is_refused_naming_it(
    notified, insured_user, issued_policy, debtor, day, filed
):
    with on(day):
        if filed:
            assert file_claim(insured_user, issued_policy, debtor).filing_deadline == day
            return
        with pytest.raises(ClaimInvalid) as refused:
            file_claim(insured_user, issued_policy, debtor)
    assert (refused.value.code, refused.value.values) == (
        "filing_deadline_passed",
        {"deadline": "2026-11-27"},
    )
    assert "2026-11-27" in str(refused.value.message)


def test_insolvency_is_filed_at_once_with_its_kind_and_180_days_to_file(
    notified, insured_user, issued_policy, debtor
):
    bankrupt = date(2026, 5, 4)
    with on(date(2026, 5, 10)):
        claim = file_claim(
            insured_user,
            issued_policy,
            debtor,
            cause="insolvency",
            insolvency_kind="bankruptcy",
            loss_date=bankrupt,
        )
    assert (claim.insolvency_kind, claim.loss_date) == ("bankruptcy", bankrupt)
    assert claim.filing_deadline == bankrupt + timedelta(days=180) == date(2026, 10, 31)
    assert claim.claimed_amount == Decimal("36000.00")


@pytest.mark.parametrize(
    ("kw", "today", "field", "code"),
    [
        ({"insolvency_kind": ""}, date(2026, 5, 10), "insolvency_kind", "invalid"),
        ({"insolvency_kind": "bankruptcy"}, date(2026, 5, 10), "loss_date", "invalid"),
        ({"loss_date": date(2026, 5, 11)}, date(2026, 5, 10), "loss_date", "in_future"),
        ({"loss_date": date(2026, 5, 4)}, date(2026, 11, 1), "filed_on", "filing_deadline_passed"),
    ],
)
def test_insolvency_needs_its_kind_and_a_date_not_in_the_future_within_180_days(
    notified, insured_user, issued_policy, debtor, kw, today, field, code
):
    kw = {"cause": "insolvency", "insolvency_kind": "liquidation", **kw}
    with on(today), pytest.raises(ClaimInvalid) as refused:
        file_claim(insured_user, issued_policy, debtor, **kw)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_political_risk_is_refused_unless_the_policy_covers_it(
    notified, insured_user, issued_policy, debtor
):
    kw = {"cause": "political", "loss_date": date(2026, 5, 1)}
    with on(date(2026, 5, 10)), pytest.raises(ClaimInvalid) as refused:
        file_claim(insured_user, issued_policy, debtor, **kw)
    assert (refused.value.field, refused.value.code) == ("cause", "not_covered")


@pytest.mark.parametrize("policy_terms", [{"political_risk": True}])
def test_political_risk_is_filed_where_the_policy_covers_it(
    notified, insured_user, issued_policy, debtor
):
    with on(date(2026, 5, 10)):
        claim = file_claim(
            insured_user, issued_policy, debtor, cause="political", loss_date=date(2026, 5, 1)
        )
    assert (claim.cause, claim.loss_date, claim.insolvency_kind) == (
        "political",
        date(2026, 5, 1),
        "",
    )


def test_a_debtor_never_notified_overdue_cannot_be_claimed(notified, insured_user, issued_policy):
    other = DebtorFactory(country="SE")
    with on(WAITING_END), pytest.raises(ClaimInvalid) as refused:
        file_claim(insured_user, issued_policy, other)
    assert (refused.value.field, refused.value.code) == ("debtor", "not_notified")


def test_a_second_open_claim_on_the_debtor_is_a_conflict_until_the_first_is_withdrawn(
    claim, insured_user, issued_policy, debtor
):
    with on(WAITING_END):
        with pytest.raises(ClaimConflict) as conflict:
            file_claim(insured_user, issued_policy, debtor)
        assert (conflict.value.status, conflict.value.code) == (409, "claim_open")

        claim_withdraw(actor=insured_user, claim_id=claim.pk, reason="Paid after all")
        assert file_claim(insured_user, issued_policy, debtor).pk != claim.pk


def test_an_insured_of_another_company_finds_no_policy(
    notified, other_insured_user, issued_policy, debtor
):
    with on(WAITING_END), pytest.raises(NotFound):
        file_claim(other_insured_user, issued_policy, debtor)
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"), [({"cause": "fire"}, "cause"), ({"evidence": "   "}, "evidence")]
)
def test_a_claim_needs_a_cause_and_what_happened(
    notified, insured_user, issued_policy, debtor, kw, field
):
    with on(WAITING_END), pytest.raises(ClaimInvalid) as refused:
        file_claim(insured_user, issued_policy, debtor, **kw)
    assert refused.value.field == field


def test_the_history_names_who_filed_and_who_took_it_up_and_why(
    claim, insured_user, claims_handler
):
    with on(WAITING_END):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
    rows = claim.history.order_by("history_date", "history_id")
    assert [(r.status, r.history_user, r.history_change_reason, r.number) for r in rows] == [
        ("filed", insured_user, "Claim filed", claim.number),
        ("assessment", claims_handler, "Assessment started", claim.number),
    ]


def test_the_claims_handlers_are_told_in_the_inbox(
    notified,
    insured_user,
    claims_handler,
    issued_policy,
    debtor,
    django_capture_on_commit_callbacks,
):
    Notification.objects.all().delete()  # the notification's own message
    with on(WAITING_END), django_capture_on_commit_callbacks(execute=True):
        claim = file_claim(insured_user, issued_policy, debtor)
    [message] = Notification.objects.all()
    assert (message.user, message.url) == (claims_handler, f"/claims/{claim.pk}/")
    assert claim.number in message.subject


# Its life before settlement ------------------------------------------------------------------


def test_the_handler_asks_for_documents_and_the_claim_waits_for_the_insured(
    claim, insured_user, claims_handler, django_capture_on_commit_callbacks
):
    with on(WAITING_END):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        with pytest.raises(DocumentInvalid) as unknown:
            claim_documents_ask(
                actor=claims_handler, claim_id=claim.pk, kinds=["invoices", "x"], message=""
            )
        assert (unknown.value.field, unknown.value.values) == ("kinds", {"kinds": ["x"]})
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            claim = claim_documents_ask(
                actor=claims_handler,
                claim_id=claim.pk,
                kinds=["insolvency_proof", "account_statement"],
                message="The statement of account, please.",
            )
    assert claim.status == ClaimStatus.WAITING_DOCUMENTS
    assert claim.documents_requested == ["insolvency_proof", "account_statement"]
    [told] = Notification.objects.all()
    assert (told.user, told.url) == (insured_user, f"/claims/{claim.pk}/")
    assert "The statement of account, please." in told.body
    # asked for beyond what protracted default needs: on the checklist, still missing
    assert ("insolvency_proof", "Proof of insolvency", False) in checklist(claim)


def test_documents_sent_take_the_claim_back_to_assessment_and_tell_the_handlers(
    claim, insured_user, claims_handler, django_capture_on_commit_callbacks
):
    with on(WAITING_END):
        claim_documents_ask(actor=claims_handler, claim_id=claim.pk, kinds=[], message="More")
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            claim = claim_documents_sent(actor=insured_user, claim_id=claim.pk, note="All there")
    assert claim.status == ClaimStatus.ASSESSMENT
    assert claim.history.latest().history_change_reason == "All there"
    assert [n.user for n in Notification.objects.all()] == [claims_handler]


def upload(name, content=b"%PDF-1.4 statement"):
    return SimpleUploadedFile(name, content)


def test_a_document_is_stored_with_its_type_size_and_checksum(claim, insured_user):
    with on(WAITING_END):
        document = claim_document_add(
            actor=insured_user, claim_id=claim.pk, kind="invoices", upload=upload("F-1.PDF")
        )
    assert (document.name, document.content_type, document.size) == (
        "F-1.PDF",
        "application/pdf",
        18,
    )
    assert document.sha256 == hashlib.sha256(b"%PDF-1.4 statement").hexdigest()
    assert document.file.read() == b"%PDF-1.4 statement"
    assert ("invoices", "The unpaid invoices", True) in checklist(claim)


class Big:
    """An upload one byte above the limit, without holding 10 MB in memory."""

    name, size = "big.pdf", MAX_DOCUMENT_BYTES + 1


@pytest.mark.parametrize(
    ("kind", "file", "field", "code"),
    [
        ("invoices", upload("run.exe"), "file", "file_type"),
        ("invoices", upload("no-extension"), "file", "file_type"),
        ("invoices", upload("empty.pdf", b""), "file", "empty"),
        ("invoices", Big(), "file", "too_large"),
        ("invoices", None, "file", "invalid"),
        ("selfie", upload("a.pdf"), "kind", "invalid"),
    ],
)
def test_a_document_is_refused_for_its_type_size_or_kind(
    claim, insured_user, kind, file, field, code
):
    with on(WAITING_END), pytest.raises(DocumentInvalid) as refused:
        claim_document_add(actor=insured_user, claim_id=claim.pk, kind=kind, upload=file)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not claim.documents.exists()


def test_a_withdrawn_claim_needs_a_reason_and_takes_no_more_documents(
    claim, insured_user, other_insured_user
):
    with on(WAITING_END):
        with pytest.raises(NotFound):
            claim_withdraw(actor=other_insured_user, claim_id=claim.pk, reason="Mine now")
        with pytest.raises(ClaimInvalid):
            claim_withdraw(actor=insured_user, claim_id=claim.pk, reason=" ")
        claim = claim_withdraw(actor=insured_user, claim_id=claim.pk, reason="Paid after all")
        with pytest.raises(ClaimConflict):
            claim_document_add(
                actor=insured_user, claim_id=claim.pk, kind="other", upload=upload("a.pdf")
            )
    assert (claim.status, claim.history.latest().history_change_reason) == (
        ClaimStatus.WITHDRAWN,
        "Paid after all",
    )


def test_only_a_claims_handler_takes_a_claim_up(claim, insured_user, underwriter):
    with on(WAITING_END):
        for actor in (insured_user, underwriter):
            with pytest.raises(NotFound):
                claim_assess(actor=actor, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FILED
