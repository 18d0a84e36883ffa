"""Filing a claim: the insured chooses a debtor it notified overdue, the cause of loss and
what happened, and sees beside the form what the claim would pay today, line by line (htmx
asks `claim-preview` again as the choices change; without scripts the "Show what it would
pay" button does). The rules are claims.services.claims.claim_file's."""

from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.access import INSURED, RoleRequiredMixin
from core.currencies import format_money
from core.exceptions import DomainError
from core.views import ServiceFormMixin, filter_params, id_param
from policies.selectors import policies_for

from ..forms import ClaimFileForm
from ..models import Cause
from ..selectors import calculate
from ..selectors.pages import (
    FILABLE_POLICY,
    Claimable,
    calculation_context,
    claimable,
    filing_dates,
)
from ..services.claims import claim_file


class FilingMixin:
    """The insured's policies claims are filed under, the debtors it may claim on, and the
    preview of what a claim would pay for the choices a form holds so far."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.today = timezone.localdate()
            self.policy_qs = (
                policies_for(request.user).filter(status__in=FILABLE_POLICY).order_by("number")
            )
            self.policies = list(self.policy_qs)
            self.candidates = claimable(request.user, self.today)
        return super().dispatch(request, *args, **kwargs)

    def form_for(self, data=None, **kwargs) -> ClaimFileForm:
        return ClaimFileForm(
            data, policies=self.policy_qs, candidates=self.candidates, prefix=None, **kwargs
        )

    def candidate(self, policy_id: int | None, debtor_id: int | None) -> Claimable | None:
        return next(
            (
                c
                for c in self.candidates
                if c.debtor.pk == debtor_id and (policy_id is None or c.policy.pk == policy_id)
            ),
            None,
        )

    def preview_of(self, form) -> dict | None:
        """What a claim on the chosen policy and debtor would pay today, with its dates."""
        policy_id = id_param(str(form["policy"].value() or ""))
        debtor_id = id_param(str(form["debtor"].value() or ""))
        if debtor_id is None:
            return None
        item = self.candidate(policy_id, debtor_id)
        if item is None:
            return {"item": None}
        cause = str(form["cause"].value() or "")
        loss_date = None
        if form.is_bound and cause != Cause.PROTRACTED_DEFAULT:
            # a date the form refuses is named on submit; the preview reads none meanwhile
            with suppress(ValidationError):
                loss_date = form.fields["loss_date"].clean(form["loss_date"].value())
        elif not form.is_bound:
            loss_date = form.initial.get("loss_date")
        dates = filing_dates(item, cause, loss_date, self.today)
        on = min(dates["loss_date"] or self.today, self.today)
        calc = calculate(item.policy, item.debtor.pk, today=self.today, loss_date=on)
        return {
            "item": item,
            "cause": cause,
            "cause_label": Cause(cause).label if cause in Cause.values else "",
            "political_not_covered": cause == Cause.POLITICAL and not item.policy.political_risk,
            "late": dates["deadline"] is not None and self.today > dates["deadline"],
            **dates,
            **calculation_context(calc, item.policy.currency),
        }


class ClaimFileView(RoleRequiredMixin, FilingMixin, ServiceFormMixin, FormView):
    allowed_roles = INSURED
    template_name = "claims/claim_form.html"

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        return self.form_for(kwargs.pop("data", None), initial=kwargs["initial"])

    def post(self, request, *args, **kwargs):
        if "preview" in request.POST:  # "Show what it would pay", without scripts
            form = self.get_form()
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        g = filter_params(self.request)
        initial: dict = {}
        ids = [p.pk for p in self.policies]
        policy = id_param(g.get("policy"))
        if policy in ids or len(ids) == 1:
            initial["policy"] = policy if policy in ids else ids[0]
        item = self.candidate(initial.get("policy"), id_param(g.get("debtor")))
        if item is not None:
            initial.update(policy=item.policy.pk, debtor=item.debtor.pk)
            if item.insolvent_since:
                initial.update(cause=Cause.INSOLVENCY, loss_date=item.insolvent_since)
            elif item.may_file_from(self.today) is None:
                initial["cause"] = Cause.PROTRACTED_DEFAULT
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            has_policies=bool(self.policies),
            has_several_policies=len(self.policies) > 1,
            candidates=[(c, c.may_file_from(self.today)) for c in self.candidates],
            preview=self.preview_of(ctx["form"]),
            today=self.today,
        )
        return ctx

    def call_service(self, form):
        data = form.cleaned_data
        try:
            return claim_file(
                actor=self.request.user,
                policy_id=data["policy"].pk,
                debtor_id=data["debtor"].pk,
                cause=data["cause"],
                evidence=data["evidence"],
                loss_date=data["loss_date"],
                insolvency_kind=data["insolvency_kind"],
            )
        except DomainError as exc:
            if exc.field == "filed_on":  # the deadline counts from the date, or the waiting
                exc.field = "cause" if data["cause"] == Cause.PROTRACTED_DEFAULT else "loss_date"
            raise

    def service_succeeded(self, claim):
        messages.success(
            self.request,
            _(
                "Claim %(number)s on %(debtor)s is filed: today it would pay %(amount)s. Add the "
                "documents the checklist names below."
            )
            % {
                "number": claim.number,
                "debtor": claim.debtor.name,
                "amount": format_money(claim.claimed_amount, claim.currency),
            },
        )
        return redirect("claim-detail", pk=claim.pk)


class ClaimPreviewView(RoleRequiredMixin, FilingMixin, TemplateView):
    """The preview fragment the filing form asks for as its choices change."""

    allowed_roles = INSURED
    template_name = "claims/_preview.html"

    def get_context_data(self, **kwargs):
        form = self.form_for(filter_params(self.request))
        return {
            **super().get_context_data(**kwargs),
            "preview": self.preview_of(form),
            "today": self.today,
        }
