"""The actions on a claim's page, each a POST to /claims/<pk>/<action>/ that calls its
service: done, the claim's page says what was done; refused, the page comes back with the
form as it was sent and the error on the field it names. Another company's claim answers
404; an action of another role, 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from accounts.access import CLAIMS, INSURED, RoleRequiredMixin
from core.currencies import format_money
from core.exceptions import DomainError
from core.views import apply_errors_to_form

from ..forms import AGREE
from ..models import ClaimStatus
from ..services import claims as claim_services
from ..services import recoveries, settlement
from .detail import claim_or_404, make_form, page_context


class ClaimActionView(RoleRequiredMixin, View):
    """One action: `name` is its form (claims.views.detail.FORMS); `act(data, claim)` calls
    the service and `done(result, claim)` says what was done."""

    http_method_names = ["post"]
    allowed_roles = CLAIMS
    name = ""
    level = messages.SUCCESS

    def post(self, request, pk: int):
        claim = claim_or_404(request.user, pk)
        form = make_form(self.name, claim, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                result = self.act(form.cleaned_data, claim)
            except (DomainError, ValidationError) as exc:
                apply_errors_to_form(form, exc)
            else:
                messages.add_message(request, self.level, self.done(result, claim))
                return redirect("claim-detail", pk=claim.pk)
        return TemplateResponse(
            request,
            "claims/claim_detail.html",
            page_context(request, claim, bound=(self.name, form)),
        )

    def act(self, data: dict, claim):  # pragma: no cover - each action defines it
        raise NotImplementedError

    def done(self, result, claim) -> str:  # pragma: no cover - each action defines it
        raise NotImplementedError

    def money(self, amount, claim) -> str:
        return format_money(amount, claim.currency)


# The claims handler -----------------------------------------------------------------------------


class ClaimAssessView(ClaimActionView):
    name = "assess"

    def act(self, data, claim):
        return claim_services.claim_assess(actor=self.request.user, claim_id=claim.pk)

    def done(self, result, claim):
        return _("You took up claim %(number)s: it is under assessment.") % {"number": claim.number}


class ClaimAskDocumentsView(ClaimActionView):
    name = "ask"

    def act(self, data, claim):
        return claim_services.claim_documents_ask(
            actor=self.request.user,
            claim_id=claim.pk,
            kinds=data["kinds"],
            message=data["message"],
        )

    def done(self, result, claim):
        asked = ", ".join(result.requested_documents) or result.documents_message
        return _(
            "The insured is asked for: %(asked)s. Claim %(number)s waits for the documents."
        ) % {"asked": asked, "number": claim.number}


class ClaimDecideView(ClaimActionView):
    name = "decide"

    def act(self, data, claim):
        return settlement.claim_decide(
            actor=self.request.user,
            claim_id=claim.pk,
            decision=data["decision"],
            reason=data["reason"],
            amount=data["amount"],
        )

    def done(self, result, claim):
        values = {
            "number": claim.number,
            "amount": self.money(result.indemnity, claim),
            "four_eyes": self.money(result.policy.four_eyes_amount, claim),
        }
        if result.status == ClaimStatus.REFUSED:
            return _("Claim %(number)s is refused.") % values
        if result.status == ClaimStatus.SECOND_APPROVAL:
            return (
                _(
                    "Claim %(number)s is settled at %(amount)s, above the four-eyes amount of "
                    "%(four_eyes)s: another claims handler must now give the second approval."
                )
                % values
            )
        if result.status == ClaimStatus.ADJUSTED:
            return _("Claim %(number)s is adjusted to %(amount)s and can be paid.") % values
        return _("Claim %(number)s is approved at %(amount)s and can be paid.") % values


class ClaimSecondApprovalView(ClaimActionView):
    name = "second"

    def act(self, data, claim):
        return settlement.claim_second_approve(
            actor=self.request.user,
            claim_id=claim.pk,
            agree=data["verdict"] == AGREE,
            reason=data["reason"],
        )

    def done(self, result, claim):
        if result.status == ClaimStatus.ASSESSMENT:
            return _("Claim %(number)s goes back to assessment.") % {"number": claim.number}
        return _(
            "You gave the second approval: claim %(number)s is settled at %(amount)s and can "
            "be paid."
        ) % {"number": claim.number, "amount": self.money(result.indemnity, claim)}


class ClaimPayView(ClaimActionView):
    name = "pay"

    def act(self, data, claim):
        return settlement.claim_pay(
            actor=self.request.user,
            claim_id=claim.pk,
            paid_on=data["paid_on"],
            reference=data["reference"],
        )

    def done(self, result, claim):
        return _(
            "Claim %(number)s is paid: %(amount)s on %(day)s. The settlement statement is being "
            "prepared; the insured is told."
        ) % {
            "number": claim.number,
            "amount": self.money(result.indemnity, claim),
            "day": result.paid_on.isoformat(),
        }


class ClaimRecoveryView(ClaimActionView):
    name = "recovery"

    def act(self, data, claim):
        return recoveries.recovery_record(
            actor=self.request.user,
            claim_id=claim.pk,
            amount=data["amount"],
            received_on=data["received_on"],
            source=data["source"],
        )

    def done(self, result, claim):
        return _(
            "A recovery of %(amount)s is recorded on claim %(number)s: %(insurer)s to the "
            "insurer, %(insured)s to the insured."
        ) % {
            "amount": self.money(result.amount, claim),
            "number": claim.number,
            "insurer": self.money(result.to_insurer, claim),
            "insured": self.money(result.to_insured, claim),
        }


# The insured (and, for documents, the claims handler) ---------------------------------------


class ClaimDocumentAddView(ClaimActionView):
    allowed_roles = INSURED + CLAIMS  # the insured, and a handler on its behalf
    name = "document"

    def act(self, data, claim):
        return claim_services.claim_document_add(
            actor=self.request.user,
            claim_id=claim.pk,
            kind=data["kind"],
            upload=data["file"],
            note=data["note"],
        )

    def done(self, result, claim):
        return _("“%(name)s” is added to claim %(number)s as: %(kind)s.") % {
            "name": result.name,
            "number": claim.number,
            "kind": result.get_kind_display(),
        }


class ClaimDocumentsSentView(ClaimActionView):
    allowed_roles = INSURED
    name = "sent"

    def act(self, data, claim):
        return claim_services.claim_documents_sent(
            actor=self.request.user, claim_id=claim.pk, note=data["note"]
        )

    def done(self, result, claim):
        return _(
            "Claim %(number)s is back with the claims handler, who now assesses the documents "
            "you sent."
        ) % {"number": claim.number}


class ClaimWithdrawView(ClaimActionView):
    allowed_roles = INSURED
    name = "withdraw"
    level = messages.WARNING

    def act(self, data, claim):
        return claim_services.claim_withdraw(
            actor=self.request.user, claim_id=claim.pk, reason=data["reason"]
        )

    def done(self, result, claim):
        return _("Claim %(number)s is withdrawn.") % {"number": claim.number}
