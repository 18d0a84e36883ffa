"""Policies: the insured-facing actor check, and every write on a policy itself (create a
draft, change its terms with an endorsement, issue, cancel, expire), each status change
through the declared transition map with its history row (core.status)."""

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import ensure_acts_for
from accounts.models import InsuredCompany
from core.countries import default_covered_countries
from core.jobs import run_recorded
from core.status import apply_transition, save_with_history, transition

from ..exceptions import (
    PolicyNotEditable,
    PolicyNotYours,
    PolicyTermFixed,
    PolicyTransitionNotAllowed,
    ReasonRequired,
)
from ..models import TERM_FIELDS, DocumentKind, Policy, PolicyStatus
from .documents import _document_queue

EDITABLE_STATUSES = (PolicyStatus.DRAFT, PolicyStatus.ISSUED)
# Terms fixed once the policy is issued: every amount of the policy is in its currency.
FIXED_ONCE_ISSUED = ("currency",)


def policy_check_actor(actor, policy: Policy) -> None:
    """An insured user acts only on its own company's policies (accounts.access)."""
    ensure_acts_for(actor, policy.insured_id, error=PolicyNotYours, field="policy")


def default_end_date(start: date) -> date:
    """The default period: one year from the start."""
    return start + relativedelta(years=1) - relativedelta(days=1)


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
    save_with_history(policy, actor=actor, reason=reason or _("Draft created"))
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
    save_with_history(policy, actor=actor, reason=reason or _("Terms edited"))
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
