"""The exposure dashboard of a policy, for the insured and the underwriter: totals, exposure
against the limit per debtor (a chart of the largest, a table of all), the ageing, covered
against uncovered, and a link to act on each debtor; and every insured's exposure on one
debtor beside its limit, for the underwriter's pages."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.access import EVERYONE, UNDERWRITING, RoleRequiredMixin
from accounts.models import Role
from core.views import filter_params, id_param
from debtors.models import Debtor
from limits.models import Limit
from limits.selectors import limits_as_of
from policies.models import Policy, PolicyStatus
from policies.selectors import policies_for

from ..models import Invoice, StopDelivery
from ..selectors import BUCKETS, REASONS, ZERO, exposure_by_debtor, exposure_total

PAGE_SIZE = 25
CHART_DEBTORS = 15
SORTS = {
    "debtor": lambda r: r["debtor"].name.lower(),
    "limit": lambda r: r["limit"],
    "unpaid": lambda r: r["exposure"].unpaid,
    "covered": lambda r: r["exposure"].covered,
    "uncovered": lambda r: r["exposure"].uncovered_total,
    "overdue": lambda r: r["overdue"],
}


def _policies(user):
    return policies_for(user).filter(status__in=[PolicyStatus.ISSUED, PolicyStatus.EXPIRED])


class DashboardView(RoleRequiredMixin, TemplateView):
    """One policy's exposure (`?policy=`; an insured's first issued policy by default)."""

    template_name = "exposure/dashboard.html"
    allowed_roles = EVERYONE

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, params = self.request.user, filter_params(self.request)
        policies = _policies(user).select_related("insured").order_by("number")
        wanted = id_param(params.get("policy"))
        policy = (
            policies.filter(pk=wanted).first()
            if wanted
            else (policies.first() if user.role == Role.INSURED else None)
        )
        if wanted and policy is None:
            raise Http404
        ctx.update(policies=policies, policy=policy)
        if policy is None:
            return ctx
        today = timezone.localdate()
        per_debtor = exposure_by_debtor(Invoice.objects.filter(policy=policy), today=today)
        limits = {
            limit.debtor_id: limit.amount
            for limit in limits_as_of(Limit.objects.filter(policy=policy), today)
        }
        stops = {
            s.debtor_id: s
            for s in StopDelivery.objects.filter(policy=policy, lifted_on__isnull=True)
        }
        debtor_ids = set(limits) | {d for (_p, d) in per_debtor}
        debtors = Debtor.objects.in_bulk(debtor_ids)
        rows = []
        for debtor_id, debtor in debtors.items():
            exposure = per_debtor.get((policy.pk, debtor_id))
            if exposure is None and not limits.get(debtor_id):
                continue  # no limit today and nothing unpaid
            overdue = _overdue(exposure) if exposure else ZERO
            rows.append(
                {
                    "debtor": debtor,
                    "limit": limits.get(debtor_id) or ZERO,
                    "exposure": exposure or exposure_total({}),
                    "overdue": overdue,
                    "stop": stops.get(debtor_id),
                    "main_reason": _main_reason(exposure),
                }
            )
        q = (params.get("q") or "").strip().lower()
        if q:
            rows = [
                r
                for r in rows
                if q in r["debtor"].name.lower() or q in r["debtor"].registration_number.lower()
            ]
        if params.get("only") == "overdue":
            rows = [r for r in rows if r["overdue"] > 0]
        elif params.get("only") == "stopped":
            rows = [r for r in rows if r["stop"]]
        ordering = params.get("ordering") or "-unpaid"
        if ordering.lstrip("-") not in SORTS:
            ordering = "-unpaid"
        rows.sort(key=SORTS[ordering.lstrip("-")], reverse=ordering.startswith("-"))
        total = exposure_total(per_debtor)
        chart = sorted(rows, key=lambda r: r["exposure"].unpaid, reverse=True)[:CHART_DEBTORS]
        page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
        ctx.update(
            today=today,
            total=total,
            overdue_total=_overdue(total),
            stopped=len(stops),
            limits_total=sum(limits.values(), ZERO),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            rows=page.object_list,
            reasons=[(code, label, total.uncovered[code]) for code, label in REASONS.items()],
            buckets=[(code, label, total.ageing[code]) for code, label in BUCKETS.items()],
            chart_data={
                "labels": [r["debtor"].name for r in chart],
                "covered": [str(r["exposure"].covered) for r in chart],
                "uncovered": [str(r["exposure"].uncovered_total) for r in chart],
                "limit": [str(r["limit"]) for r in chart],
                "currency": policy.currency,
            },
        )
        return ctx


def _overdue(exposure) -> Decimal:
    return sum((v for b, v in exposure.ageing.items() if b != "not_due"), ZERO)


def _main_reason(exposure) -> str:
    if exposure is None:
        return ""
    code, amount = max(exposure.uncovered.items(), key=lambda kv: kv[1])
    return str(REASONS[code]) if amount > 0 else ""


class DebtorExposureView(RoleRequiredMixin, TemplateView):
    """Exposure on one debtor beside the limit, per policy: every insured's for underwriters
    (a partial the limit request and debtor pages load), the user's own company's for an
    insured (its debtor page), with stop delivery where it applies."""

    allowed_roles = (*UNDERWRITING, Role.INSURED)

    def get_template_names(self):
        if self.request.htmx:
            return ["exposure/debtor_exposure.html"]
        return ["exposure/debtor_exposure_page.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        debtor = Debtor.objects.filter(pk=kwargs["pk"]).first()
        if debtor is None:
            raise Http404
        today = timezone.localdate()
        user = self.request.user
        scope = {"policy__insured_id": user.company_id} if user.role == Role.INSURED else {}
        limits = {
            limit.policy_id: limit
            for limit in limits_as_of(
                Limit.objects.filter(debtor=debtor, **scope).select_related(
                    "policy", "policy__insured"
                ),
                today,
            )
        }
        per_policy = exposure_by_debtor(Invoice.objects.filter(debtor=debtor, **scope), today=today)
        policy_ids = set(limits) | {p for (p, _d) in per_policy}
        policies = Policy.objects.select_related("insured").in_bulk(policy_ids)
        stops = {
            s.policy_id: s
            for s in StopDelivery.objects.filter(
                debtor=debtor, lifted_on__isnull=True, policy_id__in=policy_ids
            )
        }
        rows = []
        for pid in policy_ids:
            exposure = per_policy.get((pid, debtor.pk)) or exposure_total({})
            rows.append(
                {
                    "policy": policies[pid],
                    "limit": limits[pid].amount if pid in limits else ZERO,
                    "exposure": exposure,
                    "overdue": _overdue(exposure),
                    "stop": stops.get(pid),
                }
            )
        rows.sort(key=lambda r: (r["exposure"].unpaid, r["limit"]), reverse=True)
        ctx.update(debtor=debtor, rows=rows, today=today)
        return ctx
