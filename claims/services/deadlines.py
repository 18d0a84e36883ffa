"""The claim deadlines job (DOMAIN.md, "Deadlines the system enforces", step 4): after an
overdue notification, tell the insured

- once, on the first run after the notification, that the waiting period runs and from when
  a claim may be filed (`claim_waiting`);
- once, the day the waiting period ends (or the first run after it), that a claim may now be
  filed (`claim_may_file`);
- 14 and 7 days before the claim filing deadline, and on the day (`filing_warn_14`,
  `filing_warn_7`, `filing_today`). After an insolvency the deadline counts from the
  insolvency (exposure.timeline.claim_filing_deadline); a new deadline warns again.

Only open notifications with something still unpaid on their notified invoices and no open or
paid claim are told. The notices go into exposure's ledger (DeadlineNotice) under a key, so a
second run, the same hour or on a second worker, finds the key and sends nothing. The dates are
computed in SQL from the policy's terms (the twin of exposure.timeline); runs take their own
advisory lock so two workers never interleave."""

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Sum, When

from core.jobs import run_recorded
from core.models import JobRun
from core.notify import notify_users
from core.sql import AddDays
from exposure.models import DeadlineNotice, NoticeKind, OverdueNotification
from exposure.services.stop_delivery import one_at_a_time

from ..models import OPEN_STATUSES, Claim, ClaimStatus

CLAIM_DEADLINES_LOCK = 7_300_003  # exposure's deadlines hold 7_300_002
WARNINGS = (
    (14, NoticeKind.FILING_WARN_14),
    (7, NoticeKind.FILING_WARN_7),
    (0, NoticeKind.FILING_TODAY),
)
NUMBERS_SHOWN = 20  # invoice numbers named in one message
# A claim in these ends the warnings: it was filed and is being dealt with, or paid.
CLAIMED = [*(s.value for s in OPEN_STATUSES), ClaimStatus.PAID.value]
NOTIFIED_INVOICE = OverdueNotification.invoices.through


def with_claim_dates(qs: QuerySet[OverdueNotification]) -> QuerySet[OverdueNotification]:
    """Annotate `waiting_end` and `filing_deadline` (exposure.timeline's waiting_period_end
    and claim_filing_deadline, in SQL over the policy's terms and the debtor's insolvency)."""
    return qs.annotate(
        waiting_end=AddDays(F("notified_on"), F("policy__waiting_period_days"))
    ).annotate(
        filing_deadline=Case(
            When(
                debtor__insolvent_since__isnull=False,
                then=AddDays(
                    F("debtor__insolvent_since"), F("policy__claim_filing_insolvency_days")
                ),
            ),
            default=AddDays(F("waiting_end"), F("policy__claim_filing_days")),
        )
    )


def claimable(today: date) -> QuerySet[OverdueNotification]:
    """Open notifications with something unpaid on their notified invoices and no open or
    paid claim on them, with their claim dates, unpaid total and the filing window still
    open today."""
    unpaid = NOTIFIED_INVOICE.objects.filter(
        overduenotification_id=OuterRef("pk"), invoice__open_amount__gt=0
    )
    claimed = Claim.objects.filter(notification=OuterRef("pk"), status__in=CLAIMED)
    return (
        with_claim_dates(OverdueNotification.objects.filter(closed_on__isnull=True))
        .filter(Exists(unpaid), ~Exists(claimed), notified_on__lte=today)
        .filter(filing_deadline__gte=today)
    )


def _rows(qs: QuerySet[OverdueNotification]) -> list[dict]:
    """Each notification's figures and its unpaid notified invoices (two statements)."""
    rows = list(
        qs.values(
            "pk", "policy_id", "debtor_id", "notified_on", "waiting_end", "filing_deadline"
        ).order_by("pk")
    )
    if not rows:
        return []
    ids = [r["pk"] for r in rows]
    open_invoices = NOTIFIED_INVOICE.objects.filter(
        overduenotification_id__in=ids, invoice__open_amount__gt=0
    )
    totals = dict(
        open_invoices.values("overduenotification_id")
        .annotate(total=Sum("invoice__open_amount"))
        .values_list("overduenotification_id", "total")
        .order_by()
    )
    numbers: dict[int, list[str]] = defaultdict(list)
    for notice_id, number in open_invoices.order_by(
        "overduenotification_id", "invoice__original_due_date", "invoice__number"
    ).values_list("overduenotification_id", "invoice__number"):
        if len(numbers[notice_id]) < NUMBERS_SHOWN:
            numbers[notice_id].append(number)
    for r in rows:
        r["total"], r["numbers"] = totals[r["pk"]], numbers[r["pk"]]
    return rows


