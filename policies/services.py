"""Every write on policies, declarations and their documents."""

from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import ensure_acts_for
from accounts.models import InsuredCompany
from core.countries import default_covered_countries
from core.jobs import run_recorded
from core.money import round_money, validate_money_digits
from core.status import apply_transition, save_with_history, transition
from core.stored_pdf import render_once

from .exceptions import (
    ChargeInvalid,
    DeclarationExists,
    DeclarationInvalid,
    PolicyNotEditable,
    PolicyNotYours,
    PolicyTermFixed,
    PolicyTransitionNotAllowed,
    ReasonRequired,
)
from .models import (
    TERM_FIELDS,
    ChargeKind,
    DocumentKind,
    Policy,
    PolicyCharge,
    PolicyDocument,
    PolicyStatus,
    TurnoverDeclaration,
)
from .premium import (
    PolicyYear,
    declaration_periods,
    minimum_topup,
    period_premium,
    policy_year_of,
    policy_years,
)
from .selectors import DECLARABLE_STATUSES

EDITABLE_STATUSES = (PolicyStatus.DRAFT, PolicyStatus.ISSUED)
# Terms fixed once the policy is issued: every amount of the policy is in its currency.
FIXED_ONCE_ISSUED = ("currency",)


def policy_check_actor(actor, policy: Policy) -> None:
    """An insured user acts only on its own company's policies (accounts.access)."""
    ensure_acts_for(actor, policy.insured_id, error=PolicyNotYours, field="policy")


def default_end_date(start: date) -> date:
    """The default period: one year from the start."""
    return start + relativedelta(years=1) - relativedelta(days=1)


def _save_with_history(policy: Policy, *, actor, reason: str) -> None:
    save_with_history(policy, actor=actor, reason=reason)


def _locked(policy_id: int) -> Policy:
    return Policy.objects.select_for_update().select_related("insured").get(pk=policy_id)


@transaction.atomic
def policy_create(
    *, actor, insured: InsuredCompany, start_date: date, reason: str = "", **terms: Any
) -> Policy:
    """A draft policy for an insured company, every term at its default unless given."""
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise ValueError(f"Not policy terms: {sorted(unknown)}")
    terms.setdefault("end_date", default_end_date(start_date))
    if not terms.get("covered_countries"):
        terms["covered_countries"] = default_covered_countries(insured.country)
    policy = Policy(insured=insured, start_date=start_date, **terms)
    policy.full_clean(exclude=["number"])
    _save_with_history(policy, actor=actor, reason=reason or _("Draft created"))
    # The number follows the database id, so two drafts created at once never collide.
    policy.number = f"CI-{start_date.year}-{policy.pk:06d}"
    Policy.objects.filter(pk=policy.pk).update(number=policy.number)
    policy.history.filter(id=policy.pk).update(number=policy.number)
    return policy


@transaction.atomic
def policy_update_terms(*, actor, policy_id: int, reason: str = "", **terms: Any) -> Policy:
    """Change terms. On an issued policy a reason is required and an endorsement is issued."""
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise ValueError(f"Not policy terms: {sorted(unknown)}")
    policy = _locked(policy_id)
    if policy.status not in EDITABLE_STATUSES:
        raise PolicyNotEditable()
    changed = {f: v for f, v in terms.items() if getattr(policy, f) != v}
    if not changed:
        return policy
    if policy.status != PolicyStatus.DRAFT:
        for field in FIXED_ONCE_ISSUED:
            if field in changed:
                raise PolicyTermFixed(field=field)
    if policy.status == PolicyStatus.ISSUED and not reason.strip():
        raise ReasonRequired(field="reason")
    previous = policy.history.latest()
    for field, value in changed.items():
        setattr(policy, field, value)
    policy.full_clean()
    _save_with_history(policy, actor=actor, reason=reason or _("Terms edited"))
    if policy.status == PolicyStatus.ISSUED:
        _document_queue(
            policy,
            kind=DocumentKind.ENDORSEMENT,
            actor=actor,
            reason=reason,
            previous_snapshot=previous,
        )
    return policy


TRANSITION_REFUSED = {
    "issue": gettext_lazy("Only a draft policy can be issued; this one is %(status)s."),
    "cancel": gettext_lazy(
        "Only a draft or issued policy can be cancelled; this one is %(status)s."
    ),
    "expire": gettext_lazy("Only an issued policy can expire; this one is %(status)s."),
}


def _transition(policy_id: int, name: str, *, actor, reason: str, **fields) -> Policy:
    """Lock the policy and apply the named transition, if the declared map allows it, with
    its history row (core.status)."""
    return transition(
        Policy.objects.select_related("insured"),
        policy_id,
        name,
        actor=actor,
        reason=reason,
        refused=lambda policy: PolicyTransitionNotAllowed(
            TRANSITION_REFUSED[name] % {"status": policy.get_status_display().lower()},
            field="status",
            status=policy.status,
        ),
        **fields,
    )


@transaction.atomic
def policy_issue(*, actor, policy_id: int, reason: str = "") -> Policy:
    """Draft → issued; the schedule PDF is rendered from the issued terms and stored."""
    policy = _transition(
        policy_id,
        "issue",
        actor=actor,
        reason=reason or _("Issued"),
        clean=True,
        issued_at=timezone.now(),
    )
    _document_queue(policy, kind=DocumentKind.SCHEDULE, actor=actor, reason=reason)
    return policy


