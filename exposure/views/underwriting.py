"""Pages for underwriters (and administrators): the queue of extension requests (due dates
the insured asks to give beyond the maximum extension period), and deciding one."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from accounts.access import UNDERWRITING, RoleRequiredMixin
from accounts.models import InsuredCompany
from core.views import ServiceFormMixin, filter_params, id_param, ordered

from .. import selectors, services, timeline
from ..forms import ExtensionDecisionForm
from ..models import ExtensionRequest, ExtensionStatus, Invoice
from .invoices import STATES, invoice_state, milestone_rows

PAGE_SIZE = 25
SLOW_AFTER = timedelta(hours=48)  # as for limit requests: an answer within two days


class UnderwritingMixin(RoleRequiredMixin):
    allowed_roles = UNDERWRITING


def _requests():
    return ExtensionRequest.objects.select_related(
        "invoice__policy__insured", "invoice__debtor", "requested_by", "decided_by"
    )


class ExtensionQueueView(UnderwritingMixin, ListView):
    """Extension requests, those waiting first (oldest first, with their age), then the
    decided ones, newest first; filtered by status and insured."""

    template_name = "exposure/extension_queue.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "requested": "requested_at",
        "debtor": "invoice__debtor__name",
        "insured": "invoice__policy__insured__name",
        "due": "due_date",
    }

    def get_queryset(self):
        g = filter_params(self.request)
        qs = _requests()
        if g.get("status") in ExtensionStatus.values:
            qs = qs.filter(status=g["status"])
        if insured := id_param(g.get("insured")):
            qs = qs.filter(invoice__policy__insured_id=insured)
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(invoice__debtor__name__icontains=q)
                | Q(invoice__debtor__registration_number__icontains=q)
                | Q(invoice__number__icontains=q)
            )
        if self.request.GET.get("ordering", "").lstrip("-") in self.ORDERING:
            return ordered(qs, self.request, self.ORDERING, "requested_at")
        waiting = ExtensionStatus.PENDING
        return qs.annotate(
            waiting_first=Case(
                When(status=waiting, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            # oldest waiting first, then the latest decisions
            oldest=Case(When(status=waiting, then="requested_at"), default=None),
        ).order_by("waiting_first", "oldest", "-decided_at", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        rows = list(ctx["object_list"])
        for row in rows:
            row.waiting = row.status == ExtensionStatus.PENDING
            row.slow = row.waiting and now - row.requested_at > SLOW_AFTER
            invoice = row.invoice
            row.extension_end = timeline.extension_end(
                invoice.original_due_date,
                invoice.consented_due_date,
                timeline.Terms.of(invoice.policy),
            )
        ctx.update(
            rows=rows,
            statuses=ExtensionStatus.choices,
            insureds=InsuredCompany.objects.filter(
                pk__in=ExtensionRequest.objects.values("invoice__policy__insured_id")
            ).order_by("name"),
            waiting_count=ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count(),
            filtered=any(filter_params(self.request).get(k) for k in ("status", "insured", "q")),
        )
        return ctx


def compare_timelines(now_rows: list[dict], if_granted) -> list[dict]:
    """Each date of the invoice's timeline now beside the same date if the extension is
    granted, in the order of the granted timeline, with whether it moves."""
    now = {r["milestone"].code: r for r in now_rows}
    rows = []
    for m in if_granted:
        current = now.get(m.code)
        rows.append(
            {
                "milestone": m,
                "now": current["milestone"].day if current else None,
                "now_row": current,
                "granted": m.day,
                "moves": current is None or current["milestone"].day != m.day,
            }
        )
    return rows


class ExtensionDecideView(UnderwritingMixin, ServiceFormMixin, FormView):
    """The invoice, its timeline now and if the later due date is granted, the debtor's
    unpaid invoices under the policy and across every insured, and the decision form."""

    template_name = "exposure/extension_decide.html"
    form_class = ExtensionDecisionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.extension = get_object_or_404(_requests(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today, ext = timezone.localdate(), self.extension
        invoice = ext.invoice
        terms = timeline.Terms.of(invoice.policy)
        end = timeline.extension_end(invoice.original_due_date, invoice.consented_due_date, terms)
        is_open = invoice.open_amount > 0
        now_rows = milestone_rows(selectors.invoice_milestones(invoice), today, open_=is_open)
        notice = selectors.notification_of(invoice)
        if_granted = timeline.invoice_timeline(
            original_due=invoice.original_due_date,
            consented_due=ext.due_date,  # what granting writes
            terms=terms,
            notified_on=notice.notified_on if notice else None,
            insolvent_on=invoice.debtor.insolvent_since,
        )
        same_pair = Invoice.objects.filter(policy_id=invoice.policy_id, debtor_id=invoice.debtor_id)
        exposure = selectors.exposure_by_debtor(same_pair, today=today).get(
            (invoice.policy_id, invoice.debtor_id), selectors.Exposure()
        )
        unpaid = list(
            selectors.invoices_for(self.request.user)
            .filter(policy_id=invoice.policy_id, debtor_id=invoice.debtor_id, open_amount__gt=0)
            .order_by("original_due_date", "id")[:20]
        )
        for other in unpaid:
            other.state = invoice_state(other, today)
        everywhere = (
            Invoice.objects.filter(debtor_id=invoice.debtor_id, open_amount__gt=0)
            .order_by()
            .values("currency")
            .annotate(unpaid=Sum("open_amount"))
            .order_by("currency")
        )
        ctx.update(
            ext=ext,
            invoice=invoice,
            debtor=invoice.debtor,
            currency=invoice.currency,
            today=today,
            state=invoice_state(invoice, today),
            states=STATES,
            is_pending=ext.status == ExtensionStatus.PENDING,
            slow=timezone.now() - ext.requested_at > SLOW_AFTER,
            milestones=now_rows,
            if_granted=if_granted,
            compared=compare_timelines(now_rows, if_granted),
            extension_end=end,
            beyond_days=(ext.due_date - end).days,
            exposure=exposure,
            overdue=sum((v for k, v in exposure.ageing.items() if k != "not_due"), selectors.ZERO),
            unpaid=unpaid,
            everywhere=list(everywhere),
            others=ExtensionRequest.objects.filter(invoice=invoice).exclude(pk=ext.pk),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if self.extension.status != ExtensionStatus.PENDING:
            return self._already_decided()
        return super().post(request, *args, **kwargs)

    def _already_decided(self):
        messages.error(
            self.request,
            _("This request was already %(status)s; nothing was changed.")
            % {"status": self.extension.get_status_display().lower()},
        )
        return self.render_to_response(
            self.get_context_data(form=ExtensionDecisionForm()), status=409
        )

    def call_service(self, form):
        return services.invoice_extension_decide(
            actor=self.request.user,
            request_id=self.extension.pk,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
        )

    def service_succeeded(self, ext):
        invoice = self.extension.invoice
        values = {
            "number": invoice.number,
            "debtor": invoice.debtor.name,
            "insured": invoice.policy.insured.name,
            "due": ext.due_date.isoformat(),
        }
        if ext.status == ExtensionStatus.GRANTED:
            text = _(
                "Granted: invoice %(number)s of %(insured)s to %(debtor)s is now due on "
                "%(due)s, and its deadlines count from that date."
            )
        else:
            text = _(
                "Refused: invoice %(number)s of %(insured)s to %(debtor)s keeps its due date; "
                "the request for %(due)s is closed."
            )
        messages.success(self.request, text % values)
        return redirect("extension-queue")
