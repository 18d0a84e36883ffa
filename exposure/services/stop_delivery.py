"""The stop-delivery state of each policy and debtor (DOMAIN.md, the stop-delivery rule):
from the first day any of these holds, deliveries on credit to the debtor are not covered,
until none holds any more (everything overdue paid, a new limit):

- the oldest unpaid invoice (not disputed) is past the maximum extension period;
- the debtor was notified overdue and something is still overdue;
- the debtor is insolvent;
- the insurer withdrew the limit.

`stop_delivery_refresh` compares what the rule says today with the stored state, set-based
(one aggregate query per trigger, over every policy and debtor or one pair), starts and
lifts stops, and returns what it changed; the daily job and the services that change a
trigger (a notification, a payment) call it."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Min, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from limits.models import Limit
from limits.selectors import withdrawn_limits
from policies.models import PolicyStatus

from ..models import Invoice, OverdueNotification, StopDelivery, StopReason
from ..selectors import with_deadlines

Pair = tuple[int, int]


@dataclass(frozen=True)
class Trigger:
    since: date
    reason: str


def _scope(qs, policy_id, debtor_id, prefix=""):
    if policy_id is not None:
        qs = qs.filter(**{f"{prefix}policy_id": policy_id})
    if debtor_id is not None:
        qs = qs.filter(**{f"{prefix}debtor_id": debtor_id})
    return qs


def stop_triggers(
    *, today: date, policy_id: int | None = None, debtor_id: int | None = None
) -> dict[Pair, Trigger]:
    """Per (policy, debtor) of an issued policy: the first day the rule fired and why."""
    found: dict[Pair, list[Trigger]] = {}

    def add(pair: Pair, since: date, reason: str) -> None:
        found.setdefault(pair, []).append(Trigger(since, reason))

    unpaid = _scope(
        Invoice.objects.filter(
            open_amount__gt=0, disputed_since__isnull=True, policy__status=PolicyStatus.ISSUED
        ),
        policy_id,
        debtor_id,
    )
    past = (
        with_deadlines(unpaid)
        .filter(stop_delivery_from__lte=today)
        .values("policy_id", "debtor_id")
        .annotate(since=Min("stop_delivery_from"))
        .order_by()
    )
    for row in past:
        add((row["policy_id"], row["debtor_id"]), row["since"], StopReason.PAST_EXTENSION)
    overdue = set(unpaid.filter(due_date__lt=today).values_list("policy_id", "debtor_id"))
    notified = _scope(
        OverdueNotification.objects.filter(closed_on__isnull=True, notified_on__lte=today),
        policy_id,
        debtor_id,
    ).values_list("policy_id", "debtor_id", "notified_on")
    for p, d, day in notified:
        if (p, d) in overdue:
            add((p, d), day, StopReason.NOTIFIED)
    insolvent = Q(debtor__insolvent_since__lte=today, policy__status=PolicyStatus.ISSUED)
    for qs in (unpaid, _scope(Limit.objects.all(), policy_id, debtor_id)):
        for p, d, day in qs.filter(insolvent).values_list(
            "policy_id", "debtor_id", "debtor__insolvent_since"
        ):
            add((p, d), day, StopReason.INSOLVENT)
    limits = _scope(Limit.objects.filter(policy__status=PolicyStatus.ISSUED), policy_id, debtor_id)
    for p, d, day in withdrawn_limits(today, limits):
        add((p, d), day, StopReason.LIMIT_WITHDRAWN)
    return {pair: min(ts, key=lambda t: t.since) for pair, ts in found.items()}


LIFT_REASON = "everything_overdue_paid"
STOP_LOCK = 7_300_001  # the advisory lock key of stop-delivery refreshes


def one_at_a_time(key: int) -> None:
    """Hold the transaction-level advisory lock `key` until the transaction ends (PostgreSQL;
    SQLite writes one transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def stop_delivery_refresh(
    *, today: date, actor=None, policy_id: int | None = None, debtor_id: int | None = None
) -> tuple[list[StopDelivery], list[StopDelivery]]:
    """Start the stops the rule calls for and lift those it no longer does; (started,
    lifted). Runs inside the caller's transaction, one refresh at a time (the daily job's
    and a payment's for one debtor may otherwise start the same stop twice)."""
    one_at_a_time(STOP_LOCK)
    triggers = stop_triggers(today=today, policy_id=policy_id, debtor_id=debtor_id)
    open_stops = {
        (s.policy_id, s.debtor_id): s
        for s in _scope(
            StopDelivery.objects.select_for_update().filter(lifted_on__isnull=True),
            policy_id,
            debtor_id,
        )
    }
    started = [
        StopDelivery(
            policy_id=p,
            debtor_id=d,
            reason=t.reason,
            started_on=t.since,
            recorded_by=actor,
        )
        for (p, d), t in triggers.items()
        if (p, d) not in open_stops
    ]
    if started:
        bulk_create_with_history(
            started, StopDelivery, default_user=actor, default_change_reason=_("Stop delivery")
        )
    lifted = [s for pair, s in open_stops.items() if pair not in triggers]
    for stop in lifted:
        stop.lifted_on = max(today, stop.started_on)
        stop.lift_reason = LIFT_REASON
    if lifted:
        bulk_update_with_history(
            lifted,
            StopDelivery,
            ["lifted_on", "lift_reason"],
            default_user=actor,
            default_change_reason=_("Stop delivery lifted: nothing is overdue any more"),
        )
    return started, lifted


def open_stop(policy_id: int, debtor_id: int) -> StopDelivery | None:
    return StopDelivery.objects.filter(
        policy_id=policy_id, debtor_id=debtor_id, lifted_on__isnull=True
    ).first()
