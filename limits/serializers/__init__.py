"""The API's shapes for limit requests, limits in force and decision letters.

Input serializers check types and resolve ids; every rule lives in limits.services, whose
errors reach the client through core.api.exception_handler. Amounts travel as decimal
strings, never floats (StrictDecimalField).

The package, by sub-domain: `common` (amounts, a debtor in brief, a decision's reasons and
steps), `requests` (limit requests and their input), `limits` (limits, their changes and
reductions) and `letters` (decision letters).
"""

from .common import (
    AssessmentSerializer,
    ConditionsSerializer,
    DebtorBriefSerializer,
    ReasonSerializer,
    StepSerializer,
    amount_input,
)
from .letters import LetterSerializer
from .limits import (
    AsOfSerializer,
    LimitChangeSerializer,
    LimitDetailSerializer,
    LimitReduceInputSerializer,
    LimitReductionSerializer,
    LimitSerializer,
)
from .requests import (
    DEBTORS_API,
    LimitRequestCreateInputSerializer,
    LimitRequestDecideInputSerializer,
    LimitRequestSerializer,
    VisibleIdField,
)

__all__ = [
    "DEBTORS_API",
    "AsOfSerializer",
    "AssessmentSerializer",
    "ConditionsSerializer",
    "DebtorBriefSerializer",
    "LetterSerializer",
    "LimitChangeSerializer",
    "LimitDetailSerializer",
    "LimitReduceInputSerializer",
    "LimitReductionSerializer",
    "LimitRequestCreateInputSerializer",
    "LimitRequestDecideInputSerializer",
    "LimitRequestSerializer",
    "LimitSerializer",
    "ReasonSerializer",
    "StepSerializer",
    "VisibleIdField",
    "amount_input",
]
