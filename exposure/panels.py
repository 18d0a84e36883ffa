"""What the exposure app shows on each role's home page (the portal merges the panels):
deadlines coming and stops in force for the insured, extensions waiting for underwriters,
new overdue notifications for claims handlers."""

from datetime import date, timedelta

from django.db.models import Count, Min, Sum

from accounts.models import Role

from .models import ExtensionRequest, ExtensionStatus, OverdueNotification, StopDelivery
from .services.deadlines import _open_unnotified

SOON_DAYS = 14
SHOWN = 10


def insured_home_panel(user, today: date) -> dict:
    """Debtors whose overdue notification deadline comes within 14 days (or has come today),
    soonest first, and the stops on delivery in force."""
    company = user.company_id if user.role == Role.INSURED else None
    unnotified = _open_unnotified(today).filter(
        notification_deadline__gte=today,
        notification_deadline__lte=today + timedelta(days=SOON_DAYS),
        due_date__lt=today,
    )
    stops = StopDelivery.objects.filter(lifted_on__isnull=True).select_related("policy", "debtor")
    if company is not None:
        unnotified = unnotified.filter(policy__insured_id=company)
        stops = stops.filter(policy__insured_id=company)
    deadlines = list(
        unnotified.values(
            "policy_id", "policy__number", "policy__currency", "debtor_id", "debtor__name"
        )
        .annotate(deadline=Min("notification_deadline"), total=Sum("open_amount"), n=Count("id"))
        .order_by("deadline", "debtor__name")[:SHOWN]
    )
    for d in deadlines:
        d["days_left"] = (d["deadline"] - today).days
    return {
        "deadlines_soon": deadlines,
        "stops_in_force": list(stops.order_by("-started_on")[:SHOWN]),
    }


def underwriter_home_panel(user, today: date) -> dict:
    pending = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).select_related(
        "invoice", "invoice__debtor", "invoice__policy__insured"
    )
    return {"extensions_waiting": list(pending.order_by("requested_at")[:SHOWN])}


def claims_home_panel(user, today: date) -> dict:
    recent = OverdueNotification.objects.filter(
        notified_on__gte=today - timedelta(days=SOON_DAYS)
    ).select_related("policy", "policy__insured", "debtor")
    return {"recent_notifications": list(recent.order_by("-notified_on", "-id")[:SHOWN])}
