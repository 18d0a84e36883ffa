"""What the claims app shows on each role's home page (the portal merges the panels).

Claims handlers: the open claims by status and age, the oldest first; the settlements waiting
for a second approval, with who decided; and the recoveries to record: claims paid in the
last 12 months on which nothing has been recovered yet, with the last collection step on the
debt (collections go on after the payment; the handler records what comes in).

The insured: its open claims with what it must do (the documents asked for), and the debtors
it may claim on, with the day a claim may be filed and the filing deadline."""

from datetime import date, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery

from .models import OPEN_STATUSES, Claim, ClaimStatus, CollectionStep, Recovery, StepKind
from .selectors import claims_for
from .selectors.pages import OPEN, claimable

SHOWN = 10
RECOVERY_DAYS = 365  # paid in the last 12 months
# The age bands of open claims on the handler's home page, in days since filing.
AGE_BANDS = ((0, 30), (31, 90), (91, None))


def claims_home_panel(user, today: date) -> dict:
    open_claims = Claim.objects.filter(status__in=OPEN)
    bands = {
        f"band{i}": Count(
            "id",
            filter=Q(filed_on__lte=today - timedelta(days=low))
            & (Q(filed_on__gte=today - timedelta(days=high)) if high is not None else Q()),
        )
        for i, (low, high) in enumerate(AGE_BANDS)
    }
    counts = {
        row["status"]: row
        for row in open_claims.values("status")
        .annotate(n=Count("id"), oldest=Min("filed_on"), **bands)
        .order_by()
    }
    by_status = []
    for status in OPEN_STATUSES:
        row = counts.get(status.value)
        if row is None:
            continue
        by_status.append(
            {
                "status": status.value,
                "label": status.label,
                "n": row["n"],
                "bands": [row[f"band{i}"] for i in range(len(AGE_BANDS))],
                "oldest_days": (today - row["oldest"]).days,
            }
        )
    oldest = list(claims_for(user).filter(status__in=OPEN).order_by("filed_on", "id")[:SHOWN])
    for claim in oldest:
        claim.age = (today - claim.filed_on).days
    second = list(
        claims_for(user)
        .filter(status=ClaimStatus.SECOND_APPROVAL)
        .select_related("decided_by")
        .order_by("decided_at", "id")[:SHOWN]
    )
    for claim in second:
        claim.mine = claim.decided_by_id == user.pk
    last_step = CollectionStep.objects.filter(notification_id=OuterRef("notification_id")).order_by(
        "-done_on", "-id"
    )
    to_recover = (
        claims_for(user)
        .filter(
            status=ClaimStatus.PAID,
            paid_on__gte=today - timedelta(days=RECOVERY_DAYS),
        )
        .exclude(Exists(Recovery.objects.filter(claim_id=OuterRef("pk"))))
        .annotate(
            last_step=Subquery(last_step.values("kind")[:1]),
            last_step_on=Subquery(last_step.values("done_on")[:1]),
        )
        .order_by("paid_on", "id")
    )
    recoveries = list(to_recover[:SHOWN])
    for claim in recoveries:
        claim.last_step_label = StepKind(claim.last_step).label if claim.last_step else ""
    return {
        "claims_by_status": by_status,
        "claims_open_total": sum(r["n"] for r in by_status),
        "claims_age_bands": AGE_BANDS,
        "oldest_open_claims": oldest,
        "second_approvals": second,
        "recoveries_to_record": recoveries,
        "recoveries_to_record_count": (
            to_recover.count() if len(recoveries) == SHOWN else len(recoveries)
        ),
    }


def insured_home_panel(user, today: date) -> dict:
    mine = list(claims_for(user).filter(status__in=OPEN).order_by("filed_on", "id")[:SHOWN])
    debtors = claimable(user, today)[:SHOWN]
    return {
        "open_claims": mine,
        "claims_needing_documents": [c for c in mine if c.status == ClaimStatus.WAITING_DOCUMENTS],
        "claimable_debtors": [(c, c.may_file_from(today)) for c in debtors],
    }
