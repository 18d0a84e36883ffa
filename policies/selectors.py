"""Reads of policies, declarations and documents, always scoped to what the user may see."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.models import Role

from .models import (
    TERM_FIELDS,
    DocumentStatus,
    Policy,
    PolicyDocument,
    PolicyStatus,
    TurnoverDeclaration,
)
from .premium import Period, YearPremium, declaration_periods, year_premium


def policies_for(user) -> QuerySet[Policy]:
    """Every policy the user may read: an insured user only its company's, and never drafts."""
    qs = Policy.objects.select_related("insured")
    if user.role == Role.INSURED:
        return qs.filter(insured_id=user.company_id).exclude(status=PolicyStatus.DRAFT)
    return qs


def declarations_for(user) -> QuerySet[TurnoverDeclaration]:
    qs = TurnoverDeclaration.objects.select_related("policy", "policy__insured", "declared_by")
    if user.role == Role.INSURED:
        return qs.filter(policy__insured_id=user.company_id)
    return qs


def documents_for(user) -> QuerySet[PolicyDocument]:
    qs = PolicyDocument.objects.select_related("policy", "policy__insured")
    if user.role == Role.INSURED:
        return qs.filter(policy__insured_id=user.company_id, status=DocumentStatus.READY)
    return qs


def policy_search(
    qs: QuerySet[Policy], *, q: str = "", status: str = "", currency: str = ""
) -> QuerySet[Policy]:
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(insured__name__icontains=q)
            | Q(insured__registration_number__icontains=q)
        )
    if status:
        qs = qs.filter(status=status)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs


@dataclass(frozen=True)
class TimelineEntry:
    at: object
    user: object
    reason: str
    changes: list[tuple[str, str, str]]  # (term label, old, new), readable


def _readable(field: str, value) -> str:
    if field == "status":
        return str(PolicyStatus(value).label) if value else ""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "" if value is None else str(value)


def policy_timeline(policy: Policy) -> list[TimelineEntry]:
    """Every recorded change of the policy, newest first, with what changed in words."""
    records = list(policy.history.select_related("history_user").order_by("history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=[*TERM_FIELDS, "status"])
            changes = [
                (
                    str(Policy._meta.get_field(c.field).verbose_name),
                    _readable(c.field, c.old),
                    _readable(c.field, c.new),
                )
                for c in delta.changes
            ]
        entries.append(
            TimelineEntry(
                record.history_date,
                record.history_user,
                record.history_change_reason or "",
                changes,
            )
        )
        previous = record
    return entries[::-1]


@dataclass(frozen=True)
class PeriodState:
    policy: Policy
    period: Period
    declaration: TurnoverDeclaration | None
    state: str  # declared, declared_late, open, due, late

    @property
    def is_outstanding(self) -> bool:
        return self.state in ("due", "late")


def declaration_states(
    policies: QuerySet[Policy] | list[Policy], *, today: date
) -> list[PeriodState]:
    """Every declaration period of the given issued policies with its state: declared
    (on time or late), still open, due (ended, before its due date) or late. Two queries."""
    policies = list(policies)
    declared = defaultdict(dict)
    for d in TurnoverDeclaration.objects.filter(policy__in=policies):
        declared[d.policy_id][d.period_start] = d
    out = []
    for policy in policies:
        for period in declaration_periods(
            policy.start_date,
            policy.end_date,
            policy.declaration_frequency,
            policy.declaration_due_days,
        ):
            d = declared[policy.pk].get(period.start)
            if d is not None:
                state = "declared_late" if d.is_late else "declared"
            elif period.end >= today:
                state = "open"
            elif period.due >= today:
                state = "due"
            else:
                state = "late"
            out.append(PeriodState(policy, period, d, state))
    return out


def outstanding_declarations(policies, *, today: date) -> list[PeriodState]:
    issued = [p for p in policies if p.status == PolicyStatus.ISSUED]
    return [s for s in declaration_states(issued, today=today) if s.is_outstanding]


# The insurer's decisions on named limits (not discretionary ones) each carry the limit fee.
FEE_DECISION_STATUSES = ("approved", "partly_approved", "refused")


def _limit_decision_counts(policies: list[Policy]) -> dict[int, int]:
    """Named-limit decisions per policy, one grouped query over the limit requests."""
    rows = (
        Policy.objects.filter(pk__in=[p.pk for p in policies])
        .annotate(
            n=Count(
                "limit_requests",
                filter=Q(
                    limit_requests__status__in=FEE_DECISION_STATUSES, limit_requests__is_dcl=False
                ),
            )
        )
        .values_list("pk", "n")
    )
    return dict(rows)


def policy_premiums(policies, *, today: date) -> dict[int, YearPremium]:
    """The year's premium of each policy, from one grouped query over their declarations."""
    policies = list(policies)
    decisions = _limit_decision_counts(policies)
    totals = {
        row["policy_id"]: row
        for row in TurnoverDeclaration.objects.filter(policy__in=policies)
        .values("policy_id")
        .annotate(turnover=Sum("turnover"), premium=Sum("premium"))
    }
    return {
        p.pk: year_premium(
            declared_turnover=totals.get(p.pk, {}).get("turnover") or Decimal(0),
            period_premiums=totals.get(p.pk, {}).get("premium") or Decimal(0),
            minimum_premium=p.minimum_premium,
            limit_decisions=decisions.get(p.pk, 0),
            limit_fee=p.limit_fee,
            max_liability_multiple=p.max_liability_multiple,
            year_complete=today > p.end_date or p.status == PolicyStatus.EXPIRED,
        )
        for p in policies
    }


def policy_premium(policy: Policy, *, today: date) -> YearPremium:
    return policy_premiums([policy], today=today)[policy.pk]
