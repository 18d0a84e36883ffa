"""Writing a limit's amount over time: every change is a new row, effective from a date."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_acts_for
from core.currencies import format_money
from core.notify import notify_users
from policies.models import Policy

from ..exceptions import LimitChangeInvalid
from ..models import ChangeKind, LetterKind, Limit, LimitChange, LimitKind
from ..selectors import limit_in_force
from .letters import letter_queue
from .review import limit_review_close


def limit_for_update(policy: Policy, debtor_id: int) -> tuple[Limit, bool]:
    """The policy's limit row on the debtor, locked for this transaction, and whether it was
    created now. Callers hold the policy's row lock (a submission) or act on a request whose
    limit row exists (a decision), so no one creates the same row meanwhile; the unique
    constraint stays the last guard."""
    limit = (
        Limit.objects.select_for_update(of=("self",))
        .filter(policy=policy, debtor_id=debtor_id)
        .first()
    )
    if limit is not None:
        return limit, False
    limit = Limit(policy=policy, debtor_id=debtor_id)
    # The limit's history is its changes; its own history rows record its reviews.
    limit.skip_history_when_saving = True
    limit.save()
    return limit, True


def change_write(
    *,
    limit: Limit,
    kind: str,
    amount: Decimal,
    effective_from: date,
    actor=None,
    request=None,
    reason: str = "",
    limit_kind: str = LimitKind.NAMED,
    expires_on: date | None = None,
    max_terms_days: int | None = None,
) -> LimitChange:
    return LimitChange.objects.create(
        limit=limit,
        kind=kind,
        amount=amount,
        effective_from=effective_from,
        request=request,
        reason=reason,
        limit_kind=limit_kind,
        expires_on=expires_on,
        max_terms_days=max_terms_days,
        recorded_by=actor,
    )


def insured_users(policy: Policy):
    return policy.insured.users.filter(is_active=True)


@transaction.atomic
def limit_reduce_by_insured(
    *, actor, limit_id: int, amount: Decimal, reason: str = ""
) -> LimitChange:
    """The insured lowers or cancels its own limit, at once (its fee stops with it)."""
    limit = Limit.objects.select_for_update(of=("self",)).select_related("policy").get(pk=limit_id)
    ensure_acts_for(actor, limit.policy.insured_id)
    today = timezone.localdate()
    now = limit_in_force(limit, today)
    if amount < 0:
        raise LimitChangeInvalid(_("The amount cannot be negative."), field="amount")
    if amount >= now.amount:
        raise LimitChangeInvalid(
            _("The new amount must be below the current limit of %(amount)s.")
            % {"amount": format_money(now.amount, limit.policy.currency)},
            field="amount",
        )
    kind = ChangeKind.CANCELLED_BY_INSURED if amount == 0 else ChangeKind.REDUCED_BY_INSURED
    return change_write(
        limit=limit,
        kind=kind,
        amount=amount,
        effective_from=today,
        actor=actor,
        reason=reason,
        limit_kind=now.limit_kind,
        expires_on=now.expires_on,
        max_terms_days=now.max_terms_days,
    )


@transaction.atomic
def limit_reduce_by_insurer(*, actor, limit_id: int, amount: Decimal, reason: str) -> LimitChange:
    """An underwriter reduces or withdraws a limit. It takes effect after the policy's notice
    period (at once when the debtor is insolvent); deliveries before then keep the old cover.
    The insured is told the effective date and gets a letter."""
    limit = (
        Limit.objects.select_for_update()
        .select_related("policy__insured", "debtor")
        .get(pk=limit_id)
    )
    today = timezone.localdate()
    now = limit_in_force(limit, today)
    if not reason.strip():
        raise LimitChangeInvalid(_("Give the reason the insured will read."), field="reason")
    if amount < 0 or amount >= now.amount:
        raise LimitChangeInvalid(
            _("The new amount must be below the current limit of %(amount)s.")
            % {"amount": format_money(now.amount, limit.policy.currency)},
            field="amount",
        )
    policy = limit.policy
    insolvent = limit.debtor.insolvent_since is not None
    effective = today if insolvent else today + timedelta(days=policy.reduction_notice_days)
    kind = ChangeKind.WITHDRAWN if amount == 0 else ChangeKind.REDUCED
    change = change_write(
        limit=limit,
        kind=kind,
        amount=amount,
        effective_from=effective,
        actor=actor,
        reason=reason,
        limit_kind=LimitKind.NAMED,
        expires_on=now.expires_on,
        max_terms_days=now.max_terms_days,
    )
    limit_review_close(limit, actor=actor, reason=reason)
    letter_queue(policy=policy, kind=LetterKind.REDUCTION, limit=limit, change=change)
    notify_users(
        insured_users(policy),
        template="limit_reduced",
        context={
            "limit": limit,
            "debtor": limit.debtor,
            "policy": policy,
            "change": change,
            "old_amount": now.amount,
        },
        url=f"/limits/{limit.pk}/",
    )
    return change
