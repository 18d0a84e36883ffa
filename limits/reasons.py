"""The reasons of a limit decision as sentences the insured can read, in the active language.

A decision stores its reasons as `{"code", "message", "values"}` (limits.engine builds them;
the services add "dcl" and "underwriter"). The stored `message` is the engine's English line
for the log; what letters, pages and the API show to people comes from `describe`, which turns
the code and its values into a translated sentence. An unknown code falls back to the stored
message, so a new engine reason is never lost, only untranslated.

Values, as limits.engine._check writes them: `value` (the debtor's figure, a number, a date
string, a flag, or None when there was no data), `threshold` (a decimal string or None) and
`months` (the look-back window, or None for "ever"). Amounts of the credit report (debt
balance, turnover, result) are in SEK; "above_guideline" and "dcl" are in the policy currency.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal, format_percent
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.currencies import format_money

from .engine import Param

# What each parameter is about, for "no information" sentences.
SUBJECTS = {
    Param.RATING: gettext_lazy("the debtor's rating"),
    Param.PAYMENT_REMARKS: gettext_lazy("payment remarks"),
    Param.DEBT_BALANCE: gettext_lazy("debt balance at the enforcement authority"),
    Param.HISTORIC_DEBT_BALANCE: gettext_lazy("earlier debt balances"),
    Param.FAILED_DISTRAINT: gettext_lazy("failed distraint attempts"),
    Param.COMPANY_AGE: gettext_lazy("the company's age"),
    Param.F_TAX: gettext_lazy("F-tax registration"),
    Param.VAT: gettext_lazy("VAT registration"),
    Param.EMPLOYER: gettext_lazy("employer registration"),
    Param.BOARD_CHANGE: gettext_lazy("changes of the board"),
    Param.TURNOVER: gettext_lazy("turnover"),
    Param.EQUITY_RATIO: gettext_lazy("equity ratio"),
    Param.RESULT: gettext_lazy("the result of the latest accounts"),
    Param.MONTHS_SINCE_ACCOUNTS: gettext_lazy("the date of the latest accounts"),
    Param.CLEAN_AUDIT: gettext_lazy("the auditor's report"),
}

REPORT_CURRENCY = "SEK"  # the credit report's amounts
PARAM_CODES = frozenset(p.value for p in Param)


def _locale() -> str:
    return (translation.get_language() or "en").replace("-", "_")


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def _number(value) -> str:
    """12 000 000 / 5,5: the language's notation, no trailing zeros."""
    return format_decimal(_decimal(value).normalize(), locale=_locale(), decimal_quantization=False)


def _count(value) -> int:
    return int(_decimal(value))


def _money(value, currency: str) -> str:
    return format_money(_decimal(value), currency)


def _percent(value) -> str:
    return format_percent(_decimal(value) / 100, locale=_locale(), decimal_quantization=False)


def _date(value) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def _window(months) -> str:
    if months is None:
        return _("on record")
    return ngettext(
        "in the last %(months)s month", "in the last %(months)s months", int(months)
    ) % {"months": months}


def _at_most(threshold, shown) -> str:
    if threshold is None or _decimal(threshold) == 0:
        return _("none is accepted")
    return _("at most %(threshold)s is accepted") % {"threshold": shown}


def _counted(param: Param, n: int) -> str:
    """The sentence for a count of events (payment remarks, debt balances, distraints)."""
    if param is Param.PAYMENT_REMARKS:
        return ngettext(
            "The debtor has %(count)s payment remark %(window)s; %(limit)s.",
            "The debtor has %(count)s payment remarks %(window)s; %(limit)s.",
            n,
        )
    if param is Param.HISTORIC_DEBT_BALANCE:
        return ngettext(
            "The debtor has had %(count)s debt balance at the enforcement authority "
            "%(window)s; %(limit)s.",
            "The debtor has had %(count)s debt balances at the enforcement authority "
            "%(window)s; %(limit)s.",
            n,
        )
    return ngettext(
        "There has been %(count)s failed distraint attempt against the debtor "
        "%(window)s; %(limit)s.",
        "There have been %(count)s failed distraint attempts against the debtor "
        "%(window)s; %(limit)s.",
        n,
    )


