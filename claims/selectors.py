"""Reads for collections and claims: who sees which claim, the lines a claim is computed from
(exposure's own rules, never a copy), and the maximum liability left in a policy year."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from accounts.models import Role
from exposure.models import Invoice, OverdueNotification
from exposure.selectors import invoice_cover
from policies.models import Policy
from policies.premium import policy_year_of
from policies.selectors import PolicyYearPremium, policy_years_premium

from .calculation import ZERO, Calculation, Line, claim_amount
from .models import USING_LIABILITY, Claim, ClaimDocument, CollectionStep, Recovery


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


def open_notification(policy_id: int, debtor_id: int) -> OverdueNotification | None:
    return (
        OverdueNotification.objects.select_related("policy", "debtor")
        .filter(policy_id=policy_id, debtor_id=debtor_id, closed_on__isnull=True)
        .first()
    )


def claim_lines(policy: Policy, debtor_id: int, *, today: date) -> list[Line]:
    """The debtor's unpaid invoices under the policy as the claim amount reads them: each
    with the limit in force on its delivery date and, when it does not qualify for cover,
    exposure's reason (terms, dispute, late notice, stop delivery, no limit, country)."""
    invoices = Invoice.objects.filter(policy=policy, debtor_id=debtor_id)
    cover = invoice_cover(invoices, today=today)
    rows = invoices.filter(pk__in=list(cover)).values_list(
        "id", "number", "delivery_date", "net_amount", "vat_amount", "open_amount"
    )
    return [
        Line(
            invoice_id=pk,
            number=number,
            delivery_date=delivered,
            net_amount=net,
            vat_amount=vat,
            open_amount=open_amount,
            limit_amount=cover[pk].limit_amount,
            reason=cover[pk].reason,
        )
        for pk, number, delivered, net, vat, open_amount in rows.order_by()
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
