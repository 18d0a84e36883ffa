"""Reading invoices and exposure. Exposure is computed in SQL, set-based (DOMAIN.md,
"Exposure"): each unpaid invoice is covered, or uncovered for the first reason that applies,
and the covered part of the qualifying invoices of one policy and debtor is what fits within
the limit in force on each invoice's delivery date, oldest delivery first. A plain-Python
reference of the same rules holds this to them on random data (tests/exposure)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.money import money_from_db
from core.sql import AddDays, JsonListHas
from debtors.models import Debtor
from limits.models import Limit
from limits.selectors import limit_steps_sql
from policies.models import Policy

from . import timeline
from .models import (
    CoverCheck,
    CreditNote,
    ExtensionRequest,
    Invoice,
    OverdueNotification,
    Payment,
    StopDelivery,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=28, decimal_places=2)

# Why an unpaid invoice is not covered, in the order they are tried: the first that applies
# is the invoice's reason. ABOVE_LIMIT is the part of a qualifying invoice beyond the limit.
REASONS = {
    "country_not_covered": _("Debtor's country not covered"),
    "terms_too_long": _("Payment terms too long"),
    "disputed": _("Disputed"),
    "notified_late": _("Notified late"),
    "stop_delivery": _("Delivered on stop delivery"),
    "no_limit": _("No limit at delivery"),
    "above_limit": _("Above the limit"),
}
BUCKETS = {
    "not_due": _("Not due"),
    "days_1_30": _("1–30 days"),
    "days_31_60": _("31–60 days"),
    "days_61_90": _("61–90 days"),
    "days_over_90": _("Over 90 days"),
}


def _company_only(qs: QuerySet, user, policy_path: str = "policy") -> QuerySet:
    """`qs` as `user` may see it: an insured its own company's rows, staff every one."""
    if user.role == Role.INSURED:
        return qs.filter(**{f"{policy_path}__insured_id": user.company_id})
    return qs


def invoices_for(user) -> QuerySet[Invoice]:
    return _company_only(Invoice.objects.select_related("policy", "debtor"), user)


def payments_for(user) -> QuerySet[Payment]:
    return _company_only(Payment.objects.all(), user)


def credit_notes_for(user) -> QuerySet[CreditNote]:
    return _company_only(CreditNote.objects.all(), user, "invoice__policy")


def extension_requests_for(user) -> QuerySet[ExtensionRequest]:
    return _company_only(ExtensionRequest.objects.all(), user, "invoice__policy")


def cover_checks_for(user) -> QuerySet[CoverCheck]:
    qs = CoverCheck.objects.select_related("policy", "policy__insured", "debtor", "asked_by")
    return _company_only(qs, user)


def notifications_for(user) -> QuerySet[OverdueNotification]:
    qs = OverdueNotification.objects.select_related("policy", "policy__insured", "debtor")
    return _company_only(qs, user)


def _extension_end():
    return Greatest(
        AddDays(F("original_due_date"), F("policy__max_extension_days")),
        Coalesce(F("consented_due_date"), F("original_due_date")),
    )


