"""An invoice's timeline (DOMAIN.md, "Exposure" and "Deadlines"): every date that matters
after its original due date, each with the policy term it comes from. Pure functions of the
invoice's dates and the policy's terms; `exposure.selectors` computes the same deadlines in
SQL with `core.dates.AddDays` over the same terms.

Every date counts from the **original** due date; a due date the insured extends within the
maximum extension period changes none of them. Only a later due date the insurer consented to
moves the end of the extension period (and the dates after it) to that date.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Terms:
    """The policy terms the timeline reads (policies.Policy field names)."""

    max_extension_days: int
    notification_deadline_days: int
    waiting_period_days: int
    claim_filing_days: int
    claim_filing_insolvency_days: int

    @classmethod
    def of(cls, policy) -> "Terms":
        return cls(**{f: getattr(policy, f) for f in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Milestone:
    code: str
    day: date
    term: str = ""  # the policy term (a Policy field) the date comes from; "" for the invoice's
    days: int | None = None  # that term's value

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    @property
    def term_label(self) -> str:
        return str(TERM_LABELS.get(self.term, ""))


LABELS = {
    "original_due": _("Original due date"),
    "consented_due": _("Due date the insurer consented to"),
    "extension_end": _("End of the maximum extension period"),
    "stop_delivery": _("Stop delivery from (if still unpaid)"),
    "notification_deadline": _("Overdue notification deadline"),
    "notified": _("Notified overdue"),
    "waiting_period_end": _("End of the waiting period"),
    "claim_filing_deadline": _("Claim filing deadline"),
}
TERM_LABELS = {
    "max_extension_days": _("maximum extension period"),
    "notification_deadline_days": _("overdue notification deadline"),
    "waiting_period_days": _("waiting period"),
    "claim_filing_days": _("claim filing deadline after the waiting period"),
    "claim_filing_insolvency_days": _("claim filing deadline after insolvency"),
}


def extension_end(original_due: date, consented_due: date | None, terms: Terms) -> date:
    """The last day of the maximum extension period."""
    end = original_due + timedelta(days=terms.max_extension_days)
    return max(end, consented_due) if consented_due else end


def stop_delivery_from(original_due: date, consented_due: date | None, terms: Terms) -> date:
    """From this day, while the invoice is unpaid, deliveries to the debtor are not covered."""
    return extension_end(original_due, consented_due, terms) + ONE_DAY


def notification_deadline(original_due: date, consented_due: date | None, terms: Terms) -> date:
    """The last day to notify the debtor overdue for this invoice (day 90 by default)."""
    end = extension_end(original_due, consented_due, terms)
    return end + timedelta(days=terms.notification_deadline_days)


def waiting_period_end(notified_on: date, terms: Terms) -> date:
    """The day a protracted-default claim becomes payable (and may be filed)."""
    return notified_on + timedelta(days=terms.waiting_period_days)


def claim_filing_deadline(
    notified_on: date | None, insolvent_on: date | None, terms: Terms
) -> date:
    """The last day to file a claim: after an insolvency, counted from its date; otherwise
    from the end of the waiting period."""
    if insolvent_on is not None:
        return insolvent_on + timedelta(days=terms.claim_filing_insolvency_days)
    return waiting_period_end(notified_on, terms) + timedelta(days=terms.claim_filing_days)


def invoice_timeline(
    *,
    original_due: date,
    consented_due: date | None,
    terms: Terms,
    notified_on: date | None = None,
    insolvent_on: date | None = None,
) -> list[Milestone]:
    """The invoice's milestones in date order: before notification up to its deadline; after
    it the waiting period and the claim filing deadline."""
    end = extension_end(original_due, consented_due, terms)
    milestones = [Milestone("original_due", original_due)]
    if consented_due:
        milestones.append(Milestone("consented_due", consented_due))
    milestones += [
        Milestone("extension_end", end, "max_extension_days", terms.max_extension_days),
        Milestone("stop_delivery", end + ONE_DAY, "max_extension_days", terms.max_extension_days),
        Milestone(
            "notification_deadline",
            end + timedelta(days=terms.notification_deadline_days),
            "notification_deadline_days",
            terms.notification_deadline_days,
        ),
    ]
    if notified_on is not None:
        waiting_end = waiting_period_end(notified_on, terms)
        milestones += [
            Milestone("notified", notified_on),
            Milestone(
                "waiting_period_end",
                waiting_end,
                "waiting_period_days",
                terms.waiting_period_days,
            ),
        ]
        if insolvent_on is not None:
            filing = Milestone(
                "claim_filing_deadline",
                claim_filing_deadline(notified_on, insolvent_on, terms),
                "claim_filing_insolvency_days",
                terms.claim_filing_insolvency_days,
            )
        else:
            filing = Milestone(
                "claim_filing_deadline",
                claim_filing_deadline(notified_on, None, terms),
                "claim_filing_days",
                terms.claim_filing_days,
            )
        milestones.append(filing)
    return sorted(milestones, key=lambda m: m.day)
