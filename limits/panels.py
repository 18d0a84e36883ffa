"""What the limits app shows on each role's home page: one function per panel, each returning
the dict its part of the page needs. The portal puts the panels together; it does not read
limits' models itself."""

from datetime import date, timedelta

from django.utils import timezone

from . import selectors
from .models import RequestStatus

# Without an earlier visit, "decisions since your last visit" looks back this far.
FIRST_VISIT_LOOKBACK = timedelta(days=14)


def insured_home_panel(user, today: date) -> dict:
    """The insured's requests with an underwriter, decisions since the last visit, limits under
    review and reductions still to take effect."""
    requests = selectors.limit_requests_for(user)
    since = user.last_seen_home or timezone.now() - FIRST_VISIT_LOOKBACK
    decided = requests.filter(decided_at__gt=since)
    return {
        "referred_requests": list(
            requests.filter(status=RequestStatus.REFERRED).order_by("submitted_at")[:10]
        ),
        "recent_decisions": list(
            decided.exclude(status=RequestStatus.WITHDRAWN).order_by("-decided_at")[:10]
        ),
        "limits_under_review": list(
            selectors.limits_for(user).filter(review_requested_at__isnull=False)[:10]
        ),
        "upcoming_reductions": list(selectors.upcoming_reductions(user, today)[:10]),
    }


def underwriter_home_panel(user, today: date) -> dict:
    """The referred-request queue (oldest first) and the risk events awaiting review."""
    queue = selectors.referred_queue()
    return {
        "queue": list(queue[:10]),
        "queue_count": queue.count(),
        "risk_events": list(selectors.unreviewed_risk_events()[:10]),
        "limits_under_review_count": selectors.limits_under_review().count(),
    }
