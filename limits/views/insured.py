"""Limit pages for everyone, scoped: an insured user sees its company's limits and requests,
staff see all. The insured requests, reduces and withdraws here; underwriters decide on the
pages in underwriting.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import EVERYONE, INSURED, UNDERWRITING, RoleRequiredMixin
from core.currencies import format_money
from core.views import (
    ServiceFormMixin,
    action_with_message,
    filter_params,
    id_param,
    ordered,
    stored_pdf_response,
)
from debtors.models import Debtor
from policies.models import PolicyStatus
from policies.selectors import policies_for

from .. import selectors, services
from ..forms import LimitReduceForm, LimitRequestForm
from ..models import (
    PENDING,
    ChangeKind,
    DecisionLetter,
    LimitKind,
    LimitRequest,
    RequestKind,
    RequestStatus,
)
from ..reasons import describe_all

PAGE_SIZE = 25


def _policy_filter(user):
    return policies_for(user).exclude(status=PolicyStatus.DRAFT).order_by("number")


# Limits -------------------------------------------------------------------------------------


class LimitListView(RoleRequiredMixin, ListView):
    """ "My debtors": each limit with its amount today and any pending request, in one query."""

    template_name = "limits/limit_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "debtor": "debtor__name",
        "amount": "amount",
        "expires": "expires_on",
        "policy": "policy__number",
        "insured": "policy__insured__name",
    }

    def get_queryset(self):
        g = filter_params(self.request)
        pending = LimitRequest.objects.filter(
            policy_id=OuterRef("policy_id"), debtor_id=OuterRef("debtor_id"), status__in=PENDING
        ).order_by("-submitted_at")
        qs = selectors.limits_as_of(
            selectors.limits_for(self.request.user), timezone.localdate()
        ).annotate(
            pending_id=Subquery(pending.values("pk")[:1]),
            pending_amount=Subquery(pending.values("amount")[:1]),
            pending_status=Subquery(pending.values("status")[:1]),
        )
        if policy := id_param(g.get("policy")):
            qs = qs.filter(policy_id=policy)
        if g.get("kind") in LimitKind.values:
            qs = qs.filter(limit_kind=g["kind"])
        if g.get("in_force"):
            qs = qs.filter(amount__gt=0)
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(debtor__name__icontains=q) | Q(debtor__registration_number__icontains=q)
            )
        return ordered(qs, self.request, self.ORDERING, "debtor__name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            policies=_policy_filter(self.request.user), kinds=LimitKind.choices, **kwargs
        )


class LimitMixin:
    def get_limit(self):
        today = timezone.localdate()
        qs = selectors.limits_as_of(selectors.limits_for(self.request.user), today)
        return get_object_or_404(qs, pk=self.kwargs["pk"])


class LimitDetailView(RoleRequiredMixin, LimitMixin, TemplateView):
    template_name = "limits/limit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        limit = self.get_limit()
        history, upcoming = selectors.limit_changes_read(limit, today)
        requests = list(
            selectors.limit_requests_for(user).filter(
                policy_id=limit.policy_id, debtor_id=limit.debtor_id
            )
        )
        letters = DecisionLetter.objects.filter(
            Q(limit=limit) | Q(request__in=[r.pk for r in requests])
        ).select_related("policy")
        pending = next((r for r in requests if r.status in PENDING), None)
        insured = user.is_insured and limit.policy.status == PolicyStatus.ISSUED
        ctx.update(
            limit=limit,
            currency=limit.policy.currency,
            today=today,
            history=history,
            upcoming=upcoming,
            requests=requests,
            letters=letters,
            pending=pending,
            can_request=insured and pending is None,
            request_url=request_url(
                limit, RequestKind.INCREASE if limit.amount > 0 else RequestKind.NEW
            ),
            can_reduce=insured and limit.amount > 0,
            can_insurer_reduce=user.role in UNDERWRITING and limit.amount > 0,
        )
        return ctx


def request_url(limit, kind: str) -> str:
    query = urlencode({"debtor": limit.debtor_id, "policy": limit.policy_id, "kind": kind})
    return f"{reverse('limit-request-create')}?{query}"


class LimitReduceView(RoleRequiredMixin, LimitMixin, ServiceFormMixin, FormView):
    allowed_roles = INSURED
    template_name = "limits/limit_reduce.html"
    form_class = LimitReduceForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.limit = self.get_limit()
            if self.limit.amount <= 0:
                messages.info(request, _("There is no limit in force on this debtor to reduce."))
                return redirect("limit-detail", pk=self.limit.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["amount"].label = _("New amount (%(currency)s)") % {
            "currency": self.limit.policy.currency
        }
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            limit=self.limit, currency=self.limit.policy.currency, **kwargs
        )

    def call_service(self, form):
        return services.limit_reduce_by_insured(
            actor=self.request.user,
            limit_id=self.limit.pk,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )

    def service_succeeded(self, change):
        values = {
            "debtor": self.limit.debtor.name,
            "amount": format_money(change.amount, self.limit.policy.currency),
        }
        if change.kind == ChangeKind.CANCELLED_BY_INSURED:
            text = _("Your limit on %(debtor)s is cancelled; this takes effect today.")
        else:
            text = _("Your limit on %(debtor)s is reduced to %(amount)s; this takes effect today.")
        messages.success(self.request, text % values)
        return redirect("limit-detail", pk=self.limit.pk)


# Requests -----------------------------------------------------------------------------------


class RequestListView(RoleRequiredMixin, ListView):
    template_name = "limits/request_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "submitted": "submitted_at",
        "debtor": "debtor__name",
        "amount": "amount",
        "decided": "decided_amount",
        "status": "status",
        "policy": "policy__number",
        "insured": "policy__insured__name",
    }

    def get_queryset(self):
        g = filter_params(self.request)
        qs = selectors.limit_requests_for(self.request.user)
        if g.get("status") in RequestStatus.values:
            qs = qs.filter(status=g["status"])
        elif g.get("status") == "pending":
            qs = qs.filter(status__in=PENDING)
        if policy := id_param(g.get("policy")):
            qs = qs.filter(policy_id=policy)
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(debtor__name__icontains=q)
                | Q(debtor__registration_number__icontains=q)
                | Q(reference__icontains=q)
            )
        return ordered(qs, self.request, self.ORDERING, "-submitted_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            policies=_policy_filter(self.request.user), statuses=RequestStatus.choices, **kwargs
        )


class RequestCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    allowed_roles = INSURED
    template_name = "limits/request_form.html"
    form_class = LimitRequestForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.policy_qs = policies_for(request.user).filter(status=PolicyStatus.ISSUED)
            self.policies = list(self.policy_qs.order_by("number"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "policies": self.policy_qs.order_by("number")}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if len(self.policies) != 1:
            form.fields["policy"].empty_label = _("Choose a policy")
        return form

    def get_initial(self):
        g = self.request.GET
        initial = {
            "country": self.request.user.company.country,
            "kind": g["kind"] if g.get("kind") in RequestKind.values else RequestKind.NEW,
        }
        ids = [p.pk for p in self.policies]
        policy = id_param(g.get("policy"))
        if policy in ids or len(ids) == 1:
            initial["policy"] = policy if policy in ids else ids[0]
        if (debtor := id_param(g.get("debtor"))) and Debtor.objects.filter(pk=debtor).exists():
            initial["debtor"] = debtor
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        debtor_id = form["debtor"].value()
        chosen = None
        if debtor_id and str(getattr(debtor_id, "pk", debtor_id)).isdigit():
            chosen = Debtor.objects.filter(pk=getattr(debtor_id, "pk", debtor_id)).first()
        ctx.update(
            has_policies=bool(self.policies),
            chosen=chosen,
            register_url=f"{reverse('debtor-create')}?{urlencode(self.register_params(form))}",
        )
        return ctx

    def register_params(self, form) -> dict:
        """Registering a debtor comes back to this form (debtor-create adds ?debtor=), with
        the policy and kind chosen so far; a number typed here fills the register form."""
        back = self.request.GET.copy()
        back.pop("debtor", None)
        params = {}
        if form.is_bound:
            for name in ("policy", "kind"):
                if form.data.get(name):
                    back[name] = form.data[name]
            if form.data.get("registration_number"):
                params["country"] = form.data.get("country", "")
                params["registration_number"] = form.data["registration_number"]
        query = back.urlencode()
        params["next"] = reverse("limit-request-create") + (f"?{query}" if query else "")
        return params

    def call_service(self, form):
        data = form.cleaned_data
        return services.limit_request_submit(
            actor=self.request.user,
            policy_id=data["policy"].pk,
            debtor_id=data["debtor"].pk,
            amount=data["amount"],
            kind=data["kind"],
            payment_terms_days=data["payment_terms_days"],
            reference=data["reference"],
        )

    def service_succeeded(self, limit_request):
        if limit_request.status == RequestStatus.REFERRED:
            messages.info(
                self.request,
                _("Request sent. It needs an underwriter's decision; you will get a message."),
            )
        else:
            messages.success(self.request, _("Request sent and decided at once."))
        return redirect("limit-request-detail", pk=limit_request.pk)


class RequestDetailView(RoleRequiredMixin, TemplateView):
    template_name = "limits/request_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        req = get_object_or_404(selectors.limit_requests_for(user), pk=self.kwargs["pk"])
        staff = user.is_insurer_staff
        assessment = req.assessment or {}
        ctx.update(
            req=req,
            currency=req.currency,
            reasons=describe_all(req.reasons, req.currency),
            assessment_reasons=(
                describe_all(assessment.get("reasons"), req.currency)
                if staff and req.decided_by_id
                else []
            ),
            steps=assessment.get("steps", []) if staff else [],
            template_name=assessment.get("template", ""),
            change=req.limit_changes.order_by("id").first(),
            letters=list(req.letters.select_related("policy")),
            limit=selectors.limits_for(user)
            .filter(policy_id=req.policy_id, debtor_id=req.debtor_id)
            .first(),
            status_history=selectors.request_status_history(req),
            is_pending=req.status in PENDING,
            can_withdraw=user.is_insured and req.status in PENDING,
            can_decide=user.role in UNDERWRITING and req.status == RequestStatus.REFERRED,
        )
        return ctx


class RequestWithdrawView(RoleRequiredMixin, View):
    allowed_roles = INSURED

    def post(self, request, pk):
        req = get_object_or_404(selectors.limit_requests_for(request.user), pk=pk)
        return action_with_message(
            request,
            lambda: services.limit_request_withdraw(actor=request.user, request_id=req.pk),
            success=_("Your request on %(debtor)s is withdrawn.") % {"debtor": req.debtor.name},
            back=reverse("limit-request-detail", args=[req.pk]),
        )


class LetterDownloadView(RoleRequiredMixin, View):
    allowed_roles = EVERYONE

    def get(self, request, pk):
        letter = get_object_or_404(selectors.letters_for(request.user), pk=pk)
        return stored_pdf_response(
            request, letter, not_ready=_("This letter is still being prepared.")
        )
