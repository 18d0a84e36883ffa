"""Pages for underwriters (and administrators): the queue of referred requests, deciding one,
the insurer's reduction of a limit, and debtor risk events to review. The credit decision
template editor (administrators only) is in uw_templates.py and re-exported here."""

from collections import defaultdict
from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView

from accounts.access import UNDERWRITING, RoleRequiredMixin
from accounts.models import InsuredCompany
from core.currencies import format_money
from core.exceptions import DomainError
from core.views import ServiceFormMixin, filter_params, id_param, ordered
from debtors.models import RiskEvent, RiskEventKind
from debtors.risk import rating_band

from .. import selectors
from ..exceptions import RequestAlreadyDecided
from ..models import PENDING, Limit, LimitRequest, RequestStatus
from ..services.changes import limit_reduce_by_insurer
from ..services.decisions import limit_request_decide
from ..services.review import risk_event_mark_reviewed
from ..uw_forms import DecisionForm, InsurerReduceForm, RiskEventReviewForm
from .uw_display import BAND_LABELS, reason_rows, short_reason, totals_by_currency
from .uw_templates import TemplateCreateView, TemplateEditView, TemplateListView

__all__ = [
    "InsurerReduceView",
    "QueueView",
    "RequestDecideView",
    "RiskEventListView",
    "RiskEventReviewView",
    "TemplateCreateView",
    "TemplateEditView",
    "TemplateListView",
]

PAGE_SIZE = 25
SLOW_AFTER = timedelta(hours=48)  # the slower anchor insurer decides 81–85 % within 48 hours


class UnderwritingMixin(RoleRequiredMixin):
    allowed_roles = UNDERWRITING


# Queue --------------------------------------------------------------------------------------


class QueueView(UnderwritingMixin, ListView):
    """Referred requests, oldest first, with what failed; limits put up for review by a risk
    event; and how many risk events wait."""

    template_name = "limits/uw_queue.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "submitted": "submitted_at",
        "amount": "amount",
        "insured": "policy__insured__name",
        "debtor": "debtor__name",
    }

    def get_queryset(self):
        qs = selectors.referred_queue()
        g = filter_params(self.request)
        insured, country = id_param(g.get("insured")), g.get("country", "")
        if insured is not None:
            qs = qs.filter(policy__insured_id=insured)
        if country:
            qs = qs.filter(debtor__country=country.upper())
        return ordered(qs, self.request, self.ORDERING, "submitted_at")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        rows = list(ctx["object_list"])
        for row in rows:
            row.slow = now - row.submitted_at > SLOW_AFTER
            row.failing = [short_reason(r) for r in row.reasons]
        referred = LimitRequest.objects.filter(status=RequestStatus.REFERRED)
        today = timezone.localdate()
        ctx.update(
            rows=rows,
            insureds=InsuredCompany.objects.filter(
                pk__in=referred.values("policy__insured_id")
            ).order_by("name"),
            countries=sorted(set(referred.values_list("debtor__country", flat=True))),
            under_review=list(selectors.limits_as_of(selectors.limits_under_review(), today)),
            unreviewed_events=selectors.unreviewed_risk_events().count(),
        )
        return ctx


# Deciding a request -------------------------------------------------------------------------


class _DecidedMeanwhile(Exception):
    pass


