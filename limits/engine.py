"""The credit decision engine: a debtor's guideline limit, whether a request is a DCL, and a
template's verdict on a request.

Pure functions over plain values (dataclasses, Decimal, date); no ORM. Callers turn a debtor
and its credit decision template into `DebtorFacts` and `TemplateSpec`, call `dcl_eligible`
and `decide`, and store or show the result, whose `steps` explain it line by line (DOMAIN.md,
"Credit limits").

Steps and reasons are data: `{"code", "values", "message"}`, with JSON-ready values and the
line in plain English as `message` (for the log, and for a code a reader does not know).
Pages, letters and the API put them in the reader's language from the code and the values
(limits.steps, limits.reasons). The parameters themselves are described in limits.params.

Months are whole calendar months, with month ends clamped (31 Jan to 28 Feb is one month), as
`dateutil.relativedelta` counts them. "Within N months" of `today` includes the day exactly N
months back.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import NamedTuple, TypedDict

from dateutil.relativedelta import relativedelta

from core.money import round_money, to_decimal
from debtors.risk import BANDS, INSOLVENCY_KINDS, VERY_HIGH, band_for, rating_band

from .params import PARAMS, Judged, Param, Reads

__all__ = [  # the bands are the debtors app's; re-exported for the engine's callers
    "BANDS",
    "rating_band",
    "Param",
]

GUIDELINE_CAP_SEK = Decimal("500000000")
YOUNG_COMPANY_MONTHS = 12
YOUNG_COMPANY_SEK = Decimal("25000")
YOUNG_COMPANY_RATING_ABOVE = 40
ZERO = round_money(0)


class Outcome(StrEnum):
    APPROVE = "approve"
    PARTLY_APPROVE = "partly_approve"
    REFER = "refer"
    REFUSE = "refuse"


class OnFail(StrEnum):
    REFER = "refer"
    REFUSE = "refuse"


# How each parameter is judged, from the registry (limits.params).
MINIMUM = {p for p, d in PARAMS.items() if d.judged is Judged.AT_LEAST}
MAXIMUM = {p for p, d in PARAMS.items() if d.judged is Judged.AT_MOST}
COUNTS = {p for p, d in PARAMS.items() if d.counts}
FLAGS = {p for p, d in PARAMS.items() if d.judged is Judged.YES}
PASS_WITHOUT_DATA = {p for p, d in PARAMS.items() if d.pass_without_data}


@dataclass(frozen=True)
class DatedEvent:
    on: date
    amount: Decimal | None = None


@dataclass(frozen=True)
class RiskEventFact:
    """A risk event on the debtor (debtors.models.RiskEvent) that no underwriter has
    reviewed yet."""

    kind: str  # bankruptcy, restructuring, liquidation, payment_remark, rating_drop
    on: date
    id: int | None = None

    @property
    def insolvency(self) -> bool:
        return self.kind in INSOLVENCY_KINDS

    def values(self) -> dict:
        return {"kind": self.kind, "date": self.on.isoformat(), "event_id": self.id}


@dataclass(frozen=True)
class DebtorFacts:
    """What the engine knows of a debtor. The event lists and `board_changed_on` are known
    only with a credit report: without `report_date` their parameters have no data (and fail);
    with one, an empty list or no board change means none happened."""

    rating: int | None
    registered_on: date | None
    legal_form: str
    payment_remarks: tuple[DatedEvent, ...] = ()
    debt_balance: Decimal | None = None
    debt_balance_history: tuple[DatedEvent, ...] = ()
    failed_distraints: tuple[DatedEvent, ...] = ()
    f_tax: bool | None = None
    vat: bool | None = None
    employer: bool | None = None
    board_changed_on: date | None = None
    turnover: Decimal | None = None  # latest accounts, in SEK
    equity_ratio: Decimal | None = None
    result: Decimal | None = None
    accounts_closed_on: date | None = None
    clean_audit: bool | None = None
    report_date: date | None = None
    insolvent: bool = False  # bankruptcy, liquidation or restructuring recorded
    unreviewed_events: tuple[RiskEventFact, ...] = ()  # oldest first


@dataclass(frozen=True)
class Rule:
    """One template parameter. Count parameters without a threshold allow none (0); `months`
    None means "ever"; the other judged-by-number parameters need a threshold."""

    param: Param
    threshold: Decimal | None = None
    months: int | None = None
    on_fail: OnFail = OnFail.REFER

    def __post_init__(self):
        if self.threshold is not None:
            object.__setattr__(self, "threshold", to_decimal(self.threshold))
        elif PARAMS[self.param].threshold.required:
            raise ValueError(f"Rule {self.param} needs a threshold.")
        if self.months is not None and self.months < 0:
            raise ValueError(f"Rule {self.param}: months must not be negative.")


@dataclass(frozen=True)
class TemplateSpec:
    rules: tuple[Rule, ...]
    above_guideline: Outcome = Outcome.PARTLY_APPROVE

    def __post_init__(self):
        if self.above_guideline not in (Outcome.PARTLY_APPROVE, Outcome.REFER):
            raise ValueError("Above the guideline a template partly approves or refers.")


class Step(TypedDict):
    """One line of an assessment: a stable code, its values (JSON-ready) and the line in
    plain English."""

    code: str
    values: dict
    message: str


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    values: dict


@dataclass(frozen=True)
class Guideline:
    amount: Decimal  # in the policy currency, whole units with two places
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    amount: Decimal
    requested: Decimal
    guideline: Decimal
    reasons: tuple[Reason, ...]
    steps: tuple[Step, ...]
    band: str | None


class DclVerdict(NamedTuple):
    eligible: bool
    reasons: tuple[Reason, ...]  # why not; empty when eligible
    steps: tuple[Step, ...]


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Param.RATING, Decimal(40)),
    Rule(Param.PAYMENT_REMARKS, Decimal(0), months=12),
    Rule(Param.DEBT_BALANCE, Decimal(0)),
    Rule(Param.COMPANY_AGE, Decimal(12)),
    Rule(Param.F_TAX),
    Rule(Param.VAT),
    Rule(Param.EQUITY_RATIO, Decimal(10)),
)


def _json(value):
    return str(value) if isinstance(value, Decimal | date) else value


def _step(code: str, message: str, **values) -> Step:
    return Step(code=code, values={k: _json(v) for k, v in values.items()}, message=message)


def _reason(code: str, message: str, **values) -> Reason:
    return Reason(code, message, {k: _json(v) for k, v in values.items()})


def _fmt(value: Decimal | int, cents: bool = True) -> str:
    """12 000 000, 52 173.91: spaces between thousands, decimals only when there are any; two
    of them for computed amounts (`cents`), else as given (0.4, 11.5)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}".replace(",", " ")
    return (f"{value:,.2f}" if cents else f"{value.normalize():,f}").replace(",", " ")