def _param_sentence(param: Param, values: dict, fallback: str) -> str:
    value, threshold, months = values.get("value"), values.get("threshold"), values.get("months")
    if value is None:
        return _("No information is available on %(subject)s.") % {"subject": SUBJECTS[param]}
    match param:
        case Param.RATING:
            return _("The debtor's rating of %(value)s is below the minimum of %(threshold)s.") % {
                "value": _number(value),
                "threshold": _number(threshold),
            }
        case Param.PAYMENT_REMARKS | Param.HISTORIC_DEBT_BALANCE | Param.FAILED_DISTRAINT:
            n = _count(value)
            return _counted(param, n) % {
                "count": n,
                "window": _window(months),
                "limit": _at_most(threshold, _number(threshold or 0)),
            }
        case Param.DEBT_BALANCE:
            return _("The debtor owes %(value)s at the enforcement authority; %(limit)s.") % {
                "value": _money(value, REPORT_CURRENCY),
                "limit": _at_most(threshold, _money(threshold or 0, REPORT_CURRENCY)),
            }
        case Param.COMPANY_AGE:
            n = _count(value)
            return ngettext(
                "The company is %(count)s month old; at least %(threshold)s months are required.",
                "The company is %(count)s months old; at least %(threshold)s months are required.",
                n,
            ) % {"count": n, "threshold": _number(threshold)}
        case Param.F_TAX:
            return _("The debtor is not registered for F-tax.")
        case Param.VAT:
            return _("The debtor is not registered for VAT.")
        case Param.EMPLOYER:
            return _("The debtor is not registered as an employer.")
        case Param.CLEAN_AUDIT:
            return _("The auditor's report on the debtor's latest accounts is not clean.")
        case Param.BOARD_CHANGE:
            if months is None:
                return _("The debtor's board was replaced on %(date)s.") % {"date": _date(value)}
            return ngettext(
                "The debtor's board was replaced on %(date)s, within the last %(months)s month.",
                "The debtor's board was replaced on %(date)s, within the last %(months)s months.",
                int(months),
            ) % {"date": _date(value), "months": months}
        case Param.TURNOVER:
            return _(
                "The debtor's turnover of %(value)s is below the minimum of %(threshold)s."
            ) % {
                "value": _money(value, REPORT_CURRENCY),
                "threshold": _money(threshold, REPORT_CURRENCY),
            }
        case Param.RESULT:
            return _("The debtor's result of %(value)s is below the minimum of %(threshold)s.") % {
                "value": _money(value, REPORT_CURRENCY),
                "threshold": _money(threshold, REPORT_CURRENCY),
            }
        case Param.EQUITY_RATIO:
            return _(
                "The debtor's equity ratio of %(value)s is below the minimum of %(threshold)s."
            ) % {"value": _percent(value), "threshold": _percent(threshold)}
        case Param.MONTHS_SINCE_ACCOUNTS:
            n = _count(value)
            return ngettext(
                "The debtor's latest accounts closed %(count)s month ago; at most "
                "%(threshold)s months are accepted.",
                "The debtor's latest accounts closed %(count)s months ago; at most "
                "%(threshold)s months are accepted.",
                n,
            ) % {"count": n, "threshold": _number(threshold)}
    return fallback


def describe(reason: dict, currency: str) -> str:
    """One reason of a decision as a sentence in the active language. `currency` is the
    policy's, for the amounts of the request (the credit report's amounts are in SEK)."""
    code = reason.get("code", "")
    values = reason.get("values") or {}
    message = reason.get("message") or ""
    if code in PARAM_CODES:
        return _param_sentence(Param(code), values, message)
    match code:
        case "above_guideline":
            return _(
                "The amount asked, %(requested)s, is above the debtor's guideline limit of "
                "%(guideline)s."
            ) % {
                "requested": _money(values.get("requested"), currency),
                "guideline": _money(values.get("guideline"), currency),
            }
        case "no_guideline":
            return _("The debtor's credit information gives no guideline limit.")
        case "insolvent":
            return _(
                "The debtor is insolvent: a bankruptcy, liquidation or restructuring has been "
                "recorded."
            )
        case "dcl":
            return _("Granted within the policy's discretionary credit limit of %(dcl)s.") % {
                "dcl": _money(values.get("dcl"), currency)
            }
        case "underwriter":
            return message  # the underwriter's own words, as written
    return message


def describe_all(reasons: list[dict] | None, currency: str) -> list[str]:
    """Every reason, in order, as sentences."""
    return [describe(reason, currency) for reason in reasons or []]
