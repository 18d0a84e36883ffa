"""A limit decision's reasons and its assessment's steps as sentences the reader can read, in
the active language, with numbers, amounts and dates in that language's notation.

The engine (limits.engine) stores both as `{"code", "message", "values"}`: the stored
`message` is its plain English line, for the log; what letters, pages and the API show people
comes from `describe` and `describe_step`, which build the sentence from the code and its
values. An unknown code falls back to the stored message, so a new engine line is never lost,
only untranslated; a step stored as a bare string (requests assessed before steps had codes)
is shown as it was written.

Values of a template parameter's reason, as limits.engine.rules._check writes them: `value` (the
debtor's figure, a number, a date string, a flag, or None when there was no data), `threshold`
(a decimal string or None) and `months` (the look-back window, or None for "ever"). How each
parameter is named and its failure explained is in the registry, limits.params. Amounts of
the credit report (debt balance, turnover, result) are in SEK; "above_guideline", "dcl" and
the guideline's last steps are in the policy currency.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal, format_percent
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.currencies import format_money
from debtors.models import RiskEventKind
from debtors.risk import BAND_LABELS

from .params import Judged, ParamDef, Unit, param_def

REPORT_CURRENCY = "SEK"  # the credit report's amounts


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


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _shown(unit: Unit, value) -> str:
    """A parameter's value or threshold in the reader's notation."""
    match unit:
        case Unit.SEK:
            return _money(value, REPORT_CURRENCY)
        case Unit.PERCENT:
            return _percent(value)
        case Unit.DATE:
            return _date(value)
        case Unit.FLAG:
            return _yes_no(value)
    return _number(value)


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


def _event(values: dict) -> dict:
    """A risk event's kind and date for a sentence."""
    kind = values.get("kind") or ""
    label = RiskEventKind(kind).label if kind in RiskEventKind.values else kind
    return {"event": label, "date": _date(values.get("date"))}


# Reasons ------------------------------------------------------------------------------------


def _param_sentence(spec: ParamDef, values: dict) -> str:
    value, threshold, months = values.get("value"), values.get("threshold"), values.get("months")
    if value is None:
        return _("No information is available on %(subject)s.") % {"subject": spec.subject}
    sentence = spec.explains
    if spec.judged is Judged.NOT_RECENT and months is None:
        sentence = spec.explains_ever
    shown_threshold = "" if threshold is None else _shown(spec.unit, threshold)
    # The sentence may be plural by "count" or "months" (ngettext_lazy in the registry).
    return sentence % {
        "value": _shown(spec.unit, value),
        "threshold": shown_threshold,
        "count": _count(value) if spec.unit in (Unit.COUNT, Unit.MONTHS) else 0,
        "window": _window(months),
        "limit": _at_most(threshold, _shown(spec.unit, threshold or 0)),
        "date": _date(value),
        "months": int(months) if months is not None else 0,
    }


