"""Settling a claim (DOMAIN.md, "Settlement"): approve, adjust or refuse with the reason, a
second handler above the four-eyes amount, the payment with its statement, a disputed invoice
left out, and who is told."""

from datetime import date
from decimal import Decimal

import pytest

from claims.exceptions import ClaimConflict, FourEyes, SettlementInvalid
from claims.models import ClaimStatement, ClaimStatus, StatementStatus
from claims.selectors import claim_calculation
from claims.services.claims import claim_assess
from claims.services.settlement import claim_decide, claim_pay, claim_second_approve
from core.models import Notification
from exposure import services as exposure
from exposure.models import Invoice
from tests.claims.conftest import WAITING_END, on

D = Decimal
FOUR_EYES_10K = pytest.mark.parametrize("policy_terms", [{"four_eyes_amount": D("10000")}])


def decide(claim, handler, decision="approve", **kw):
    with on(WAITING_END):
        return claim_decide(actor=handler, claim_id=claim.pk, decision=decision, **kw)


def test_an_approval_within_four_eyes_keeps_the_calculation_it_was_decided_on(
    claim, claims_handler
):
    with on(WAITING_END):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
    claim = decide(claim, claims_handler)
    assert (claim.status, claim.indemnity, claim.calculated_amount) == (
        ClaimStatus.APPROVED,
        D("36000.00"),
        D("36000.00"),
    )
    assert (claim.decided_by, claim.second_approved_by) == (claims_handler, None)
    kept = claim_calculation(claim, today=date(2027, 1, 1))
    assert (kept.eligible_loss, kept.insured_loss, kept.indemnity) == (
        D("50000.00"),
        D("40000.00"),
        D("36000.00"),
    )


@FOUR_EYES_10K
def test_above_four_eyes_a_second_handler_must_approve_never_the_same(
    claim, claims_handler, second_handler
):
    claim = decide(claim, claims_handler)
    assert claim.status == ClaimStatus.SECOND_APPROVAL
    with on(WAITING_END):
        with pytest.raises(FourEyes) as same:
            claim_second_approve(actor=claims_handler, claim_id=claim.pk, agree=True)
        assert same.value.status == 409
        claim = claim_second_approve(actor=second_handler, claim_id=claim.pk, agree=True)
    assert (claim.status, claim.second_approved_by, claim.indemnity) == (
        ClaimStatus.APPROVED,
        second_handler,
        D("36000.00"),
    )


@pytest.mark.parametrize("policy_terms", [{"four_eyes_amount": D("0")}])
def test_four_eyes_amount_0_puts_every_settlement_before_a_second_handler(
    claim, claims_handler, second_handler
):
    claim = decide(claim, claims_handler, "adjust", amount=D("100.00"), reason="Set-off")
    assert claim.status == ClaimStatus.SECOND_APPROVAL
    with on(WAITING_END):
        claim = claim_second_approve(actor=second_handler, claim_id=claim.pk, agree=True)
    assert (claim.status, claim.indemnity, claim.decision_reason) == (
        ClaimStatus.ADJUSTED,
        D("100.00"),
        "Set-off",
    )


@FOUR_EYES_10K
def test_a_second_handler_sends_it_back_with_the_reason_and_the_figures_go(
    claim, claims_handler, second_handler
):
    claim = decide(claim, claims_handler)
    with on(WAITING_END):
        with pytest.raises(SettlementInvalid):
            claim_second_approve(actor=second_handler, claim_id=claim.pk, agree=False)
        claim = claim_second_approve(
            actor=second_handler, claim_id=claim.pk, agree=False, reason="Check the set-off"
        )
    assert (claim.status, claim.calculation, claim.calculated_amount, claim.indemnity) == (
        ClaimStatus.ASSESSMENT,
        {},
        None,
        None,
    )
    assert claim.history.latest().history_change_reason == "Check the set-off"
    # sent back, it is decided again (now by the second handler, within four eyes)
    assert decide(claim, second_handler, "adjust", amount=D("9000"), reason="Set-off").status == (
        ClaimStatus.ADJUSTED
    )


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"amount": D("30000")}, "reason", "required"),
        ({"reason": "Set-off"}, "amount", "invalid"),
        ({"reason": "Set-off", "amount": D("0")}, "amount", "not_positive"),
        ({"reason": "Set-off", "amount": D("36000")}, "amount", "not_adjusted"),
        ({"reason": "Goodwill", "amount": D("75000.01")}, "amount", "above_max_liability"),
    ],
)
def test_an_adjustment_needs_a_reason_and_an_amount_within_the_liability_left(
    claim, claims_handler, kw, field, code
):
    # the policy year's maximum liability: 30 × the minimum premium of 2 500 = 75 000
    with pytest.raises(SettlementInvalid) as refused:
        decide(claim, claims_handler, "adjust", **kw)
    assert (refused.value.field, refused.value.code) == (field, code)
    claim.refresh_from_db()
    assert (claim.status, claim.indemnity) == (ClaimStatus.FILED, None)


