"""Limit requests: submitted by the insured and decided at once where the DCL or the template
can (the decision itself is written by .decisions), else referred to an underwriter; withdrawn
by the insured before a decision."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_acts_for
from core.currencies import format_money
from core.money import round_money
from core.status import apply_transition
from debtors.models import Debtor
from policies.models import Policy, PolicyStatus

from ..engine import DebtorFacts, Decision, Outcome, dcl_eligible, decide
from ..exceptions import RequestAlreadyDecided, RequestInvalid, RequestPending
from ..models import ChangeKind, LimitKind, LimitRequest, RequestKind, RequestStatus
from ..selectors import debtor_facts, decision_template_for, limit_in_force, sek_per_unit
from ..timeline import NO_LIMIT
from .changes import change_write, limit_for_update
from .decisions import _apply, _decide, _follow_up, _history_reason, _written


def _validate(policy: Policy, debtor: Debtor, amount: Decimal, terms: int, today: date):
    if policy.status != PolicyStatus.ISSUED or not (policy.start_date <= today <= policy.end_date):
        raise RequestInvalid(
            _("The policy is not in force; it covers no new limits."), field="policy"
        )
    if debtor.country not in policy.covered_countries:
        raise RequestInvalid(
            _("%(country)s is not a covered country of this policy.") % {"country": debtor.country},
            field="debtor",
        )
    if amount is None or amount <= 0:
        raise RequestInvalid(_("Ask for an amount above zero."), field="amount")
    if terms > policy.max_credit_period_days:
        raise RequestInvalid(
            _(
                "Payment terms of %(terms)s days exceed the policy's maximum credit period of "
                "%(max)s days; such invoices are not covered."
            )
            % {"terms": terms, "max": policy.max_credit_period_days},
            field="payment_terms_days",
        )


def _dcl_applies(
    policy: Policy, facts: DebtorFacts, amount: Decimal, kind: str, has_limit: bool, today: date
) -> bool:
    """Within the DCL, on a credit report younger than the policy allows, with no negative
    information: the insured covers the debtor itself, at once (engine.dcl_eligible)."""
    return dcl_eligible(
        facts,
        requested=amount,
        dcl=policy.discretionary_limit,
        report_max_age_months=policy.dcl_report_max_age_months,
        today=today,
        kind_is_new=kind == RequestKind.NEW,
        has_limit=has_limit,
    ).eligible


def _reasons(decision: Decision) -> list[dict]:
    return [asdict(r) for r in decision.reasons]


@transaction.atomic
def limit_request_submit(
    *,
    actor,
    policy_id: int,
    debtor_id: int,
    amount: Decimal,
    kind: str = RequestKind.NEW,
    payment_terms_days: int = 30,
    reference: str = "",
) -> LimitRequest:
    """Submit a request and decide it at once where the DCL or the template can."""
    today = timezone.localdate()
    # One request at a time per policy: the policy row is the lock.
    policy = (
        Policy.objects.select_for_update(of=("self",)).select_related("insured").get(pk=policy_id)
    )
    ensure_acts_for(actor, policy.insured_id)
    debtor = Debtor.objects.select_related("latest_report").filter(pk=debtor_id).first()
    if debtor is None:
        raise RequestInvalid(
            _("No debtor with id %(id)s is in the register.") % {"id": debtor_id},
            field="debtor",
            code="does_not_exist",
        )
    amount = round_money(amount) if amount is not None else amount
    _validate(policy, debtor, amount, payment_terms_days, today)
    if LimitRequest.objects.filter(
        policy=policy, debtor=debtor, status__in=[RequestStatus.SUBMITTED, RequestStatus.REFERRED]
    ).exists():
        raise RequestPending(field="debtor")
    limit, created = limit_for_update(policy, debtor.pk)
    limit.policy = policy
    now = NO_LIMIT if created else limit_in_force(limit, today)
    has_limit = now.amount > 0
    if kind == RequestKind.NEW and has_limit and now.limit_kind == LimitKind.NAMED:
        raise RequestInvalid(
            _("A limit of %(amount)s is in force on this debtor: ask for an increase.")
            % {"amount": format_money(now.amount, policy.currency)},
            field="kind",
        )
    if kind == RequestKind.INCREASE and (not has_limit or amount <= now.amount):
        raise RequestInvalid(
            _("An increase asks for more than the limit in force (%(amount)s).")
            % {"amount": format_money(now.amount, policy.currency)},
            field="amount",
        )
    if kind == RequestKind.RENEWAL and not has_limit:
        raise RequestInvalid(_("There is no limit to renew on this debtor."), field="kind")

    # Written once, with its decision (one INSERT).
    request = LimitRequest(
        policy=policy,
        debtor=debtor,
        kind=kind,
        amount=amount,
        payment_terms_days=payment_terms_days,
        reference=reference,
        requested_by=actor,
    )

    facts = debtor_facts(debtor)
    if _dcl_applies(policy, facts, amount, kind, has_limit, today):
        request.is_dcl = True
        _decide(
            request,
            "approve",
            amount=amount,
            actor=None,
            note="",
            reasons=[
                {
                    "code": "dcl",
                    "message": "Within the discretionary credit limit.",
                    "values": {"dcl": str(policy.discretionary_limit)},
                }
            ],
        )
        change = change_write(
            limit=limit,
            kind=ChangeKind.GRANTED,
            amount=amount,
            effective_from=today,
            request=request,
            limit_kind=LimitKind.DCL,
            # Twelve months, ending with the policy at the latest.
            expires_on=min(
                today + relativedelta(months=policy.dcl_duration_months), policy.end_date
            ),
            reason=_("Discretionary credit limit"),
        )
        _follow_up(request, changes=[change])
        return request

    rate = sek_per_unit(policy.currency)
    if rate is None:
        raise RequestInvalid(
            _(
                "No exchange rate to SEK is recorded for %(currency)s; an "
                "administrator adds it under reference data."
            )
            % {"currency": policy.currency},
            field="policy",
        )
    template_name, template = decision_template_for(debtor.legal_form)
    decision = decide(
        facts,
        template,
        requested=amount,
        today=today,
        sek_per_unit=rate,
    )
    request.guideline = decision.guideline
    request.assessment = {
        "outcome": decision.outcome.value,
        "band": decision.band,
        "steps": list(decision.steps),
        "reasons": _reasons(decision),
        "template": template_name,
    }
    request.reasons = _reasons(decision)
    if decision.outcome == Outcome.REFER:
        apply_transition(request, "refer", actor=None, reason=_history_reason("", request.reasons))
        _written(request)
        return request
    _apply(
        request,
        limit,
        now=now,
        outcome=decision.outcome,
        amount=decision.amount,
        actor=None,
        note="",
        reasons=request.reasons,
        max_terms_days=None,
        expires_on=None,
        today=today,
    )
    return request


@transaction.atomic
def limit_request_withdraw(*, actor, request_id: int) -> LimitRequest:
    request = (
        LimitRequest.objects.select_for_update(of=("self",))
        .select_related("policy")
        .get(pk=request_id)
    )
    ensure_acts_for(actor, request.policy.insured_id)
    apply_transition(
        request,
        "withdraw",
        actor=actor,
        reason=_("Withdrawn by the insured"),
        refused=lambda r: RequestAlreadyDecided(field="status", status=r.status),
    )
    return request
