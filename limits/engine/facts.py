"""What the engine reasons about and what it answers: a debtor's facts, a template's rules, the
steps, reasons and decisions it returns, and the default rules of a new template."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple, TypedDict

from core.money import to_decimal
from debtors.risk import INSOLVENCY_KINDS

from ..params import PARAMS, Judged, Param


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
