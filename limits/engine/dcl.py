"""Risk events and negative information, and whether a request is granted at once as a DCL."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from core.money import to_decimal
from debtors.risk import VERY_HIGH, rating_band

from .facts import DclVerdict, DebtorFacts, Reason, RiskEventFact, Step
from .lines import _fmt, _reason, _step


def _event_line(event: RiskEventFact) -> str:
    return f"{event.kind.replace('_', ' ')} on {event.on}"


def _event_findings(facts: DebtorFacts) -> tuple[list[Step], list[Reason], bool]:
    """Unreviewed risk events: an insolvency event refuses, any other refers. The steps, the
    reasons naming each event, and whether to refuse."""
    steps, reasons, refuse = [], [], False
    for event in facts.unreviewed_events:
        if event.insolvency:
            refuse = True
            line = f"{_event_line(event)} (not yet reviewed): insolvency → refuse"
            steps.append(_step("insolvency_event", line, **event.values()))
            message = f"Insolvency: {_event_line(event)}; new requests are refused."
            reasons.append(_reason("insolvency_event", message, **event.values()))
        else:
            line = f"{_event_line(event)} not yet reviewed by an underwriter → refer"
            steps.append(_step("risk_event_unreviewed", line, **event.values()))
            message = f"Risk event not yet reviewed: {_event_line(event)}."
            reasons.append(_reason("risk_event_unreviewed", message, **event.values()))
    return steps, reasons, refuse


def negative_information(facts: DebtorFacts) -> tuple[Reason, ...]:
    """DOMAIN.md "Negative information", each finding a reason: payment remarks, a debt
    balance, failed distraint, insolvency, a rating in the very-high-risk band (1–14), and
    every risk event no underwriter has reviewed yet. The report's lists count as known only
    with a report."""
    found = []
    reported = facts.report_date is not None
    if reported and facts.payment_remarks:
        n = len(facts.payment_remarks)
        message = f"{n} payment remark(s) on record."
        found.append(_reason("has_payment_remarks", message, count=n))
    if facts.debt_balance is not None and facts.debt_balance > 0:
        message = f"Debt balance of {_fmt(facts.debt_balance)} SEK."
        found.append(_reason("has_debt_balance", message, amount=facts.debt_balance))
    if reported and facts.failed_distraints:
        n = len(facts.failed_distraints)
        message = f"{n} failed distraint attempt(s) on record."
        found.append(_reason("has_failed_distraint", message, count=n))
    if facts.insolvent:
        found.append(_reason("insolvent", "Insolvency recorded."))
    if facts.rating is not None and rating_band(facts.rating) == VERY_HIGH:
        message = f"Rating {facts.rating}: very high risk."
        found.append(_reason("very_high_risk", message, rating=facts.rating))
    for event in facts.unreviewed_events:
        message = f"Risk event not yet reviewed: {_event_line(event)}."
        found.append(_reason("risk_event_unreviewed", message, **event.values()))
    return tuple(found)


def dcl_eligible(
    facts: DebtorFacts,
    *,
    requested: Decimal,
    dcl: Decimal,
    report_max_age_months: int,
    today: date,
    kind_is_new: bool,
    has_limit: bool,
) -> DclVerdict:
    """Whether a request is granted at once as a DCL (DOMAIN.md "Credit limits"): a new
    limit, with no limit in force on the debtor, for at most the policy's DCL, on a credit
    report at most `report_max_age_months` old, and no negative information. Every reason
    it is not is listed."""
    requested, dcl = to_decimal(requested), to_decimal(dcl)
    reasons = []
    if not kind_is_new:
        reasons.append(_reason("dcl_not_new", "Only a new limit can be a DCL."))
    if has_limit:
        reasons.append(_reason("dcl_has_limit", "A limit is in force on the debtor."))
    if requested > dcl:
        message = f"Requested {_fmt(requested)} is above the DCL of {_fmt(dcl)}."
        reasons.append(_reason("dcl_above", message, requested=requested, dcl=dcl))
    if facts.report_date is None:
        reasons.append(_reason("dcl_no_report", "No credit report on the debtor."))
    elif facts.report_date < today - relativedelta(months=report_max_age_months):
        message = (
            f"The credit report of {facts.report_date} is older than "
            f"{report_max_age_months} months."
        )
        reasons.append(
            _reason(
                "dcl_report_too_old",
                message,
                report_date=facts.report_date,
                months=report_max_age_months,
            )
        )
    reasons.extend(negative_information(facts))
    eligible = not reasons
    steps = [
        _step("dcl_not_eligible", f"no DCL: {r.message}", reason=r.code, **r.values)
        for r in reasons
    ]
    if eligible:
        line = f"within the DCL of {_fmt(dcl)}, no negative information → DCL"
        steps.append(_step("dcl_eligible", line, requested=requested, dcl=dcl))
    return DclVerdict(eligible, tuple(reasons), tuple(steps))
