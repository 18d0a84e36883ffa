"""DOMAIN.md's exposure rules in plain Python, one invoice at a time: the reference the SQL
of exposure.selectors is held to on random data."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from exposure import timeline
from limits.timeline import Entry, limit_on

ZERO = Decimal("0.00")


@dataclass
class Inv:
    id: int
    debtor: int
    country: str
    delivery: date
    invoice_date: date
    original_due: date
    due: date
    open: Decimal
    consented_due: date | None = None
    disputed: bool = False

    @property
    def terms_days(self) -> int:
        return (self.original_due - self.invoice_date).days


@dataclass
class Stop:
    debtor: int
    started: date
    lifted: date | None


@dataclass
class Notice:
    debtor: int
    notified: date
    closed: date | None


@dataclass
class World:
    terms: timeline.Terms
    max_credit_days: int
    countries: set[str]
    period: tuple[date, date]
    limits: dict[int, list[Entry]]
    invoices: list[Inv]
    stops: list[Stop] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def reason_of(world: World, inv: Inv, today: date) -> str | None:
    limit = limit_on(world.limits.get(inv.debtor, []), inv.delivery, period=world.period)
    deadline = timeline.notification_deadline(inv.original_due, inv.consented_due, world.terms)
    if inv.country not in world.countries:
        return "country_not_covered"
    if inv.terms_days > world.max_credit_days or (
        limit.max_terms_days is not None and inv.terms_days > limit.max_terms_days
    ):
        return "terms_too_long"
    if inv.disputed:
        return "disputed"
    in_time = any(
        n.debtor == inv.debtor
        and n.notified <= deadline
        and (n.closed is None or n.closed >= inv.delivery)
        for n in world.notices
    )
    if not in_time and deadline < today:
        return "notified_late"
    if any(
        s.debtor == inv.debtor
        and s.started <= inv.delivery
        and (s.lifted is None or s.lifted > inv.delivery)
        for s in world.stops
    ):
        return "stop_delivery"
    if limit.amount <= 0:
        return "no_limit"
    return None


def bucket_of(inv: Inv, today: date) -> str:
    if inv.due >= today:
        return "not_due"
    late = (today - inv.due).days
    if late <= 30:
        return "days_1_30"
    if late <= 60:
        return "days_31_60"
    if late <= 90:
        return "days_61_90"
    return "days_over_90"


def exposure(world: World, today: date) -> dict[int, dict]:
    """Per debtor: unpaid, covered, uncovered by reason (above_limit among them), ageing."""
    out: dict[int, dict] = {}
    unpaid = sorted((i for i in world.invoices if i.open > 0), key=lambda i: (i.delivery, i.id))
    used: dict[int, Decimal] = {}
    for inv in unpaid:
        e = out.setdefault(
            inv.debtor,
            {"unpaid": ZERO, "covered": ZERO, "uncovered": {}, "ageing": {}, "invoices": 0},
        )
        e["unpaid"] += inv.open
        e["invoices"] += 1
        bucket = bucket_of(inv, today)
        e["ageing"][bucket] = e["ageing"].get(bucket, ZERO) + inv.open
        reason = reason_of(world, inv, today)
        if reason is not None:
            e["uncovered"][reason] = e["uncovered"].get(reason, ZERO) + inv.open
            continue
        limit = limit_on(world.limits.get(inv.debtor, []), inv.delivery, period=world.period)
        before = used.get(inv.debtor, ZERO)
        covered = min(inv.open, max(ZERO, limit.amount - before))
        used[inv.debtor] = before + inv.open
        e["covered"] += covered
        if inv.open - covered:
            e["uncovered"]["above_limit"] = e["uncovered"].get("above_limit", ZERO) + (
                inv.open - covered
            )
    return out


def day_after(d: date, n: int) -> date:
    return d + timedelta(days=n)
