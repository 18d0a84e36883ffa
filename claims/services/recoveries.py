"""Recoveries after payment (DOMAIN.md, "Recoveries after payment"): recorded by a claims
handler on a paid claim, split by `claims.calculation.recovery_split`, each with its
statement; the claim's recoveries are its ledger."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import round_money
from core.status import save_with_history

from ..calculation import ZERO, Calculation, recovery_split
from ..exceptions import ClaimConflict, RecoveryInvalid
from ..models import ClaimStatus, Recovery, StatementKind
from .claims import handler_claim, tell
from .settlement import statement_make


@transaction.atomic
def recovery_record(
    *, actor, claim_id: int, amount: Decimal, received_on: date, source: str = ""
) -> Recovery:
    """Record money recovered from the debtor after the claim was paid, and split it."""
    claim = handler_claim(actor, claim_id)
    if claim.status != ClaimStatus.PAID:
        raise ClaimConflict(
            _("Recoveries are recorded on a paid claim; this one is %(status)s.")
            % {"status": claim.get_status_display()},
            field="claim",
            code="not_paid",
        )
    if amount is None or round_money(amount) <= 0:
        raise RecoveryInvalid(_("The amount recovered is above 0."), field="amount")
    amount = round_money(amount)
    today = timezone.localdate()
    if received_on is None:
        raise RecoveryInvalid(_("Give the day the money was received."), field="received_on")
    if received_on > today:
        raise RecoveryInvalid(
            _("The date lies in the future."), field="received_on", code="in_future"
        )
    if claim.paid_on and received_on < claim.paid_on:
        raise RecoveryInvalid(
            _(
                "The claim was paid on %(day)s; money received before that is a payment by "
                "the debtor, recorded on its invoices."
            )
            % {"day": claim.paid_on.isoformat()},
            field="received_on",
            code="before_payment",
        )
    calc = Calculation.from_json(claim.calculation)
    returned = claim.recoveries.aggregate(total=Sum("to_insurer"))["total"] or ZERO
    split = recovery_split(
        amount,
        insured_loss=calc.insured_loss,
        eligible_loss=calc.eligible_loss,
        insured_percentage=calc.insured_percentage,
        paid=claim.indemnity,
        returned_before=returned,
    )
    recovery = Recovery(
        claim=claim,
        received_on=received_on,
        amount=amount,
        source=(source or "").strip(),
        on_insured_loss=split.on_insured_loss,
        on_excess=split.on_excess,
        to_insurer=split.to_insurer,
        to_insured=split.to_insured,
        split={k: str(v) for k, v in asdict(split).items()},
        recorded_by=actor,
    )
    recovery.full_clean(exclude=["claim", "recorded_by"])
    recovery.save()
    save_with_history(
        claim,
        actor=actor,
        reason=_("Recovery of %(amount)s recorded") % {"amount": amount},
    )
    statement_make(claim, kind=StatementKind.RECOVERY, recovery=recovery)
    transaction.on_commit(lambda: tell(claim.pk, "claim_recovery"))
    return recovery
