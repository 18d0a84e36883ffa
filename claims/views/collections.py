"""The collections pages: each overdue notification as a case, with its plan (the next
action, who must take it and by when), the payments received since the notification, what is
still overdue, stop delivery, a dispute and the claim on it.

Staff read every case (claims handlers and administrators record the steps); an insured user
reads its own company's, and another company's case answers 404 as if it did not exist.
A payment received during collections is recorded on the exposure payment pages, which set it
against the oldest invoices first and lift stop delivery once everything overdue is paid."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import CLAIMS, EVERYONE, RoleRequiredMixin
from accounts.models import Role
from core.views import ServiceFormMixin, filter_params, ordered
from exposure.models import Invoice, OverdueNotification, Payment, StopDelivery
from exposure.selectors import notifications_for

from ..collections import DEBTOR, PlanStep
from ..forms_collections import CollectionStepForm
from ..models import Claim, CollectionStep, StepKind
from ..services.collections import case_plan, collection_step_record

PAGE_SIZE = 25
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=28, decimal_places=2)


def _unpaid_now():
    """The notified invoices' unpaid amount today (one subquery per row)."""
    through = OverdueNotification.invoices.through
    total = (
        through.objects.filter(overduenotification_id=OuterRef("pk"))
        .order_by()
        .values("overduenotification_id")
        .annotate(s=Sum("invoice__open_amount"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def cases_for(user):
    """The collections cases `user` may read, with what is unpaid on them now."""
    return (
        notifications_for(user)
        .annotate(unpaid_now=_unpaid_now())
        .prefetch_related("collection_steps")
    )


def claim_url(claim_id: int) -> str:
    """The claim's page (its route is the claim pages' own; emails use the same path)."""
    try:
        return reverse("claim-detail", args=[claim_id])
    except NoReverseMatch:
        return f"/claims/{claim_id}/"


def may_record(user) -> bool:
    return user.role in CLAIMS


# The list -------------------------------------------------------------------------------------


class CollectionListView(RoleRequiredMixin, ListView):
    allowed_roles = EVERYONE
    template_name = "claims/collections/case_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "notified": "notified_on",
        "debtor": "debtor__name",
        "insured": "policy__insured__name",
        "overdue": "overdue_amount",
        "unpaid": "unpaid_now",
    }
    STATES = ("open", "closed", "all")

    def state(self) -> str:
        state = filter_params(self.request).get("state", "open")
        return state if state in self.STATES else "open"

    def get_queryset(self):
        g = filter_params(self.request)
        qs = cases_for(self.request.user)
        state = self.state()
        if state == "open":
            qs = qs.filter(closed_on__isnull=True)
        elif state == "closed":
            qs = qs.filter(closed_on__isnull=False)
        if g.get("disputed") in ("yes", "no"):
            qs = qs.filter(disputed=g["disputed"] == "yes")
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(debtor__name__icontains=q)
                | Q(debtor__registration_number__icontains=q)
                | Q(policy__insured__name__icontains=q)
            )
        return ordered(qs, self.request, self.ORDERING, "-notified_on")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for case in ctx["object_list"]:
            plan = case_plan(case, today=today)
            case.next_step = None if case.closed_on else plan.next
            case.in_dispute = plan.disputed
        g = filter_params(self.request)
        ctx.update(
            state=self.state(),
            today=today,
            filtered=any(g.get(k) for k in ("disputed", "q")) or self.state() != "open",
        )
        return ctx


# One case ---------------------------------------------------------------------------------


@dataclass
class TimelineRow:
    """A step of the plan, with what was recorded for it (the latest of its kind) and the
    earlier records of the same kind."""

    step: PlanStep
    record: CollectionStep | None
    earlier: list[CollectionStep]
    overdue: bool  # to come, and its "by" day has passed

    @property
    def passed_unrecorded(self) -> bool:
        """The debtor's period ran out (it is not a step anyone records)."""
        return self.step.done and self.step.who == DEBTOR and self.record is None


def timeline_rows(plan, steps: list[CollectionStep], today: date) -> list[TimelineRow]:
    by_kind: dict[str, list[CollectionStep]] = {}
    for s in sorted(steps, key=lambda s: (s.done_on, s.pk)):
        by_kind.setdefault(s.kind, []).append(s)
    rows = []
    for step in plan.steps:
        records = by_kind.get(step.code, []) if step.done else []
        rows.append(
            TimelineRow(
                step=step,
                record=records[-1] if records else None,
                earlier=records[:-1],
                overdue=not step.done and step.due_by is not None and step.due_by < today,
            )
        )
    return rows


class CaseMixin:
    """The case page's reads, shared by the page and the step form that re-renders it."""

    def case(self) -> OverdueNotification:
        if not hasattr(self, "_case"):
            qs = cases_for(self.request.user).select_related("created_by")
            self._case = get_object_or_404(
                qs.prefetch_related("invoices", "collection_steps__recorded_by"),
                pk=self.kwargs["pk"],
            )
        return self._case

    def case_context(self) -> dict:
        notice = self.case()
        user = self.request.user
        today = timezone.localdate()
        plan = case_plan(notice, today=today)
        steps = list(notice.collection_steps.all())
        invoices = sorted(notice.invoices.all(), key=lambda i: (i.original_due_date, i.pk))
        payments = list(
            Payment.objects.filter(
                policy_id=notice.policy_id,
                debtor_id=notice.debtor_id,
                received_on__gte=notice.notified_on,
            )
            .select_related("recorded_by")
            .prefetch_related("allocations__invoice")
            .order_by("received_on", "id")
        )
        unpaid = Invoice.objects.filter(
            policy_id=notice.policy_id, debtor_id=notice.debtor_id, open_amount__gt=0
        )
        overdue_now = unpaid.filter(due_date__lt=today).aggregate(s=Sum("open_amount"))["s"]
        disputed_invoices = list(unpaid.filter(disputed_since__isnull=False))
        stop = (
            StopDelivery.objects.filter(policy_id=notice.policy_id, debtor_id=notice.debtor_id)
            .order_by("-started_on", "-id")
            .first()
        )
        claims = [
            (c, claim_url(c.pk))
            for c in Claim.objects.filter(notification=notice).order_by("-filed_on", "-id")
        ]
        if user.role == Role.INSURED:
            payment_link = (
                reverse("payment-create")
                + "?"
                + urlencode({"policy": notice.policy_id, "debtor": notice.debtor_id})
            )
        else:
            payment_link = (
                reverse("payment-list")
                + "?"
                + urlencode({"policy": notice.policy_id, "debtor": notice.debtor_id})
            )
        return {
            "notice": notice,
            "currency": notice.policy.currency,
            "plan": plan,
            "next_step": None if notice.closed_on else plan.next,
            "timeline": timeline_rows(plan, steps, today),
            "invoices": invoices,
            "unpaid_notified": sum((i.open_amount for i in invoices), ZERO),
            "overdue_now": overdue_now or ZERO,
            "payments": payments,
            "received": sum((p.amount for p in payments), ZERO),
            "disputed": plan.disputed,
            "disputed_invoices": disputed_invoices,
            "disputed_amount": sum((i.open_amount for i in disputed_invoices), ZERO),
            "stop": stop,
            "claims": claims,
            "payment_link": payment_link,
            "may_record": may_record(user) and notice.closed_on is None,
            "today": today,
        }


class CollectionDetailView(RoleRequiredMixin, CaseMixin, TemplateView):
    allowed_roles = EVERYONE
    template_name = "claims/collections/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.case_context())
        if ctx["may_record"]:
            ctx["form"] = CollectionStepForm(currency=ctx["currency"])
        return ctx


class CollectionStepRecordView(RoleRequiredMixin, CaseMixin, ServiceFormMixin, FormView):
    """A claims handler records a step; the page comes back with the errors on their fields
    and the input kept, or goes back to the case saying what was recorded."""

    allowed_roles = CLAIMS
    http_method_names = ["post"]
    template_name = "claims/collections/case_detail.html"
    form_class = CollectionStepForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "currency": self.case().policy.currency}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.case_context())
        ctx["may_record"] = True
        return ctx

    def call_service(self, form):
        data = form.cleaned_data
        return collection_step_record(
            actor=self.request.user,
            notification_id=self.case().pk,
            kind=data["kind"],
            done_on=data["done_on"],
            note=data["note"],
            fee=data["fee"],
        )

    def service_succeeded(self, step):
        messages.success(
            self.request,
            _("Recorded: %(step)s on %(day)s.")
            % {"step": StepKind(step.kind).label, "day": date_format(step.done_on, "DATE_FORMAT")},
        )
        return redirect("collection-detail", pk=step.notification_id)
