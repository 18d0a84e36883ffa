"""How the underwriting pages show a decision's reasons and totals: failing parameters in a
few words for the queue, with value and threshold for the request page, and limit totals per
currency (the policies on one debtor may be in several currencies)."""

from collections import defaultdict
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.currencies import format_money

from ..engine import MAXIMUM, MINIMUM, Param
from ..models import PARAM_LABELS
from ..reasons import describe

SHORT_LABELS = {
    Param.RATING: gettext_lazy("Rating"),
    Param.PAYMENT_REMARKS: gettext_lazy("Payment remarks"),
    Param.DEBT_BALANCE: gettext_lazy("Debt balance"),
    Param.HISTORIC_DEBT_BALANCE: gettext_lazy("Historic debt balances"),
    Param.FAILED_DISTRAINT: gettext_lazy("Failed distraints"),
    Param.COMPANY_AGE: gettext_lazy("Company age"),
    Param.F_TAX: gettext_lazy("No F-tax"),
    Param.VAT: gettext_lazy("No VAT registration"),
    Param.EMPLOYER: gettext_lazy("Not an employer"),
    Param.BOARD_CHANGE: gettext_lazy("Board replaced"),
    Param.TURNOVER: gettext_lazy("Turnover"),
    Param.EQUITY_RATIO: gettext_lazy("Equity ratio"),
    Param.RESULT: gettext_lazy("Result"),
    Param.MONTHS_SINCE_ACCOUNTS: gettext_lazy("Old accounts"),
    Param.CLEAN_AUDIT: gettext_lazy("Audit remarks"),
    "insolvent": gettext_lazy("Insolvent"),
    "no_guideline": gettext_lazy("No guideline"),
    "above_guideline": gettext_lazy("Above guideline"),
}

BAND_LABELS = {
    "very_high": gettext_lazy("very high risk"),
    "high": gettext_lazy("high risk"),
    "medium": gettext_lazy("medium risk"),
    "low": gettext_lazy("low risk"),
    "very_low": gettext_lazy("very low risk"),
}


def _show(value) -> str:
    """A reason's value for the page: numbers in the active language, yes/no, or no data."""
    if value is None or value == "":
        return _("no data")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    places = 0 if number == number.to_integral_value() else 2
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def _param(code: str) -> Param | None:
    try:
        return Param(code)
    except ValueError:
        return None


def short_reason(reason: dict) -> str:
    """ "Rating 30 < 40", "Payment remarks 2 > 0": a failing parameter in a few words."""
    code, values = reason.get("code", ""), reason.get("values") or {}
    label = str(SHORT_LABELS.get(_param(code) or code, reason.get("message", code)))
    param = _param(code)
    if param is None or param not in MINIMUM | MAXIMUM:
        return label
    if values.get("value") is None:
        return f"{label}: {_('no data')}"
    threshold = values.get("threshold") or 0
    sign = "<" if param in MINIMUM else ">"
    return f"{label} {_show(values['value'])} {sign} {_show(threshold)}"


def reason_rows(reasons: list[dict], currency: str) -> list[dict]:
    """Each failing parameter with the debtor's value, the threshold and the sentence."""
    rows = []
    for reason in reasons:
        param, values = _param(reason.get("code", "")), reason.get("values") or {}
        rows.append(
            {
                "label": PARAM_LABELS[param] if param else SHORT_LABELS.get(reason["code"], ""),
                "is_param": param is not None,
                "value": _show(values.get("value")) if param else "",
                "threshold": _show(values.get("threshold")) if values.get("threshold") else "",
                "months": values.get("months"),
                "sentence": describe(reason, currency),
            }
        )
    return rows


def totals_by_currency(limits) -> list[str]:
    """Limits of several policies may be in several currencies: one total per currency."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for limit in limits:
        totals[limit.policy.currency] += limit.amount
    return [format_money(amount, currency) for currency, amount in sorted(totals.items())]
