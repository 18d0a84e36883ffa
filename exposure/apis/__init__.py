"""The exposure API: invoices (one or many at once), disputes and due-date extensions, the
insurer's decision on extensions, payments and credit notes."""

from .extensions import ExtensionRequestViewSet
from .invoices import InvoiceViewSet
from .payments import CreditNoteViewSet, PaymentViewSet

__all__ = ["CreditNoteViewSet", "ExtensionRequestViewSet", "InvoiceViewSet", "PaymentViewSet"]
