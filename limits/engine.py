"""The credit decision engine: a debtor's guideline limit and a template's verdict on a request.

Pure functions over plain values (dataclasses, Decimal, date); no ORM. Callers turn a debtor
and its credit decision template into `DebtorFacts` and `TemplateSpec`, call `decide`, and
store or show the `Decision`, whose `steps` explain it line by line (DOMAIN.md, "Credit limits").

Months are whole calendar months, with month ends clamped (31 Jan to 28 Feb is one month), as
`dateutil.relativedelta` counts them. "Within N months" of `today` includes the day exactly N
months back.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from core.money import round_money, to_decimal

GUIDELINE_CAP_SEK = Decimal("500000000")
YOUNG_COMPANY_MONTHS = 12
YOUNG_COMPANY_SEK = Decimal("25000")
YOUNG_COMPANY_RATING_ABOVE = 40
ZERO = round_money(0)

# name, lowest rating, highest rating, guideline in percent of the latest turnover
BANDS: tuple[tuple[str, int, int, Decimal], ...] = (
    ("very_high", 1, 14, Decimal("0")),
    ("high", 15, 39, Decimal("0.4")),
    ("medium", 40, 59, Decimal("4")),
    ("low", 60, 79, Decimal("5")),
    ("very_low", 80, 100, Decimal("6")),
)


class Outcome(StrEnum):
    APPROVE = "approve"
    PARTLY_APPROVE = "partly_approve"
    REFER = "refer"
    REFUSE = "refuse"


class OnFail(StrEnum):
    REFER = "refer"
    REFUSE = "refuse"


class Param(StrEnum):
    RATING = "rating"
    PAYMENT_REMARKS = "payment_remarks"
    DEBT_BALANCE = "debt_balance"
    HISTORIC_DEBT_BALANCE = "historic_debt_balance"
    FAILED_DISTRAINT = "failed_distraint"
    COMPANY_AGE = "company_age"
    F_TAX = "f_tax"
    VAT = "vat"
    EMPLOYER = "employer"
    BOARD_CHANGE = "board_change"
    TURNOVER = "turnover"
    EQUITY_RATIO = "equity_ratio"
    RESULT = "result"
    MONTHS_SINCE_ACCOUNTS = "months_since_accounts"
    CLEAN_AUDIT = "clean_audit"


# How each parameter is judged: the value must be at least / at most the threshold, or true.
MINIMUM = {Param.RATING, Param.COMPANY_AGE, Param.TURNOVER, Param.EQUITY_RATIO, Param.RESULT}
COUNTS = {Param.PAYMENT_REMARKS, Param.HISTORIC_DEBT_BALANCE, Param.FAILED_DISTRAINT}
MAXIMUM = COUNTS | {Param.DEBT_BALANCE, Param.MONTHS_SINCE_ACCOUNTS}
FLAGS = {Param.F_TAX, Param.VAT, Param.EMPLOYER, Param.CLEAN_AUDIT}
PASS_WITHOUT_DATA = {Param.MONTHS_SINCE_ACCOUNTS, Param.CLEAN_AUDIT}
LABELS = {
    Param.RATING: "Rating",
    Param.PAYMENT_REMARKS: "Payment remarks",
    Param.DEBT_BALANCE: "Debt balance at the enforcement authority",
    Param.HISTORIC_DEBT_BALANCE: "Recorded debt balances",
    Param.FAILED_DISTRAINT: "Failed distraint attempts",
    Param.COMPANY_AGE: "Company age in months",
    Param.F_TAX: "Registered for F-tax",
    Param.VAT: "Registered for VAT",
    Param.EMPLOYER: "Registered as employer",
    Param.BOARD_CHANGE: "Board replaced",
    Param.TURNOVER: "Turnover (SEK)",
    Param.EQUITY_RATIO: "Equity ratio (%)",
    Param.RESULT: "Result (SEK)",
    Param.MONTHS_SINCE_ACCOUNTS: "Months since the accounts closed",
    Param.CLEAN_AUDIT: "Clean audit report",
}


@dataclass(frozen=True)
class DatedEvent:
    on: date
    amount: Decimal | None = None


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
        elif (self.param in MINIMUM or self.param in MAXIMUM) and self.param not in COUNTS:
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


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    values: dict


@dataclass(frozen=True)
class Guideline:
    amount: Decimal  # in the policy currency, whole units with two places
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    amount: Decimal
    requested: Decimal
    guideline: Decimal
    reasons: tuple[Reason, ...]
    steps: tuple[str, ...]
    band: str | None


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Param.RATING, Decimal(40)),
    Rule(Param.PAYMENT_REMARKS, Decimal(0), months=12),
    Rule(Param.DEBT_BALANCE, Decimal(0)),
    Rule(Param.COMPANY_AGE, Decimal(12)),
    Rule(Param.F_TAX),
    Rule(Param.VAT),
    Rule(Param.EQUITY_RATIO, Decimal(10)),
)


def rating_band(rating: int | None) -> str | None:
    """The risk band of a rating 1-100, or None without a rating."""
    return None if rating is None else _band(rating)[0]


def _band(rating: int) -> tuple[str, int, int, Decimal]:
    for band in BANDS:
        if band[1] <= rating <= band[2]:
            return band
    raise ValueError(f"A rating runs from 1 to 100, not {rating}.")


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
        return Guideline(ZERO, ("no rating → no guideline",))
    name, low, high, percent = _band(facts.rating)
    steps = [f"rating {facts.rating} → band {name} ({low}–{high})"]
    age = None if facts.registered_on is None else _months_between(facts.registered_on, today)
    if age is not None and age < YOUNG_COMPANY_MONTHS:
        young = f"registered {facts.registered_on}, {age} months before {today}: younger than 12"
        if facts.rating <= YOUNG_COMPANY_RATING_ABOVE:
            return Guideline(ZERO, (*steps, f"{young}, rating not over 40 → no guideline"))
        sek = YOUNG_COMPANY_SEK
        steps.append(f"{young}, rating over 40 → {_fmt(sek)} SEK")
    elif not percent:
        return Guideline(ZERO, (*steps, "no guideline in this band"))
    elif facts.turnover is None or facts.turnover <= 0:
        return Guideline(ZERO, (*steps, "no turnover figure → no guideline"))
    else:
        sek = facts.turnover * percent / 100
        steps.append(
            f"{_fmt(percent, False)} % of turnover {_fmt(facts.turnover)} SEK = {_fmt(sek)} SEK"
        )
    if sek > GUIDELINE_CAP_SEK:
        sek = GUIDELINE_CAP_SEK
        steps.append(f"capped at {_fmt(sek)} SEK")
    amount = sek / sek_per_unit
    if sek_per_unit != 1:
        steps.append(
            f"in the policy currency at {_fmt(sek_per_unit, False)} SEK a unit = {_fmt(amount)}"
        )
    amount = round_money(amount.quantize(Decimal(1), rounding=ROUND_DOWN))
    steps.append(f"rounded down to whole units = {_fmt(amount)}")
    return Guideline(amount, tuple(steps))


def _within(events: tuple[DatedEvent, ...], months: int | None, today: date) -> int:
    if months is None:
        return len(events)
    since = today - relativedelta(months=months)
    return sum(1 for event in events if event.on >= since)


def _measure(param: Param, facts: DebtorFacts, months: int | None, today: date):
    """The debtor's value for a parameter, or None when there is no data."""
    reported = facts.report_date is not None
    match param:
        case Param.PAYMENT_REMARKS:
            return _within(facts.payment_remarks, months, today) if reported else None
        case Param.HISTORIC_DEBT_BALANCE:
            return _within(facts.debt_balance_history, months, today) if reported else None
        case Param.FAILED_DISTRAINT:
            return _within(facts.failed_distraints, months, today) if reported else None
        case Param.COMPANY_AGE:
            return facts.registered_on and _months_between(facts.registered_on, today)
        case Param.MONTHS_SINCE_ACCOUNTS:
            return facts.accounts_closed_on and _months_between(facts.accounts_closed_on, today)
        case _:
            return getattr(facts, param.value)