def _months_between(start: date, end: date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


# The guideline limit ------------------------------------------------------------------------


def guideline_limit(facts: DebtorFacts, *, today: date, sek_per_unit: Decimal) -> Guideline:
    """The guideline limit in the policy currency (`sek_per_unit` SEK buy one unit of it).

    From the rating band's percentage of the latest turnover (in SEK), at most 500 000 000 SEK;
    a company younger than 12 months gets 25 000 SEK if rated over 40, else none; no rating or
    no (positive) turnover gives none. Converted, then rounded DOWN to whole units, because a
    limit is a round figure and rounding must never grant more than the rule allows.
    """
    sek_per_unit = to_decimal(sek_per_unit)
    if sek_per_unit <= 0:
        raise ValueError("sek_per_unit must be positive.")
    if facts.rating is None:
        return Guideline(ZERO, (_step("no_rating", "no rating → no guideline"),))
    band = band_for(facts.rating)
    steps = [
        _step(
            "band",
            f"rating {facts.rating} → band {band.code} ({band.low}–{band.high})",
            rating=facts.rating,
            band=band.code,
            low=band.low,
            high=band.high,
        )
    ]
    age = None if facts.registered_on is None else _months_between(facts.registered_on, today)
    if age is not None and age < YOUNG_COMPANY_MONTHS:
        young = f"registered {facts.registered_on}, {age} months before {today}: younger than 12"
        values = {"registered_on": facts.registered_on, "months": age, "today": today}
        if facts.rating <= YOUNG_COMPANY_RATING_ABOVE:
            line = f"{young}, rating not over 40 → no guideline"
            return Guideline(ZERO, (*steps, _step("young_no_guideline", line, **values)))
        sek = YOUNG_COMPANY_SEK
        steps.append(
            _step(
                "young_guideline", f"{young}, rating over 40 → {_fmt(sek)} SEK", **values, sek=sek
            )
        )
    elif not band.guideline_percent:
        return Guideline(ZERO, (*steps, _step("band_no_guideline", "no guideline in this band")))
    elif facts.turnover is None or facts.turnover <= 0:
        return Guideline(ZERO, (*steps, _step("no_turnover", "no turnover figure → no guideline")))
    else:
        percent = band.guideline_percent
        sek = facts.turnover * percent / 100
        line = f"{_fmt(percent, False)} % of turnover {_fmt(facts.turnover)} SEK = {_fmt(sek)} SEK"
        steps.append(
            _step("turnover_share", line, percent=percent, turnover=facts.turnover, sek=sek)
        )
    if sek > GUIDELINE_CAP_SEK:
        sek = GUIDELINE_CAP_SEK
        steps.append(_step("capped", f"capped at {_fmt(sek)} SEK", sek=sek))
    amount = sek / sek_per_unit
    if sek_per_unit != 1:
        line = f"in the policy currency at {_fmt(sek_per_unit, False)} SEK a unit = {_fmt(amount)}"
        steps.append(
            _step("converted", line, sek_per_unit=sek_per_unit, amount=round_money(amount))
        )
    amount = round_money(amount.quantize(Decimal(1), rounding=ROUND_DOWN))
    steps.append(
        _step("rounded_down", f"rounded down to whole units = {_fmt(amount)}", amount=amount)
    )
    return Guideline(amount, tuple(steps))


# The template's parameters ------------------------------------------------------------------


def _within(events: tuple[DatedEvent, ...], months: int | None, today: date) -> int:
    if months is None:
        return len(events)
    since = today - relativedelta(months=months)
    return sum(1 for event in events if event.on >= since)


def _measure(param: Param, facts: DebtorFacts, months: int | None, today: date):
    """The debtor's value for a parameter, or None when there is no data, read as the
    registry says."""
    spec = PARAMS[param]
    raw = getattr(facts, spec.field)
    match spec.reads:
        case Reads.EVENTS_WITHIN:
            return _within(raw, months, today) if facts.report_date is not None else None
        case Reads.MONTHS_SINCE:
            return raw and _months_between(raw, today)
        case Reads.DATE:
            return raw  # the caller knows whether there was a report
        case _:
            return raw


def _said(passed: bool) -> str:
    return "pass" if passed else "fail"


def _check(rule: Rule, facts: DebtorFacts, today: date) -> tuple[bool, object, Step, str]:
    """Whether the debtor meets the rule, its value (JSON-ready), the step and the English
    message for when it does not."""
    param, threshold, months = rule.param, rule.threshold, rule.months
    spec = PARAMS[param]
    label = spec.name
    window = "" if months is None else f" in the last {months} months"
    values = {"param": param.value, "months": months}
    if spec.judged is Judged.NOT_RECENT and facts.report_date is not None:
        on = facts.board_changed_on
        recent = on is not None and (months is None or on >= today - relativedelta(months=months))
        line = f"{label}{window}: {on or 'never'} → {_said(not recent)}"
        step = _step("param", line, **values, value=on, passed=not recent)
        return not recent, _json(on), step, f"{label} on {on}{window}."
    value = None if spec.reads is Reads.DATE else _measure(param, facts, months, today)
    if value is None:
        passed = spec.pass_without_data
        line = f"{label}: no data → {_said(passed)}"
        step = _step("param", line, **values, value=None, passed=passed)
        return passed, None, step, f"{label}: no data."
    if spec.judged is Judged.YES:
        passed = bool(value)
        line = f"{label}: {'yes' if value else 'no'} → {_said(passed)}"
        step = _step("param", line, **values, value=value, passed=passed)
        return passed, value, step, f"{label}: no."
    if spec.judged is Judged.AT_LEAST:
        passed, need, limit = value >= threshold, "at least", "below the minimum of"
    else:
        threshold = Decimal(0) if threshold is None else threshold
        passed, need, limit = value <= threshold, "at most", "above the maximum of"
    shown, bound = _fmt(value, False), _fmt(threshold, False)
    line = f"{label}{window}: {shown} (needs {need} {bound}) → {_said(passed)}"
    message = f"{label}{window}: {shown}, {limit} {bound}."
    step = _step("param", line, **values, value=value, threshold=threshold, passed=passed)
    return passed, _json(value), step, message


# Risk events and negative information -------------------------------------------------------


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


# The decision -------------------------------------------------------------------------------


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