def test_an_adjustment_up_to_the_liability_left_is_allowed(claim, claims_handler):
    claim = decide(claim, claims_handler, "adjust", amount=D("75000.004"), reason="Goodwill")
    assert (claim.status, claim.indemnity, claim.calculated_amount) == (
        ClaimStatus.SECOND_APPROVAL,  # above the 50 000 four-eyes amount
        D("75000.00"),
        D("36000.00"),
    )


def test_a_refusal_needs_its_reason_and_cannot_be_changed_afterwards(claim, claims_handler):
    with pytest.raises(SettlementInvalid) as refused:
        decide(claim, claims_handler, "refuse", reason="  ")
    assert refused.value.field == "reason"
    claim = decide(claim, claims_handler, "refuse", reason="Goods were never delivered")
    assert (claim.status, claim.decision_reason, claim.decided_by) == (
        ClaimStatus.REFUSED,
        "Goods were never delivered",
        claims_handler,
    )
    with pytest.raises(ClaimConflict):
        decide(claim, claims_handler)


def test_paying_closes_the_case_and_makes_the_statement_in_the_insureds_language(
    claim, claims_handler, notified, statements_queued
):
    decide(claim, claims_handler)
    with on(date(2026, 10, 5)):
        with pytest.raises(SettlementInvalid) as future:
            claim_pay(actor=claims_handler, claim_id=claim.pk, paid_on=date(2026, 10, 6))
        assert future.value.code == "in_future"
        with pytest.raises(SettlementInvalid) as early:
            claim_pay(actor=claims_handler, claim_id=claim.pk, paid_on=date(2026, 9, 27))
        assert early.value.field == "paid_on"
        claim = claim_pay(
            actor=claims_handler, claim_id=claim.pk, paid_on=date(2026, 10, 2), reference="P-7"
        )
    assert (claim.status, claim.paid_on, claim.paid_by, claim.payment_reference) == (
        ClaimStatus.PAID,
        date(2026, 10, 2),
        claims_handler,
        "P-7",
    )
    notified.refresh_from_db()
    assert notified.closed_on == date(2026, 10, 2)
    [statement] = ClaimStatement.objects.filter(claim=claim)
    assert (statement.kind, statement.language, statement.status) == ("settlement", "sv", "pending")
    assert statements_queued == []  # queued once the payment commits


def test_the_insured_is_told_each_decision_and_the_statement_is_rendered_after_commit(
    claim, claims_handler, insured_user, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with on(WAITING_END), django_capture_on_commit_callbacks(execute=True):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
    with on(WAITING_END), django_capture_on_commit_callbacks(execute=True):
        claim_pay(actor=claims_handler, claim_id=claim.pk)
    told = Notification.objects.order_by("id")
    assert [(n.user, n.url) for n in told] == [(insured_user, f"/claims/{claim.pk}/")] * 2
    assert [claim.number in n.subject for n in told] == [True, True]
    statement = ClaimStatement.objects.get(claim=claim)
    assert (statement.status, statement.file.name.endswith(".pdf")) == (
        StatementStatus.READY,
        True,
    )


@FOUR_EYES_10K
def test_the_other_handlers_are_told_a_settlement_waits_for_a_second_approval(
    claim, claims_handler, second_handler, insured_user, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with on(WAITING_END), django_capture_on_commit_callbacks(execute=True):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
    told = {n.user for n in Notification.objects.all()}
    # the insured hears of the decision; of the handlers only the one who may approve it
    assert told == {second_handler, insured_user}


def test_a_disputed_invoice_is_left_out_until_the_dispute_is_settled(
    claim, claims_handler, insured_user
):
    f2 = Invoice.objects.get(number="F-2")
    with on(WAITING_END):
        exposure.invoice_dispute(
            actor=insured_user, invoice_id=f2.pk, since=date(2026, 9, 1), reason="Quality"
        )
        disputed = claim_calculation(claim, today=WAITING_END)
        assert [(line.number, line.reason) for line in disputed.lines] == [
            ("F-1", None),
            ("F-2", "disputed"),
        ]
        assert (disputed.not_qualifying, disputed.indemnity) == (D("30000.00"), D("18000.00"))
        exposure.invoice_dispute_end(actor=insured_user, invoice_id=f2.pk, reason="Settled")
        assert claim_calculation(claim, today=WAITING_END).indemnity == D("36000.00")
        exposure.invoice_dispute(
            actor=insured_user, invoice_id=f2.pk, since=date(2026, 9, 20), reason="Again"
        )
    claim = decide(claim, claims_handler)
    assert claim.indemnity == D("18000.00")
    assert claim.calculation["lines"][1]["reason"] == "disputed"
