"""Reads for limits: the engine's view of a debtor and a template, limits in force on a date,
the underwriter's queue — always scoped to what the user may see."""

from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from accounts.models import Role
from core.models import ExchangeRate
from core.sql import AddDays
from debtors.models import CreditReport, Debtor, RiskEvent

from . import timeline
from .engine import (
    DEFAULT_RULES,
    DatedEvent,
    DebtorFacts,
    OnFail,
    Outcome,
    Param,
    RiskEventFact,
    Rule,
)
from .engine import TemplateSpec as EngineTemplate
from .models import (
    PENDING,
    ChangeKind,
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
    """The engine's view of a debtor: its latest credit report, insolvency and the risk
    events no underwriter has reviewed yet (one query, for the events)."""
    report = report if report is not None else debtor.latest_report
    insolvent = debtor.insolvent_since is not None
    unreviewed = tuple(
        RiskEventFact(kind=kind, on=on, id=pk)
        for pk, kind, on in RiskEvent.objects.filter(debtor=debtor, reviewed_at__isnull=True)
        .order_by("occurred_on", "id")
        .values_list("id", "kind", "occurred_on")
    )
    if report is None:
        return DebtorFacts(
            rating=None,
            registered_on=None,
            legal_form=debtor.legal_form,
            insolvent=insolvent,
            unreviewed_events=unreviewed,
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
        unreviewed_events=unreviewed,
    )


def decision_template_for(legal_form: str) -> tuple[str, EngineTemplate]:
    """The engine's template for a legal form (its own, else the general one with an empty
    legal form, else DEFAULT_RULES) and the template's name: one query of plain values, as a
    decision reads it on every request; a template without rules takes a second."""
    rows = TemplateRule.objects.filter(template__legal_form__in=[legal_form, ""]).values_list(
        "template__legal_form",
        "template__name",
        "template__above_guideline",
        "param",
        "enabled",
        "threshold",
        "months",
        "on_fail",
    )
    by_form: dict[str, tuple[str, str, list[Rule]]] = {}
    for form, name, above, param, enabled, threshold, months, on_fail in rows:
        rules = by_form.setdefault(form, (name, above, []))[2]
        if enabled:
            rules.append(Rule(Param(param), threshold, months, OnFail(on_fail)))
    found = by_form.get(legal_form) or by_form.get("")
    if found is None:
        template = (
            DecisionTemplate.objects.filter(legal_form__in=[legal_form, ""])
            .order_by("-legal_form")
            .values_list("name", "above_guideline")
            .first()
        )
        if template is None:
            return "default", EngineTemplate(rules=DEFAULT_RULES)
        found = (*template, [])
    name, above, rules = found
    return name, EngineTemplate(rules=tuple(rules), above_guideline=Outcome(above))


def sek_per_unit(currency: str) -> Decimal | None:
    if currency == "SEK":
        return Decimal(1)
    rate = ExchangeRate.objects.filter(currency=currency).values_list("sek_per_unit", flat=True)
    return rate.first()


# Limits on a date ---------------------------------------------------------------------------
# "The limit on a day" has two homes that a property test holds together: `timeline.limit_on`
# over a loaded history (one limit) and `limits_as_of` in SQL (any number of limits).


def _deeper(day):
    """`day` as seen from one subquery further in: a date stays a date; a reference to a
    column of an outer query (`OuterRef`) becomes a reference to that same column."""
    return OuterRef(day) if isinstance(day, OuterRef) else day


def _approval_on(day):
    """The outer limit's latest approval made (highest id) and effective by `day`."""
    return LimitChange.objects.filter(
        limit=OuterRef("pk"), kind__in=timeline.APPROVALS, effective_from__lte=_deeper(day)
    ).order_by("-id")


def _caps_on(day):
    """The outer limit's reductions made after its approval and effective by `day`."""
    return (
        LimitChange.objects.filter(
            limit=OuterRef("pk"),
            kind__in=timeline.REDUCTIONS,
            effective_from__lte=_deeper(day),
            id__gt=OuterRef("approval_id"),
        )
        .order_by()
        .values("limit")
    )


def limits_as_of(qs: QuerySet[Limit], day) -> QuerySet[Limit]:
    """Annotate each limit with `amount`, `limit_kind`, `expires_on`, `max_terms_days` and
    `effective_from` (since when the amount holds) on `day`, in one statement: the SQL twin
    of `timeline.limit_on`. `day` is a date, or (in a subquery) an `OuterRef` to a date
    column of the outer query, such as an invoice's delivery date."""
    approval = _approval_on(day)
    caps = _caps_on(day)
    money = DecimalField(max_digits=16, decimal_places=2)
    qs = qs.annotate(
        approval_id=Subquery(approval.values("id")[:1]),
        approved_amount=Subquery(approval.values("amount")[:1]),
        limit_kind=Coalesce(Subquery(approval.values("limit_kind")[:1]), Value("named")),
        expires_on=Subquery(approval.values("expires_on")[:1]),
        max_terms_days=Subquery(approval.values("max_terms_days")[:1]),
        approved_from=Subquery(approval.values("effective_from")[:1]),
    ).annotate(
        cap=Subquery(caps.annotate(m=Min("amount")).values("m")[:1], output_field=money),
        capped_from=Subquery(caps.annotate(m=Max("effective_from")).values("m")[:1]),
    )
    return qs.annotate(
        effective_from=Greatest(F("approved_from"), Coalesce(F("capped_from"), F("approved_from"))),
        amount=Case(
            When(approval_id__isnull=True, then=Value(Decimal(0))),
            When(
                Q(policy__start_date__gt=day) | Q(policy__end_date__lt=day),
                then=Value(Decimal(0)),
            ),
            When(Q(expires_on__isnull=False, expires_on__lt=day), then=Value(Decimal(0))),
            default=Least(F("approved_amount"), Coalesce(F("cap"), F("approved_amount"))),
            output_field=money,
        ),
    )


# The step statement's SQL, compiled once per shape of the limits it is asked for: the ORM
# takes longer to build it (four annotated querysets with subqueries) than the database to run
# it. Keyed by the database and the SQL of the limits; the limits' own parameters are put in
# place of the markers they were compiled with.
_STEPS: dict[tuple[str, str], tuple[str, list, list[int]]] = {}


class _Marker:
    """A parameter's place in a compiled statement, to be filled by each call."""


def limit_steps_sql(limits: QuerySet[Limit]) -> tuple[str, list]:
    """`_limit_steps_sql` of `limits`, compiled once per shape of `limits`."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    limits_sql, limits_params = limits.order_by().values("pk").query.sql_with_params()
    key = (connection.vendor, limits_sql)
    if key not in _STEPS:
        if len(_STEPS) >= 256:  # shapes with lists of ids in them: keep the cache small
            _STEPS.clear()
        markers = [_Marker() for _ in limits_params]
        ids = RawSQL(limits_sql, markers)  # noqa: S611 (the ORM's own SQL, with parameters)
        sql, params = _limit_steps_sql(Limit.objects.filter(pk__in=ids))
        where = {id(m): i for i, m in enumerate(markers)}
        slots = [where.get(id(p), -1) for p in params]
        _STEPS[key] = (
            sql,
            [None if i >= 0 else p for p, i in zip(params, slots, strict=True)],
            slots,
        )
    sql, fixed, slots = _STEPS[key]
    return sql, [limits_params[i] if i >= 0 else p for p, i in zip(fixed, slots, strict=True)]


def _limit_steps_sql(limits: QuerySet[Limit]) -> tuple[str, list]:
    """The limits as step functions, for joining many dated rows (invoices) at once: SQL and
    params of rows (`limit_ref`, `lp` policy id, `ld` debtor id, `point`, `until`,
    `step_amount`, `step_terms`): from `point` (included) to `until` (excluded; NULL: for
    good) the limit is `step_amount`, with `step_terms` as its maximum payment terms. The
    limit on a day changes only where a change takes effect, an approval's expiry has passed,
    or the policy's period starts or ends, so `limits_as_of` is read at those points only: a
    few per limit, however many rows are joined. A property test holds the steps to
    `timeline.limit_on` on every day."""
    money = DecimalField(max_digits=16, decimal_places=2)
    at = limits_as_of(Limit.objects.filter(pk=OuterRef("limit_ref")), OuterRef("point"))
    figures = {
        "step_amount": Coalesce(
            Subquery(at.values("amount")[:1], output_field=money),
            Value(Decimal(0)),
            output_field=money,
        ),
        "step_terms": Subquery(at.values("max_terms_days")[:1]),
    }
    columns = ("limit_ref", "lp", "ld", "point", "step_amount", "step_terms")
    changes = LimitChange.objects.filter(limit__in=limits).order_by()
    by_change = {
        "limit_ref": F("limit_id"),
        "lp": F("limit__policy_id"),
        "ld": F("limit__debtor_id"),
    }
    by_limit = {"limit_ref": F("pk"), "lp": F("policy_id"), "ld": F("debtor_id")}
    points = [
        changes.annotate(**by_change, point=F("effective_from")),
        changes.filter(expires_on__isnull=False).annotate(
            **by_change, point=AddDays(F("expires_on"), Value(1))
        ),
        limits.order_by().annotate(**by_limit, point=F("policy__start_date")),
        limits.order_by().annotate(**by_limit, point=AddDays(F("policy__end_date"), Value(1))),
    ]
    first, *rest = (qs.annotate(**figures).values(*columns) for qs in points)
    sql, params = first.union(*rest).query.sql_with_params()
    steps = (
        "SELECT s.*, LEAD(s.point) OVER (PARTITION BY s.limit_ref ORDER BY s.point) AS until "
        f"FROM ({sql}) AS s"
    )
    return steps, list(params)


def withdrawn_limits(day: date, qs: QuerySet[Limit] | None = None) -> QuerySet:
    """(policy_id, debtor_id, withdrawn_on) of the limits the insurer has withdrawn by `day`
    with no approval since: worth nothing from `withdrawn_on`."""
    qs = limits_as_of(Limit.objects.all() if qs is None else qs, day)
    withdrawal = LimitChange.objects.filter(
        limit=OuterRef("pk"),
        kind=ChangeKind.WITHDRAWN,
        effective_from__lte=day,
        id__gt=OuterRef("approval_id"),
    ).order_by("effective_from")
    return (
        qs.annotate(withdrawn_on=Subquery(withdrawal.values("effective_from")[:1]))
        .filter(withdrawn_on__isnull=False, amount=0)
        .values_list("policy_id", "debtor_id", "withdrawn_on")
    )


def limit_history(limit_id: int, *, made_before: int | None = None) -> list[timeline.Entry]:
    """A limit's history in the order its decisions were made (one query); with
    `made_before`, only the decisions made before that change."""
    rows = LimitChange.objects.filter(limit_id=limit_id)
    if made_before is not None:
        rows = rows.filter(id__lt=made_before)
    rows = rows.order_by("id").values_list(
        "kind", "amount", "effective_from", "limit_kind", "expires_on", "max_terms_days"
    )
    return [timeline.Entry(*row) for row in rows]


def limit_in_force(limit: Limit, day: date) -> timeline.InForce:
    """One limit on `day` (`timeline.limit_on` over its history; one query, two when the
    limit's policy is not loaded yet)."""
    if limit.pk is None:
        return timeline.NO_LIMIT
    policy = limit.policy
    return timeline.limit_on(
        limit_history(limit.pk), day, period=(policy.start_date, policy.end_date)
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


def request_status_history(request: LimitRequest) -> list[dict]:
    """Each status a request has had, oldest first: when, who (None: automatic) and why."""
    rows = request.history.select_related("history_user").order_by("history_date", "history_id")
    out, previous = [], None
    for row in rows:
        if row.status != previous:
            out.append(
                {
                    "status": row.status,
                    "label": RequestStatus(row.status).label,
                    "at": row.history_date,
                    "by": row.history_user,
                    "reason": row.history_change_reason or "",
                }
            )
        previous = row.status
    return out


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


def upcoming_reductions(user, today: date, *, limit: int = 10) -> list[LimitChange]:
    """The insurer's reductions and withdrawals decided but not yet in effect that will still
    lower a limit (`timeline.scheduled_reductions`), soonest first, each with `before`: the
    amount that covers deliveries until its date. Two queries."""
    candidates = LimitChange.objects.filter(
        kind__in=timeline.INSURER_REDUCTIONS, effective_from__gt=today
    )
    if user.role == Role.INSURED:
        candidates = candidates.filter(limit__policy__insured_id=user.company_id)
    changes = (
        LimitChange.objects.filter(limit_id__in=candidates.values("limit_id"))
        .select_related("limit__debtor", "limit__policy")
        .order_by("limit_id", "id")
    )
    by_limit: dict[int, list[LimitChange]] = {}
    for change in changes:
        by_limit.setdefault(change.limit_id, []).append(change)
    out = []
    for rows in by_limit.values():
        policy = rows[0].limit.policy
        history = [entry_of(row) for row in rows]
        period = (policy.start_date, policy.end_date)
        for index, before in timeline.scheduled_reductions(history, today, period=period):
            rows[index].before = before
            out.append(rows[index])
    out.sort(key=lambda change: (change.effective_from, change.pk))
    return out[:limit]


def limit_changes_read(limit: Limit, today: date) -> tuple[list[LimitChange], list]:
    """A limit's changes as people read them (one query): newest first, each insurer reduction
    still ahead marked `moot` when a later decision means it will never apply; and the
    reductions that will still lower the limit, soonest first, each with the amount that keeps
    covering deliveries before its date (`timeline.scheduled_reductions`)."""
    made = list(limit.changes.select_related("recorded_by", "request").order_by("id"))
    policy = limit.policy
    pending = timeline.scheduled_reductions(
        [entry_of(change) for change in made], today, period=(policy.start_date, policy.end_date)
    )
    upcoming = [(made[index], before) for index, before in pending]
    applying = {change.pk for change, _before in upcoming}
    for change in made:
        change.moot = change.effective_from > today and change.pk not in applying
    newest_first = sorted(made, key=lambda c: (c.effective_from, c.pk), reverse=True)
    return newest_first, upcoming


def entry_of(change: LimitChange) -> timeline.Entry:
    return timeline.Entry(
        change.kind,
        change.amount,
        change.effective_from,
        change.limit_kind,
        change.expires_on,
        change.max_terms_days,
    )
