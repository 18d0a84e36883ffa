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

The package, by sub-domain: `facts` (what goes in and comes out), `lines` (how steps and reasons
are written, months counted), `guideline` (the guideline limit), `rules` (a template parameter
checked), `dcl` (negative information and the DCL rule) and `decide` (the template's verdict).
"""

from debtors.risk import BANDS, rating_band

from ..params import Param
from .dcl import dcl_eligible, negative_information
from .decide import decide
from .facts import (
    COUNTS,
    DEFAULT_RULES,
    FLAGS,
    MAXIMUM,
    MINIMUM,
    PASS_WITHOUT_DATA,
    DatedEvent,
    DclVerdict,
    DebtorFacts,
    Decision,
    Guideline,
    OnFail,
    Outcome,
    Reason,
    RiskEventFact,
    Rule,
    Step,
    TemplateSpec,
)
from .guideline import (
    GUIDELINE_CAP_SEK,
    YOUNG_COMPANY_MONTHS,
    YOUNG_COMPANY_RATING_ABOVE,
    YOUNG_COMPANY_SEK,
    ZERO,
    guideline_limit,
)

__all__ = [
    # the bands are the debtors app's, the parameters limits.params'; re-exported for the
    # engine's callers
    "BANDS",
    "rating_band",
    "Param",
    "COUNTS",
    "DEFAULT_RULES",
    "FLAGS",
    "GUIDELINE_CAP_SEK",
    "MAXIMUM",
    "MINIMUM",
    "PASS_WITHOUT_DATA",
    "YOUNG_COMPANY_MONTHS",
    "YOUNG_COMPANY_RATING_ABOVE",
    "YOUNG_COMPANY_SEK",
    "ZERO",
    "DatedEvent",
    "DclVerdict",
    "DebtorFacts",
    "Decision",
    "Guideline",
    "OnFail",
    "Outcome",
    "Reason",
    "RiskEventFact",
    "Rule",
    "Step",
    "TemplateSpec",
    "dcl_eligible",
    "decide",
    "guideline_limit",
    "negative_information",
]
