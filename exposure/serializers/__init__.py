"""The API's shapes for invoices, payments, credit notes and extension requests.

Input serializers check types, resolve the debtor named by registration number and refuse
ids the caller may not see; every rule lives in exposure.services, whose errors reach the
client through core.api.exception_handler. Amounts travel as decimal strings, never floats.

The package, by sub-domain: `common` (the debtor named two ways, dates),
`invoices`, `payments` (payments and credit notes) and `extensions`.
"""

from .extensions import (
    ExtensionDecideInputSerializer,
    ExtensionReasonSerializer,
    ExtensionRequestSerializer,
)
from .invoices import (
    INVOICE_BULK_MAX,
    InvoiceCreateInputSerializer,
    InvoiceDetailSerializer,
    InvoiceDisputeInputSerializer,
    InvoiceExtendInputSerializer,
    InvoiceItemInputSerializer,
    InvoicesBulkInputSerializer,
    InvoiceSerializer,
    InvoiceSettleDisputeInputSerializer,
    InvoicesReportedSerializer,
    Item,
)
from .payments import (
    CreditNoteCreateInputSerializer,
    CreditNoteSerializer,
    PaymentCreateInputSerializer,
    PaymentSerializer,
)

__all__ = [
    "INVOICE_BULK_MAX",
    "CreditNoteCreateInputSerializer",
    "CreditNoteSerializer",
    "InvoiceDisputeInputSerializer",
    "InvoiceExtendInputSerializer",
    "ExtensionDecideInputSerializer",
    "ExtensionRequestSerializer",
    "InvoiceCreateInputSerializer",
    "InvoiceDetailSerializer",
    "InvoiceItemInputSerializer",
    "InvoiceSerializer",
    "InvoicesBulkInputSerializer",
    "InvoicesReportedSerializer",
    "Item",
    "PaymentCreateInputSerializer",
    "PaymentSerializer",
    "ExtensionReasonSerializer",
    "InvoiceSettleDisputeInputSerializer",
]
