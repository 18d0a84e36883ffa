"""The decision: a template's verdict on a limit request."""

from datetime import date
from decimal import Decimal

from core.money import round_money, to_decimal
from debtors.risk import rating_band

from .dcl import _event_findings
from .facts import DebtorFacts, Decision, OnFail, Outcome, Reason, TemplateSpec
from .guideline import ZERO, guideline_limit
from .lines import _fmt, _json, _step
from .rules import _check


def decide(
    facts: DebtorFacts,
    template: TemplateSpec,
    *,
    requested: Decimal,
    today: date,
    sek_per_unit: Decimal,
) -> Decision:
    """The automatic decision on a limit request for `requested` (policy currency, > 0).

    An unreviewed risk event refers the request, naming it; an insolvency event, recorded
    insolvency or a failing rule that refuses → REFUSE. Every rule is checked, and every
    failing one is a reason. Any other failure → REFER; all pass → APPROVE up to the guideline,
    above it the template's choice (PARTLY_APPROVE at the guideline, or REFER); no guideline →
    REFER.
    """
    requested = round_money(to_decimal(requested))
    if requested <= 0:
        raise ValueError("The requested amount must be positive.")
    guideline = guideline_limit(facts, today=today, sek_per_unit=sek_per_unit)
    steps, reasons, refuse = _event_findings(facts)
    steps = [*guideline.steps, *steps]
    if facts.insolvent and not refuse:  # an insolvency event already names it
        steps.append(_step("insolvent", "insolvency recorded → refuse"))
        message = "The debtor is insolvent (bankruptcy, liquidation or restructuring)."
        reasons.append(Reason("insolvent", message, {}))
    refuse = refuse or facts.insolvent
    for rule in template.rules:
        passed, value, step, message = _check(rule, facts, today)
        steps.append(step)
        if not passed:
            values = {"value": value, "threshold": _json(rule.threshold), "months": rule.months}
            reasons.append(Reason(rule.param.value, message, values))
            refuse = refuse or rule.on_fail is OnFail.REFUSE
    amount = ZERO
    if refuse:
        outcome = Outcome.REFUSE
    elif reasons:
        outcome = Outcome.REFER
    elif guideline.amount == 0:
        outcome = Outcome.REFER
        reasons.append(Reason("no_guideline", "The debtor has no guideline limit.", {}))
    elif requested <= guideline.amount:
        outcome, amount = Outcome.APPROVE, requested
    else:
        outcome = template.above_guideline
        if outcome is Outcome.PARTLY_APPROVE:
            amount = guideline.amount
        values = {"requested": str(requested), "guideline": str(guideline.amount)}
        message = f"Requested {_fmt(requested)} is above the guideline of {_fmt(guideline.amount)}."
        reasons.append(Reason("above_guideline", message, values))
    line = f"decision: {outcome.value} at {_fmt(amount)} (requested {_fmt(requested)})"
    steps.append(_step("decision", line, outcome=outcome.value, amount=amount, requested=requested))
    return Decision(
        outcome=outcome,
        amount=amount,
        requested=requested,
        guideline=guideline.amount,
        reasons=tuple(reasons),
        steps=tuple(steps),
        band=rating_band(facts.rating),
    )
