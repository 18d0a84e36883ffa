"""Settling a claim: approve at the calculated indemnity, adjust with a reason, or refuse with
a reason; a second handler's approval above the policy's four-eyes amount; the payment, with
the settlement statement (DOMAIN.md, "Settlement").

The policy year's maximum liability is shared by its claims: every decision that uses some of
it locks the policy's row first, so two settlements at once never both use the same amount
left (the second waits, then sees what the first used)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotFound
from core.money import round_money
from core.status import apply_transition, save_with_history
from exposure.models import OverdueNotification
from policies.models import Policy

from ..exceptions import ClaimConflict, FourEyes, SettlementInvalid
from ..models import Claim, ClaimStatement, ClaimStatus, StatementKind
from ..selectors import calculate
from .claims import handler_claim, tell

APPROVE, ADJUST, REFUSE = "approve", "adjust", "refuse"
DECISIONS = (APPROVE, ADJUST, REFUSE)


def _locked_for_settlement(actor, claim_id: int) -> Claim:
    """The claim, locked after its policy's row (always in this order)."""
    policy_id = Claim.objects.filter(pk=claim_id).values_list("policy_id", flat=True).first()
    if policy_id is None:
        raise NotFound(field="claim")
    Policy.objects.select_for_update().filter(pk=policy_id).first()
    return handler_claim(actor, claim_id)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise SettlementInvalid(message, field="reason", code="required")
    return reason


def needs_second_approval(policy: Policy, indemnity: Decimal) -> bool:
    """Above the four-eyes amount (0: every settlement) a second handler must approve."""
    return indemnity > policy.four_eyes_amount or policy.four_eyes_amount == 0


@transaction.atomic
def claim_decide(
    *,
    actor,
    claim_id: int,
    decision: str,
    reason: str = "",
    amount: Decimal | None = None,
) -> Claim:
    """Approve the claim at the calculated indemnity, adjust it to `amount` with a reason, or
    refuse it with a reason. The calculation is taken today and kept with the claim."""
    if decision not in DECISIONS:
        raise SettlementInvalid(_("Choose approve, adjust or refuse."), field="decision")
    claim = _locked_for_settlement(actor, claim_id)
    now = timezone.now()
    if decision == REFUSE:
        reason = _reason(reason, _("Say why the claim is refused."))
        claim = apply_transition(
            claim,
            "refuse",
            actor=actor,
            reason=reason,
            decision_reason=reason,
            decided_by=actor,
            decided_at=now,
        )
        transaction.on_commit(lambda: tell(claim.pk, "claim_decided"))
        return claim
    if claim.status not in (ClaimStatus.FILED, ClaimStatus.ASSESSMENT):
        raise ClaimConflict(
            _("The claim is %(status)s: it cannot be decided now.")
            % {"status": claim.get_status_display()},
            field="status",
            code="transition_not_allowed",
        )
    today = timezone.localdate()
    calc = calculate(
        claim.policy,
        claim.debtor_id,
        today=today,
        loss_date=claim.loss_date,
        exclude_claim=claim.pk,
    )
    if decision == APPROVE:
        if calc.indemnity <= 0:
            raise SettlementInvalid(
                _("The calculation pays nothing: refuse the claim with the reason, or adjust it."),
                field="decision",
                code="nothing_to_pay",
            )
        indemnity, reason = calc.indemnity, (reason or "").strip()
    else:
        reason = _reason(reason, _("Say why the indemnity is adjusted."))
        if amount is None:
            raise SettlementInvalid(_("Give the adjusted indemnity."), field="amount")
        indemnity = round_money(amount)
        if indemnity <= 0:
            raise SettlementInvalid(
                _("An adjusted indemnity is above 0; refuse the claim instead."),
                field="amount",
                code="not_positive",
            )
        if indemnity > calc.max_liability_left:
            raise SettlementInvalid(
                _("Only %(left)s of the policy year's maximum liability is left.")
                % {"left": calc.max_liability_left},
                field="amount",
                code="above_max_liability",
            )
        if indemnity == calc.indemnity:
            raise SettlementInvalid(
                _("That is the calculated indemnity: approve it instead."),
                field="amount",
                code="not_adjusted",
            )
    if needs_second_approval(claim.policy, indemnity):
        name = "propose"
    else:
        name = "approve" if decision == APPROVE else "adjust"
    claim = apply_transition(
        claim,
        name,
        actor=actor,
        reason=reason or _("Approved as calculated"),
        calculation=calc.as_json(),
        calculated_amount=calc.indemnity,
        indemnity=indemnity,
        decision_reason=reason,
        decided_by=actor,
        decided_at=now,
        second_approved_by=None,
        second_approved_at=None,
    )
    if name == "propose":
        decider = actor.pk if actor is not None else None
        transaction.on_commit(
            lambda: tell(claim.pk, "claim_second_approval", handlers=True, but=decider)
        )
    transaction.on_commit(lambda: tell(claim.pk, "claim_decided"))
    return claim


