"""Deciding a limit request: the decision written on the request (with its history row), on
the limit, as a limit fee and a letter, and what follows after commit; an underwriter's
decision on a referred request."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from core.currencies import format_money
from core.models import remember_related
from core.money import round_money
from core.notify import notify_users
from core.status import apply_transition
from policies.models import ChargeKind as PolicyChargeKind
from policies.services import policy_charge_record

from ..engine import Outcome
from ..exceptions import RequestAlreadyDecided, RequestInvalid
from ..models import ChangeKind, LimitKind, LimitRequest, RequestKind
from ..selectors import limit_in_force
from ..timeline import InForce
from .changes import change_write, insured_users, limit_for_update
from .letters import LETTER_FOR_STATUS, letter_queue


def _history_reason(note: str, reasons) -> str:
    """The history row's reason: the underwriter's words, or the automatic decision's codes."""
    return note or "automatic: " + ", ".join(r["code"] for r in reasons or [])


def _decide(request: LimitRequest, name: str, *, amount, actor, note: str, reasons) -> None:
    """Apply the decision transition `name` with what goes with it, and its history row."""
    apply_transition(
        request,
        name,
        actor=actor,
        reason=_history_reason(note, reasons),
        refused=lambda r: RequestAlreadyDecided(field="status", status=r.status),
        decided_amount=amount,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_note=note,
        reasons=reasons,
    )


def _apply(
    request: LimitRequest,
    limit,
    *,
    now: InForce,
    outcome: Outcome,
    amount: Decimal,
    actor,
    note: str,
    reasons,
    max_terms_days,
    expires_on,
    today: date,
) -> None:
    """Record the decision on the request and, when it grants cover, on the limit. `now` is
    the limit in force today, before the decision."""
    changes = []
    if request.kind == RequestKind.INCREASE and outcome != Outcome.REFUSE and amount <= now.amount:
        # Deciding an increase never lowers the limit: what can be granted is not above the
        # limit in force, so the increase is refused and the limit stays as it is.
        outcome = Outcome.REFUSE
        reasons = [*reasons, _not_above_limit(amount, now.amount)]
    if outcome == Outcome.REFUSE:
        _decide(request, "refuse", amount=Decimal(0), actor=actor, note=note, reasons=reasons)
        if now.limit_kind == LimitKind.DCL and now.amount > 0:
            # Any decision of the insurer on the debtor ends a discretionary limit.
            changes.append(
                change_write(
                    limit=limit,
                    kind=ChangeKind.WITHDRAWN,
                    amount=Decimal(0),
                    effective_from=today,
                    actor=actor,
                    request=request,
                    reason=_("Discretionary limit ended by the insurer's decision"),
                )
            )
    else:
        full = outcome == Outcome.APPROVE and amount >= request.amount
        if now.limit_kind == LimitKind.NAMED and now.amount > 0:
            # A decision keeps the named limit's conditions unless it sets new ones; a renewal
            # renews the limit, so it does not inherit the old expiry.
            if max_terms_days is None:
                max_terms_days = now.max_terms_days
            if expires_on is None and request.kind != RequestKind.RENEWAL:
                expires_on = now.expires_on
        request.max_terms_days, request.expires_on = max_terms_days, expires_on
        name = "approve" if full else "approve_partly"
        _decide(request, name, amount=amount, actor=actor, note=note, reasons=reasons)
        kind = {
            RequestKind.NEW: ChangeKind.GRANTED,
            RequestKind.INCREASE: ChangeKind.INCREASED,
            RequestKind.RENEWAL: ChangeKind.RENEWED,
        }[request.kind]
        changes.append(
            change_write(
                limit=limit,
                kind=kind,
                amount=amount,
                effective_from=today,
                actor=actor,
                request=request,
                reason=note,
                limit_kind=LimitKind.NAMED,
                expires_on=expires_on,
                max_terms_days=max_terms_days,
            )
        )
    # Every named-limit decision is charged with the premium (DOMAIN.md: limit fee).
    policy_charge_record(
        policy=request.policy,
        kind=PolicyChargeKind.LIMIT_FEE,
        on=today,
        reference=f"limit-request:{request.pk}",
        description=request.debtor.name,
        actor=actor,
    )
    letter = letter_queue(
        policy=request.policy,
        kind=LETTER_FOR_STATUS[request.status],
        request=request,
        limit=limit,
        render_after_commit=False,
    )
    _follow_up(request, letter=letter, changes=changes)


