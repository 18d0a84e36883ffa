"""Overdue notification pages: the list (scoped: an insured its company's, staff all), the
insured's form, which shows before sending what will be notified and what a late notice
costs, and one notification with its invoices and the timeline after it.

The reads at the top (`notification_milestones`, `overdue_preview`, `overdue_debtors`) are
shared with the API (exposure.apis_cover)."""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import INSURED, RoleRequiredMixin
from core.currencies import format_money
from core.views import ServiceFormMixin, filter_params, id_param, ordered
from debtors.models import Debtor
from policies.models import Policy, PolicyStatus
from policies.selectors import policies_for

from .. import timeline
from ..forms_cover import NotificationForm
from ..models import Invoice, NonPaymentReason, OverdueNotification
from ..selectors import with_deadlines
from ..services.invoices import REPORTABLE
from ..services.notifications import notifications_for, overdue_notify

PAGE_SIZE = 25
ZERO = Decimal("0.00")
AFTER_NOTIFICATION = ("notification_deadline", "notified", "waiting_period_end")


# Reads ----------------------------------------------------------------------------------------


def notification_milestones(notice: OverdueNotification) -> list[timeline.Milestone]:
    """The notification's deadline, the notification itself, the end of the waiting period and
    the claim filing deadline (exposure.timeline, from the policy's terms), read from the
    notified invoice whose deadline comes first (the notification's `deadline`)."""
    terms = timeline.Terms.of(notice.policy)
    invoices = list(notice.invoices.all())
    if not invoices:
        return []
    first = min(
        invoices,
        key=lambda i: timeline.notification_deadline(
            i.original_due_date, i.consented_due_date, terms
        ),
    )
    milestones = timeline.invoice_timeline(
        original_due=first.original_due_date,
        consented_due=first.consented_due_date,
        terms=terms,
        notified_on=notice.notified_on,
        insolvent_on=notice.debtor.insolvent_since,
    )
    return [m for m in milestones if m.code in (*AFTER_NOTIFICATION, "claim_filing_deadline")]


@dataclass
class OverduePreview:
    """What notifying the debtor under the policy on `day` would record (the figures
    exposure.services.notifications.overdue_notify writes), read ahead."""

    day: date
    policy: Policy | None = None
    debtor: Debtor | None = None
    invoices: list = field(default_factory=list)  # overdue, with `notification_deadline`
    overdue: Decimal = ZERO
    exposure: Decimal = ZERO
    deadline: date | None = None
    lost: Decimal = ZERO
    lost_invoices: list = field(default_factory=list)
    open_notice: OverdueNotification | None = None

    @property
    def not_due(self) -> Decimal:
        return self.exposure - self.overdue

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.day > self.deadline

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.day).days


def overdue_preview(policy: Policy, debtor_id: int, day: date) -> OverduePreview:
    """The overdue invoices, the whole exposure, the deadline and the cover a late notice
    costs, as notifying on `day` would record them; and an open notification, if any."""
    unpaid = Invoice.objects.filter(policy=policy, debtor_id=debtor_id, open_amount__gt=0)
    overdue = list(
        with_deadlines(unpaid.filter(due_date__lt=day)).order_by("original_due_date", "id")
    )
    preview = OverduePreview(day=day, policy=policy, invoices=overdue)
    preview.exposure = unpaid.aggregate(s=Sum("open_amount"))["s"] or ZERO
    preview.overdue = sum((i.open_amount for i in overdue), ZERO)
    if overdue:
        preview.deadline = min(i.notification_deadline for i in overdue)
    preview.lost_invoices = [i for i in overdue if i.notification_deadline < day]
    preview.lost = sum((i.open_amount for i in preview.lost_invoices), ZERO)
    preview.open_notice = OverdueNotification.objects.filter(
        policy=policy, debtor_id=debtor_id, closed_on__isnull=True
    ).first()
    return preview


def overdue_debtors(policies, today: date) -> list[dict]:
    """Per policy and debtor with something unpaid past its due date and no open
    notification: the overdue amount, the number of invoices and the first notification
    deadline, soonest first (one statement)."""
    notified = OverdueNotification.objects.filter(
        policy_id=OuterRef("policy_id"), debtor_id=OuterRef("debtor_id"), closed_on__isnull=True
    )
    rows = (
        with_deadlines(
            Invoice.objects.filter(policy__in=policies, open_amount__gt=0, due_date__lt=today)
        )
        .filter(~Exists(notified))
        .values(
            "policy_id",
            "policy__number",
            "policy__currency",
            "debtor_id",
            "debtor__name",
            "debtor__country",
            "debtor__registration_number",
        )
        .annotate(
            overdue=Sum("open_amount"), count=Count("id"), deadline=Min("notification_deadline")
        )
        .order_by("deadline", "debtor__name")
    )
    return list(rows)


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
