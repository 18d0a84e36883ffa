"""The parameters of a credit decision template, each described once: how the engine reads
and judges it, which thresholds make sense, and how pages, letters and the API name it and
explain a failure. The engine (limits.engine), the template editor and its service, the
model's choices, the underwriter's pages and the reason sentences (limits.reasons) all read
this registry; none keeps a table of its own.

No ORM here. `name` is plain English: the engine writes its step lines and messages with it,
and pages translate it with gettext (gettext_noop marks it for makemessages). The other texts
are lazy translations, read in the reader's language.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

MAX_MONTHS = 240  # the longest look-back a rule may ask for


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


class Judged(StrEnum):
    """How the debtor's value meets the rule."""

    AT_LEAST = "at_least"  # value >= threshold
    AT_MOST = "at_most"  # value <= threshold (a count without a threshold allows none)
    YES = "yes"  # a flag that must be true
    NOT_RECENT = "not_recent"  # a date that must not fall within the months given


class Reads(StrEnum):
    """How the engine reads the debtor's value from its facts (`field`)."""

    VALUE = "value"  # the figure as it is
    EVENTS_WITHIN = "events_within"  # how many dated events within the months (with a report)
    MONTHS_SINCE = "months_since"  # whole calendar months from the date to today
    DATE = "date"  # a date, known only with a report (no date then means "never")


class Unit(StrEnum):
    """What the value and the threshold are, for showing them."""

    NUMBER = "number"
    COUNT = "count"
    MONTHS = "months"
    SEK = "sek"  # the credit report's amounts are in SEK
    PERCENT = "percent"
    FLAG = "flag"
    DATE = "date"


@dataclass(frozen=True)
class Threshold:
    """Which thresholds a parameter takes (checked by limits.services.templates)."""

    used: bool  # the parameter uses a threshold
    required: bool = False  # ... and has no meaning without one
    low: Decimal | None = None
    high: Decimal | None = None
    whole: bool = False  # whole numbers only


@dataclass(frozen=True)
class ParamDef:
    param: Param
    name: str  # plain English, as the engine's step lines say it
    label: Promise  # the template editor's row and the rule's choice: "Rating at least"
    short: Promise  # a failure in a few words, for the underwriter's queue
    subject: Promise  # "No information is available on <subject>."
    help: Promise  # the template editor's help text
    unit: Unit
    judged: Judged
    reads: Reads
    field: str  # the DebtorFacts field read
    threshold: Threshold
    explains: Promise  # the failure, as a sentence (see limits.reasons for its values)
    months: bool = False  # "within N months" applies
    pass_without_data: bool = False
    explains_ever: Promise | None = None  # the sentence when the rule has no months

    @property
    def counts(self) -> bool:
        return self.reads is Reads.EVENTS_WITHIN


_COUNT = Threshold(used=True, low=Decimal(0), high=Decimal(1000), whole=True)
_FLAG = Threshold(used=False)
_SEK_AT_LEAST_0 = Threshold(used=True, required=True, low=Decimal(0))


