"""The claims part of the demo data: a collections case with its steps, a claim waiting for
documents, one waiting for a second approval (which the second demo handler can give) and one
paid with a recovery and its two statements; a second run adds nothing."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Role, User
from claims.exceptions import FourEyes
from claims.models import (
    Claim,
    ClaimDocument,
    ClaimStatement,
    ClaimStatus,
    CollectionStep,
    Recovery,
    StatementStatus,
)
from claims.services.claims import checklist
from claims.services.settlement import claim_second_approve
from exposure.models import Invoice, OverdueNotification

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MID_JUNE = datetime(2026, 6, 15, 12, tzinfo=STOCKHOLM)
LATE_JANUARY = datetime(2026, 1, 20, 12, tzinfo=STOCKHOLM)


def demo_data(moment: datetime) -> str:
    out = io.StringIO()
    with time_machine.travel(moment, tick=True):
        call_command("demo_data", stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def quick_pdfs(monkeypatch):
    """Statements built as usual but not laid out by WeasyPrint (a second a page): only the
    first test below looks at the rendered files."""
    monkeypatch.setattr("claims.pdf.render_pdf", lambda *args, **kwargs: b"%PDF-1.7 demo")


def claims_by_status() -> dict[str, Claim]:
    claims = list(Claim.objects.select_related("policy", "debtor"))
    assert len(claims) == len({c.status for c in claims})
    return {c.status: c for c in claims}


@pytest.mark.django_db
def test_the_demo_has_a_claim_in_each_state_the_handler_works_on():
    demo_data(MID_JUNE)

    claims = claims_by_status()
    assert set(claims) == {
        ClaimStatus.WAITING_DOCUMENTS,
        ClaimStatus.SECOND_APPROVAL,
        ClaimStatus.PAID,
    }
    assert {c.policy.currency for c in claims.values()} == {"SEK"}

    waiting = claims[ClaimStatus.WAITING_DOCUMENTS]
    assert "proof_of_delivery" in waiting.documents_requested
    assert "delivery notes" in waiting.documents_message
    missing = [kind for kind, _label, there in checklist(waiting) if not there]
    assert "proof_of_delivery" in missing
    assert "invoices" not in missing

    proposed = claims[ClaimStatus.SECOND_APPROVAL]
    assert proposed.indemnity > proposed.policy.four_eyes_amount
    assert proposed.decided_by.username == "claims"

    paid = claims[ClaimStatus.PAID]
    # 115 000 unpaid, capped at the 100 000 limit, 90 %
    assert paid.indemnity == Decimal("90000.00")
    assert paid.notification.closed_on == paid.paid_on
    [recovery] = paid.recoveries.all()
    assert (recovery.amount, recovery.to_insurer, recovery.to_insured) == (
        Decimal("23000.00"),
        Decimal("18000.00"),
        Decimal("5000.00"),
    )
    statements = ClaimStatement.objects.filter(claim=paid)
    assert sorted(s.kind for s in statements) == ["recovery", "settlement"]
    assert all(s.status == StatementStatus.READY and s.file for s in statements)


@pytest.mark.django_db
def test_the_demo_collections_case_has_a_reminder_a_demand_with_its_fee_and_enforcement(quick_pdfs):
    demo_data(MID_JUNE)

    [notice] = OverdueNotification.objects.filter(
        collection_steps__isnull=False, closed_on__isnull=True
    ).distinct()
    steps = list(notice.collection_steps.order_by("done_on"))
    assert [s.kind for s in steps] == ["reminder", "demand", "enforcement"]
    reminder, demand, enforcement = steps
    assert notice.notified_on <= reminder.done_on < demand.done_on
    assert demand.fee == Decimal("180.00")  # Sweden's statutory fee, in SEK
    assert demand.pay_by == demand.done_on + timedelta(days=8)
    assert enforcement.done_on >= demand.done_on + timedelta(days=12)
    assert not Claim.objects.filter(notification=notice).exists()


@pytest.mark.django_db
def test_the_second_demo_handler_can_give_the_second_approval_the_first_cannot(quick_pdfs):
    demo_data(MID_JUNE)
    proposed = Claim.objects.get(status=ClaimStatus.SECOND_APPROVAL)
    first = User.objects.get(username="claims")
    second = User.objects.get(username="claims2")
    assert second.role == Role.CLAIMS
    assert second.check_password("demo-pass-2026")

    with time_machine.travel(MID_JUNE, tick=True):
        with pytest.raises(FourEyes):
            claim_second_approve(actor=first, claim_id=proposed.pk, agree=True)
        claim = claim_second_approve(actor=second, claim_id=proposed.pk, agree=True)

    assert claim.status == ClaimStatus.APPROVED


@pytest.mark.django_db
def test_a_second_run_of_the_demo_adds_nothing(quick_pdfs):
    demo_data(MID_JUNE)
    models = (
        User,
        Invoice,
        OverdueNotification,
        CollectionStep,
        Claim,
        ClaimDocument,
        Recovery,
        ClaimStatement,
    )
    before = {m.__name__: m.objects.count() for m in models}

    output = demo_data(MID_JUNE + timedelta(days=3))

    assert "already loaded" in output
    assert {m.__name__: m.objects.count() for m in models} == before
    assert "claims2" in output


@pytest.mark.django_db
def test_early_in_the_year_the_demo_claims_sit_on_the_euro_policy(quick_pdfs):
    # The Swedish policy's year began on 1 January: too little history for the cases.
    demo_data(LATE_JANUARY)

    claims = claims_by_status()
    assert set(claims) == {
        ClaimStatus.WAITING_DOCUMENTS,
        ClaimStatus.SECOND_APPROVAL,
        ClaimStatus.PAID,
    }
    assert {c.policy.currency for c in claims.values()} == {"EUR"}
    proposed = claims[ClaimStatus.SECOND_APPROVAL]
    assert proposed.indemnity > proposed.policy.four_eyes_amount
    assert claims[ClaimStatus.PAID].indemnity == Decimal("9000.00")
    demand = CollectionStep.objects.get(kind="demand")
    assert demand.fee == Decimal("15.65")
