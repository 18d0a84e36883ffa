"""The template's parameters: the debtor's value for each, and whether it meets the rule.

"Within N months" of `today` includes the day exactly N months back.
"""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ..params import PARAMS, Judged, Param, Reads
from .facts import DatedEvent, DebtorFacts, Rule, Step
from .lines import _fmt, _json, _months_between, _step


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
