"""Example payloads of the exposure API, for the OpenAPI document."""

from core import idempotency
from core.api_views import error_example
from limits.apis.examples import DEBTOR

INVOICE = {
    "id": 4101,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "number": "F-1001",
    "reference": "ORDER-77",
    "currency": "SEK",
    "net_amount": "8000.00",
    "vat_amount": "2000.00",
    "gross_amount": "10000.00",
    "open_amount": "6000.00",
    "invoice_date": "2026-05-01",
    "delivery_date": "2026-05-01",
    "original_due_date": "2026-05-31",
    "due_date": "2026-05-31",
    "consented_due_date": None,
    "terms_days": 30,
    "disputed": False,
    "disputed_since": None,
    "dispute_reason": "",
    "overdue": True,
    "reported_at": "2026-05-02T08:00:00+02:00",
}
TIMELINE = [
    {
        "code": "original_due",
        "label": "Original due date",
        "date": "2026-05-31",
        "term": "",
        "term_label": "",
        "days": None,
    },
    {
        "code": "extension_end",
        "label": "End of the maximum extension period",
        "date": "2026-07-30",
        "term": "max_extension_days",
        "term_label": "maximum extension period",
        "days": 60,
    },
    {
        "code": "stop_delivery",
        "label": "Stop delivery from (if still unpaid)",
        "date": "2026-07-31",
        "term": "max_extension_days",
        "term_label": "maximum extension period",
        "days": 60,
    },
    {
        "code": "notification_deadline",
        "label": "Overdue notification deadline",
        "date": "2026-08-29",
        "term": "notification_deadline_days",
        "term_label": "overdue notification deadline",
        "days": 30,
    },
]
COVER = {
    "covered": "5000.00",
    "uncovered": "1000.00",
    "reason": "above_limit",
    "reason_label": "Above the limit",
    "limit_amount": "50000.00",
    "notification_deadline": "2026-08-29",
}
CREDIT_NOTE = {
    "id": 310,
    "invoice": 4101,
    "invoice_number": "F-1001",
    "policy": 12,
    "debtor": 88,
    "currency": "SEK",
    "number": "K-17",
    "amount": "1000.00",
    "issued_on": "2026-06-03",
    "reason": "Two pallets returned",
    "recorded_at": "2026-06-03T09:30:00+02:00",
    "recorded_by": "anna.finance",
}
EXTENSION_PENDING = {
    "id": 55,
    "invoice": 4101,
    "invoice_number": "F-1001",
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "currency": "SEK",
    "open_amount": "6000.00",
    "original_due_date": "2026-05-31",
    "due_date": "2026-09-15",
    "reason": "Seasonal trade: the debtor sells the goods in August.",
    "status": "pending",
    "reasons": [
        {
            "code": "beyond_extension",
            "message": "2026-09-15 lies beyond the maximum extension period: the insurer must "
            "consent.",
            "values": {"due_date": "2026-09-15", "original_due_date": "2026-05-31"},
        }
    ],
    "requested_at": "2026-06-10T14:00:00+02:00",
    "requested_by": "anna.finance",
    "decided_at": None,
    "decided_by": None,
    "decision_reason": "",
}
EXTENSION_GRANTED = {
    **EXTENSION_PENDING,
    "status": "granted",
    "reasons": [{"code": "underwriter", "message": "Long-standing debtor.", "values": {}}],
    "decided_at": "2026-06-11T09:00:00+02:00",
    "decided_by": "uw.karin",
    "decision_reason": "Long-standing debtor.",
}
INVOICE_DETAIL = {
    **INVOICE,
    "reported_by": "anna.finance",
    "timeline": TIMELINE,
    "cover": COVER,
    "payments": [
        {"payment": 902, "received_on": "2026-06-05", "amount": "3000.00", "reference": "BG-1"}
    ],
    "credit_notes": [CREDIT_NOTE],
    "extension_requests": [],
}
INVOICE_DISPUTED = {
    **INVOICE_DETAIL,
    "disputed": True,
    "disputed_since": "2026-06-02",
    "dispute_reason": "The debtor says two pallets were damaged.",
    "cover": {**COVER, "covered": "0.00", "uncovered": "6000.00", "reason": "disputed"},
}
INVOICE_EXTENDED = {
    **INVOICE_DETAIL,
    "due_date": "2026-07-15",
    "overdue": False,
}
PAYMENT = {
    "id": 902,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "currency": "SEK",
    "amount": "12500.00",
    "received_on": "2026-06-05",
    "invoice": None,
    "reference": "BG-1",
    "allocations": [
        {"invoice": 4100, "invoice_number": "F-1000", "amount": "9500.00"},
        {"invoice": 4101, "invoice_number": "F-1001", "amount": "3000.00"},
    ],
    "unallocated_amount": "0.00",
    "recorded_at": "2026-06-05T10:00:00+02:00",
    "recorded_by": "anna.finance",
}

# What an ERP sends for one invoice, and the refusals more than one operation gives.
ITEM = {
    "debtor_country": "SE",
    "debtor_registration_number": "5566778907",
    "number": "F-1001",
    "net_amount": "8000.00",
    "vat_amount": "2000.00",
    "invoice_date": "2026-05-01",
    "delivery_date": "2026-05-01",
    "original_due_date": "2026-05-31",
    "reference": "ORDER-77",
}
NOT_REGISTERED = error_example(
    "Debtor not in the register",
    400,
    "debtor_not_registered",
    "No debtor SE 556036-0793 is in the register. Register it at /api/v1/debtors/ first, "
    "then send this again.",
    field="debtor_registration_number",
)
KEY_REUSED = error_example(
    "Key reused with another body",
    409,
    idempotency.IdempotencyKeyReused.code,
    "This Idempotency-Key was already used with a different request.",
    field=idempotency.HEADER,
)
