"""Every write on policies, declarations and their documents."""

from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from core.countries import default_covered_countries
from core.jobs import run_recorded

from .exceptions import (
    DeclarationExists,
    DeclarationInvalid,
    PolicyNotEditable,
    PolicyTransitionNotAllowed,
    ReasonRequired,
)
from .models import (
    TERM_FIELDS,
    DocumentKind,
    InsuredCompany,
    Policy,
    PolicyDocument,
    PolicyStatus,
    TurnoverDeclaration,
)
from .premium import declaration_periods, period_premium

EDITABLE_STATUSES = (PolicyStatus.DRAFT, PolicyStatus.ISSUED)


def default_end_date(start: date) -> date:
    """The default period: one year from the start."""
    return start + relativedelta(years=1) - relativedelta(days=1)


def _save_with_history(policy: Policy, *, actor, reason: str) -> None:
    policy._history_user = actor
    policy._change_reason = reason[:100] if reason else ""
    policy.save()


def _locked(policy_id: int) -> Policy:
    return Policy.objects.select_for_update().select_related("insured").get(pk=policy_id)


@transaction.atomic
def insured_company_create(*, actor, **fields: Any) -> InsuredCompany:
    company = InsuredCompany(**fields)
    company.full_clean()
    company._history_user = actor
    company.save()
    return company


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


def _transition(policy_id: int, name: str) -> Policy:
    """Lock the policy and apply the named transition, if the declared map allows it."""
    policy = _locked(policy_id)
    method = getattr(policy, name)
    if not can_proceed(method):
        raise PolicyTransitionNotAllowed(
            TRANSITION_REFUSED[name] % {"status": policy.get_status_display().lower()},
            field="status",
            status=policy.status,
        )
    method()
    return policy


@transaction.atomic
def policy_issue(*, actor, policy_id: int, reason: str = "") -> Policy:
    """Draft → issued; the schedule PDF is rendered from the issued terms and stored."""
    policy = _transition(policy_id, "issue")
    policy.full_clean()
    policy.issued_at = timezone.now()
    _save_with_history(policy, actor=actor, reason=reason or _("Issued"))
    _document_queue(policy, kind=DocumentKind.SCHEDULE, actor=actor, reason=reason)
    return policy


@transaction.atomic
def policy_cancel(*, actor, policy_id: int, reason: str) -> Policy:
    if not (reason or "").strip():
        raise ReasonRequired(field="reason")
    policy = _transition(policy_id, "cancel")
    _save_with_history(policy, actor=actor, reason=reason)
    return policy


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
            policy.expire()
            _save_with_history(policy, actor=None, reason=_("Expired at the end of the period"))
            expired.append(policy.number)
    return {"expired": expired}


def policies_expire_recorded(*, today: date) -> dict:
    return run_recorded("policies_expire", lambda: policies_expire(today=today))


# Declarations -------------------------------------------------------------------------------


@transaction.atomic
def declaration_submit(
    *, actor, policy_id: int, period_start: date, turnover: Decimal, note: str = ""
) -> TurnoverDeclaration:
    """The insured declares one period's turnover; its premium invoice follows as a PDF."""
    policy = _locked(policy_id)
    if policy.status != PolicyStatus.ISSUED:
        raise DeclarationInvalid(_("Only an issued policy takes declarations."), field="policy")
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
    _document_queue(
        policy,
        kind=DocumentKind.PREMIUM_INVOICE,
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
    """Render a pending document once; a rendered one is never changed."""
    from .models import DocumentStatus
    from .pdf import render_policy_document

    try:
        with transaction.atomic():
            document = PolicyDocument.objects.select_for_update().get(pk=document_id)
            if document.status == DocumentStatus.READY:
                return document
            pdf = render_policy_document(document)
            _document_store(document, pdf)
    except Exception as exc:
        # Outside the rolled-back transaction, so the failure stays recorded for staff.
        PolicyDocument.objects.filter(pk=document_id).exclude(status=DocumentStatus.READY).update(
            status=DocumentStatus.FAILED, error=repr(exc)
        )
        raise
    return document


def _document_store(document: PolicyDocument, pdf: bytes) -> None:
    import hashlib

    from django.core.files.base import ContentFile

    from .models import DocumentStatus

    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.file.save(document.filename, ContentFile(pdf), save=False)
    document.status = DocumentStatus.READY
    document.rendered_at = timezone.now()
    document.error = ""
    document.save(update_fields=["file", "sha256", "status", "rendered_at", "error"])
