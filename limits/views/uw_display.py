"""How the underwriting pages show a decision's reasons and totals: failing parameters in a
few words for the queue, with value and threshold for the request page, and limit totals per
currency (the policies on one debtor may be in several currencies)."""

from collections import defaultdict
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.currencies import format_money
from debtors.risk import BAND_LABELS as RISK_BAND_LABELS

from ..params import Judged, param_def
from ..reasons import describe

# Reasons that are not template parameters, in a few words (the parameters' are in the registry).
SHORT_LABELS = {
    "insolvent": gettext_lazy("Insolvent"),
    "insolvency_event": gettext_lazy("Insolvency event"),
    "risk_event_unreviewed": gettext_lazy("Unreviewed risk event"),
    "no_guideline": gettext_lazy("No guideline"),
    "above_guideline": gettext_lazy("Above guideline"),
}
BAND_LABELS = RISK_BAND_LABELS  # the debtors app's names of the rating bands


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


def short_reason(reason: dict) -> str:
    """ "Rating 30 < 40", "Payment remarks 2 > 0": a failing parameter in a few words."""
    code, values = reason.get("code", ""), reason.get("values") or {}
    spec = param_def(code)
    if spec is None:
        return str(SHORT_LABELS.get(code, reason.get("message", code)))
    label = str(spec.short)
    if spec.judged not in (Judged.AT_LEAST, Judged.AT_MOST):
        return label
    if values.get("value") is None:
        return f"{label}: {_('no data')}"
    threshold = values.get("threshold") or 0
    sign = "<" if spec.judged is Judged.AT_LEAST else ">"
    return f"{label} {_show(values['value'])} {sign} {_show(threshold)}"


def reason_rows(reasons: list[dict], currency: str) -> list[dict]:
    """Each failing parameter with the debtor's value, the threshold and the sentence."""
    rows = []
    for reason in reasons:
        spec, values = param_def(reason.get("code", "")), reason.get("values") or {}
        rows.append(
            {
                "label": spec.label if spec else SHORT_LABELS.get(reason["code"], ""),
                "is_param": spec is not None,
                "value": _show(values.get("value")) if spec else "",
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