def _notice(kind: str, key: str, row: dict, due_on: date, today: date) -> DeadlineNotice:
    return DeadlineNotice(
        key=key,
        kind=kind,
        policy_id=row["policy_id"],
        debtor_id=row["debtor_id"],
        due_on=due_on,
        sent_on=today,
        amount=row["total"],
        invoices=row["numbers"],
    )


def _send(pending: list[tuple[DeadlineNotice, dict]], template: str, run: JobRun | None) -> int:
    """Write the notices not yet in the ledger and tell the insured users of each policy,
    linking the collections case."""
    if not pending:
        return 0
    known = set(
        DeadlineNotice.objects.filter(key__in=[n.key for n, _ in pending]).values_list(
            "key", flat=True
        )
    )
    fresh = [(n, row) for n, row in pending if n.key not in known]
    for n, _ in fresh:
        n.run = run
    DeadlineNotice.objects.bulk_create([n for n, _ in fresh])
    notices = OverdueNotification.objects.select_related(
        "policy", "policy__insured", "debtor"
    ).in_bulk({row["pk"] for _, row in fresh})
    for n, row in fresh:
        case = notices[row["pk"]]
        notify_users(
            case.policy.insured.users.filter(is_active=True),
            template=template,
            context={
                "notice": n,
                "case": case,
                "policy": case.policy,
                "debtor": case.debtor,
                "waiting_end": row["waiting_end"],
                "filing_deadline": row["filing_deadline"],
            },
            url=f"/claims/collections/{case.pk}/",
        )
    return len(fresh)


def waiting_notices(today: date, run: JobRun | None = None) -> dict[str, int]:
    """Once per notification: the waiting period runs (while it does), or has ended."""
    base = claimable(today)
    waiting = [
        (
            _notice(
                NoticeKind.CLAIM_WAITING,
                f"{NoticeKind.CLAIM_WAITING}:{r['pk']}",
                r,
                r["waiting_end"],
                today,
            ),
            r,
        )
        for r in _rows(base.filter(waiting_end__gt=today))
    ]
    ended = [
        (
            _notice(
                NoticeKind.CLAIM_MAY_FILE,
                f"{NoticeKind.CLAIM_MAY_FILE}:{r['pk']}",
                r,
                r["waiting_end"],
                today,
            ),
            r,
        )
        for r in _rows(base.filter(waiting_end__lte=today))
    ]
    return {
        "waiting_told": _send(waiting, "claim_may_file", run),
        "may_file_told": _send(ended, "claim_may_file", run),
    }


def filing_warnings(today: date, run: JobRun | None = None) -> dict[str, int]:
    """14 and 7 days before the claim filing deadline, and on the day."""
    days = {today + timedelta(days=n): kind for n, kind in WARNINGS}
    pending = []
    for r in _rows(claimable(today).filter(filing_deadline__in=list(days))):
        kind = days[r["filing_deadline"]]
        key = f"{kind}:{r['pk']}:{r['filing_deadline'].isoformat()}"
        pending.append((_notice(kind, key, r, r["filing_deadline"], today), r))
    return {"filing_warnings": _send(pending, "claim_deadline", run)}


def claim_deadlines_run(*, today: date, run: JobRun | None = None) -> dict:
    """Step 4 in one transaction, one run at a time."""
    with transaction.atomic():
        one_at_a_time(CLAIM_DEADLINES_LOCK)
        summary = {}
        summary.update(waiting_notices(today, run))
        summary.update(filing_warnings(today, run))
    return summary


def claim_deadlines_run_recorded(*, today: date) -> dict:
    return run_recorded(
        "claim_deadlines", lambda run: claim_deadlines_run(today=today, run=run), pass_run=True
    )
