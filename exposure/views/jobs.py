"""What the scheduled jobs did, for staff: every run with its summary or error, and for a
deadline run the notices it sent (the ledger)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from accounts.access import STAFF, RoleRequiredMixin
from core.models import JobRun
from core.views import filter_params

from ..models import DeadlineNotice

PAGE_SIZE = 50
# What a job's summary counts, in words (a key without words shows as it is).
SUMMARY_LABELS = {
    "warnings": _("deadline warnings"),
    "late_marks": _("passed deadlines"),
    "stops_started": _("stops started"),
    "stops_lifted": _("stops lifted"),
    "stops_told": _("stops told"),
    "lifts_told": _("lifts told"),
    "expired": _("limits expired"),
    "reductions_announced": _("reductions announced"),
    "waiting_told": _("waiting periods told"),
    "may_file_told": _("claims that may now be filed, told"),
    "filing_warnings": _("claim filing warnings"),
}


def summary_lines(summary: dict) -> list[tuple[str, object]]:
    return [(str(SUMMARY_LABELS.get(k, k)), v) for k, v in (summary or {}).items()]


class JobRunListView(RoleRequiredMixin, ListView):
    template_name = "exposure/job_runs.html"
    allowed_roles = STAFF
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        qs = JobRun.objects.order_by("-started_at", "-id")
        name = filter_params(self.request).get("name")
        return qs.filter(name=name) if name else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["names"] = JobRun.objects.order_by("name").values_list("name", flat=True).distinct()
        for run in ctx["object_list"]:
            run.summary_lines = summary_lines(run.summary)
        return ctx


class JobRunDetailView(RoleRequiredMixin, TemplateView):
    template_name = "exposure/job_run_detail.html"
    allowed_roles = STAFF

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = get_object_or_404(JobRun, pk=kwargs["pk"])
        notices = DeadlineNotice.objects.filter(run=run).select_related(
            "policy", "policy__insured", "debtor"
        )
        ctx.update(run=run, notices=notices, summary=summary_lines(run.summary))
        return ctx
