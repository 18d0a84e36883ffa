"""What each user's calendar feed holds (portal.calendar), read set-based from the apps'
own rules: the dates are exposure's (with_deadlines), claims' (with_claim_dates, the
collections plan) and limits' (limits_as_of, upcoming_reductions), never a copy.

- an insured user (its own company only): each debtor's nearest overdue notification deadline
  not yet notified, the stop-delivery days coming, for a notified debtor the end of the waiting
  period and the claim filing deadline, and the documents its open claims wait for;
- a claims handler: every claim filing deadline and each open collections case's next action;
- an underwriter: the limits that expire and the insurer's reductions that take effect;
- an administrator: the claims handler's and the underwriter's.

Each event has a stable id per policy and debtor (or case, claim, limit change), so a calendar
application moves an event whose date changed instead of adding another."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from claims.models import Claim, ClaimStatus
from claims.services.collections import case_plan
from claims.services.deadlines import claimable
from claims.views.collections import claim_url
from core.currencies import format_money
from exposure.models import Invoice, OverdueNotification, StopDelivery
from exposure.selectors import with_deadlines
from limits.models import Limit
from limits.selectors import limits_as_of, upcoming_reductions
from policies.models import PolicyStatus

PAST_DAYS = 30  # events this recent stay in the feed
LIMIT_DAYS = 365  # limit expiries this far ahead
REDUCTIONS_SHOWN = 500


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    day: date
    summary: str
    description: str
    path: str  # the page in the app


def _uid(*parts) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "credit-insurance"
    return "-".join(str(p) for p in parts) + f"@{host}"


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _unpaid(company_id: int):
    return Invoice.objects.filter(
        policy__insured_id=company_id,
        policy__status=PolicyStatus.ISSUED,
        open_amount__gt=0,
        disputed_since__isnull=True,
    )


def _per_debtor(qs, field: str):
    """Per policy and debtor: the nearest `field` date, the invoices and what is unpaid."""
    return (
        qs.values("policy_id", "policy__number", "policy__currency", "debtor_id", "debtor__name")
        .annotate(day=Min(field), count=Count("id"), total=Sum("open_amount"))
        .order_by("day", "debtor__name")
    )


def _same_pair(model, **filters):
    return model.objects.filter(
        policy=OuterRef("policy_id"), debtor=OuterRef("debtor_id"), **filters
    )


def notification_deadlines(company_id: int, today: date) -> list[FeedEvent]:
    notified = _same_pair(OverdueNotification, closed_on__isnull=True)
    rows = _per_debtor(
        with_deadlines(_unpaid(company_id))
        .filter(~Exists(notified))
        .filter(notification_deadline__gte=today - timedelta(days=PAST_DAYS)),
        "notification_deadline",
    )
    return [
        FeedEvent(
            uid=_uid("notification-deadline", r["policy_id"], r["debtor_id"]),
            day=r["day"],
            summary=_("Last day to notify %(debtor)s overdue") % {"debtor": r["debtor__name"]},
            description=_(
                "Policy %(policy)s: %(count)s unpaid invoices of %(debtor)s, %(total)s. If the "
                "debtor has not paid, notify it overdue by %(day)s: a notice after the "
                "deadline loses the cover on the invoices past it."
            )
            % {
                "policy": r["policy__number"],
                "count": r["count"],
                "debtor": r["debtor__name"],
                "total": format_money(r["total"], r["policy__currency"]),
                "day": _day(r["day"]),
            },
            path=reverse("notification-create")
            + "?"
            + urlencode({"policy": r["policy_id"], "debtor": r["debtor_id"]}),
        )
        for r in rows
    ]


def stop_delivery_days(company_id: int, today: date) -> list[FeedEvent]:
    stopped = _same_pair(StopDelivery, lifted_on__isnull=True)
    rows = _per_debtor(
        with_deadlines(_unpaid(company_id))
        .filter(~Exists(stopped))
        .filter(stop_delivery_from__gte=today),
        "stop_delivery_from",
    )
    return [
        FeedEvent(
            uid=_uid("stop-delivery", r["policy_id"], r["debtor_id"]),
            day=r["day"],
            summary=_("Stop delivery to %(debtor)s from today if still unpaid")
            % {"debtor": r["debtor__name"]},
            description=_(
                "Policy %(policy)s: an invoice of %(debtor)s unpaid on %(day)s is past the "
                "maximum extension period. From that day deliveries on credit to the debtor "
                "are not covered until everything overdue is paid."
            )
            % {"policy": r["policy__number"], "debtor": r["debtor__name"], "day": _day(r["day"])},
            path=reverse("invoice-list")
            + "?"
            + urlencode({"policy": r["policy_id"], "debtor": r["debtor_id"]}),
        )
        for r in rows
    ]


def _claim_dates(today: date, company_id: int | None = None):
    qs = claimable(today)
    if company_id is not None:
        qs = qs.filter(policy__insured_id=company_id)
    return qs.values(
        "pk",
        "policy__number",
        "policy__insured__name",
        "debtor__name",
        "waiting_end",
        "filing_deadline",
    ).order_by("filing_deadline", "pk")


def _filing_deadline(r: dict, *, insurer_side: bool) -> FeedEvent:
    values = {
        "debtor": r["debtor__name"],
        "insured": r["policy__insured__name"],
        "policy": r["policy__number"],
        "day": _day(r["filing_deadline"]),
    }
    return FeedEvent(
        uid=_uid("claim-filing-deadline", r["pk"]),
        day=r["filing_deadline"],
        summary=(
            _("Claim filing deadline: %(debtor)s (%(insured)s)")
            if insurer_side
            else _("Last day to file a claim on %(debtor)s")
        )
        % values,
        description=_("Policy %(policy)s: a claim on %(debtor)s filed after %(day)s is refused.")
        % values,
        path=reverse("collection-detail", args=[r["pk"]]),
    )


def notified_debtor_dates(company_id: int, today: date) -> list[FeedEvent]:
    events = []
    for r in _claim_dates(today, company_id):
        if r["waiting_end"] >= today - timedelta(days=PAST_DAYS):
            events.append(
                FeedEvent(
                    uid=_uid("waiting-period-end", r["pk"]),
                    day=r["waiting_end"],
                    summary=_("Waiting period on %(debtor)s ends: a claim may be filed")
                    % {"debtor": r["debtor__name"]},
                    description=_(
                        "Policy %(policy)s: if %(debtor)s has not paid by %(day)s, a claim for "
                        "protracted default may be filed from that day."
                    )
                    % {
                        "policy": r["policy__number"],
                        "debtor": r["debtor__name"],
                        "day": _day(r["waiting_end"]),
                    },
                    path=reverse("collection-detail", args=[r["pk"]]),
                )
            )
        events.append(_filing_deadline(r, insurer_side=False))
    return events


def document_requests(company_id: int) -> list[FeedEvent]:
    asked = (
        Claim.history.model.objects.filter(id=OuterRef("pk"), status=ClaimStatus.WAITING_DOCUMENTS)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    claims = (
        Claim.objects.filter(policy__insured_id=company_id, status=ClaimStatus.WAITING_DOCUMENTS)
        .annotate(asked_at=Subquery(asked))
        .select_related("debtor")
        .order_by("pk")
    )
    events = []
    for claim in claims:
        wanted = ", ".join(claim.requested_documents) or claim.documents_message
        events.append(
            FeedEvent(
                uid=_uid("claim-documents", claim.pk),
                day=timezone.localdate(claim.asked_at) if claim.asked_at else claim.filed_on,
                summary=_("Send the documents asked for on claim %(number)s")
                % {"number": claim.number or claim.pk},
                description=_("Claim %(number)s on %(debtor)s waits for: %(documents)s")
                % {
                    "number": claim.number or claim.pk,
                    "debtor": claim.debtor.name,
                    "documents": wanted,
                },
                path=claim_url(claim.pk),
            )
        )
    return events


def collection_actions(today: date) -> list[FeedEvent]:
    """Each open case's next action that has a date (the plan is per case: one query for the
    cases and one for their steps)."""
    cases = (
        OverdueNotification.objects.filter(closed_on__isnull=True)
        .select_related("debtor", "policy__insured")
        .prefetch_related("collection_steps")
        .order_by("pk")
    )
    events = []
    for case in cases:
        step = case_plan(case, today=today).next
        if step is None or not (step.due_by or step.due_from):
            continue
        when = (
            _("at the latest on %(day)s") % {"day": _day(step.due_by)}
            if step.due_by
            else _("not before %(day)s") % {"day": _day(step.due_from)}
        )
        events.append(
            FeedEvent(
                uid=_uid("collection-next", case.pk),
                day=step.due_by or step.due_from,
                summary=f"{step.label}: {case.debtor.name}",
                description=_("%(insured)s, policy %(policy)s. %(who)s, %(when)s.")
                % {
                    "insured": case.policy.insured.name,
                    "policy": case.policy.number,
                    "who": step.who_label,
                    "when": when,
                },
                path=reverse("collection-detail", args=[case.pk]),
            )
        )
    return events


def limit_dates(user, today: date) -> list[FeedEvent]:
    limits = limits_as_of(
        Limit.objects.filter(policy__status=PolicyStatus.ISSUED).select_related(
            "policy", "policy__insured", "debtor"
        ),
        today,
    ).filter(
        approval_id__isnull=False,
        amount__gt=0,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=LIMIT_DAYS),
    )
    events = [
        FeedEvent(
            uid=_uid("limit-expiry", limit.pk, limit.approval_id),
            day=limit.expires_on,
            summary=_("Limit on %(debtor)s expires") % {"debtor": limit.debtor.name},
            description=_("%(insured)s, policy %(policy)s: %(amount)s, last day %(day)s.")
            % {
                "insured": limit.policy.insured.name,
                "policy": limit.policy.number,
                "amount": format_money(limit.amount, limit.policy.currency),
                "day": _day(limit.expires_on),
            },
            path=reverse("limit-detail", args=[limit.pk]),
        )
        for limit in limits.order_by("expires_on", "pk")
    ]
    for change in upcoming_reductions(user, today, limit=REDUCTIONS_SHOWN):
        limit = change.limit
        events.append(
            FeedEvent(
                uid=_uid("limit-change", change.pk),
                day=change.effective_from,
                summary=_("Limit on %(debtor)s lowered to %(amount)s")
                % {
                    "debtor": limit.debtor.name,
                    "amount": format_money(change.amount, limit.policy.currency),
                },
                description=_("Policy %(policy)s: %(change)s, from %(before)s.")
                % {
                    "policy": limit.policy.number,
                    "change": change.get_kind_display(),
                    "before": format_money(change.before, limit.policy.currency),
                },
                path=reverse("limit-detail", args=[limit.pk]),
            )
        )
    return events


def events_for(user, today: date) -> list[FeedEvent]:
    """The events of `user`'s feed, in date order (call it in the user's language)."""
    events: list[FeedEvent] = []
    if user.role == Role.INSURED:
        if user.company_id is None:
            return []
        events += notification_deadlines(user.company_id, today)
        events += stop_delivery_days(user.company_id, today)
        events += notified_debtor_dates(user.company_id, today)
        events += document_requests(user.company_id)
    if user.role in (Role.CLAIMS, Role.ADMIN):
        events += [_filing_deadline(r, insurer_side=True) for r in _claim_dates(today)]
        events += collection_actions(today)
    if user.role in (Role.UNDERWRITER, Role.ADMIN):
        events += limit_dates(user, today)
    return sorted(events, key=lambda e: (e.day, e.uid))
