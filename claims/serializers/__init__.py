"""The claims API's shapes: claims (in a list and whole), their calculation and the preview,
the input of every action, and collections cases.

Input serializers check types and resolve ids the caller may see; every rule lives in
claims.services, whose errors reach the client through core.api.exception_handler. Amounts
travel as decimal strings, never floats.
"""

from .calculation import (
    CalculationSerializer,
    ClaimPreviewInputSerializer,
    ClaimPreviewSerializer,
    calculation_data,
)
from .claims import (
    ClaimDetailSerializer,
    ClaimDocumentSerializer,
    ClaimSerializer,
    ClaimStatementSerializer,
    RecoveryLedgerSerializer,
    RecoverySerializer,
    ledger,
)
from .collections import CollectionCaseSerializer, CollectionStepInputSerializer
from .inputs import (
    ClaimAskDocumentsInputSerializer,
    ClaimDecideInputSerializer,
    ClaimDocumentInputSerializer,
    ClaimDocumentsSentInputSerializer,
    ClaimFileInputSerializer,
    ClaimPayInputSerializer,
    ClaimSecondApprovalInputSerializer,
    ClaimWithdrawInputSerializer,
    RecoveryInputSerializer,
)

__all__ = [
    "CalculationSerializer",
    "ClaimAskDocumentsInputSerializer",
    "ClaimDecideInputSerializer",
    "ClaimDetailSerializer",
    "ClaimDocumentInputSerializer",
    "ClaimDocumentSerializer",
    "ClaimDocumentsSentInputSerializer",
    "ClaimFileInputSerializer",
    "ClaimPayInputSerializer",
    "ClaimPreviewInputSerializer",
    "ClaimPreviewSerializer",
    "ClaimSecondApprovalInputSerializer",
    "ClaimSerializer",
    "ClaimStatementSerializer",
    "ClaimWithdrawInputSerializer",
    "CollectionCaseSerializer",
    "CollectionStepInputSerializer",
    "RecoveryInputSerializer",
    "RecoveryLedgerSerializer",
    "RecoverySerializer",
    "calculation_data",
    "ledger",
]