_DEFS = (
    ParamDef(
        Param.RATING,
        name=gettext_noop("Rating"),
        label=_("Rating at least"),
        short=_("Rating"),
        subject=_("the debtor's rating"),
        help=_("The lowest rating (1–100) that passes; 40 is the start of medium risk."),
        unit=Unit.NUMBER,
        judged=Judged.AT_LEAST,
        reads=Reads.VALUE,
        field="rating",
        threshold=Threshold(
            used=True, required=True, low=Decimal(1), high=Decimal(100), whole=True
        ),
        explains=_("The debtor's rating of %(value)s is below the minimum of %(threshold)s."),
    ),
    ParamDef(
        Param.PAYMENT_REMARKS,
        name=gettext_noop("Payment remarks"),
        label=_("Payment remarks at most"),
        short=_("Payment remarks"),
        subject=_("payment remarks"),
        help=_(
            "How many payment remarks are allowed (empty = none) within the months given "
            "(empty = ever)."
        ),
        unit=Unit.COUNT,
        judged=Judged.AT_MOST,
        reads=Reads.EVENTS_WITHIN,
        field="payment_remarks",
        threshold=_COUNT,
        months=True,
        explains=ngettext_lazy(
            "The debtor has %(count)s payment remark %(window)s; %(limit)s.",
            "The debtor has %(count)s payment remarks %(window)s; %(limit)s.",
            "count",
        ),
    ),
    ParamDef(
        Param.DEBT_BALANCE,
        name=gettext_noop("Debt balance at the enforcement authority"),
        label=_("Debt balance at most"),
        short=_("Debt balance"),
        subject=_("debt balance at the enforcement authority"),
        help=_(
            "The highest debt balance at the enforcement authority today, in SEK; 0 allows none."
        ),
        unit=Unit.SEK,
        judged=Judged.AT_MOST,
        reads=Reads.VALUE,
        field="debt_balance",
        threshold=_SEK_AT_LEAST_0,
        explains=_("The debtor owes %(value)s at the enforcement authority; %(limit)s."),
    ),
    ParamDef(
        Param.HISTORIC_DEBT_BALANCE,
        name=gettext_noop("Recorded debt balances"),
        label=_("Historic debt balances at most"),
        short=_("Historic debt balances"),
        subject=_("earlier debt balances"),
        help=_(
            "How many recorded debt balances are allowed (empty = none) within the months given."
        ),
        unit=Unit.COUNT,
        judged=Judged.AT_MOST,
        reads=Reads.EVENTS_WITHIN,
        field="debt_balance_history",
        threshold=_COUNT,
        months=True,
        explains=ngettext_lazy(
            "The debtor has had %(count)s debt balance at the enforcement authority "
            "%(window)s; %(limit)s.",
            "The debtor has had %(count)s debt balances at the enforcement authority "
            "%(window)s; %(limit)s.",
            "count",
        ),
    ),
    ParamDef(
        Param.FAILED_DISTRAINT,
        name=gettext_noop("Failed distraint attempts"),
        label=_("Failed distraint attempts at most"),
        short=_("Failed distraints"),
        subject=_("failed distraint attempts"),
        help=_(
            "How many failed distraint attempts are allowed (empty = none) within the months given."
        ),
        unit=Unit.COUNT,
        judged=Judged.AT_MOST,
        reads=Reads.EVENTS_WITHIN,
        field="failed_distraints",
        threshold=_COUNT,
        months=True,
        explains=ngettext_lazy(
            "There has been %(count)s failed distraint attempt against the debtor "
            "%(window)s; %(limit)s.",
            "There have been %(count)s failed distraint attempts against the debtor "
            "%(window)s; %(limit)s.",
            "count",
        ),
    ),
    ParamDef(
        Param.COMPANY_AGE,
        name=gettext_noop("Company age in months"),
        label=_("Company age at least (months)"),
        short=_("Company age"),
        subject=_("the company's age"),
        help=_("The youngest company that passes, in months since registration."),
        unit=Unit.MONTHS,
        judged=Judged.AT_LEAST,
        reads=Reads.MONTHS_SINCE,
        field="registered_on",
        threshold=Threshold(
            used=True, required=True, low=Decimal(0), high=Decimal(1200), whole=True
        ),
        explains=ngettext_lazy(
            "The company is %(count)s month old; at least %(threshold)s months are required.",
            "The company is %(count)s months old; at least %(threshold)s months are required.",
            "count",
        ),
    ),
    ParamDef(
        Param.F_TAX,
        name=gettext_noop("Registered for F-tax"),
        label=_("Registered for F-tax"),
        short=_("No F-tax"),
        subject=_("F-tax registration"),
        help=_("Passes when the debtor is registered for F-tax. No threshold."),
        unit=Unit.FLAG,
        judged=Judged.YES,
        reads=Reads.VALUE,
        field="f_tax",
        threshold=_FLAG,
        explains=_("The debtor is not registered for F-tax."),
    ),
    ParamDef(
        Param.VAT,
        name=gettext_noop("Registered for VAT"),
        label=_("Registered for VAT"),
        short=_("No VAT registration"),
        subject=_("VAT registration"),
        help=_("Passes when the debtor is registered for VAT. No threshold."),
        unit=Unit.FLAG,
        judged=Judged.YES,
        reads=Reads.VALUE,
        field="vat",
        threshold=_FLAG,
        explains=_("The debtor is not registered for VAT."),
    ),
    ParamDef(
        Param.EMPLOYER,
        name=gettext_noop("Registered as employer"),
        label=_("Registered as employer"),
        short=_("Not an employer"),
        subject=_("employer registration"),
        help=_("Passes when the debtor is registered as an employer. No threshold."),
        unit=Unit.FLAG,
        judged=Judged.YES,
        reads=Reads.VALUE,
        field="employer",
        threshold=_FLAG,
        explains=_("The debtor is not registered as an employer."),
    ),
    ParamDef(
        Param.BOARD_CHANGE,
        name=gettext_noop("Board replaced"),
        label=_("Board not replaced"),
        short=_("Board replaced"),
        subject=_("changes of the board"),
        help=_(
            "Fails when the board was replaced within the months given (empty = ever). "
            "No threshold."
        ),
        unit=Unit.DATE,
        judged=Judged.NOT_RECENT,
        reads=Reads.DATE,
        field="board_changed_on",
        threshold=_FLAG,
        months=True,
        explains=ngettext_lazy(
            "The debtor's board was replaced on %(date)s, within the last %(months)s month.",
            "The debtor's board was replaced on %(date)s, within the last %(months)s months.",
            "months",
        ),
        explains_ever=_("The debtor's board was replaced on %(date)s."),
    ),
    ParamDef(
        Param.TURNOVER,
        name=gettext_noop("Turnover (SEK)"),
        label=_("Turnover at least (SEK)"),
        short=_("Turnover"),
        subject=_("turnover"),
        help=_("The lowest turnover of the latest accounts that passes, in SEK."),
        unit=Unit.SEK,
        judged=Judged.AT_LEAST,
        reads=Reads.VALUE,
        field="turnover",
        threshold=_SEK_AT_LEAST_0,
        explains=_("The debtor's turnover of %(value)s is below the minimum of %(threshold)s."),
    ),
    ParamDef(
        Param.EQUITY_RATIO,
        name=gettext_noop("Equity ratio (%)"),
        label=_("Equity ratio at least (%)"),
        short=_("Equity ratio"),
        subject=_("equity ratio"),
        help=_("The lowest equity ratio that passes, in percent (−100 to 100)."),
        unit=Unit.PERCENT,
        judged=Judged.AT_LEAST,
        reads=Reads.VALUE,
        field="equity_ratio",
        threshold=Threshold(used=True, required=True, low=Decimal(-100), high=Decimal(100)),
        explains=_("The debtor's equity ratio of %(value)s is below the minimum of %(threshold)s."),
    ),
    ParamDef(
        Param.RESULT,
        name=gettext_noop("Result (SEK)"),
        label=_("Result at least (SEK)"),
        short=_("Result"),
        subject=_("the result of the latest accounts"),
        help=_("The lowest result of the latest accounts that passes, in SEK; may be negative."),
        unit=Unit.SEK,
        judged=Judged.AT_LEAST,
        reads=Reads.VALUE,
        field="result",
        threshold=Threshold(used=True, required=True),
        explains=_("The debtor's result of %(value)s is below the minimum of %(threshold)s."),
    ),
    ParamDef(
        Param.MONTHS_SINCE_ACCOUNTS,
        name=gettext_noop("Months since the accounts closed"),
        label=_("Months since accounts at most"),
        short=_("Old accounts"),
        subject=_("the date of the latest accounts"),
        help=_(
            "The oldest accounts that pass, in months since their closing date (0–240). "
            "Passes without accounts."
        ),
        unit=Unit.MONTHS,
        judged=Judged.AT_MOST,
        reads=Reads.MONTHS_SINCE,
        field="accounts_closed_on",
        threshold=Threshold(
            used=True, required=True, low=Decimal(0), high=Decimal(MAX_MONTHS), whole=True
        ),
        pass_without_data=True,
        explains=ngettext_lazy(
            "The debtor's latest accounts closed %(count)s month ago; at most "
            "%(threshold)s months are accepted.",
            "The debtor's latest accounts closed %(count)s months ago; at most "
            "%(threshold)s months are accepted.",
            "count",
        ),
    ),
    ParamDef(
        Param.CLEAN_AUDIT,
        name=gettext_noop("Clean audit report"),
        label=_("Clean audit report"),
        short=_("Audit remarks"),
        subject=_("the auditor's report"),
        help=_("Passes when the auditor made no remarks, or without an audit report."),
        unit=Unit.FLAG,
        judged=Judged.YES,
        reads=Reads.VALUE,
        field="clean_audit",
        threshold=_FLAG,
        pass_without_data=True,
        explains=_("The auditor's report on the debtor's latest accounts is not clean."),
    ),
)

PARAMS: dict[Param, ParamDef] = {d.param: d for d in _DEFS}
assert list(PARAMS) == list(Param), "one entry per parameter, in the engine's order"


def param_def(code: str) -> ParamDef | None:
    """The registry entry of a parameter code, or None for any other reason code."""
    try:
        return PARAMS[Param(code)]
    except ValueError:
        return None


def param_choices() -> list[tuple[str, Promise]]:
    """(code, label) for a model field's choices."""
    return [(d.param.value, d.label) for d in _DEFS]
