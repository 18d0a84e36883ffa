"""Example payloads of the claims API, for the OpenAPI document: the debt of the worked
example (two unpaid invoices of 20 000 and 30 000 within a 40 000 limit, 90 % insured)."""

from core import idempotency
from core.api_views import error_example
from limits.apis.examples import DEBTOR

LINES = [
    {
        "invoice": 4101,
        "number": "F-1",
        "delivery_date": "2026-01-10",
        "invoiced": "20000.00",
        "deducted": "0.00",
        "unpaid": "20000.00",
        "limit_amount": "40000.00",
        "covered": "20000.00",
        "qualifies": True,
        "reason": None,
        "reason_message": "",
    },
    {
        "invoice": 4102,
        "number": "F-2",
        "delivery_date": "2026-01-20",
        "invoiced": "30000.00",
        "deducted": "0.00",
        "unpaid": "30000.00",
        "limit_amount": "40000.00",
        "covered": "20000.00",
        "qualifies": True,
        "reason": None,
        "reason_message": "",
    },
]
STEPS = [
    (1, "qualifying", "1. Unpaid invoices that qualify for cover", "50000.00",
     "2 of 2 unpaid invoices; 0,00 kr does not qualify"),
    (2, "eligible_loss", "2. Less payments, credit notes and recoveries: eligible loss",
     "50000.00", "0,00 kr deducted"),
    (3, "insured_loss", "3. Capped at the limit on the delivery dates: insured loss",
     "40000.00", "10 000,00 kr above the limit"),
    (4, "threshold", "4. Intervention threshold", "500.00", "The insured loss is above it"),
    (5, "percentage", "5. Insured percentage of the insured loss", "36000.00",
     "90 % of the insured loss, rounded half up to the cent"),
    (6, "indemnity", "6. Within the maximum liability left: indemnity", "36000.00",
     "1 500 000,00 kr of the policy year's maximum liability left"),
]  # fmt: skip
CALCULATION = {
    "currency": "SEK",
    "indemnity": "36000.00",
    "lines": LINES,
    "steps": [
        {"step": step, "code": code, "label": label, "amount": amount, "note": note}
        for step, code, label, amount, note in STEPS
    ],
    "vat_insured": False,
    "not_qualifying": "0.00",
    "invoiced": "50000.00",
    "deductions": "0.00",
    "eligible_loss": "50000.00",
    "above_limit": "10000.00",
    "insured_loss": "40000.00",
    "threshold": "500.00",
    "below_threshold": False,
    "insured_percentage": "90.00",
    "indemnity_before_cap": "36000.00",
    "max_liability_left": "1500000.00",
    "capped_by_liability": False,
}
PREVIEW = {
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "currency": "SEK",
    "cause": "protracted_default",
    "loss_date": "2026-09-28",
    "policy_year": 1,
    "notification": 71,
    "calculation": CALCULATION,
}
CLAIM = {
    "id": 301,
    "number": "CL-2026-000301",
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "notification": 71,
    "currency": "SEK",
    "cause": "protracted_default",
    "cause_label": "Protracted default",
    "insolvency_kind": "",
    "loss_date": "2026-09-28",
    "evidence": "No payment since January; reminders and the collection demand unanswered.",
    "filed_on": "2026-09-28",
    "filing_deadline": "2026-11-27",
    "policy_year": 1,
    "status": "filed",
    "status_label": "Filed",
    "open": True,
    "claimed_amount": "36000.00",
    "calculated_amount": None,
    "indemnity": None,
    "decision_reason": "",
    "decided_at": None,
    "paid_on": None,
    "created_at": "2026-09-28T10:15:00+02:00",
}
CHECKLIST = [
    {"kind": "invoices", "label": "The unpaid invoices", "present": True},
    {"kind": "account_statement", "label": "Statement of the debtor's account", "present": False},
    {"kind": "proof_of_delivery", "label": "Proof of delivery", "present": False},
    {"kind": "correspondence", "label": "Correspondence with the debtor", "present": False},
    {"kind": "collection_history", "label": "Collection history", "present": False},
]
DOCUMENT = {
    "id": 55,
    "claim": 301,
    "kind": "invoices",
    "kind_label": "The unpaid invoices",
    "name": "invoices-F-1-F-2.pdf",
    "size": 48211,
    "content_type": "application/pdf",
    "sha256": "9f2c1e0b4a7d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a",
    "note": "Both invoices",
    "uploaded_at": "2026-09-28T10:20:00+02:00",
    "uploaded_by": "Anna Finance",
}
FILED_STEP = {
    "status": "filed",
    "status_label": "Filed",
    "at": "2026-09-28T10:15:00+02:00",
    "who": "Anna Finance",
    "reason": "Claim filed",
}
CLAIM_DETAIL = {
    **CLAIM,
    "reasons": [
        {
            "code": "documents_missing",
            "message": "Not yet on the claim: Statement of the debtor's account, Proof of "
            "delivery, Correspondence with the debtor, Collection history.",
            "values": {
                "kinds": [
                    "account_statement",
                    "proof_of_delivery",
                    "correspondence",
                    "collection_history",
                ]
            },
        }
    ],
    "calculation": CALCULATION,
    "calculation_settled": False,
    "checklist": CHECKLIST,
    "documents_requested": [],
    "documents_message": "",
    "documents": [DOCUMENT],
    "history": [FILED_STEP],
    "decided_by": None,
    "second_approved_at": None,
    "second_approved_by": None,
    "payment_reference": "",
    "paid_by": None,
    "statements": [],
    "recoveries": [],
}
RECOVERY = {
    "id": 17,
    "claim": 301,
    "received_on": "2026-11-02",
    "amount": "10000.00",
    "source": "Dividend from the bankruptcy estate",
    "on_insured_loss": "8000.00",
    "on_excess": "2000.00",
    "to_insurer": "7200.00",
    "to_insured": "2800.00",
    "recorded_at": "2026-11-02T14:00:00+01:00",
    "recorded_by": "Karin Claims",
}
CLAIM_PAID = {
    **CLAIM_DETAIL,
    "status": "paid",
    "status_label": "Paid",
    "open": False,
    "calculated_amount": "36000.00",
    "indemnity": "36000.00",
    "decided_at": "2026-10-05T09:00:00+02:00",
    "paid_on": "2026-10-07",
    "reasons": [
        {
            "code": "paid",
            "message": "36 000,00 kr paid on 2026-10-07.",
            "values": {"indemnity": "36000.00", "paid_on": "2026-10-07", "reference": "PAY-1"},
        }
    ],
    "calculation_settled": True,
    "checklist": [{**item, "present": True} for item in CHECKLIST],
    "history": [
        FILED_STEP,
        {
            "status": "assessment",
            "status_label": "Under assessment",
            "at": "2026-09-29T08:30:00+02:00",
            "who": "Karin Claims",
            "reason": "Assessment started",
        },
        {
            "status": "approved",
            "status_label": "Approved",
            "at": "2026-10-05T09:00:00+02:00",
            "who": "Karin Claims",
            "reason": "Approved as calculated",
        },
        {
            "status": "paid",
            "status_label": "Paid",
            "at": "2026-10-07T11:00:00+02:00",
            "who": "Karin Claims",
            "reason": "Indemnity paid",
        },
    ],
    "decided_by": "Karin Claims",
    "payment_reference": "PAY-1",
    "paid_by": "Karin Claims",
    "statements": [
        {
            "id": 9,
            "kind": "settlement",
            "status": "ready",
            "language": "sv",
            "recovery": None,
            "created_at": "2026-10-07T11:00:00+02:00",
            "rendered_at": "2026-10-07T11:00:04+02:00",
            "download_url": "https://insurer.example/api/v1/claims/301/statements/9/",
        }
    ],
    "recoveries": [RECOVERY],
}
LEDGER = {
    "claim": 301,
    "currency": "SEK",
    "paid": "36000.00",
    "recovered": "10000.00",
    "to_insurer": "7200.00",
    "to_insured": "2800.00",
    "recoveries": [RECOVERY],
}
CASE = {
    "id": 71,
    "notification": 71,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "currency": "SEK",
    "notified_on": "2026-04-01",
    "overdue_amount": "50000.00",
    "disputed": False,
    "open": True,
    "closed_on": None,
    "steps": [
        {
            "id": 5,
            "kind": "reminder",
            "kind_label": "Reminder",
            "done_on": "2026-04-03",
            "fee": "0.00",
            "pay_by": None,
            "note": "",
            "recorded_at": "2026-04-03T09:00:00+02:00",
            "recorded_by": "Karin Claims",
        }
    ],
    "plan": [
        {
            "code": "reminder",
            "label": "Send the debtor a reminder",
            "who": "insurer",
            "who_label": "Insurer's collections",
            "done": True,
            "done_on": "2026-04-03",
            "due_from": "2026-04-01",
            "due_by": None,
        },
        {
            "code": "demand",
            "label": "Send a collection demand",
            "who": "insurer",
            "who_label": "Insurer's collections",
            "done": False,
            "done_on": None,
            "due_from": "2026-04-11",
            "due_by": None,
        },
        {
            "code": "enforcement",
            "label": "Apply to the enforcement authority",
            "who": "insurer",
            "who_label": "Insurer's collections",
            "done": False,
            "done_on": None,
            "due_from": None,
            "due_by": None,
        },
    ],
    "next_action": {
        "code": "demand",
        "label": "Send a collection demand",
        "who": "insurer",
        "who_label": "Insurer's collections",
        "done": False,
        "done_on": None,
        "due_from": "2026-04-11",
        "due_by": None,
    },
}
KEY_REUSED = error_example(
    "Key reused with another body",
    409,
    idempotency.IdempotencyKeyReused.code,
    "This Idempotency-Key was already used with a different request.",
    field=idempotency.HEADER,
)
NOT_ALLOWED_NOW = error_example(
    "Not in this status",
    409,
    "transition_not_allowed",
    "This change is not allowed in the current status.",
    field="status",
)