def with_deadlines(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate `extension_end`, `stop_delivery_from` and `notification_deadline` (the SQL twin
    of exposure.timeline)."""
    return qs.annotate(extension_end=_extension_end()).annotate(
        stop_delivery_from=AddDays(F("extension_end"), Value(1)),
        notification_deadline=AddDays(F("extension_end"), F("policy__notification_deadline_days")),
    )


def _base(qs: QuerySet[Invoice]) -> QuerySet:
    """Each unpaid invoice's own figures and what the rules read about it, as plain columns:
    its limit on the delivery date (limits' expressions), stop delivery on that date, a
    notification in time, the debtor's country covered, its notification deadline."""
    same = {"policy": OuterRef("policy_id"), "debtor": OuterRef("debtor_id")}
    stopped = StopDelivery.objects.filter(**same, started_on__lte=OuterRef("delivery_date")).filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=OuterRef("delivery_date"))
    )
    in_time = OverdueNotification.objects.filter(
        **same, notified_on__lte=OuterRef("notification_deadline")
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef("delivery_date")))
    return (
        with_deadlines(qs.filter(open_amount__gt=0))
        .annotate(
            stopped=Exists(stopped),
            notified_in_time=Exists(in_time),
            country_covered=JsonListHas(F("policy__covered_countries"), F("debtor__country")),
            disputed=Case(
                When(disputed_since__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            max_credit_days=F("policy__max_credit_period_days"),
        )
        .order_by()
        .values(
            "id",
            "policy_id",
            "debtor_id",
            "number",
            "net_amount",
            "vat_amount",
            "delivery_date",
            "due_date",
            "open_amount",
            "terms_days",
            "notification_deadline",
            "stopped",
            "notified_in_time",
            "country_covered",
            "disputed",
            "max_credit_days",
        )
    )


def _cover_sql(qs: QuerySet[Invoice], today: date) -> tuple[str, list]:
    """The statement giving each unpaid invoice of `qs` its `reason` (the first rule it
    fails, NULL when it qualifies), `qualifying` and `covered` amounts, beside the columns of
    `_base`. Plain SQL over named columns, the same on PostgreSQL and SQLite."""
    sql, params = _base(qs).query.sql_with_params()
    # The limit on each delivery date: the invoice's row joined to the step of its limit
    # that holds the date (limits' own steps, read at a few points per limit).
    limits = Limit.objects.filter(
        Exists(qs.filter(policy_id=OuterRef("policy_id"), debtor_id=OuterRef("debtor_id")))
    )
    steps, step_params = limit_steps_sql(limits)
    sql = (
        "SELECT b.*, COALESCE(st.step_amount, 0) AS limit_amount, "
        "st.step_terms AS limit_max_terms_days "
        f"FROM ({sql}) AS b LEFT JOIN ({steps}) AS st ON st.lp = b.policy_id "
        "AND st.ld = b.debtor_id AND st.point <= b.delivery_date "
        "AND (st.until IS NULL OR b.delivery_date < st.until)"
    )
    params = [*params, *step_params]
    reasons = (
        "CASE WHEN NOT country_covered THEN 'country_not_covered' "
        "WHEN terms_days > max_credit_days OR (limit_max_terms_days IS NOT NULL "
        "AND terms_days > limit_max_terms_days) THEN 'terms_too_long' "
        "WHEN disputed THEN 'disputed' "
        "WHEN NOT notified_in_time AND notification_deadline < %s THEN 'notified_late' "
        "WHEN stopped THEN 'stop_delivery' "
        "WHEN limit_amount <= 0 THEN 'no_limit' END"
    )
    left = "(limit_amount - COALESCE(used_before, 0))"
    # Each stage is materialized: flattened, the subqueries of `_base` would be evaluated
    # again wherever a later stage reads their column (seconds for 50 000 invoices).
    statement = (
        f"WITH base AS MATERIALIZED ({sql}), "
        f"reasoned AS MATERIALIZED (SELECT base.*, {reasons} AS reason FROM base) "
        f"SELECT used.*, CASE WHEN reason IS NOT NULL OR {left} <= 0 THEN 0 "
        f"WHEN {left} >= open_amount THEN open_amount ELSE {left} END AS covered "
        "FROM (SELECT reasoned.*, "
        "CASE WHEN reason IS NULL THEN open_amount ELSE 0 END AS qualifying, "
        # a running sum up to this row, less this row: what earlier deliveries use
        "SUM(CASE WHEN reason IS NULL THEN open_amount ELSE 0 END) OVER ("
        "PARTITION BY policy_id, debtor_id ORDER BY delivery_date, id "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        "- CASE WHEN reason IS NULL THEN open_amount ELSE 0 END AS used_before "
        "FROM reasoned) AS used"
    )
    return statement, [*params, _day(today)]


def _day(day: date):
    return day.isoformat() if connection.vendor == "sqlite" else day


@dataclass(frozen=True)
class InvoiceCover:
    """How much of one unpaid invoice is covered, and why the rest is not."""

    reason: str | None
    covered: Decimal
    uncovered: Decimal
    limit_amount: Decimal
    notification_deadline: date

    @property
    def reason_label(self) -> str:
        if self.reason is None:
            return str(REASONS["above_limit"]) if self.uncovered else ""
        return str(REASONS[self.reason])


def cover_rows(qs: QuerySet[Invoice], columns: tuple[str, ...], *, today: date) -> list[tuple]:
    """`columns` of each unpaid invoice of `qs` as the cover rule reads it (its own columns,
    `reason`, `limit_amount`, `covered`), in one statement; give every invoice of its
    policy and debtor, as for `invoice_cover`."""
    sql, params = _cover_sql(qs, today)
    statement = f"SELECT {', '.join(columns)} FROM ({sql}) AS cover"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def invoice_cover(qs: QuerySet[Invoice], *, today: date) -> dict[int, InvoiceCover]:
    """Per unpaid invoice of `qs` (give every invoice of its policy and debtor: the limit is
    shared among them, oldest delivery first), in one statement."""
    columns = ("id", "reason", "covered", "open_amount", "limit_amount", "notification_deadline")
    rows = cover_rows(qs, columns, today=today)
    out = {}
    for pk, reason, covered, open_amount, limit_amount, deadline in rows:
        covered, open_amount = money_from_db(covered), money_from_db(open_amount)
        if isinstance(deadline, str):
            deadline = date.fromisoformat(deadline)
        out[pk] = InvoiceCover(
            reason, covered, open_amount - covered, money_from_db(limit_amount), deadline
        )
    return out


@dataclass
class Exposure:
    """The unpaid amount of a debtor (or a policy, or both) and how much of it is covered."""

    unpaid: Decimal = ZERO
    covered: Decimal = ZERO
    uncovered: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(REASONS, ZERO))
    ageing: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    invoices: int = 0

    @property
    def uncovered_total(self) -> Decimal:
        return sum(self.uncovered.values(), ZERO)


def exposure_by_debtor(qs: QuerySet[Invoice], *, today: date) -> dict[tuple[int, int], Exposure]:
    """Exposure per (policy id, debtor id) of the unpaid invoices of `qs`, in one statement."""
    sql, params = _cover_sql(qs, today)
    qn = connection.ops.quote_name
    t = (today, today - timedelta(days=30), today - timedelta(days=60), today - timedelta(days=90))
    reason_sums = ", ".join(
        f"SUM(CASE WHEN reason = %s THEN open_amount ELSE 0 END) AS {qn(r)}"
        for r in REASONS
        if r != "above_limit"
    )
    reason_params = [r for r in REASONS if r != "above_limit"]
    statement = (
        "SELECT policy_id, debtor_id, COUNT(*), SUM(open_amount), SUM(covered), "
        "SUM(qualifying) - SUM(covered), "
        f"{reason_sums}, "
        "SUM(CASE WHEN due_date >= %s THEN open_amount ELSE 0 END), "
        "SUM(CASE WHEN due_date < %s AND due_date >= %s THEN open_amount ELSE 0 END), "
        "SUM(CASE WHEN due_date < %s AND due_date >= %s THEN open_amount ELSE 0 END), "
        "SUM(CASE WHEN due_date < %s AND due_date >= %s THEN open_amount ELSE 0 END), "
        "SUM(CASE WHEN due_date < %s THEN open_amount ELSE 0 END) "
        f"FROM ({sql}) AS cover GROUP BY policy_id, debtor_id"
    )
    bucket_params = [_day(d) for d in (t[0], t[0], t[1], t[1], t[2], t[2], t[3], t[3])]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*reason_params, *bucket_params, *params])
        rows = cursor.fetchall()
    out = {}
    named = [r for r in REASONS if r != "above_limit"]
    for row in rows:
        policy_id, debtor_id, count, unpaid, covered, above, *rest = row
        reasons, buckets = rest[: len(named)], rest[len(named) :]
        exposure = Exposure(
            unpaid=money_from_db(unpaid), covered=money_from_db(covered), invoices=count
        )
        exposure.uncovered = {r: money_from_db(v) for r, v in zip(named, reasons, strict=True)}
        exposure.uncovered["above_limit"] = money_from_db(above)
        exposure.ageing = {b: money_from_db(v) for b, v in zip(BUCKETS, buckets, strict=True)}
        out[(policy_id, debtor_id)] = exposure
    return out


