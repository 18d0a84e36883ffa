"""Charges and premium invoices. Every amount the insured owes is a PolicyCharge row: a
period's turnover premium (written by declaration_submit), a limit fee (written by the limits
app through policy_charge_record when it decides a named limit) and the top-up to a policy
year's minimum premium (written once the year is over, by policy_charges_settle, the daily
job). Charges not yet invoiced go on the next premium invoice: the one a declaration produces,
or the year-end one."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.jobs import run_recorded
from core.money import round_money, validate_money_digits

from ..exceptions import ChargeInvalid
from ..models import (
    ChargeKind,
    DocumentKind,
    Policy,
    PolicyCharge,
    PolicyDocument,
    TurnoverDeclaration,
)
from ..premium import PolicyYear, declaration_periods, minimum_topup, policy_years
from ..selectors import DECLARABLE_STATUSES
from .documents import _document_queue
from .policies import policy_check_actor


def _charge_write(
    policy: Policy,
    *,
    kind: str,
    amount: Decimal,
    on: date,
    period: tuple[date, date],
    reference: str,
    actor,
    description: str = "",
    declaration: TurnoverDeclaration | None = None,
) -> PolicyCharge:
    amount = round_money(amount)
    try:
        validate_money_digits(amount)
    except ValidationError as exc:
        raise ChargeInvalid(" ".join(exc.messages), field="amount") from exc
    return PolicyCharge.objects.create(
        policy=policy,
        kind=kind,
        amount=amount,
        charged_on=on,
        period_start=period[0],
        period_end=period[1],
        description=description[:500],
        reference=reference,
        declaration=declaration,
        created_by=actor,
    )


@transaction.atomic
def policy_charge_record(
    *,
    policy: Policy,
    kind: str,
    on: date,
    reference: str,
    description: str = "",
    amount: Decimal | None = None,
    actor=None,
) -> PolicyCharge:
    """Record a limit fee under the policy; it goes on the policy's next premium invoice and
    counts in the premium of the policy year `on` falls in.

    The limits app calls it for every named-limit decision (not for discretionary limits):

        policy_charge_record(
            policy=request.policy, kind=ChargeKind.LIMIT_FEE, on=today,
            description=request.debtor.name, reference=f"limit-request:{request.pk}",
            actor=actor,  # None for an automatic decision
        )

    `amount` defaults to the policy's limit fee. A reference is charged once: calling again
    with the same one returns the charge first recorded. Turnover premium and the minimum
    premium top-up have their own services (declaration_submit, policy_charges_settle)."""
    if kind != ChargeKind.LIMIT_FEE:
        raise ChargeInvalid(
            _("Only limit fees are recorded this way; premium comes from declarations."),
            field="kind",
        )
    if not (reference or "").strip():
        raise ChargeInvalid(_("Give the charge a reference."), field="reference")
    policy_check_actor(actor, policy)
    amount = policy.limit_fee if amount is None else amount
    if amount < 0:
        raise ChargeInvalid(_("A fee cannot be negative."), field="amount")
    existing = PolicyCharge.objects.filter(policy=policy, kind=kind, reference=reference).first()
    if existing is not None:
        return existing
    return _charge_write(
        policy,
        kind=kind,
        amount=amount,
        on=on,
        period=(on, on),
        reference=reference,
        actor=actor,
        description=description,
    )


def _year_topup(
    policy: Policy, year: PolicyYear, *, today: date, actor, reference: str
) -> PolicyCharge | None:
    """Charge what the policy year's premium lacks to reach the minimum premium, less the
    top-up already charged for it (a negative amount credits back a top-up that a later
    declaration made unnecessary). Nothing when the two agree."""
    premium = TurnoverDeclaration.objects.filter(
        policy=policy, period_start__range=(year.start, year.end)
    ).aggregate(total=Sum("premium"))["total"] or Decimal(0)
    charged = PolicyCharge.objects.filter(
        policy=policy, kind=ChargeKind.MINIMUM_TOPUP, period_start=year.start
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    due = minimum_topup(minimum_premium=policy.minimum_premium, period_premiums=premium)
    if due == charged:
        return None
    return _charge_write(
        policy,
        kind=ChargeKind.MINIMUM_TOPUP,
        amount=due - charged,
        on=today,
        period=(year.start, year.end),
        reference=f"policy-year:{year.start.isoformat()}:{reference}",
        actor=actor,
    )


def _invoice_issue(
    policy: Policy, *, actor, reason: str, declaration: TurnoverDeclaration | None = None
) -> PolicyDocument | None:
    """A premium invoice (PDF, rendered after commit) of every charge not yet invoiced."""
    pending = list(
        PolicyCharge.objects.filter(policy=policy, invoice__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not pending:
        return None
    document = _document_queue(
        policy,
        kind=DocumentKind.PREMIUM_INVOICE,
        actor=actor,
        reason=reason,
        declaration=declaration,
    )
    PolicyCharge.objects.filter(pk__in=pending).update(invoice=document)
    return document


def _years_over(policy: Policy, *, today: date) -> list[PolicyYear]:
    """The policy years ready for their year-end premium: ended, and either every period
    declared or the last period past its due date (a declaration that comes in later
    corrects the top-up on its own invoice)."""
    periods = declaration_periods(
        policy.start_date,
        policy.end_date,
        policy.declaration_frequency,
        policy.declaration_due_days,
    )
    declared = set(
        TurnoverDeclaration.objects.filter(policy=policy).values_list("period_start", flat=True)
    )
    over = []
    for year in policy_years(policy.start_date, policy.end_date):
        if today <= year.end:
            break
        in_year = [p for p in periods if p.start in year]
        if all(p.start in declared for p in in_year) or today > max(p.due for p in in_year):
            over.append(year)
    return over


def policy_year_settle(*, actor, policy_id: int, today: date) -> PolicyDocument | None:
    """The year-end premium of one policy: the top-up to the minimum premium of every policy
    year that is over, and an invoice of every charge not yet invoiced (limit fees decided
    after the last declaration, the top-up). Idempotent: a second run finds nothing to do."""
    with transaction.atomic():
        policy = (
            Policy.objects.select_for_update(skip_locked=True)
            .select_related("insured")
            .filter(pk=policy_id, status__in=DECLARABLE_STATUSES)
            .first()
        )
        if policy is None:
            return None
        years = _years_over(policy, today=today)
        if not years:
            return None
        for year in years:
            _year_topup(policy, year, today=today, actor=actor, reference=today.isoformat())
        if not PolicyCharge.objects.filter(
            policy=policy, invoice__isnull=True, period_start__lte=years[-1].end
        ).exists():
            return None
        return _invoice_issue(
            policy,
            actor=actor,
            reason=_("Premium for the policy year %(start)s – %(end)s")
            % {"start": years[-1].start.isoformat(), "end": years[-1].end.isoformat()},
        )


def policy_charges_settle(*, today: date) -> dict:
    """Daily job: settle the year-end premium of every issued or expired policy with a
    policy year over, up to two years after the policy ended. Safe to run twice, or twice at
    once (each policy is locked, and skipped when another worker holds it)."""
    candidates = Policy.objects.filter(
        status__in=DECLARABLE_STATUSES,
        start_date__lte=today - relativedelta(years=1),
        end_date__gte=today - relativedelta(years=2),
    )
    invoiced = []
    for policy_id in candidates.values_list("pk", flat=True):
        document = policy_year_settle(actor=None, policy_id=policy_id, today=today)
        if document is not None:
            invoiced.append(document.policy.number)
    return {"invoiced": invoiced}


def policy_charges_settle_recorded(*, today: date) -> dict:
    return run_recorded("policy_charges_settle", lambda: policy_charges_settle(today=today))
