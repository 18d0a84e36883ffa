"""Writing invoices, payments, credit notes, disputes and extensions (the reads are in
`exposure.selectors`). Every service checks its actor with `accounts.access.ensure_acts_for`."""

from .extensions import invoice_extend, invoice_extension_decide
from .invoices import (
    INVOICE_FIELDS,
    invoice_dispute,
    invoice_dispute_end,
    invoice_report,
    invoices_report,
)
from .payments import credit_note_record, payment_record

__all__ = [
    "INVOICE_FIELDS",
    "credit_note_record",
    "invoice_dispute",
    "invoice_dispute_end",
    "invoice_extend",
    "invoice_extension_decide",
    "invoice_report",
    "invoices_report",
    "payment_record",
]