@transaction.atomic
def claim_second_approve(*, actor, claim_id: int, agree: bool, reason: str = "") -> Claim:
    """A second claims handler (never the one who decided) agrees with the settlement, or
    sends the claim back to assessment with the reason."""
    claim = _locked_for_settlement(actor, claim_id)
    if claim.status != ClaimStatus.SECOND_APPROVAL:
        raise ClaimConflict(
            _("The claim is %(status)s: there is nothing to approve a second time.")
            % {"status": claim.get_status_display()},
            field="status",
            code="transition_not_allowed",
        )
    if actor is not None and actor.pk == claim.decided_by_id:
        raise FourEyes(field="claim")
    if not agree:
        reason = _reason(reason, _("Say why the settlement goes back to assessment."))
        return apply_transition(
            claim,
            "send_back",
            actor=actor,
            reason=reason,
            calculation={},
            calculated_amount=None,
            indemnity=None,
        )
    adjusted = claim.indemnity != claim.calculated_amount
    claim = apply_transition(
        claim,
        "second_approve_adjusted" if adjusted else "second_approve",
        actor=actor,
        reason=(reason or "").strip() or _("Second approval"),
        second_approved_by=actor,
        second_approved_at=timezone.now(),
    )
    transaction.on_commit(lambda: tell(claim.pk, "claim_decided"))
    return claim


@transaction.atomic
def claim_pay(*, actor, claim_id: int, paid_on: date | None = None, reference: str = "") -> Claim:
    """Record the payment of an approved (or adjusted) claim: the notification's case closes,
    and the settlement statement is made in the insured's language."""
    claim = _locked_for_settlement(actor, claim_id)
    today = timezone.localdate()
    paid_on = paid_on or today
    if paid_on > today:
        raise SettlementInvalid(
            _("The date lies in the future."), field="paid_on", code="in_future"
        )
    if claim.decided_at and paid_on < timezone.localdate(claim.decided_at):
        raise SettlementInvalid(
            _("The claim was decided on %(day)s: it cannot be paid before.")
            % {"day": timezone.localdate(claim.decided_at).isoformat()},
            field="paid_on",
        )
    claim = apply_transition(
        claim,
        "pay",
        actor=actor,
        reason=_("Indemnity paid"),
        paid_on=paid_on,
        paid_by=actor,
        payment_reference=(reference or "").strip()[:100],
    )
    notice = OverdueNotification.objects.select_for_update().get(pk=claim.notification_id)
    if notice.closed_on is None:
        notice.closed_on = paid_on
        save_with_history(
            notice, actor=actor, reason=_("Claim %(number)s paid") % {"number": claim.number}
        )
    statement_make(claim, kind=StatementKind.SETTLEMENT)
    transaction.on_commit(lambda: tell(claim.pk, "claim_paid"))
    return claim


def statement_make(claim: Claim, *, kind: str, recovery=None) -> ClaimStatement:
    """A statement row in the insured's language, rendered after commit by a task."""
    from ..tasks import claim_statement_render_task

    insured = claim.policy.insured
    language = getattr(insured, "language", "") or "en"
    statement = ClaimStatement.objects.create(
        claim=claim, kind=kind, recovery=recovery, language=language
    )
    transaction.on_commit(lambda: claim_statement_render_task.delay(statement.pk))
    return statement
