"""The limit on a day D (DOMAIN.md, "Credit limits"): a pure function of a limit's history.

The history is read in the order the decisions were *made* (the order the rows were written):

1. take the latest approval made and effective by D (a new limit, an increase, a renewal, a
   DCL; approvals take effect at once);
2. every reduction made after that approval and effective by D caps it (the insured's own
   reductions and cancellations at once, the insurer's after the notice period, expiries);
3. a limit is worth nothing after its expiry date, and nothing outside its policy's period.

So a later approval replaces a reduction still waiting for its date, and the insured's own
cancellation is never undone by an older scheduled reduction.

`limits.selectors.limits_as_of` computes the same in one SQL statement; a property test holds
the two together on random histories. Every reader of "the limit on a day" calls one of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# The kinds of limits.models.ChangeKind, as plain strings so this module needs no ORM.
APPROVALS = frozenset({"granted", "increased", "renewed"})
REDUCTIONS = frozenset(
    {"reduced_by_insured", "cancelled_by_insured", "reduced", "withdrawn", "expired"}
)
INSURER_REDUCTIONS = frozenset({"reduced", "withdrawn"})
NAMED, DCL = "named", "dcl"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Entry:
    """One row of a limit's history (a `LimitChange`), in the order it was made."""

    kind: str
    amount: Decimal
    effective_from: date
    limit_kind: str = NAMED
    expires_on: date | None = None
    max_terms_days: int | None = None


@dataclass(frozen=True)
class InForce:
    """What a limit is on one day. `since` is the day the amount took its value (the latest
    effective date among the approval and the reductions that cap it); the kind, expiry and
    maximum terms are those of the approval in force."""

    amount: Decimal
    limit_kind: str = NAMED
    expires_on: date | None = None
    max_terms_days: int | None = None
    since: date | None = None

    @property
    def in_force(self) -> bool:
        return self.amount > 0


NO_LIMIT = InForce(ZERO)


def limit_on(
    history: Sequence[Entry],
    day: date,
    *,
    period: tuple[date, date] | None = None,
) -> InForce:
    """The limit on `day` from its `history` (oldest decision first) within the policy's
    `period` (start and end, both covered)."""
    approved_at = None
    for index in range(len(history) - 1, -1, -1):
        entry = history[index]
        if entry.kind in APPROVALS and entry.effective_from <= day:
            approved_at = index
            break
    if approved_at is None:
        return NO_LIMIT
    approval = history[approved_at]
    amount, since = approval.amount, approval.effective_from
    for entry in history[approved_at + 1 :]:
        if entry.kind in REDUCTIONS and entry.effective_from <= day:
            amount = min(amount, entry.amount)
            since = max(since, entry.effective_from)
    outside = period is not None and not (period[0] <= day <= period[1])
    expired = approval.expires_on is not None and approval.expires_on < day
    if outside or expired:
        amount = ZERO
    return InForce(
        amount=amount,
        limit_kind=approval.limit_kind,
        expires_on=approval.expires_on,
        max_terms_days=approval.max_terms_days,
        since=since,
    )


def scheduled_reductions(
    history: Sequence[Entry], today: date, *, period: tuple[date, date] | None = None
) -> list[tuple[int, Decimal]]:
    """The insurer's reductions decided but not yet in effect on `today` that will still lower
    the limit on their date (no later approval replaces them, no other reduction has already
    brought it as low), as (index in `history`, the amount that covers deliveries until then),
    soonest first."""
    out = []
    for index, entry in enumerate(history):
        if entry.kind not in INSURER_REDUCTIONS or entry.effective_from <= today:
            continue
        on = entry.effective_from
        before = limit_on(history, on - timedelta(days=1), period=period).amount
        if limit_on(history, on, period=period).amount < before:
            out.append((index, before))
    return sorted(out, key=lambda pair: history[pair[0]].effective_from)


def amount_before(history: Sequence[Entry], index: int) -> Decimal:
    """What the limit would have been on the effective date of `history[index]` had that
    change not been made (a letter's "previous amount")."""
    return limit_on(history[:index], history[index].effective_from).amount