class RequestDecideView(UnderwritingMixin, ServiceFormMixin, FormView):
    template_name = "limits/uw_request_decide.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.limit_request = self._load()
        return super().dispatch(request, *args, **kwargs)

    def _load(self) -> LimitRequest:
        qs = selectors.limit_requests_for(self.request.user).select_related(
            "debtor__latest_report", "requested_by"
        )
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"amount": None, "outcome": None}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        req, today = self.limit_request, timezone.localdate()
        debtor, currency = req.debtor, req.policy.currency
        report = debtor.latest_report
        limits = [x for x in selectors.limits_on_debtor(debtor, today=today) if x.amount > 0]
        # The template's reasons; an underwriter's decision replaces request.reasons later.
        automatic = req.reasons if req.decided_by_id is None else []
        ctx.update(
            req=req,
            debtor=debtor,
            currency=currency,
            report=report,
            band=BAND_LABELS.get(req.assessment.get("band")),
            report_band=BAND_LABELS.get(rating_band(report.rating if report else None)),
            reports=debtor.reports.all()[:20],
            events=debtor.risk_events.select_related("reviewed_by")[:20],
            failing=reason_rows(req.assessment.get("reasons", automatic), currency),
            steps=req.assessment.get("steps", []),
            limits=limits,
            limit_totals=totals_by_currency(limits),
            others_pending=LimitRequest.objects.filter(debtor=debtor, status__in=PENDING)
            .exclude(pk=req.pk)
            .select_related("policy__insured")
            .order_by("submitted_at"),
            is_pending=req.status in PENDING,
            slow=timezone.now() - req.submitted_at > SLOW_AFTER,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if self.limit_request.status not in PENDING:
            return self._already_decided()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except _DecidedMeanwhile:  # decided by someone else since the page was opened
            self.limit_request = self._load()
            return self._already_decided()

    def _already_decided(self):
        req = self.limit_request
        messages.error(
            self.request,
            _("This request was already %(status)s; nothing was changed.")
            % {"status": req.get_status_display().lower()},
        )
        return self.render_to_response(self.get_context_data(form=DecisionForm()), status=409)

    def call_service(self, form):
        data = form.cleaned_data
        try:
            return limit_request_decide(
                actor=self.request.user,
                request_id=self.limit_request.pk,
                outcome=data["outcome"],
                amount=data.get("amount"),
                reason=data["reason"],
                max_terms_days=data.get("max_terms_days"),
                expires_on=data.get("expires_on"),
            )
        except RequestAlreadyDecided as exc:
            # Not a form error: the page shows the decision instead of the form.
            raise _DecidedMeanwhile from exc

    def service_succeeded(self, req):
        amount = format_money(req.decided_amount, req.policy.currency)
        messages.success(
            self.request,
            _(
                "%(debtor)s for %(insured)s: %(status)s at %(amount)s. The insured has been "
                "told; the letter is being prepared."
            )
            % {
                "debtor": req.debtor.name,
                "insured": req.policy.insured.name,
                "status": req.get_status_display().lower(),
                "amount": amount,
            },
        )
        return redirect("underwriting-queue")


# The insurer's reduction --------------------------------------------------------------------


class InsurerReduceView(UnderwritingMixin, ServiceFormMixin, FormView):
    template_name = "limits/uw_insurer_reduce.html"
    form_class = InsurerReduceForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.today = timezone.localdate()
            qs = selectors.limits_as_of(selectors.limits_for(request.user), self.today)
            self.limit = get_object_or_404(qs, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def effective_date(self):
        if self.limit.debtor.insolvent_since is not None:
            return self.today
        return self.today + timedelta(days=self.limit.policy.reduction_notice_days)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        limit = self.limit
        ctx.update(
            limit=limit,
            currency=limit.policy.currency,
            effective=self.effective_date(),
            insolvent=limit.debtor.insolvent_since is not None,
            notice_days=limit.policy.reduction_notice_days,
            changes=selectors.limit_changes_read(limit, self.today)[0][:10],
            events=limit.debtor.risk_events.all()[:10],
            today=self.today,
        )
        return ctx

    def call_service(self, form):
        return limit_reduce_by_insurer(
            actor=self.request.user,
            limit_id=self.limit.pk,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )

    def service_succeeded(self, change):
        values = {
            "debtor": self.limit.debtor.name,
            "amount": format_money(change.amount, self.limit.policy.currency),
            "date": formats.date_format(change.effective_from, "DATE_FORMAT"),
        }
        if change.amount == 0:
            text = _("The limit on %(debtor)s is withdrawn from %(date)s.")
        else:
            text = _("The limit on %(debtor)s is reduced to %(amount)s from %(date)s.")
        messages.success(
            self.request,
            f"{text % values} "
            + _("Deliveries before then keep the old cover. The insured has been told."),
        )
        return redirect("limit-detail", pk=self.limit.pk)


# Risk events --------------------------------------------------------------------------------


def _limits_by_debtor(debtor_ids, today) -> dict[int, list[Limit]]:
    """The limits in force today on these debtors, grouped by debtor (one query)."""
    qs = selectors.limits_as_of(
        Limit.objects.filter(debtor_id__in=set(debtor_ids)).select_related("policy__insured"),
        today,
    ).filter(amount__gt=0)
    grouped: dict[int, list[Limit]] = defaultdict(list)
    for limit in qs.order_by("-amount"):
        grouped[limit.debtor_id].append(limit)
    return grouped


class RiskEventListView(UnderwritingMixin, ListView):
    """Unreviewed risk events first, each with the limits on its debtor; reviewed ones below."""

    template_name = "limits/uw_risk_events.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "occurred": "occurred_on",
        "kind": "kind",
        "debtor": "debtor__name",
        "reviewed": "reviewed_at",
    }

    def _filter(self, qs):
        g = filter_params(self.request)
        kind, q = g.get("kind", ""), g.get("q", "").strip()
        if kind:
            qs = qs.filter(kind=kind)
        if q:
            qs = qs.filter(debtor__name__icontains=q)
        return qs

    def get_queryset(self):
        qs = RiskEvent.objects.filter(reviewed_at__isnull=False).select_related(
            "debtor", "reviewed_by"
        )
        return ordered(self._filter(qs), self.request, self.ORDERING, "-reviewed_at")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unreviewed = list(self._filter(selectors.unreviewed_risk_events())[:100])
        reviewed = list(ctx["object_list"])
        limits = _limits_by_debtor(
            [e.debtor_id for e in unreviewed + reviewed], timezone.localdate()
        )
        for event in unreviewed + reviewed:
            event.limits = limits.get(event.debtor_id, [])
            event.totals = totals_by_currency(event.limits)
        ctx.update(
            unreviewed=unreviewed,
            reviewed=reviewed,
            kinds=RiskEventKind.choices,
            review_form=RiskEventReviewForm(),
        )
        return ctx


class RiskEventReviewView(UnderwritingMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(RiskEvent.objects.select_related("debtor"), pk=pk)
        form = RiskEventReviewForm(request.POST)
        keep = form.is_valid() and form.cleaned_data["keep_limits"]
        try:
            result = risk_event_mark_reviewed(
                actor=request.user, event_id=event.pk, keep_limits=keep
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            text = _("%(kind)s of %(debtor)s marked reviewed.") % {
                "kind": event.get_kind_display(),
                "debtor": event.debtor.name,
            }
            if keep:
                n = result.limits_kept
                text += " " + ngettext(
                    "%(n)s limit kept as it is.", "%(n)s limits kept as they are.", n
                ) % {"n": n}
            messages.success(request, text)
        return redirect(reverse("risk-event-list"))