def exposure_total(per_debtor: dict[tuple[int, int], Exposure]) -> Exposure:
    total = Exposure()
    for e in per_debtor.values():
        total.unpaid += e.unpaid
        total.covered += e.covered
        total.invoices += e.invoices
        for r, v in e.uncovered.items():
            total.uncovered[r] += v
        for b, v in e.ageing.items():
            total.ageing[b] += v
    return total


def notification_of(invoice: Invoice) -> OverdueNotification | None:
    """The overdue notification that covers the invoice: its debtor's, made on or after its
    delivery and not closed before it."""
    return (
        OverdueNotification.objects.filter(
            policy_id=invoice.policy_id,
            debtor_id=invoice.debtor_id,
            notified_on__gte=invoice.delivery_date,
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=invoice.delivery_date))
        .order_by("notified_on")
        .first()
    )


def invoice_milestones(invoice: Invoice) -> list[timeline.Milestone]:
    """The invoice's timeline (exposure.timeline) with its notification, if any, and the
    debtor's insolvency date for the claim filing deadline."""
    notice = notification_of(invoice)
    return timeline.invoice_timeline(
        original_due=invoice.original_due_date,
        consented_due=invoice.consented_due_date,
        terms=timeline.Terms.of(invoice.policy),
        notified_on=notice.notified_on if notice else None,
        insolvent_on=invoice.debtor.insolvent_since,
    )


