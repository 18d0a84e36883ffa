"""Example payloads of the limits API, for the OpenAPI document."""

DEBTOR = {
    "id": 88,
    "name": "Byggvaror i Norr AB",
    "country": "SE",
    "registration_number": "556677-8907",
}
LETTER = {
    "id": 31,
    "kind": "approval",
    "status": "ready",
    "language": "sv",
    "policy": 12,
    "request": 501,
    "limit": 77,
    "created_at": "2026-03-02T10:15:00+01:00",
    "rendered_at": "2026-03-02T10:15:02+01:00",
    "download_url": "https://insurer.example/api/v1/letters/31/download/",
}
REQUEST_APPROVED = {
    "id": 501,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "kind": "new",
    "status": "approved",
    "amount": "200000.00",
    "currency": "SEK",
    "payment_terms_days": 30,
    "reference": "ERP-4711",
    "requested_by": "anna.finance",
    "submitted_at": "2026-03-02T10:15:00+01:00",
    "guideline": "500000.00",
    "decided_amount": "200000.00",
    "decided_automatically": True,
    "decided_at": "2026-03-02T10:15:00+01:00",
    "decided_by": None,
    "decision_note": "",
    "is_dcl": False,
    "reasons": [],
    "conditions": {"max_terms_days": None, "expires_on": None},
    "letters": [{**LETTER, "status": "pending", "rendered_at": None, "download_url": None}],
}
REQUEST_PARTLY_APPROVED = {
    **REQUEST_APPROVED,
    "amount": "900000.00",
    "status": "partly_approved",
    "decided_amount": "500000.00",
    "reasons": [
        {
            "code": "above_guideline",
            "message": "The amount asked, 900 000,00 kr, is above the debtor's guideline limit "
            "of 500 000,00 kr.",
            "values": {"requested": "900000.00", "guideline": "500000.00"},
        }
    ],
    "letters": [{**LETTER, "kind": "partial_approval"}],
}
REQUEST_REFERRED = {
    **REQUEST_APPROVED,
    "status": "referred",
    "decided_amount": None,
    "decided_automatically": False,
    "decided_at": None,
    "reasons": [
        {
            "code": "rating",
            "message": "The debtor's rating of 30 is below the minimum of 40.",
            "values": {"value": 30, "threshold": "40.00", "months": None},
        }
    ],
    "letters": [],
}
REQUEST_DECIDED_BY_UNDERWRITER = {
    **REQUEST_REFERRED,
    "status": "partly_approved",
    "decided_amount": "50000.00",
    "decided_at": "2026-03-03T09:00:00+01:00",
    "decided_by": "uw.karin",
    "decision_note": "Weak rating; terms limited.",
    "reasons": [{"code": "underwriter", "message": "Weak rating; terms limited.", "values": {}}],
    "conditions": {"max_terms_days": 60, "expires_on": "2026-12-31"},
    "letters": [{**LETTER, "kind": "partial_approval"}],
}
REQUEST_WITHDRAWN = {
    **REQUEST_REFERRED,
    "status": "withdrawn",
    "decided_at": "2026-03-02T11:00:00+01:00",
    "decided_by": "anna.finance",
    "decision_note": "Withdrawn by the insured",
}

LIMIT = {
    "id": 77,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "currency": "SEK",
    "amount": "200000.00",
    "limit_kind": "named",
    "effective_from": "2026-03-02",
    "expires_on": None,
    "max_terms_days": None,
    "under_review": False,
    "as_of": "2026-03-15",
}
CHANGE_GRANTED = {
    "id": 140,
    "kind": "granted",
    "limit_kind": "named",
    "amount": "200000.00",
    "effective_from": "2026-03-02",
    "expires_on": None,
    "max_terms_days": None,
    "request": 501,
    "reason": "",
    "recorded_at": "2026-03-02T10:15:00+01:00",
    "by": "automatic",
}
CHANGE_REDUCED = {
    **CHANGE_GRANTED,
    "id": 161,
    "kind": "reduced",
    "amount": "100000.00",
    "effective_from": "2026-04-14",
    "request": None,
    "reason": "Rating fell to 35.",
    "recorded_at": "2026-03-15T14:00:00+01:00",
    "by": "uw.karin",
}
CHANGE_REDUCED_BY_INSURED = {
    **CHANGE_GRANTED,
    "id": 162,
    "kind": "reduced_by_insured",
    "amount": "150000.00",
    "effective_from": "2026-03-15",
    "request": None,
    "reason": "Fewer orders this season.",
    "recorded_at": "2026-03-15T14:00:00+01:00",
    "by": "anna.finance",
}
LIMIT_DETAIL = {**LIMIT, "history": [CHANGE_GRANTED, CHANGE_REDUCED]}
