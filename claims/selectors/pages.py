"""What the claim pages and the home panels read besides the claims themselves: the debtors an
insured may claim on with their dates, the claim's steps from its history, the calculation as
the pages show it, and how a person is named to whom."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import Role
from exposure import timeline
from exposure.models import OverdueNotification
from exposure.selectors import notifications_for
from policies.models import PolicyStatus

from ..calculation import Calculation
from ..models import OPEN_STATUSES, Cause, Claim, ClaimStatus, DocumentKind
from ..presentation import reason_label, step_rows
from . import filing_deadline_of, loss_date_of

FILABLE_POLICY = (PolicyStatus.ISSUED, PolicyStatus.EXPIRED)
OPEN = [s.value for s in OPEN_STATUSES]


# The debtors an insured may claim on ------------------------------------------------------------


@dataclass(frozen=True)
class Claimable:
    """A debtor notified overdue under one of the insured's policies, with no open claim."""

    notice: OverdueNotification
    waiting_end: date  # a claim for protracted default may be filed from this day
    protracted_deadline: date  # ... and at the latest on this one
    insolvency_deadline: date | None  # after the insolvency the register knows of

    @property
    def policy(self):
        return self.notice.policy

    @property
    def debtor(self):
        return self.notice.debtor

    @property
    def insolvent_since(self) -> date | None:
        return self.debtor.insolvent_since

    @property
    def deadline(self) -> date:
        """The filing deadline that applies: from the insolvency when the register knows of
        one, otherwise after the waiting period."""
        return self.insolvency_deadline or self.protracted_deadline

    def may_file_from(self, today: date) -> date | None:
        """The day a claim may be filed, while it lies ahead (None: it may be filed now)."""
        if self.insolvent_since is not None or today >= self.waiting_end:
            return None
        return self.waiting_end


def claimable(user, today: date) -> list[Claimable]:
    """The debtors `user`'s company notified overdue under a policy claims are filed under,
    with no open claim on them; oldest notification first (one query)."""
    open_claim = Claim.objects.filter(
        policy_id=OuterRef("policy_id"), debtor_id=OuterRef("debtor_id"), status__in=OPEN
    )
    notices = (
        notifications_for(user)
        .filter(closed_on__isnull=True, policy__status__in=FILABLE_POLICY)
        .exclude(Exists(open_claim))
        .order_by("notified_on", "id")
    )
    rows = []
    for notice in notices:
        terms = timeline.Terms.of(notice.policy)
        dates = {"notified_on": notice.notified_on, "terms": terms}
        insolvent = notice.debtor.insolvent_since
        rows.append(
            Claimable(
                notice=notice,
                waiting_end=loss_date_of(Cause.PROTRACTED_DEFAULT, **dates),
                protracted_deadline=filing_deadline_of(
                    Cause.PROTRACTED_DEFAULT, loss_date=None, **dates
                ),
                insolvency_deadline=filing_deadline_of(
                    Cause.INSOLVENCY, loss_date=insolvent, **dates
                ),
            )
        )
    return rows


def filing_dates(item: Claimable, cause: str, loss_date: date | None, today: date) -> dict:
    """The date of loss a claim on `item` would take, the day it may be filed from (when that
    lies ahead) and its filing deadline, by the rules claims.services.claims.claim_file
    applies (claims.selectors.loss_date_of, filing_deadline_of)."""
    dates = {"notified_on": item.notice.notified_on, "terms": timeline.Terms.of(item.policy)}
    loss_date = loss_date_of(cause, insolvent_since=item.insolvent_since, given=loss_date, **dates)
    waiting = cause == Cause.PROTRACTED_DEFAULT and today < loss_date
    return {
        "loss_date": loss_date,
        "may_file_from": loss_date if waiting else None,
        "deadline": filing_deadline_of(cause, loss_date=loss_date, **dates),
    }


# The claim's steps ------------------------------------------------------------------------------


STAFF_ROLES = (Role.UNDERWRITER, Role.CLAIMS, Role.ADMIN)


def person(user, *, for_insured: bool) -> str:
    """How a person who acted on a claim is named: to the insured, staff are "Claims
    handler"; to staff, everyone by name."""
    if user is None:
        return _("Automatically")
    if for_insured and user.role in STAFF_ROLES:
        return _("Claims handler")
    return user.get_full_name() or user.username


def claim_steps(claim: Claim, *, for_insured: bool, recoveries=()) -> list[dict]:
    """Each status the claim has had, oldest first, with the recoveries recorded after its
    payment in their place: when, who, why, and the figures that came with the step."""
    rows = claim.history.select_related("history_user").order_by("history_date", "history_id")
    steps, previous = [], None
    for row in rows:
        if row.status != previous:
            steps.append(
                {
                    "status": row.status,
                    "label": ClaimStatus(row.status).label,
                    "changed": True,
                    "at": row.history_date,
                    "by": person(row.history_user, for_insured=for_insured),
                    "reason": row.history_change_reason or "",
                    "amount": row.indemnity if _with_amount(row.status) else None,
                    "documents": (
                        [
                            str(DocumentKind(k).label)
                            for k in row.documents_requested or []
                            if k in DocumentKind.values
                        ]
                        if row.status == ClaimStatus.WAITING_DOCUMENTS
                        else []
                    ),
                }
            )
        previous = row.status
    for recovery in recoveries:
        steps.append(
            {
                "status": "",
                "label": _("Recovery"),
                "changed": False,
                "at": recovery.recorded_at,
                "by": person(recovery.recorded_by, for_insured=for_insured),
                "reason": recovery.source,
                "amount": recovery.amount,
                "documents": [],
            }
        )
    return sorted(steps, key=lambda step: step["at"])


def _with_amount(status: str) -> bool:
    return status in (
        ClaimStatus.SECOND_APPROVAL,
        ClaimStatus.APPROVED,
        ClaimStatus.ADJUSTED,
        ClaimStatus.PAID,
    )


# The calculation as the pages show it -----------------------------------------------------------


def calculation_context(calc: Calculation, currency: str) -> dict:
    """What templates/claims/_calculation.html shows: every invoice with why it does or does
    not qualify, then the six steps (claims.presentation.step_rows)."""
    return {
        "calc": calc,
        "currency": currency,
        "lines": [{"line": line, "why": reason_label(line.reason)} for line in calc.lines],
        "steps": step_rows(calc, currency),
    }
