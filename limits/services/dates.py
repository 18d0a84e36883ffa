"""The limits' own daily job (DOMAIN.md, deadlines step 5): an insurer's reduction or
withdrawal is announced to the insured on the day it takes effect, and a limit that expires
(its own expiry date, a DCL's twelve months, or its policy's end) gets its `expired` row, so
its history says when and why it is worth nothing. Both are idempotent: an announced
reduction carries its date, an expiry is written once after the approval it ends."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from core.jobs import run_recorded
from core.notify import notify_users

from .. import timeline
from ..models import ChangeKind, Limit, LimitChange
from ..selectors import limits_as_of
from .changes import insured_users

RECENT_DAYS = 30  # reductions that took effect this recently and were not announced are


def _expiring(today: date):
    """Limits whose approval in force ended before `today` (expiry or policy end) and have no
    `expired` row after it yet: (limit, the day it ended)."""
    yesterday = today - timedelta(days=1)
    written = LimitChange.objects.filter(
        limit=OuterRef("pk"), kind=ChangeKind.EXPIRED, id__gt=OuterRef("approval_id")
    )
    return (
        limits_as_of(Limit.objects.select_related("policy", "debtor"), yesterday)
        .filter(approval_id__isnull=False)
        .annotate(written=Exists(written))
        .filter(written=False)
        .filter(Q(expires_on__lt=today) | Q(policy__end_date__lt=today))
    )


@transaction.atomic
def limit_dates_apply(*, today: date) -> dict:
    ending = list(_expiring(today))
    ended = {
        limit.pk: min(d for d in (limit.expires_on, limit.policy.end_date) if d is not None)
        for limit in ending
    }
    LimitChange.objects.bulk_create(
        LimitChange(
            limit=limit,
            kind=ChangeKind.EXPIRED,
            amount=0,
            effective_from=ended[limit.pk] + timedelta(days=1),
            limit_kind=limit.limit_kind,
            reason=_("Expired on %(day)s") % {"day": ended[limit.pk].isoformat()},
        )
        for limit in ending
    )
    for limit in ending:
        notify_users(
            insured_users(limit.policy),
            template="limit_expired",
            context={
                "limit": limit,
                "policy": limit.policy,
                "debtor": limit.debtor,
                "ended": ended[limit.pk],
            },
            url=f"/limits/{limit.pk}/",
        )
    due = (
        LimitChange.objects.select_related("limit__policy", "limit__debtor")
        .filter(
            kind__in=timeline.INSURER_REDUCTIONS,
            effective_from__lte=today,
            effective_from__gte=today - timedelta(days=RECENT_DAYS),
            announced_on__isnull=True,
        )
        .select_for_update(of=("self",), skip_locked=True)
    )
    announced = 0
    for change in due:
        limit = change.limit
        notify_users(
            insured_users(limit.policy),
            template="limit_reduction_in_force",
            context={"change": change, "policy": limit.policy, "debtor": limit.debtor},
            url=f"/limits/{limit.pk}/",
        )
        LimitChange.objects.filter(pk=change.pk).update(announced_on=today)
        announced += 1
    return {"expired": len(ending), "reductions_announced": announced}


def limit_dates_apply_recorded(*, today: date) -> dict:
    return run_recorded("limit_dates", lambda: limit_dates_apply(today=today))
