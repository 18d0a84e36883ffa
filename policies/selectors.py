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
    ChargeKind,
    DocumentStatus,
    Policy,
    PolicyCharge,
    PolicyDocument,
    PolicyStatus,
    TurnoverDeclaration,
)
from .premium import (
    Period,
    YearPremium,
    declaration_periods,
    policy_year_of,
    policy_years,
    year_premium,
)

# A policy takes declarations while it is issued, and after it has expired: its last periods
# end with it and are declared afterwards.
DECLARABLE_STATUSES = (PolicyStatus.ISSUED, PolicyStatus.EXPIRED)


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
    """The periods due or late of the issued and expired policies: the last periods of a
    policy are declared after it has ended."""
    declarable = [p for p in policies if p.status in DECLARABLE_STATUSES]
    return [s for s in declaration_states(declarable, today=today) if s.is_outstanding]


# Premium per policy year ------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyYearPremium(YearPremium):
    """A policy year with its premium, fees, top-up and maximum liability."""

    number: int
    start: date
    end: date
    topup_charged: Decimal  # top-up to the minimum premium charged so far (net of credits)

    @property
    def topup_outstanding(self) -> Decimal:
        return self.minimum_adjustment - self.topup_charged


def _years_premium(policies: list[Policy], *, today: date) -> dict[int, list[PolicyYearPremium]]:
    """Each policy's years with their premium: one query over the declarations and one over
    the charges. Limit fees and top-ups are the charges recorded (PolicyCharge)."""
    ids = [p.pk for p in policies]
    declared = defaultdict(list)
    for policy_id, start, turnover, premium in TurnoverDeclaration.objects.filter(
        policy__in=ids
    ).values_list("policy_id", "period_start", "turnover", "premium"):
        declared[policy_id].append((start, turnover, premium))
    charged = defaultdict(list)
    for row in (
        PolicyCharge.objects.filter(
            policy__in=ids, kind__in=[ChargeKind.LIMIT_FEE, ChargeKind.MINIMUM_TOPUP]
        )
        .values("policy_id", "kind", "period_start")
        .annotate(total=Sum("amount"), n=Count("id"))
    ):
        charged[row["policy_id"]].append(row)

    out = {}
    for policy in policies:
        years = policy_years(policy.start_date, policy.end_date)
        sums = {y.number: defaultdict(Decimal) for y in years}
        for start, turnover, premium in declared[policy.pk]:
            year = sums[policy_year_of(years, start).number]
            year["turnover"] += turnover
            year["premium"] += premium
        for row in charged[policy.pk]:
            year = sums[policy_year_of(years, row["period_start"]).number]
            year[row["kind"]] += row["total"]
            year[f"{row['kind']}_count"] += row["n"]
        out[policy.pk] = [
            PolicyYearPremium(
                **vars(
                    year_premium(
                        declared_turnover=sums[y.number]["turnover"],
                        period_premiums=sums[y.number]["premium"],
                        minimum_premium=policy.minimum_premium,
                        limit_decisions=int(sums[y.number][f"{ChargeKind.LIMIT_FEE}_count"]),
                        limit_fees=sums[y.number][ChargeKind.LIMIT_FEE],
                        max_liability_multiple=policy.max_liability_multiple,
                        year_complete=today > y.end,
                    )
                ),
                number=y.number,
                start=y.start,
                end=y.end,
                topup_charged=sums[y.number][ChargeKind.MINIMUM_TOPUP],
            )
            for y in years
        ]
    return out


def policy_years_premium(policy: Policy, *, today: date) -> list[PolicyYearPremium]:
    """Every policy year of the policy with its premium, minimum, top-up and liability."""
    return _years_premium([policy], today=today)[policy.pk]


def current_policy_year(years: list[PolicyYearPremium], *, today: date) -> PolicyYearPremium:
    """The policy year `today` falls in (the first before the start, the last after the end)."""
    for year in years:
        if today <= year.end:
            return year
    return years[-1]


def policy_premiums(policies, *, today: date) -> dict[int, PolicyYearPremium]:
    """The premium of each policy's current policy year (the first before the policy starts,
    the last after it ends), in two queries whatever the number of policies."""
    policies = list(policies)
    return {
        pk: current_policy_year(years, today=today)
        for pk, years in _years_premium(policies, today=today).items()
    }


def policy_premium(policy: Policy, *, today: date) -> PolicyYearPremium:
    return policy_premiums([policy], today=today)[policy.pk]


# Charges and invoices ---------------------------------------------------------------------


def charges_for(user) -> QuerySet[PolicyCharge]:
    qs = PolicyCharge.objects.select_related("policy", "invoice")
    if user.role == Role.INSURED:
        return qs.filter(policy__insured_id=user.company_id)
    return qs


def charges_not_invoiced(policy: Policy) -> QuerySet[PolicyCharge]:
    return PolicyCharge.objects.filter(policy=policy, invoice__isnull=True)
