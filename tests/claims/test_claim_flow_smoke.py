"""A claim from filing to payment and a recovery, through the services."""

from datetime import date
from decimal import Decimal

from claims.models import ClaimStatus
from claims.services.claims import claim_assess, claim_file
from claims.services.recoveries import recovery_record
from claims.services.settlement import claim_decide, claim_pay
from tests.claims.conftest import WAITING_END, on


def test_a_protracted_default_claim_is_paid_and_a_recovery_split(
    notified, insured_user, claims_handler, issued_policy, debtor
):
    with on(WAITING_END):
        claim = claim_file(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            cause="protracted_default",
            evidence="No payment since January; reminders unanswered.",
        )
        # 50 000 unpaid, capped at the 40 000 limit: 90 % is 36 000
        assert claim.claimed_amount == Decimal("36000.00")
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        claim = claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        assert claim.status == ClaimStatus.APPROVED  # 36 000 is within the 50 000 four eyes
        claim = claim_pay(actor=claims_handler, claim_id=claim.pk, reference="PAY-1")
        assert claim.status == ClaimStatus.PAID
    with on(date(2026, 11, 1)):
        recovery = recovery_record(
            actor=claims_handler,
            claim_id=claim.pk,
            amount=Decimal("10000.00"),
            received_on=date(2026, 11, 1),
        )
    # 40/50 of it falls on the insured loss: 8 000, of which 90 % to the insurer
    assert (recovery.on_insured_loss, recovery.to_insurer, recovery.to_insured) == (
        Decimal("8000.00"),
        Decimal("7200.00"),
        Decimal("2800.00"),
    )