def cover_of(invoice: Invoice, *, today: date) -> InvoiceCover | None:
    """How much of one invoice is covered today (None when it is paid): computed over every
    invoice of its policy and debtor, which share the limit."""
    covers = invoice_cover(
        Invoice.objects.filter(policy_id=invoice.policy_id, debtor_id=invoice.debtor_id),
        today=today,
    )
    return covers.get(invoice.pk)


# Overdue notifications: what notifying would record, and the timeline after it ----------

AFTER_NOTIFICATION = ("notification_deadline", "notified", "waiting_period_end")


def notification_milestones(notice: OverdueNotification) -> list[timeline.Milestone]:
    """The notification's deadline, the notification itself, the end of the waiting period and
    the claim filing deadline (exposure.timeline, from the policy's terms), read from the
    notified invoice whose deadline comes first (the notification's `deadline`)."""
    terms = timeline.Terms.of(notice.policy)
    invoices = list(notice.invoices.all())
    if not invoices:
        return []
    first = min(
        invoices,
        key=lambda i: timeline.notification_deadline(
            i.original_due_date, i.consented_due_date, terms
        ),
    )
    milestones = timeline.invoice_timeline(
        original_due=first.original_due_date,
        consented_due=first.consented_due_date,
        terms=terms,
        notified_on=notice.notified_on,
        insolvent_on=notice.debtor.insolvent_since,
    )
    return [m for m in milestones if m.code in (*AFTER_NOTIFICATION, "claim_filing_deadline")]


@dataclass
class OverduePreview:
    """What notifying the debtor under the policy on `day` would record (the figures
    exposure.services.notifications.overdue_notify writes), read ahead."""

    day: date
    policy: Policy | None = None
    debtor: Debtor | None = None
    invoices: list = field(default_factory=list)  # overdue, with `notification_deadline`
    overdue: Decimal = ZERO
    exposure: Decimal = ZERO
    deadline: date | None = None
    lost: Decimal = ZERO
    lost_invoices: list = field(default_factory=list)
    open_notice: OverdueNotification | None = None

    @property
    def not_due(self) -> Decimal:
        return self.exposure - self.overdue

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.day > self.deadline

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.day).days


def overdue_preview(policy: Policy, debtor_id: int, day: date) -> OverduePreview:
    """The overdue invoices, the whole exposure, the deadline and the cover a late notice
    costs, as notifying on `day` would record them; and an open notification, if any."""
    unpaid = Invoice.objects.filter(policy=policy, debtor_id=debtor_id, open_amount__gt=0)
    overdue = list(
        with_deadlines(unpaid.filter(due_date__lt=day)).order_by("original_due_date", "id")
    )
    preview = OverduePreview(day=day, policy=policy, invoices=overdue)
    preview.exposure = unpaid.aggregate(s=Sum("open_amount"))["s"] or ZERO
    preview.overdue = sum((i.open_amount for i in overdue), ZERO)
    if overdue:
        preview.deadline = min(i.notification_deadline for i in overdue)
    preview.lost_invoices = [i for i in overdue if i.notification_deadline < day]
    preview.lost = sum((i.open_amount for i in preview.lost_invoices), ZERO)
    preview.open_notice = OverdueNotification.objects.filter(
        policy=policy, debtor_id=debtor_id, closed_on__isnull=True
    ).first()
    return preview


def overdue_debtors(policies, today: date) -> list[dict]:
    """Per policy and debtor with something unpaid past its due date and no open
    notification: the overdue amount, the number of invoices and the first notification
    deadline, soonest first (one statement)."""
    notified = OverdueNotification.objects.filter(
        policy_id=OuterRef("policy_id"), debtor_id=OuterRef("debtor_id"), closed_on__isnull=True
    )
    rows = (
        with_deadlines(
            Invoice.objects.filter(policy__in=policies, open_amount__gt=0, due_date__lt=today)
        )
        .filter(~Exists(notified))
        .values(
            "policy_id",
            "policy__number",
            "policy__currency",
            "debtor_id",
            "debtor__name",
            "debtor__country",
            "debtor__registration_number",
        )
        .annotate(
            overdue=Sum("open_amount"), count=Count("id"), deadline=Min("notification_deadline")
        )
        .order_by("deadline", "debtor__name")
    )
    return list(rows)
