"""The pages of an import job: its status page (progress, then the result with every bad
line), the small progress fragment htmx polls, and the error report as CSV."""

import csv

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from core.models import ImportJob, ImportLineError

from .importers import importer_for

ERRORS_PER_PAGE = 100
REPORT_COLUMNS = ("line", "column", "code", "reason", "content")


class ImportJobMixin(LoginRequiredMixin):
    """The job `pk`, for a user its importer lets import (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.job = get_object_or_404(
            ImportJob.objects.select_related("created_by"), pk=kwargs["pk"]
        )
        self.importer = importer_for(self.job.kind)
        if not self.importer.may_import(request.user):
            raise PermissionDenied
        if not self.importer.may_see(request.user, self.job):
            raise Http404  # another company's job: as if it did not exist
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.job
        ctx.update(job=job, importer=self.importer)
        if job.finished:
            ctx["summary"] = self.importer.summary(job.result) if job.result else ""
        return ctx


class ImportJobView(ImportJobMixin, TemplateView):
    template_name = "imports/job.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.job.finished:
            errors = ImportLineError.objects.filter(job=self.job).order_by("line", "id")
            ctx["page_obj"] = Paginator(errors, ERRORS_PER_PAGE).get_page(
                self.request.GET.get("page")
            )
        return ctx


class ImportJobProgressView(ImportJobMixin, TemplateView):
    """The progress fragment; once the job has ended, htmx reloads the whole page."""

    template_name = "imports/progress.html"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.job.finished and self.request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response


class _Echo:
    def write(self, value):
        return value


def _safe(value: str) -> str:
    """A cell a spreadsheet will not take for a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class ImportJobErrorsView(ImportJobMixin, View):
    """Every error of the job as CSV, streamed: line, column, code, reason, the line as read."""

    def get(self, request, *args, **kwargs):
        writer = csv.writer(_Echo())
        rows = (
            ImportLineError.objects.filter(job=self.job)
            .order_by("line", "id")
            .values_list("line", "column", "code", "message", "content")
            .iterator(chunk_size=2000)
        )

        def lines():
            yield writer.writerow(REPORT_COLUMNS)
            for line, column, code, message, content in rows:
                yield writer.writerow([line, column, code, _safe(message), _safe(content)])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stem = self.job.file_name.rsplit(".", 1)[0] or "import"
        response["Content-Disposition"] = f'attachment; filename="{_ascii(stem)}-errors.csv"'
        return response


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)[:80]
