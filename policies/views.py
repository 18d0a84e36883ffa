"""Pages for policies, declarations, documents and insured companies."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import EVERYONE, INSURED, UNDERWRITING, RoleRequiredMixin
from accounts.models import InsuredCompany
from accounts.services import insured_company_create
from core.currencies import format_money
from core.views import (
    ServiceFormMixin,
    action_with_message,
    filter_params,
    id_param,
    ordered,
    stored_pdf_response,
)

from . import selectors, services
from .forms import CompanyForm, DeclarationForm, PolicyTermsForm, ReasonForm
from .models import (
    MONEY_TERMS,
    TERM_FIELDS,
    PolicyStatus,
)

PAGE_SIZE = 25
# Terms the policy page shows in its header or on their own line rather than in the list.
HEADER_TERMS = frozenset({"currency", "start_date", "end_date", "covered_countries"})


class PolicyListView(RoleRequiredMixin, ListView):
    template_name = "policies/policy_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "number": "number",
        "insured": "insured__name",
        "start": "start_date",
        "end": "end_date",
        "status": "status",
        "currency": "currency",
    }

    def get_queryset(self):
        g = filter_params(self.request)
        qs = selectors.policy_search(
            selectors.policies_for(self.request.user),
            q=g.get("q", "").strip(),
            status=g.get("status", ""),
            currency=g.get("currency", "").strip(),
        )
        return ordered(qs, self.request, self.ORDERING, "-start_date")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        statuses = PolicyStatus.choices
        if self.request.user.is_insured:
            statuses = [c for c in statuses if c[0] != PolicyStatus.DRAFT]
        ctx["statuses"] = statuses
        return ctx


class PolicyCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    allowed_roles = UNDERWRITING
    template_name = "policies/policy_form.html"
    form_class = PolicyTermsForm

    def get_initial(self):
        initial = {"start_date": timezone.localdate().replace(day=1)}
        if "insured" in self.request.GET:
            initial["insured"] = self.request.GET["insured"]
        return initial

    def call_service(self, form):
        terms = form.terms()
        return services.policy_create(
            actor=self.request.user,
            insured=form.cleaned_data["insured"],
            start_date=terms.pop("start_date"),
            reason=form.cleaned_data.get("reason", ""),
            **terms,
        )

    def service_succeeded(self, policy):
        messages.success(
            self.request, _("Draft policy %(number)s created.") % {"number": policy.number}
        )
        return redirect("policy-detail", pk=policy.pk)


class PolicyObjectMixin:
    def get_policy(self):
        return get_object_or_404(selectors.policies_for(self.request.user), pk=self.kwargs["pk"])


class PolicyDetailView(RoleRequiredMixin, PolicyObjectMixin, TemplateView):
    template_name = "policies/policy_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        policy = self.get_policy()
        today = timezone.localdate()
        user = self.request.user
        periods = (
            selectors.declaration_states([policy], today=today)
            if policy.status != PolicyStatus.DRAFT
            else []
        )
        years = selectors.policy_years_premium(policy, today=today)
        ctx.update(
            policy=policy,
            terms=[
                (policy._meta.get_field(f), getattr(policy, f))
                for f in TERM_FIELDS
                if f not in HEADER_TERMS
            ],
            documents=selectors.documents_for(user).filter(policy=policy),
            periods=periods,
            years=years,
            premium=selectors.current_policy_year(years, today=today),
            timeline=selectors.policy_timeline(policy) if user.is_insurer_staff else [],
            can_underwrite=user.role in UNDERWRITING,
            can_declare=user.is_insured
            and policy.status in selectors.DECLARABLE_STATUSES
            and (policy.status == PolicyStatus.ISSUED or any(s.is_outstanding for s in periods)),
            cancel_form=ReasonForm(),
            money_terms=MONEY_TERMS,
        )
        return ctx


class PolicyTermsView(RoleRequiredMixin, PolicyObjectMixin, ServiceFormMixin, FormView):
    allowed_roles = UNDERWRITING
    template_name = "policies/policy_form.html"
    form_class = PolicyTermsForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.policy = self.get_policy()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.policy
        kwargs["require_reason"] = self.policy.status == PolicyStatus.ISSUED
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(policy=self.policy, **kwargs)

    def call_service(self, form):
        # The form changed the instance in memory; the service reloads and compares it.
        return services.policy_update_terms(
            actor=self.request.user,
            policy_id=self.policy.pk,
            reason=form.cleaned_data.get("reason") or "",
            **form.terms(),
        )

    def service_succeeded(self, policy):
        if policy.status == PolicyStatus.ISSUED:
            messages.success(self.request, _("Terms changed; an endorsement is being issued."))
        else:
            messages.success(self.request, _("Terms saved."))
        return redirect("policy-detail", pk=policy.pk)


class PolicyIssueView(RoleRequiredMixin, PolicyObjectMixin, View):
    allowed_roles = UNDERWRITING

    def post(self, request, pk):
        policy = self.get_policy()
        return action_with_message(
            request,
            lambda: services.policy_issue(actor=request.user, policy_id=policy.pk),
            success=_("Policy %(number)s issued; its schedule is being prepared.")
            % {"number": policy.number},
            back=reverse("policy-detail", args=[policy.pk]),
        )


class PolicyCancelView(RoleRequiredMixin, PolicyObjectMixin, FormView):
    allowed_roles = UNDERWRITING
    template_name = "policies/policy_cancel.html"
    form_class = ReasonForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(policy=self.get_policy(), **kwargs)

    def form_valid(self, form):
        policy = self.get_policy()
        return action_with_message(
            self.request,
            lambda: services.policy_cancel(
                actor=self.request.user, policy_id=policy.pk, reason=form.cleaned_data["reason"]
            ),
            success=_("Policy %(number)s cancelled.") % {"number": policy.number},
            back=reverse("policy-detail", args=[policy.pk]),
        )


class DeclarationCreateView(RoleRequiredMixin, PolicyObjectMixin, ServiceFormMixin, FormView):
    allowed_roles = INSURED
    template_name = "policies/declaration_form.html"
    form_class = DeclarationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.policy = self.get_policy()
            states = selectors.declaration_states([self.policy], today=timezone.localdate())
            self.periods = [s.period for s in states if s.is_outstanding]
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"period_start": self.request.GET.get("period_start", "")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "periods": self.periods}

    def get_context_data(self, **kwargs):
        return super().get_context_data(policy=self.policy, periods=self.periods, **kwargs)

    def call_service(self, form):
        from datetime import date

        return services.declaration_submit(
            actor=self.request.user,
            policy_id=self.policy.pk,
            period_start=date.fromisoformat(form.cleaned_data["period_start"]),
            turnover=form.cleaned_data["turnover"],
            note=form.cleaned_data["note"],
        )

    def service_succeeded(self, declaration):
        messages.success(
            self.request,
            _(
                "Turnover declared. Premium for the period: %(premium)s; the invoice is among "
                "your documents."
            )
            % {"premium": format_money(declaration.premium, declaration.currency)},
        )
        return redirect("policy-detail", pk=self.policy.pk)


class DeclarationListView(RoleRequiredMixin, TemplateView):
    """Every declaration period of the policies in force, filterable by state."""

    template_name = "policies/declaration_list.html"
    STATES = (
        ("late", gettext_lazy("Late")),
        ("due", gettext_lazy("Due")),
        ("open", gettext_lazy("Open")),
        ("declared", gettext_lazy("Declared")),
        ("declared_late", gettext_lazy("Declared late")),
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        policies = selectors.policies_for(user).exclude(status=PolicyStatus.DRAFT)
        g = filter_params(self.request)
        if (policy := id_param(g.get("policy"))) is not None:
            policies = policies.filter(pk=policy)
        rows = selectors.declaration_states(policies.order_by("number"), today=timezone.localdate())
        state = g.get("state", "")
        if state:
            rows = [r for r in rows if r.state == state]
        order = {"late": 0, "due": 1, "open": 2, "declared_late": 3, "declared": 4}
        rows.sort(key=lambda r: (order[r.state], r.period.due, r.policy.number or ""))
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx.update(
            page_obj=page,
            rows=page.object_list,
            states=self.STATES,
            state=state,
            policies=selectors.policies_for(user).exclude(status=PolicyStatus.DRAFT),
        )
        return ctx


class DocumentDownloadView(RoleRequiredMixin, View):
    allowed_roles = EVERYONE

    def get(self, request, pk):
        document = get_object_or_404(selectors.documents_for(request.user), pk=pk)
        return stored_pdf_response(
            request, document, not_ready=_("This document is still being prepared.")
        )


class CompanyListView(RoleRequiredMixin, ListView):
    allowed_roles = UNDERWRITING
    template_name = "policies/company_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {"name": "name", "country": "country", "number": "registration_number"}

    def get_queryset(self):
        from django.db.models import Count, Q

        qs = InsuredCompany.objects.annotate(
            policy_count=Count("policies"),
            active_count=Count("policies", filter=Q(policies__status=PolicyStatus.ISSUED)),
        )
        q = filter_params(self.request).get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(registration_number__icontains=q))
        return ordered(qs, self.request, self.ORDERING, "name")


class CompanyCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    allowed_roles = UNDERWRITING
    template_name = "policies/company_form.html"
    form_class = CompanyForm

    def call_service(self, form):
        return insured_company_create(actor=self.request.user, **form.cleaned_data)

    def service_succeeded(self, company):
        messages.success(
            self.request, _("%(name)s added. Create its first policy now.") % {"name": company.name}
        )
        return redirect(f"{reverse('policy-create')}?insured={company.pk}")