def describe(reason: dict, currency: str) -> str:
    """One reason of a decision as a sentence in the active language. `currency` is the
    policy's, for the amounts of the request (the credit report's amounts are in SEK)."""
    code = reason.get("code", "")
    values = reason.get("values") or {}
    message = reason.get("message") or ""
    spec = param_def(code)
    if spec is not None:
        return _param_sentence(spec, values)
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
        case "not_above_limit":
            return _(
                "The amount that can be granted, %(granted)s, is not above the limit in force "
                "of %(limit)s: the increase is refused and the limit stays as it is."
            ) % {
                "granted": _money(values.get("granted"), currency),
                "limit": _money(values.get("limit"), currency),
            }
        case "insolvent":
            return _(
                "The debtor is insolvent: a bankruptcy, liquidation or restructuring has been "
                "recorded."
            )
        case "insolvency_event":
            return _(
                "The debtor is insolvent (%(event)s, %(date)s); new requests on it are refused."
            ) % _event(values)
        case "risk_event_unreviewed":
            return _(
                "A risk event on the debtor has not yet been reviewed by an underwriter "
                "(%(event)s, %(date)s)."
            ) % _event(values)
        case "dcl":
            return _("Granted within the policy's discretionary credit limit of %(dcl)s.") % {
                "dcl": _money(values.get("dcl"), currency)
            }
        case "dcl_not_new":
            return _("Only a new limit can be a discretionary credit limit.")
        case "dcl_has_limit":
            return _("A limit is already in force on the debtor.")
        case "dcl_above":
            return _(
                "The amount asked, %(requested)s, is above the discretionary credit limit of "
                "%(dcl)s."
            ) % {
                "requested": _money(values.get("requested"), currency),
                "dcl": _money(values.get("dcl"), currency),
            }
        case "dcl_no_report":
            return _("There is no credit report on the debtor.")
        case "dcl_report_too_old":
            months = _count(values.get("months"))
            return ngettext(
                "The credit report of %(date)s is older than %(months)s month.",
                "The credit report of %(date)s is older than %(months)s months.",
                months,
            ) % {"date": _date(values.get("report_date")), "months": months}
        case "has_payment_remarks":
            n = _count(values.get("count"))
            return ngettext(
                "The debtor has %(count)s payment remark on record.",
                "The debtor has %(count)s payment remarks on record.",
                n,
            ) % {"count": n}
        case "has_debt_balance":
            return _("The debtor owes %(amount)s at the enforcement authority.") % {
                "amount": _money(values.get("amount"), REPORT_CURRENCY)
            }
        case "has_failed_distraint":
            n = _count(values.get("count"))
            return ngettext(
                "There has been %(count)s failed distraint attempt against the debtor.",
                "There have been %(count)s failed distraint attempts against the debtor.",
                n,
            ) % {"count": n}
        case "very_high_risk":
            return _("The debtor's rating of %(rating)s is in the very-high-risk band (1–14).") % {
                "rating": _number(values.get("rating"))
            }
        case "underwriter":
            return message  # the underwriter's own words, as written
    return message


def describe_all(reasons: list[dict] | None, currency: str) -> list[str]:
    """Every reason, in order, as sentences."""
    return [describe(reason, currency) for reason in reasons or []]


# Steps --------------------------------------------------------------------------------------


def _verdict(passed) -> str:
    return _("pass") if passed else _("fail")


def _param_step(values: dict) -> str:
    spec = param_def(values.get("param", ""))
    if spec is None:
        return ""
    name, months = _(spec.name), values.get("months")
    if months is not None:
        name = ngettext(
            "%(name)s in the last %(months)s month",
            "%(name)s in the last %(months)s months",
            int(months),
        ) % {"name": name, "months": months}
    value, verdict = values.get("value"), _verdict(values.get("passed"))
    if spec.judged is Judged.NOT_RECENT and value is None and values.get("passed"):
        # with a credit report and no change of the board on it
        return _("%(name)s: never → %(verdict)s") % {"name": name, "verdict": verdict}
    if value is None:
        return _("%(name)s: no data → %(verdict)s") % {"name": _(spec.name), "verdict": verdict}
    shown = _shown(spec.unit, value)
    if spec.judged in (Judged.YES, Judged.NOT_RECENT):
        return _("%(name)s: %(value)s → %(verdict)s") % {
            "name": name,
            "value": shown,
            "verdict": verdict,
        }
    line = (
        _("%(name)s: %(value)s (needs at least %(threshold)s) → %(verdict)s")
        if spec.judged is Judged.AT_LEAST
        else _("%(name)s: %(value)s (needs at most %(threshold)s) → %(verdict)s")
    )
    return line % {
        "name": name,
        "value": shown,
        "threshold": _shown(spec.unit, values.get("threshold") or 0),
        "verdict": verdict,
    }


def _outcome(code: str) -> str:
    return {
        "approve": _("approve"),
        "partly_approve": _("partly approve"),
        "refer": _("refer to an underwriter"),
        "refuse": _("refuse"),
    }.get(code, code)


