"""One claim's page, for the insured (its own company's claims) and claims handlers (all): its
steps from the claim's history, the calculation line by line, the documents its cause needs,
the settlement, the recoveries and statements, and the forms of the actions that apply now
(claims/views/actions.py posts them). Another company's claim answers 404."""

from decimal import Decimal

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CLAIMS, EVERYONE, INSURED, RoleRequiredMixin

from ..forms import (
    AskDocumentsForm,
    AssessForm,
    DecideForm,
    DocumentForm,
    DocumentsSentForm,
    PayForm,
    RecoveryForm,
    SecondApprovalForm,
    WithdrawForm,
)
from ..models import ASSESSING, Claim, ClaimDocument, ClaimStatus, DocumentKind
from ..selectors import claim_calculation, claim_documents_for, claims_for
from ..selectors.pages import calculation_context, claim_steps, person
from ..services.claims import checklist
from ..services.settlement import needs_second_approval

CLAIM_ROLES = EVERYONE  # underwriters read claims too (debtor risk); the API does the same
ZERO = Decimal("0.00")
WITHDRAWABLE = (*ASSESSING, ClaimStatus.WAITING_DOCUMENTS)

# Each action on the page: its form and the form's prefix (the field names it posts).
FORMS = {
    "assess": AssessForm,
    "ask": AskDocumentsForm,
    "decide": DecideForm,
    "second": SecondApprovalForm,
    "pay": PayForm,
    "recovery": RecoveryForm,
    "document": DocumentForm,
    "sent": DocumentsSentForm,
    "withdraw": WithdrawForm,
}


def claim_or_404(user, pk: int) -> Claim:
    qs = claims_for(user).select_related(
        "created_by", "decided_by", "second_approved_by", "paid_by", "debtor"
    )
    return get_object_or_404(qs, pk=pk)


def available_actions(claim: Claim, user) -> list[str]:
    """The actions `user` may take on the claim in its current status."""
    status = claim.status
    if user.role in INSURED:
        names = ["document"] if claim.is_open else []
        if status == ClaimStatus.WAITING_DOCUMENTS:
            names.append("sent")
        if status in WITHDRAWABLE:
            names.append("withdraw")
        return names
    if user.role not in CLAIMS:  # underwriters read the claim
        return []
    names = []
    if status == ClaimStatus.FILED:
        names.append("assess")
    if status in ASSESSING:
        names += ["decide", "ask"]
    if status == ClaimStatus.SECOND_APPROVAL and claim.decided_by_id != user.pk:
        names.append("second")
    if status in (ClaimStatus.APPROVED, ClaimStatus.ADJUSTED):
        names.append("pay")
    if status == ClaimStatus.PAID:
        names.append("recovery")
    if claim.is_open:
        names.append("document")
    return names


def make_form(name: str, claim: Claim, missing: list[str] | None = None, data=None, files=None):
    """The action's form, bound to what was posted (`data`, `files`) or offered afresh."""
    kwargs: dict = {"prefix": name}
    if name in ("decide", "recovery"):
        kwargs["currency"] = claim.currency
    if data is None and missing:
        if name == "ask":
            kwargs["initial"] = {"kinds": missing}
        elif name == "document":
            kwargs["initial"] = {"kind": missing[0]}
    if data is not None:
        return FORMS[name](data, files, **kwargs)
    return FORMS[name](**kwargs)


def page_context(request, claim: Claim, *, bound: tuple[str, object] | None = None) -> dict:
    """Everything the claim's page shows; `bound` is the (action, form) that came back with
    its errors, shown in place of the fresh one."""
    user, today = request.user, timezone.localdate()
    for_insured = user.role in INSURED
    documents = list(claim.documents.select_related("uploaded_by").order_by("uploaded_at", "id"))
    checklist_rows = checklist(claim)
    asked = set(claim.documents_requested or [])
    needed = {kind for kind, _label, _there in checklist_rows}
    rows = [
        {
            "kind": kind,
            "label": label,
            "there": there,
            "asked": kind in asked,
            "documents": [d for d in documents if d.kind == kind],
        }
        for kind, label, there in checklist_rows
    ]
    missing = [r["kind"] for r in rows if not r["there"]]
    recoveries = list(claim.recoveries.select_related("recorded_by").order_by("received_on", "id"))
    calc = claim_calculation(claim, today=today)
    names = available_actions(claim, user)
    forms = {name: make_form(name, claim, missing) for name in names}
    if bound is not None:
        forms[bound[0]] = bound[1]
    decided = claim.decided_at is not None and claim.indemnity is not None
    return {
        "claim": claim,
        "currency": claim.currency,
        "today": today,
        "for_insured": for_insured,
        "is_handler": user.role in CLAIMS,
        "life": claim_steps(claim, for_insured=for_insured, recoveries=recoveries),
        "settled": bool(claim.calculation),
        **calculation_context(calc, claim.currency),
        "checklist": rows,
        "missing": [r for r in rows if not r["there"]],
        "other_documents": [d for d in documents if d.kind not in needed],
        "documents": documents,
        "requested_labels": [
            str(DocumentKind(k).label) for k in claim.documents_requested or [] if k in asked
        ],
        "recoveries": recoveries,
        "recovered": {
            "amount": sum((r.amount for r in recoveries), ZERO),
            "to_insurer": sum((r.to_insurer for r in recoveries), ZERO),
            "to_insured": sum((r.to_insured for r in recoveries), ZERO),
        },
        "statements": list(claim.statements.select_related("recovery")),
        "forms": forms,
        "failed_action": bound[0] if bound else "",
        "four_eyes_amount": claim.policy.four_eyes_amount,
        "needs_four_eyes": needs_second_approval(
            claim.policy, claim.indemnity if decided else calc.indemnity
        ),
        "decided_by": person(claim.decided_by, for_insured=for_insured)
        if claim.decided_by_id
        else "",
        "second_approved_by": person(claim.second_approved_by, for_insured=for_insured)
        if claim.second_approved_by_id
        else "",
        "decided_by_me": claim.decided_by_id == user.pk,
        "filed_by": person(claim.created_by, for_insured=for_insured),
        "paid_by": person(claim.paid_by, for_insured=for_insured) if claim.paid_by_id else "",
    }


class ClaimDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = CLAIM_ROLES
    template_name = "claims/claim_detail.html"

    def get_context_data(self, **kwargs):
        claim = claim_or_404(self.request.user, self.kwargs["pk"])
        return {**super().get_context_data(**kwargs), **page_context(self.request, claim)}


class ClaimDocumentDownloadView(RoleRequiredMixin, View):
    """A document of a claim the user may read, always as a download (never shown in the
    browser: it is the insured's file, not ours)."""

    allowed_roles = CLAIM_ROLES

    def get(self, request, pk: int, doc_pk: int):
        qs = claim_documents_for(request.user).filter(claim_id=pk)
        document: ClaimDocument = get_object_or_404(qs, pk=doc_pk)
        return FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            as_attachment=True,
            filename=document.name,
        )