def _json(value):
    return str(value) if isinstance(value, Decimal | date) else value


def _said(passed: bool) -> str:
    return "pass" if passed else "fail"


def _check(rule: Rule, facts: DebtorFacts, today: date):
    """Whether the debtor meets the rule, its value (JSON-ready), the step line and the message
    shown when it does not."""
    param, threshold, months = rule.param, rule.threshold, rule.months
    label = LABELS[param]
    window = "" if months is None else f" in the last {months} months"
    if param is Param.BOARD_CHANGE and facts.report_date is not None:
        on = facts.board_changed_on
        recent = on is not None and (months is None or on >= today - relativedelta(months=months))
        line = f"{label}{window}: {on or 'never'} → {_said(not recent)}"
        return not recent, _json(on), line, f"{label} on {on}{window}."
    value = None if param is Param.BOARD_CHANGE else _measure(param, facts, months, today)
    if value is None:
        passed = param in PASS_WITHOUT_DATA
        return passed, None, f"{label}: no data → {_said(passed)}", f"{label}: no data."
    if param in FLAGS:
        line = f"{label}: {'yes' if value else 'no'} → {_said(value)}"
        return bool(value), value, line, f"{label}: no."
    if param in MINIMUM:
        passed, need, limit = value >= threshold, "at least", "below the minimum of"
    else:
        threshold = Decimal(0) if threshold is None else threshold
        passed, need, limit = value <= threshold, "at most", "above the maximum of"
    shown, bound = _fmt(value, False), _fmt(threshold, False)
    line = f"{label}{window}: {shown} (needs {need} {bound}) → {_said(passed)}"
    message = f"{label}{window}: {shown}, {limit} {bound}."
    return passed, _json(value), line, message


def decide(
    facts: DebtorFacts,
    template: TemplateSpec,
    *,
    requested: Decimal,
    today: date,
    sek_per_unit: Decimal,
) -> Decision:
    """The automatic decision on a limit request for `requested` (policy currency, > 0).

    Every rule is checked, and every failing one is a reason. Insolvency or a failing rule that
    refuses → REFUSE; any other failure → REFER; all pass → APPROVE up to the guideline, above it
    the template's choice (PARTLY_APPROVE at the guideline, or REFER); no guideline → REFER.
    """
    requested = round_money(to_decimal(requested))
    if requested <= 0:
        raise ValueError("The requested amount must be positive.")
    guideline = guideline_limit(facts, today=today, sek_per_unit=sek_per_unit)
    steps, reasons, refuse = list(guideline.steps), [], facts.insolvent
    if facts.insolvent:
        steps.append("insolvency recorded → refuse")
        message = "The debtor is insolvent (bankruptcy, liquidation or restructuring)."
        reasons.append(Reason("insolvent", message, {}))
    for rule in template.rules:
        passed, value, line, message = _check(rule, facts, today)
        steps.append(line)
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
    steps.append(f"decision: {outcome.value} at {_fmt(amount)} (requested {_fmt(requested)})")
    return Decision(
        outcome=outcome,
        amount=amount,
        requested=requested,
        guideline=guideline.amount,
        reasons=tuple(reasons),
        steps=tuple(steps),
        band=rating_band(facts.rating),
    )