@transaction.atomic
def policy_cancel(*, actor, policy_id: int, reason: str) -> Policy:
    if not (reason or "").strip():
        raise ReasonRequired(field="reason")
    return _transition(policy_id, "cancel", actor=actor, reason=reason)


def policies_expire(*, today: date) -> dict:
    """Expire every issued policy whose end date has passed. Safe to run twice or twice at
    once: each policy is locked, skipped when another worker holds it, and re-checked."""
    expired = []
    candidates = Policy.objects.filter(status=PolicyStatus.ISSUED, end_date__lt=today)
    for policy_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            policy = (
                Policy.objects.select_for_update(skip_locked=True)
                .filter(pk=policy_id, status=PolicyStatus.ISSUED)
                .first()
            )
            if policy is None:
                continue
            apply_transition(
                policy, "expire", actor=None, reason=_("Expired at the end of the period")
            )
            expired.append(policy.number)
    return {"expired": expired}


def policies_expire_recorded(*, today: date) -> dict:
    return run_recorded("policies_expire", lambda: policies_expire(today=today))


# Declarations -------------------------------------------------------------------------------


@transaction.atomic
def declaration_submit(
    *, actor, policy_id: int, period_start: date, turnover: Decimal, note: str = ""
) -> TurnoverDeclaration:
    """The insured declares one period's turnover, also after the policy has ended (late
    after the period's due date). The period's premium is charged, and every charge not yet
    invoiced goes on the premium invoice that follows as a PDF."""
    policy = _locked(policy_id)
    policy_check_actor(actor, policy)
    if policy.status not in DECLARABLE_STATUSES:
        raise DeclarationInvalid(
            _("Only an issued or expired policy takes declarations."), field="policy"
        )
    if turnover is None or turnover < 0:
        raise DeclarationInvalid(_("Turnover cannot be negative."), field="turnover")
    periods = {
        p.start: p
        for p in declaration_periods(
            policy.start_date,
            policy.end_date,
            policy.declaration_frequency,
            policy.declaration_due_days,
        )
    }
    period = periods.get(period_start)
    if period is None:
        raise DeclarationInvalid(
            _("%(date)s does not start a declaration period of this policy.")
            % {"date": period_start.isoformat()},
            field="period_start",
        )
    today = timezone.localdate()
    if period.end >= today:
        raise DeclarationInvalid(
            _("The period ends on %(date)s; declare it after that.")
            % {"date": period.end.isoformat()},
            field="period_start",
        )
    if TurnoverDeclaration.objects.filter(policy=policy, period_start=period.start).exists():
        raise DeclarationExists(field="period_start")
    declaration = TurnoverDeclaration(
        policy=policy,
        period_start=period.start,
        period_end=period.end,
        turnover=turnover,
        premium_rate=policy.premium_rate,
        premium=period_premium(turnover, policy.premium_rate),
        due_date=period.due,
        declared_at=timezone.now(),
        declared_by=actor,
        note=note,
    )
    try:
        declaration.full_clean()
    except ValidationError as exc:
        raise DeclarationInvalid(" ".join(exc.messages), field="turnover") from exc
    declaration._history_user = actor
    declaration.save()
    _charge_write(
        policy,
        kind=ChargeKind.TURNOVER_PREMIUM,
        amount=declaration.premium,
        on=today,
        period=(period.start, period.end),
        reference=f"declaration:{declaration.pk}",
        actor=actor,
        declaration=declaration,
    )
    # A year whose top-up was charged before this declaration came in: correct the top-up.
    year = policy_year_of(policy_years(policy.start_date, policy.end_date), period.start)
    if PolicyCharge.objects.filter(
        policy=policy,
        kind=ChargeKind.MINIMUM_TOPUP,
        period_start=year.start,
    ).exists():
        _year_topup(
            policy, year, today=today, actor=actor, reference=f"declaration:{declaration.pk}"
        )
    _invoice_issue(
        policy,
        actor=actor,
        reason=_("Premium for %(start)s – %(end)s")
        % {"start": period.start.isoformat(), "end": period.end.isoformat()},
        declaration=declaration,
    )
    return declaration


# Documents ----------------------------------------------------------------------------------


def _document_queue(
    policy: Policy, *, kind: str, actor, reason: str = "", previous_snapshot=None, declaration=None
) -> PolicyDocument:
    """Write the document row (under the policy's row lock) and render it after commit."""
    from .tasks import policy_document_render_task

    last = (
        PolicyDocument.objects.filter(policy=policy, kind=kind).aggregate(v=Max("version"))["v"]
        or 0
    )
    document = PolicyDocument.objects.create(
        policy=policy,
        kind=kind,
        version=last + 1,
        language=policy.insured.language,
        policy_snapshot=policy.history.latest(),
        previous_snapshot=previous_snapshot,
        declaration=declaration,
        reason=reason or "",
        created_by=actor,
    )
    transaction.on_commit(lambda: policy_document_render_task.delay(document.pk))
    return document


def document_render(*, document_id: int) -> PolicyDocument:
    """Render a pending document once; a rendered one is never changed (core.stored_pdf)."""
    from .pdf import render_policy_document

    return render_once(PolicyDocument.objects.all(), document_id, render_policy_document)


# Charges and premium invoices ---------------------------------------------------------------
#
# Every amount the insured owes is a PolicyCharge row: a period's turnover premium (written by
# declaration_submit), a limit fee (written by the limits app through policy_charge_record when
# it decides a named limit) and the top-up to a policy year's minimum premium (written once
# the year is over, by policy_charges_settle, the daily job). Charges not yet invoiced go on
# the next premium invoice: the one a declaration produces, or the year-end one.


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
