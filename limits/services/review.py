"""An underwriter's review of a debtor's risk event: marked reviewed (who, when), and, when the
underwriter keeps the limits on that debtor as they are, those limits leave the review list."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import TransitionNotAllowed
from core.status import apply_transition
from debtors.models import RiskEvent

from ..models import Limit, ReviewStatus


@dataclass(frozen=True)
class ReviewResult:
    event: RiskEvent
    limits_kept: int  # limits taken off the review list


@transaction.atomic
def risk_event_mark_reviewed(*, actor, event_id: int, keep_limits: bool = False) -> ReviewResult:
    """Mark a risk event reviewed. With `keep_limits`, every limit on the debtor that waits
    for review is taken off the list unchanged (the underwriter decided to keep it); without
    it, those limits stay on the list until reduced or kept."""
    event = RiskEvent.objects.select_for_update().select_related("debtor").get(pk=event_id)
    if event.reviewed_at is not None:
        raise TransitionNotAllowed(
            _("This risk event was already reviewed."), field="event", code="risk_event_reviewed"
        )
    event.reviewed_at = timezone.now()
    event.reviewed_by = actor
    event.save(update_fields=["reviewed_at", "reviewed_by"])
    kept = 0
    if keep_limits:
        under_review = Limit.objects.select_for_update().filter(
            debtor_id=event.debtor_id, review=ReviewStatus.REQUESTED
        )
        reason = _("Kept unchanged after the review of %(event)s") % {
            "event": f"{event.get_kind_display()} {event.occurred_on:%Y-%m-%d}"
        }
        for limit in under_review:
            limit_review_close(limit, actor=actor, reason=reason)
            kept += 1
    return ReviewResult(event=event, limits_kept=kept)


def limit_review_close(limit: Limit, *, actor, reason: str) -> None:
    """Take a limit the caller has locked off the review list (kept, reduced or withdrawn),
    with its history row; a limit not under review is left as it is."""
    if limit.review == ReviewStatus.REQUESTED:
        apply_transition(
            limit,
            "close_review",
            actor=actor,
            reason=reason,
            review_requested_at=None,
            review_event=None,
        )
