"""Overdue notification pages: the list (scoped: an insured its company's, staff all), the
insured's form, which shows before sending what will be notified and what a late notice
costs, and one notification with its invoices and the timeline after it.

The reads they share with the API and the service are in exposure.selectors."""

from contextlib import suppress
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import INSURED, RoleRequiredMixin
from core.currencies import format_money
from core.views import ServiceFormMixin, filter_params, id_param, ordered
from debtors.models import Debtor
from policies.models import PolicyStatus
from policies.selectors import policies_for

from .. import timeline
from ..forms_cover import NotificationForm
from ..models import NonPaymentReason
from ..selectors import (
    OverduePreview,
    notification_milestones,
    notifications_for,
    overdue_debtors,
    overdue_preview,
)
from ..services.invoices import REPORTABLE
from ..services.notifications import overdue_notify

PAGE_SIZE = 25
ZERO = Decimal("0.00")


# Pages ----------------------------------------------------------------------------------------


def _list_policies(user):
    return policies_for(user).exclude(status=PolicyStatus.DRAFT).order_by("number")


class NotificationListView(RoleRequiredMixin, ListView):
    template_name = "exposure/notification_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "notified": "notified_on",
        "debtor": "debtor__name",
        "insured": "policy__insured__name",
        "policy": "policy__number",
        "overdue": "overdue_amount",
        "exposure": "exposure_amount",
        "deadline": "deadline",
        "lost": "cover_lost",
    }

    def get_queryset(self):
        g = filter_params(self.request)
        qs = notifications_for(self.request.user)
        if policy := id_param(g.get("policy")):
            qs = qs.filter(policy_id=policy)
        if debtor := id_param(g.get("debtor")):
            qs = qs.filter(debtor_id=debtor)
        if g.get("late") in ("yes", "no"):
            qs = qs.filter(late=g["late"] == "yes")
        if g.get("state") == "open":
            qs = qs.filter(closed_on__isnull=True)
        elif g.get("state") == "closed":
            qs = qs.filter(closed_on__isnull=False)
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(debtor__name__icontains=q) | Q(debtor__registration_number__icontains=q)
            )
        return ordered(qs, self.request, self.ORDERING, "-notified_on")

    def get_context_data(self, **kwargs):
        g = filter_params(self.request)
        return super().get_context_data(
            policies=_list_policies(self.request.user),
            filtered=any(g.get(k) for k in ("policy", "debtor", "late", "state", "q")),
            **kwargs,
        )


class NotificationDetailView(RoleRequiredMixin, TemplateView):
    template_name = "exposure/notification_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = get_object_or_404(
            notifications_for(self.request.user)
            .select_related("created_by")
            .prefetch_related("invoices"),
            pk=self.kwargs["pk"],
        )
        today = timezone.localdate()
        invoices = sorted(notice.invoices.all(), key=lambda i: (i.original_due_date, i.pk))
        ctx.update(
            notice=notice,
            currency=notice.policy.currency,
            invoices=invoices,
            unpaid_now=sum((i.open_amount for i in invoices), ZERO),
            milestones=[_row(m, today) for m in notification_milestones(notice)],
            today=today,
        )
        return ctx


def _row(milestone: timeline.Milestone, today: date) -> dict:
    days = (milestone.day - today).days
    return {"milestone": milestone, "past": days < 0, "in_days": days, "ago": -days}


class NotificationCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """The insured notifies a debtor overdue. The form shows what will be notified for the
    chosen policy, debtor and day (htmx swaps it in as they change; without scripts the
    "Show what will be notified" button does) before anything is sent."""

    allowed_roles = INSURED
    template_name = "exposure/notification_form.html"
    preview_template = "exposure/notification_preview.html"
    form_class = NotificationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.policy_qs = policies_for(request.user).filter(status__in=REPORTABLE)
            self.policies = list(self.policy_qs.order_by("number"))
            self.today = timezone.localdate()
            self.candidates = overdue_debtors(self.policy_qs, self.today)
            for row in self.candidates:
                row["days_left"] = (row["deadline"] - self.today).days
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == (
            "notification-preview"
        ):
            form = self.form_class(
                data=request.GET, policies=self.policy_qs, candidates=self.candidates
            )
            return self.render_to_response(
                {"preview": self.preview_of(form), "form": form},
                template_name=self.preview_template,
            )
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, template_name=None, **kwargs):
        if template_name:
            return self.response_class(
                request=self.request, template=[template_name], context=context, **kwargs
            )
        return super().render_to_response(context, **kwargs)

    def post(self, request, *args, **kwargs):
        if "preview" in request.POST:  # "Show what will be notified", without scripts
            form = self.get_form()
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "policies": self.policy_qs.order_by("number"),
            "candidates": self.candidates,
        }

    def get_initial(self):
        g = filter_params(self.request)
        initial = {"reason": NonPaymentReason.NO_REASON}
        ids = [p.pk for p in self.policies]
        policy = id_param(g.get("policy"))
        if policy in ids or len(ids) == 1:
            initial["policy"] = policy if policy in ids else ids[0]
        debtor = id_param(g.get("debtor"))
        if debtor and Debtor.objects.filter(pk=debtor).exists():
            initial["debtor"] = debtor
            if "policy" not in initial:  # the policy under which the debtor is overdue
                initial["policy"] = next(
                    (c["policy_id"] for c in self.candidates if c["debtor_id"] == debtor), None
                )
        return initial

    def preview_of(self, form) -> OverduePreview | None:
        """What would be notified for the policy, debtor and day the form holds so far."""
        policy_id = id_param(str(form["policy"].value() or ""))
        debtor_id = id_param(str(form["debtor"].value() or ""))
        policy = next((p for p in self.policies if p.pk == policy_id), None)
        if policy is None or debtor_id is None:
            return None
        day = self.today
        if form.is_bound:
            # a date the form refuses is named on submit; the preview reads today meanwhile
            with suppress(ValidationError):
                day = form.fields["notified_on"].clean(form["notified_on"].value()) or day
            day = min(day, self.today)
        preview = overdue_preview(policy, debtor_id, day)
        preview.debtor = Debtor.objects.filter(pk=debtor_id).first()
        return preview

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            has_policies=bool(self.policies),
            has_several_policies=len(self.policies) > 1,
            candidates=self.candidates,
            preview=self.preview_of(ctx["form"]),
            today=self.today,
        )
        return ctx

    def call_service(self, form):
        data = form.cleaned_data
        return overdue_notify(
            actor=self.request.user,
            policy_id=data["policy"].pk,
            debtor_id=data["debtor"].pk,
            reason=data["reason"],
            details=data["details"],
            disputed=data["disputed"],
            notified_on=data["notified_on"],
        )

    def service_succeeded(self, notice):
        values = {
            "debtor": notice.debtor.name,
            "amount": format_money(notice.overdue_amount, notice.policy.currency),
            "day": date_format(notice.notified_on, "DATE_FORMAT"),
        }
        if notice.late:
            messages.warning(
                self.request,
                _(
                    "%(debtor)s is notified overdue (%(amount)s) on %(day)s, after the "
                    "deadline: %(lost)s of invoices lose their cover. Deliveries to this debtor "
                    "are no longer covered."
                )
                % {**values, "lost": format_money(notice.cover_lost, notice.policy.currency)},
            )
        else:
            messages.success(
                self.request,
                _(
                    "%(debtor)s is notified overdue (%(amount)s) on %(day)s, in time. "
                    "Deliveries to this debtor are no longer covered until everything overdue "
                    "is paid."
                )
                % values,
            )
        return redirect("notification-detail", pk=notice.pk)