def _not_above_limit(amount: Decimal, in_force: Decimal) -> dict:
    return {
        "code": "not_above_limit",
        # The English line for the log; pages, letters and the API say it in the reader's
        # language from the code and values (limits.reasons).
        "message": f"Grantable {amount} is not above the limit in force of {in_force}.",
        "values": {"granted": str(amount), "limit": str(in_force)},
    }


def _written(request: LimitRequest, *, letter=None, changes=()) -> None:
    """Hand the rows the decision wrote to whoever answers with the request (no read back)."""
    remember_related(request, "letters", [letter] if letter is not None else [])
    remember_related(request, "limit_changes", changes)


def _follow_up(request: LimitRequest, *, letter=None, changes=()) -> None:
    """After commit, one task renders the letter and tells the insured (limits.tasks): nothing
    of it is rendered while the insured's ERP waits for the decision."""
    from ..tasks import limit_decision_followup_task

    _written(request, letter=letter, changes=changes)
    letter_id = letter.pk if letter is not None else None
    transaction.on_commit(lambda: limit_decision_followup_task.delay(request.pk, letter_id))


@transaction.atomic
def limit_decision_notify(*, request_id: int) -> None:
    """Tell every insured user of the company about a decision (inbox and email)."""
    request = LimitRequest.objects.select_related("policy__insured", "debtor").get(pk=request_id)
    notify_users(
        insured_users(request.policy),
        template="limit_decided",
        context={"request": request, "debtor": request.debtor, "policy": request.policy},
        url=f"/limits/requests/{request.pk}/",
    )


@transaction.atomic
def limit_request_decide(
    *,
    actor,
    request_id: int,
    outcome: str,
    amount: Decimal | None = None,
    reason: str,
    max_terms_days: int | None = None,
    expires_on: date | None = None,
) -> LimitRequest:
    """An underwriter decides a referred request: approve, partly approve or refuse, with the
    reason the insured will read and optional conditions."""
    request = (
        LimitRequest.objects.select_for_update()
        .select_related("policy__insured", "debtor")
        .get(pk=request_id)
    )
    outcome = Outcome(outcome)
    method = {
        Outcome.APPROVE: request.approve,
        Outcome.PARTLY_APPROVE: request.approve_partly,
        Outcome.REFUSE: request.refuse,
    }.get(outcome)
    if method is None:
        raise RequestInvalid(_("Approve, partly approve or refuse."), field="outcome")
    if not can_proceed(method):
        raise RequestAlreadyDecided(field="status", status=request.status)
    if not (reason or "").strip():
        raise RequestInvalid(_("Give the reason the insured will read."), field="reason")
    today = timezone.localdate()
    if outcome == Outcome.APPROVE:
        amount = request.amount
    elif outcome == Outcome.PARTLY_APPROVE:
        if amount is None or not (0 < amount < request.amount):
            raise RequestInvalid(
                _("A partial approval is above zero and below the %(amount)s asked.")
                % {"amount": format_money(request.amount, request.policy.currency)},
                field="amount",
            )
        amount = round_money(amount)
    else:
        amount = Decimal(0)
    limit, _created = limit_for_update(request.policy, request.debtor_id)
    limit.policy = request.policy
    now = limit_in_force(limit, today)
    if request.kind == RequestKind.INCREASE and outcome != Outcome.REFUSE and amount <= now.amount:
        raise RequestInvalid(
            _(
                "An increase is granted above the limit in force of %(amount)s, or refused. "
                "To lower the limit, reduce it: the insured gets the notice period."
            )
            % {"amount": format_money(now.amount, request.policy.currency)},
            field="amount",
        )
    if max_terms_days is not None and max_terms_days > request.policy.max_credit_period_days:
        raise RequestInvalid(
            _("Maximum terms cannot exceed the policy's credit period of %(days)s days.")
            % {"days": request.policy.max_credit_period_days},
            field="max_terms_days",
        )
    if expires_on is not None and expires_on <= today:
        raise RequestInvalid(_("The expiry date must be in the future."), field="expires_on")
    reasons = [{"code": "underwriter", "message": reason, "values": {}}]
    _apply(
        request,
        limit,
        now=now,
        outcome=outcome,
        amount=amount,
        actor=actor,
        note=reason,
        reasons=reasons,
        max_terms_days=max_terms_days,
        expires_on=expires_on,
        today=today,
    )
    return request
