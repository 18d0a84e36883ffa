"""Reads for limits: the engine's view of a debtor and a template, limits in force on a date,
the underwriter's queue — always scoped to what the user may see."""

from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import Role
from core.models import ExchangeRate
from debtors.models import CreditReport, Debtor, RiskEvent

from .engine import DEFAULT_RULES, DatedEvent, DebtorFacts, OnFail, Outcome, Param, Rule
from .engine import TemplateSpec as EngineTemplate
from .models import (
    PENDING,
    DecisionLetter,
    DecisionTemplate,
    Limit,
    LimitChange,
    LimitRequest,
    RequestStatus,
    TemplateRule,
)


def _events(items) -> tuple[DatedEvent, ...]:
    out = []
    for item in items or ():
        amount = item.get("amount")
        out.append(
            DatedEvent(
                date.fromisoformat(item["date"]),
                Decimal(str(amount)) if amount not in (None, "") else None,
            )
        )
    return tuple(out)


def debtor_facts(debtor: Debtor, report: CreditReport | None = None) -> DebtorFacts:
    """The engine's view of a debtor: its latest credit report and insolvency."""
    report = report if report is not None else debtor.latest_report
    insolvent = debtor.insolvent_since is not None
    if report is None:
        return DebtorFacts(
            rating=None, registered_on=None, legal_form=debtor.legal_form, insolvent=insolvent
        )
    return DebtorFacts(
        rating=report.rating,
        registered_on=report.registered_on,
        legal_form=report.legal_form or debtor.legal_form,
        payment_remarks=_events(report.payment_remarks),
        debt_balance=report.debt_balance,
        debt_balance_history=_events(report.debt_balance_history),
        failed_distraints=_events(report.failed_distraints),
        f_tax=report.f_tax,
        vat=report.vat_registered,
        employer=report.employer_registered,
        board_changed_on=report.board_changed_on,
        turnover=report.turnover,
        equity_ratio=report.equity_ratio,
        result=report.result,
        accounts_closed_on=report.accounts_closed_on,
        clean_audit=report.clean_audit,
        report_date=report.as_of,
        insolvent=insolvent,
    )


def template_for(legal_form: str) -> DecisionTemplate | None:
    """The template of a legal form, else the general one (empty legal form), with its rules
    (one query; a template without rules takes a second)."""
    rules = list(
        TemplateRule.objects.filter(template__legal_form__in=[legal_form, ""]).select_related(
            "template"
        )
    )
    by_form: dict[str, DecisionTemplate] = {}
    for rule in rules:
        template = by_form.setdefault(rule.template.legal_form, rule.template)
        template.rule_list = [*getattr(template, "rule_list", []), rule]
    template = by_form.get(legal_form) or by_form.get("")
    if template is None:
        template = (
            DecisionTemplate.objects.filter(legal_form__in=[legal_form, ""])
            .order_by("-legal_form")
            .first()
        )
        if template is not None:
            template.rule_list = []
    return template


def engine_template(template: DecisionTemplate | None) -> EngineTemplate:
    if template is None:
        return EngineTemplate(rules=DEFAULT_RULES)
    rules = tuple(
        Rule(Param(r.param), r.threshold, r.months, OnFail(r.on_fail))
        for r in (template.rule_list if hasattr(template, "rule_list") else template.rules.all())
        if r.enabled
    )
    return EngineTemplate(rules=rules, above_guideline=Outcome(template.above_guideline))


def sek_per_unit(currency: str) -> Decimal | None:
    if currency == "SEK":
        return Decimal(1)
    rate = ExchangeRate.objects.filter(currency=currency).values_list("sek_per_unit", flat=True)
    return rate.first()


# Limits on a date ---------------------------------------------------------------------------


def _change_on(day: date):
    """The latest change of the outer limit effective on or before `day`."""
    return LimitChange.objects.filter(limit=OuterRef("pk"), effective_from__lte=day).order_by(
        "-effective_from", "-id"
    )


def limits_as_of(qs: QuerySet[Limit], day: date) -> QuerySet[Limit]:
    """Annotate each limit with its amount, kind, expiry and terms on `day` (one query):
    the latest change effective by then, or nothing when it had expired."""
    change = _change_on(day)
    qs = qs.annotate(
        change_id=Subquery(change.values("id")[:1]),
        raw_amount=Subquery(change.values("amount")[:1]),
        limit_kind=Subquery(change.values("limit_kind")[:1]),
        expires_on=Subquery(change.values("expires_on")[:1]),
        max_terms_days=Subquery(change.values("max_terms_days")[:1]),
        effective_from=Subquery(change.values("effective_from")[:1]),
    )
    return qs.annotate(
        amount=Case(
            When(Q(expires_on__isnull=False, expires_on__lt=day), then=Value(Decimal(0))),
            default=Coalesce(F("raw_amount"), Value(Decimal(0))),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        )
    )


def limits_for(user) -> QuerySet[Limit]:
    qs = Limit.objects.select_related("policy", "policy__insured", "debtor", "review_event")
    if user.role == Role.INSURED:
        return qs.filter(policy__insured_id=user.company_id)
    return qs


def limit_requests_for(user) -> QuerySet[LimitRequest]:
    qs = LimitRequest.objects.select_related(
        "policy", "policy__insured", "debtor", "requested_by", "decided_by"
    )
    if user.role == Role.INSURED:
        return qs.filter(policy__insured_id=user.company_id)
    return qs


def letters_for(user) -> QuerySet[DecisionLetter]:
    qs = DecisionLetter.objects.select_related(
        "policy", "policy__insured", "request", "limit__debtor"
    )
    if user.role == Role.INSURED:
        return qs.filter(policy__insured_id=user.company_id, status="ready")
    return qs


def referred_queue() -> QuerySet[LimitRequest]:
    """Requests waiting for an underwriter, oldest first."""
    return (
        LimitRequest.objects.filter(status=RequestStatus.REFERRED)
        .select_related("policy", "policy__insured", "debtor", "debtor__latest_report")
        .order_by("submitted_at", "id")
    )


def pending_request(policy_id: int, debtor_id: int) -> LimitRequest | None:
    return LimitRequest.objects.filter(
        policy_id=policy_id, debtor_id=debtor_id, status__in=PENDING
    ).first()


def limits_on_debtor(debtor: Debtor, *, today: date) -> list[Limit]:
    """Every insured's limit on this debtor today (for the underwriter), one query."""
    return list(
        limits_as_of(
            Limit.objects.filter(debtor=debtor).select_related("policy", "policy__insured"), today
        ).order_by("-amount")
    )


def unreviewed_risk_events() -> QuerySet[RiskEvent]:
    return (
        RiskEvent.objects.filter(reviewed_at__isnull=True)
        .select_related("debtor")
        .order_by("occurred_on", "id")
    )


def limits_under_review() -> QuerySet[Limit]:
    return (
        Limit.objects.filter(review_requested_at__isnull=False)
        .select_related("policy", "policy__insured", "debtor", "review_event")
        .order_by("review_requested_at")
    )


def upcoming_reductions(user, today: date) -> QuerySet[LimitChange]:
    """Insurer reductions and withdrawals decided but not yet in effect."""
    qs = LimitChange.objects.filter(
        kind__in=["reduced", "withdrawn"], effective_from__gt=today
    ).select_related("limit__debtor", "limit__policy")
    if user.role == Role.INSURED:
        qs = qs.filter(limit__policy__insured_id=user.company_id)
    return qs.order_by("effective_from")
