"""The Documents page: every PDF of the user's policies in one list, newest first: schedule,
endorsements, premium invoices (from policies) and decision letters (from limits). It lives
here because limits may read policies, never the other way round."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin
from core.views import filter_params

from ..documents import KIND_CHOICES, as_rows, documents_and_letters

PAGE_SIZE = 25


class DocumentListView(RoleRequiredMixin, TemplateView):
    template_name = "limits/document_list.html"

    def get_context_data(self, **kwargs):
        g = filter_params(self.request)
        values = documents_and_letters(
            self.request.user,
            kind=g.get("kind", ""),
            policy_number=g.get("q", ""),
            ordering=g.get("ordering", ""),
        )
        page = Paginator(values, PAGE_SIZE).get_page(g.get("page"))
        return super().get_context_data(
            page_obj=page,
            paginator=page.paginator,
            rows=as_rows(page.object_list),
            kinds=KIND_CHOICES,
            **kwargs,
        )
