"""Reads for collections and claims: who sees which claim, the lines a claim is computed from
(exposure's own rules, never a copy), and the maximum liability left in a policy year."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from accounts.models import Role
from core.money import money_from_db
from exposure import timeline
from exposure.models import Invoice, OverdueNotification
from exposure.selectors import cover_rows
from policies.models import Policy
from policies.premium import policy_year_of
from policies.selectors import PolicyYearPremium, policy_years_premium

from ..calculation import ZERO, Calculation, Line, claim_amount
from ..models import USING_LIABILITY, Cause, Claim, ClaimDocument, CollectionStep, Recovery


def _company_only(qs: QuerySet, user, policy_path: str = "policy") -> QuerySet:
    if user.role == Role.INSURED:
        return qs.filter(**{f"{policy_path}__insured_id": user.company_id})
    return qs


def claims_for(user) -> QuerySet[Claim]:
    qs = Claim.objects.select_related("policy", "policy__insured", "debtor", "notification")
    return _company_only(qs, user)


def claim_documents_for(user) -> QuerySet[ClaimDocument]:
    return _company_only(ClaimDocument.objects.select_related("claim"), user, "claim__policy")


def recoveries_for(user) -> QuerySet[Recovery]:
    return _company_only(Recovery.objects.select_related("claim"), user, "claim__policy")


def collection_steps_for(user) -> QuerySet[CollectionStep]:
    qs = CollectionStep.objects.select_related("recorded_by")
    return _company_only(qs, user, "notification__policy")


def loss_date_of(
    cause: str,
    *,
    notified_on: date,
    terms: timeline.Terms,
    insolvent_since: date | None = None,
    given: date | None = None,
) -> date | None:
    """The date of loss of a claim (DOMAIN.md): the end of the waiting period for protracted
    default; the insolvency's date (given, else the register's) for insolvency; the event's
    date for political risk (None while not given)."""
    if cause == Cause.PROTRACTED_DEFAULT:
        return timeline.waiting_period_end(notified_on, terms)
    if cause == Cause.INSOLVENCY:
        return given or insolvent_since
    return given


def filing_deadline_of(
    cause: str, *, notified_on: date, loss_date: date | None, terms: timeline.Terms
) -> date | None:
    """The last day a claim may be filed: 60 days after the waiting period for protracted
    default, 180 days after the event otherwise (None while the event's date is unknown)."""
    if cause == Cause.PROTRACTED_DEFAULT:
        return timeline.claim_filing_deadline(notified_on, None, terms)
    if loss_date is None:
        return None
    return timeline.claim_filing_deadline(notified_on, loss_date, terms)


def open_notification(policy_id: int, debtor_id: int) -> OverdueNotification | None:
    return (
        OverdueNotification.objects.select_related("policy", "debtor")
        .filter(policy_id=policy_id, debtor_id=debtor_id, closed_on__isnull=True)
        .first()
    )


def claim_lines(policy: Policy, debtor_id: int, *, today: date) -> list[Line]:
    """The debtor's unpaid invoices under the policy as the claim amount reads them: each
    with the limit in force on its delivery date and, when it does not qualify for cover,
    exposure's reason (terms, dispute, late notice, stop delivery, no limit, country). One
    statement: exposure's own cover rule."""
    columns = (
        "id",
        "number",
        "delivery_date",
        "net_amount",
        "vat_amount",
        "open_amount",
        "limit_amount",
        "reason",
    )
    rows = cover_rows(
        Invoice.objects.filter(policy=policy, debtor_id=debtor_id), columns, today=today
    )
    return [
        Line(
            pk,
            number,
            delivered if isinstance(delivered, date) else date.fromisoformat(delivered),
            money_from_db(net),
            money_from_db(vat),
            money_from_db(open_amount),
            money_from_db(limit_amount),
            reason,
        )
        for pk, number, delivered, net, vat, open_amount, limit_amount, reason in rows
    ]


@dataclass(frozen=True)
class Liability:
    """A policy year's maximum liability and what the claims in it use."""

    year: PolicyYearPremium
    used: Decimal

    @property
    def left(self) -> Decimal:
        return max(ZERO, self.year.max_liability - self.used)


def policy_year_number(policy: Policy, day: date) -> int:
    from policies.premium import policy_years

    return policy_year_of(policy_years(policy.start_date, policy.end_date), day).number


def liability(
    policy: Policy, year_number: int, *, today: date, exclude_claim: int | None = None
) -> Liability:
    """The maximum liability of policy year `year_number` and what its claims use: every
    claim approved, waiting for a second approval, or paid (but `exclude_claim`)."""
    year = next(y for y in policy_years_premium(policy, today=today) if y.number == year_number)
    claims = Claim.objects.filter(
        policy=policy, policy_year=year_number, status__in=[s.value for s in USING_LIABILITY]
    )
    if exclude_claim is not None:
        claims = claims.exclude(pk=exclude_claim)
    used = claims.aggregate(total=Sum("indemnity"))["total"] or ZERO
    return Liability(year=year, used=used)


def calculate(
    policy: Policy,
    debtor_id: int,
    *,
    today: date,
    loss_date: date,
    exclude_claim: int | None = None,
) -> Calculation:
    """What a claim on the debtor pays today, step by step: the insured's preview before
    filing, and the handler's figures on the claim page."""
    left = liability(
        policy, policy_year_number(policy, loss_date), today=today, exclude_claim=exclude_claim
    ).left
    return claim_amount(
        claim_lines(policy, debtor_id, today=today),
        insured_percentage=policy.insured_percentage,
        threshold=policy.intervention_threshold,
        vat_insured=policy.vat_insured,
        max_liability_left=left,
    )


def claim_calculation(claim: Claim, *, today: date) -> Calculation:
    """The claim's figures: as settled once decided, live before."""
    if claim.calculation:
        return Calculation.from_json(claim.calculation)
    return calculate(
        claim.policy,
        claim.debtor_id,
        today=today,
        loss_date=claim.loss_date,
        exclude_claim=claim.pk,
    )
