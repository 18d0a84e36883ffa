"""Risk events reach the insureds: every insured holding a limit on the debtor gets a message
(inbox and email), and those limits go up for an underwriter's review."""

from django.db import transaction
from django.utils import timezone

from core.jobs import run_recorded
from core.notify import notify_users
from core.status import apply_transition
from debtors.models import RiskEvent

from ..models import Limit
from ..selectors import limits_as_of


def risk_events_alert() -> dict:
    """Alert on every risk event not yet alerted. Idempotent (each event once) and safe with
    two workers: events are claimed with SKIP LOCKED."""
    alerted, limits_flagged = [], 0
    today = timezone.localdate()
    with transaction.atomic():
        events = list(
            RiskEvent.objects.select_for_update(skip_locked=True)
            .filter(alerted_at__isnull=True)
            .select_related("debtor")
        )
        for event in events:
            limits = list(
                limits_as_of(
                    Limit.objects.filter(debtor_id=event.debtor_id).select_related(
                        "policy__insured"
                    ),
                    today,
                ).filter(amount__gt=0)
            )
            reason = f"Risk event: {event.kind} {event.occurred_on:%Y-%m-%d}"
            locked = Limit.objects.select_for_update().filter(pk__in=[x.pk for x in limits])
            for limit in locked:
                apply_transition(
                    limit,
                    "request_review",
                    actor=None,
                    reason=reason,
                    review_requested_at=timezone.now(),
                    review_event=event,
                )
            limits_flagged += len(limits)
            for limit in limits:
                notify_users(
                    limit.policy.insured.users.filter(is_active=True),
                    template="risk_event",
                    context={
                        "event": event,
                        "debtor": event.debtor,
                        "policy": limit.policy,
                        "limit": limit,
                    },
                    url=f"/limits/{limit.pk}/",
                )
            alerted.append(event.pk)
        RiskEvent.objects.filter(pk__in=alerted).update(alerted_at=timezone.now())
    return {"events": len(alerted), "limits_for_review": limits_flagged}


def risk_events_alert_recorded() -> dict:
    return run_recorded("risk_events_alert", risk_events_alert)
