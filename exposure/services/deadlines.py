"""The deadline jobs (DOMAIN.md, "Deadlines the system enforces", steps 1 to 3):

1. warn the insured 14 and 7 days before a debtor's overdue notification deadline, and on
   the day, naming the invoices and what to do;
2. when the deadline has passed unnotified, say so and what cover it costs;
3. start and lift stop delivery (exposure.services.stop_delivery) and tell the insured.

Every notice goes through the ledger (DeadlineNotice) under a key: a second run, the same day
or on a second worker, finds the key and sends nothing. The queries are set-based (grouped
per policy, debtor and deadline); runs take an advisory lock so two workers never interleave.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum

from core.jobs import run_recorded
from core.models import JobRun
from core.notify import notify_users
from debtors.models import Debtor
from policies.models import Policy, PolicyStatus

from ..models import DeadlineNotice, Invoice, NoticeKind, OverdueNotification, StopDelivery
from ..selectors import with_deadlines
from .stop_delivery import STOP_LOCK, one_at_a_time, stop_delivery_refresh

ZERO = Decimal("0.00")
WARNINGS = ((14, NoticeKind.WARN_14), (7, NoticeKind.WARN_7), (0, NoticeKind.DEADLINE_TODAY))
NUMBERS_SHOWN = 20  # invoice numbers named in one message
RECENT_DAYS = 30  # stops started or lifted this recently and not yet told of are told


def _open_unnotified(today: date):
    """Unpaid, undisputed invoices of issued policies whose debtor has no open notification
    made by their deadline."""
    in_time = OverdueNotification.objects.filter(
        policy=OuterRef("policy_id"),
        debtor=OuterRef("debtor_id"),
        notified_on__lte=OuterRef("notification_deadline"),
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef("delivery_date")))
    return with_deadlines(
        Invoice.objects.filter(
            open_amount__gt=0, disputed_since__isnull=True, policy__status=PolicyStatus.ISSUED
        )
    ).filter(~Exists(in_time))


def _grouped(qs) -> list[dict]:
    """Per policy, debtor and deadline: the total and the first invoice numbers."""
    groups = list(
        qs.values("policy_id", "debtor_id", "notification_deadline")
        .annotate(total=Sum("open_amount"))
        .order_by("policy_id", "debtor_id", "notification_deadline")
    )
    if not groups:
        return []
    numbers: dict[tuple, list[str]] = defaultdict(list)
    for p, d, day, number in qs.order_by("original_due_date", "number").values_list(
        "policy_id", "debtor_id", "notification_deadline", "number"
    )[: NUMBERS_SHOWN * len(groups)]:
        numbers[(p, d, day)].append(number)
    for g in groups:
        g["numbers"] = numbers[(g["policy_id"], g["debtor_id"], g["notification_deadline"])][
            :NUMBERS_SHOWN
        ]
    return groups


def _send(
    notices: list[DeadlineNotice], template: str, run: JobRun | None, extra: dict | None = None
) -> int:
    """Write the notices not yet in the ledger and tell the insured users of each policy."""
    if not notices:
        return 0
    known = set(
        DeadlineNotice.objects.filter(key__in=[n.key for n in notices]).values_list(
            "key", flat=True
        )
    )
    fresh = [n for n in notices if n.key not in known]
    for n in fresh:
        n.run = run
    DeadlineNotice.objects.bulk_create(fresh)
    policies = Policy.objects.select_related("insured").in_bulk({n.policy_id for n in fresh})
    debtors = Debtor.objects.in_bulk({n.debtor_id for n in fresh})
    for n in fresh:
        policy = policies[n.policy_id]
        notify_users(
            policy.insured.users.filter(is_active=True),
            template=template,
            context={
                "notice": n,
                "policy": policy,
                "debtor": debtors[n.debtor_id],
                **(extra or {}).get(n.key, {}),
            },
            url=f"/exposure/invoices/?policy={policy.pk}&debtor={n.debtor_id}",
        )
    return len(fresh)


def deadline_warnings(today: date, run: JobRun | None = None) -> dict[str, int]:
    """Step 1: 14 and 7 days before the notification deadline, and on the day."""
    days = {today + timedelta(days=n): kind for n, kind in WARNINGS}
    groups = _grouped(_open_unnotified(today).filter(notification_deadline__in=list(days)))
    notices = [
        DeadlineNotice(
            key=f"{days[g['notification_deadline']]}:{g['policy_id']}:{g['debtor_id']}:"
            f"{g['notification_deadline'].isoformat()}",
            kind=days[g["notification_deadline"]],
            policy_id=g["policy_id"],
            debtor_id=g["debtor_id"],
            due_on=g["notification_deadline"],
            sent_on=today,
            amount=g["total"],
            invoices=g["numbers"],
        )
        for g in groups
    ]
    return {"warnings": _send(notices, "deadline_warning", run)}


def late_marks(today: date, run: JobRun | None = None) -> dict[str, int]:
    """Step 2: the deadline passed and the debtor was not notified: the cover it costs."""
    groups = _grouped(_open_unnotified(today).filter(notification_deadline__lt=today))
    notices = [
        DeadlineNotice(
            key=f"{NoticeKind.NOTIFIED_LATE}:{g['policy_id']}:{g['debtor_id']}:"
            f"{g['notification_deadline'].isoformat()}",
            kind=NoticeKind.NOTIFIED_LATE,
            policy_id=g["policy_id"],
            debtor_id=g["debtor_id"],
            due_on=g["notification_deadline"],
            sent_on=today,
            amount=g["total"],
            invoices=g["numbers"],
        )
        for g in groups
    ]
    return {"late_marks": _send(notices, "deadline_passed", run)}


def stop_notices_send(today: date, run: JobRun | None = None) -> dict[str, int]:
    """Step 3's messages: every stop started or lifted that the insured was not yet told of."""
    one_at_a_time(STOP_LOCK)
    sent = {}
    for kind, lifted, template in (
        (NoticeKind.STOP_DELIVERY, False, "stop_delivery"),
        (NoticeKind.STOP_LIFTED, True, "stop_lifted"),
    ):
        recent = today - timedelta(days=RECENT_DAYS)
        if lifted:
            stops = StopDelivery.objects.filter(lifted_on__gte=recent)
        else:
            stops = StopDelivery.objects.filter(
                Q(lifted_on__isnull=True) | Q(recorded_at__date__gte=recent)
            )
        notices = [
            DeadlineNotice(
                key=f"{kind}:{s.pk}",
                kind=kind,
                policy_id=s.policy_id,
                debtor_id=s.debtor_id,
                due_on=s.lifted_on if lifted else s.started_on,
                sent_on=today,
            )
            for s in stops
        ]
        extra = {f"{kind}:{s.pk}": {"stop": s} for s in stops}
        sent[kind] = _send(notices, template, run, extra)
    return {
        "stops_told": sent[NoticeKind.STOP_DELIVERY],
        "lifts_told": sent[NoticeKind.STOP_LIFTED],
    }


DEADLINES_LOCK = 7_300_002


def deadlines_run(*, today: date, run: JobRun | None = None) -> dict:
    """Steps 1 to 3 in one transaction, one run at a time."""
    with transaction.atomic():
        one_at_a_time(DEADLINES_LOCK)
        summary = {}
        summary.update(deadline_warnings(today, run))
        summary.update(late_marks(today, run))
        started, lifted = stop_delivery_refresh(today=today)
        summary.update(stops_started=len(started), stops_lifted=len(lifted))
        summary.update(stop_notices_send(today, run))
    return summary


def deadlines_run_recorded(*, today: date) -> dict:
    return run_recorded(
        "exposure_deadlines", lambda run: deadlines_run(today=today, run=run), pass_run=True
    )
