"""Recoveries after payment, recorded by a claims handler on a paid claim (DOMAIN.md,
"Recoveries after payment"): the split kept with each, the insurer never back more than it
paid, a statement each, the claim's ledger."""

from datetime import date
from decimal import Decimal

import pytest

from claims.exceptions import ClaimConflict, RecoveryInvalid
from claims.models import ClaimStatement, Recovery
from claims.services.recoveries import recovery_record
from claims.services.settlement import claim_decide, claim_pay
from core.exceptions import NotFound
from core.models import Notification
from tests.claims.conftest import WAITING_END, on

D = Decimal
PAID_ON = WAITING_END  # 2026-09-28
LATER = date(2026, 11, 2)


def pay(claim, handler, **decision):
    with on(PAID_ON):
        claim_decide(actor=handler, claim_id=claim.pk, **({"decision": "approve"} | decision))
        return claim_pay(actor=handler, claim_id=claim.pk)


@pytest.fixture
def paid(claim, claims_handler, statements_queued):
    """The claim paid at 36 000 (40 000 insured of 50 000 eligible, 90 %)."""
    return pay(claim, claims_handler)


def record(claim, handler, amount, received_on=LATER, **kw):
    with on(LATER):
        return recovery_record(
            actor=handler, claim_id=claim.pk, amount=D(amount), received_on=received_on, **kw
        )


def split_of(recovery):
    return (recovery.on_insured_loss, recovery.on_excess, recovery.to_insurer, recovery.to_insured)


def test_a_recovery_is_split_by_the_shares_of_the_loss_and_kept_with_its_statement(
    paid, claims_handler
):
    recovery = record(paid, claims_handler, "10000", source="Bankruptcy dividend")
    # 40/50 of it on the insured loss, 90 % of that to the insurer
    assert split_of(recovery) == (D("8000.00"), D("2000.00"), D("7200.00"), D("2800.00"))
    assert (recovery.received_on, recovery.source, recovery.recorded_by) == (
        LATER,
        "Bankruptcy dividend",
        claims_handler,
    )
    assert recovery.split["share_of_insured_loss"] == "40000.00 / 50000.00"
    assert recovery.split["to_insurer"] == "7200.00"
    statement = ClaimStatement.objects.get(recovery=recovery)
    assert (statement.kind, statement.claim, statement.language) == ("recovery", paid, "sv")
    paid.refresh_from_db()
    assert paid.history.latest().history_change_reason == "Recovery of 10000.00 recorded"


def test_the_insurer_never_gets_back_more_than_it_paid_over_the_ledger(paid, claims_handler):
    record(paid, claims_handler, "30000")  # 24 000 on the loss: 21 600 to the insurer
    second = record(paid, claims_handler, "30000")  # 21 600 more would pass the 36 000 paid
    third = record(paid, claims_handler, "1000")
    assert split_of(second) == (D("24000.00"), D("6000.00"), D("14400.00"), D("15600.00"))
    assert split_of(third)[2:] == (D("0.00"), D("1000.00"))
    ledger = Recovery.objects.filter(claim=paid).order_by("id")
    assert sum(r.to_insurer for r in ledger) == D("36000.00") == paid.indemnity
    assert all(r.to_insurer + r.to_insured == r.amount for r in ledger)


def test_an_adjusted_indemnity_is_what_the_insurer_can_get_back(
    claim, claims_handler, statements_queued
):
    paid = pay(claim, claims_handler, decision="adjust", amount=D("5000"), reason="Set-off")
    recovery = record(paid, claims_handler, "10000")
    assert split_of(recovery) == (D("8000.00"), D("2000.00"), D("5000.00"), D("5000.00"))


def test_a_recovery_is_recorded_on_a_paid_claim_only(claim, claims_handler):
    with on(PAID_ON):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
    with pytest.raises(ClaimConflict) as refused:
        record(claim, claims_handler, "1000")
    assert (refused.value.code, refused.value.status) == ("not_paid", 409)


@pytest.mark.parametrize(
    ("amount", "received_on", "field", "code"),
    [
        ("0", LATER, "amount", "invalid"),
        ("0.004", LATER, "amount", "invalid"),
        ("-5", LATER, "amount", "invalid"),
        ("100", date(2026, 11, 3), "received_on", "in_future"),
        ("100", date(2026, 9, 27), "received_on", "before_payment"),
        ("100", None, "received_on", "invalid"),
    ],
)
def test_a_recovery_needs_an_amount_and_a_day_since_the_payment(
    paid, claims_handler, amount, received_on, field, code
):
    with pytest.raises(RecoveryInvalid) as refused:
        record(paid, claims_handler, amount, received_on=received_on)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not Recovery.objects.exists()


def test_only_claims_handlers_record_recoveries(paid, insured_user, underwriter, admin_user):
    for actor in (insured_user, underwriter):
        with pytest.raises(NotFound):
            record(paid, actor, "1000")
    assert record(paid, admin_user, "1000").to_insurer == D("720.00")


def test_the_insured_is_told_of_a_recovery(
    paid, claims_handler, insured_user, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        record(paid, claims_handler, "1000")
    [told] = Notification.objects.all()
    assert (told.user, told.url) == (insured_user, f"/claims/{paid.pk}/")
    assert paid.number in told.subject