def _step_line(code: str, v: dict, currency: str) -> str | None:
    match code:
        case "no_rating":
            return _("No rating → no guideline limit")
        case "band":
            band = v.get("band")
            return _("Rating %(rating)s → %(band)s (%(low)s–%(high)s)") % {
                "rating": v.get("rating"),
                "band": BAND_LABELS.get(band, band),
                "low": v.get("low"),
                "high": v.get("high"),
            }
        case "young_no_guideline" | "young_guideline":
            months = _count(v.get("months"))
            young = ngettext(
                "Registered on %(date)s, %(months)s month before %(today)s: younger than 12 months",
                "Registered on %(date)s, %(months)s months before %(today)s: younger than 12 "
                "months",
                months,
            ) % {
                "date": _date(v.get("registered_on")),
                "months": months,
                "today": _date(v.get("today")),
            }
            if code == "young_no_guideline":
                return _("%(young)s, rating not over 40 → no guideline limit") % {"young": young}
            return _("%(young)s, rating over 40 → %(amount)s") % {
                "young": young,
                "amount": _money(v.get("sek"), REPORT_CURRENCY),
            }
        case "band_no_guideline":
            return _("No guideline limit in this band")
        case "no_turnover":
            return _("No turnover figure → no guideline limit")
        case "turnover_share":
            return _("%(percent)s of the turnover of %(turnover)s = %(amount)s") % {
                "percent": _percent(v.get("percent")),
                "turnover": _money(v.get("turnover"), REPORT_CURRENCY),
                "amount": _money(v.get("sek"), REPORT_CURRENCY),
            }
        case "capped":
            return _("Capped at %(amount)s") % {"amount": _money(v.get("sek"), REPORT_CURRENCY)}
        case "converted":
            return _("In the policy currency at %(rate)s SEK a unit = %(amount)s") % {
                "rate": _number(v.get("sek_per_unit")),
                "amount": _money(v.get("amount"), currency),
            }
        case "rounded_down":
            return _("Rounded down to whole units = %(amount)s") % {
                "amount": _money(v.get("amount"), currency)
            }
        case "insolvency_event":
            return _("Insolvency (%(event)s, %(date)s) → refuse") % _event(v)
        case "risk_event_unreviewed":
            return _("Risk event not yet reviewed (%(event)s, %(date)s) → refer") % _event(v)
        case "insolvent":
            return _("Insolvency recorded → refuse")
        case "param":
            return _param_step(v) or None
        case "decision":
            values = {
                "outcome": _outcome(v.get("outcome", "")),
                "amount": _money(v.get("amount"), currency),
                "requested": _money(v.get("requested"), currency),
            }
            if v.get("outcome") in ("refer", "refuse"):  # no amount to speak of
                return _("Decision: %(outcome)s (asked %(requested)s)") % values
            return _("Decision: %(outcome)s, %(amount)s (asked %(requested)s)") % values
        case "dcl_not_eligible":
            reason = describe({"code": v.get("reason", ""), "values": v}, currency)
            return (
                _("No discretionary credit limit: %(reason)s") % {"reason": reason}
                if reason
                else None
            )
        case "dcl_eligible":
            return _(
                "Within the discretionary credit limit of %(dcl)s, no negative information → "
                "granted at once"
            ) % {"dcl": _money(v.get("dcl"), currency)}
    return None


def describe_step(step, currency: str) -> str:
    """One step of an assessment as a line in the active language. `currency` is the
    policy's. A step stored as a plain string (before steps had codes) is shown as written."""
    if isinstance(step, str):
        return step
    line = _step_line(step.get("code", ""), step.get("values") or {}, currency)
    return line if line is not None else step.get("message", "")


def describe_steps(steps: list | None, currency: str) -> list[str]:
    return [describe_step(step, currency) for step in steps or []]
