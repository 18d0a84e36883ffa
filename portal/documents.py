"""The Documents page: every PDF of the user's policies in one list, newest first: schedule,
endorsements, premium invoices (policies), credit limit decision letters (limits) and claim
statements (claims), sorted and paginated across them in one SQL statement. It lives in the
portal because only the portal sees all three apps; each app says which of its documents a
user may see (limits.documents, claims.documents).

The statements download from here too: an insured user its own company's only (another's
answers 404), staff every company's."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import EVERYONE, RoleRequiredMixin
from claims import documents as claim_documents
from claims.exceptions import StatementNotReady
from claims.models import StatementStatus
from core.views import filter_params, stored_pdf_response
from limits import documents as limit_documents
from limits.models import LetterKind, LetterStatus
from policies.models import DocumentKind

PAGE_SIZE = 25
KIND_CHOICES = [*limit_documents.KIND_CHOICES, *claim_documents.KIND_CHOICES]
DOWNLOADS = {
    limit_documents.POLICY_DOCUMENT: "document-download",
    limit_documents.LETTER: "letter-download",
    claim_documents.STATEMENT: "claim-statement-download",
}


@dataclass(frozen=True)
class DocumentRow:
    """One line of the Documents page: a policy document, a decision letter or a claim
    statement (the fields are limits.documents.COLUMNS)."""

    source: str
    id: int
    created_at: datetime
    kind: str
    policy_id: int
    policy_number: str
    version: int | None
    language: str
    status: str
    note: str

    @property
    def is_letter(self) -> bool:
        return self.source == limit_documents.LETTER

    @property
    def is_statement(self) -> bool:
        return self.source == claim_documents.STATEMENT

    @property
    def kind_label(self) -> str:
        if self.is_letter:
            kind = dict(LetterKind.choices).get(self.kind, self.kind)
            return str(_("Decision letter: %(kind)s") % {"kind": kind})
        if self.is_statement:
            return claim_documents.statement_kind_label(self.kind)
        return str(dict(DocumentKind.choices).get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(dict(LetterStatus.choices).get(self.status, self.status))

    @property
    def language_label(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def download_url(self) -> str:
        return reverse(DOWNLOADS[self.source], args=[self.id])


def documents_for_page(user, *, kind: str = "", policy_number: str = "", ordering: str = ""):
    """Every document the user may see, of `kind` ("" or an unknown kind: every kind), as
    one queryset of value tuples (turn them into rows with `as_rows`)."""
    parts = [
        *limit_documents.documents_and_letters_parts(user, kind=kind, policy_number=policy_number),
        *claim_documents.statement_rows(user, kind=kind, policy_number=policy_number),
    ]
    if not parts:  # an unknown kind: every document, as if none was chosen
        return documents_for_page(user, policy_number=policy_number, ordering=ordering)
    return limit_documents.merged(parts, ordering=ordering)


def as_rows(values) -> list[DocumentRow]:
    return [DocumentRow(*row) for row in values]


class DocumentListView(RoleRequiredMixin, TemplateView):
    template_name = "portal/document_list.html"

    def get_context_data(self, **kwargs):
        g = filter_params(self.request)
        values = documents_for_page(
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


class StatementDownloadView(RoleRequiredMixin, View):
    """A claim statement's PDF. One not ready yet sends the user back with a message saying
    so, instead of an empty file or an error page."""

    allowed_roles = EVERYONE

    def get(self, request, pk):
        statement = get_object_or_404(claim_documents.statements_for(request.user), pk=pk)
        if statement.status != StatementStatus.READY or not statement.file:
            if statement.status == StatementStatus.FAILED:
                message = _("The statement could not be prepared. Please contact the claims team.")
            else:
                message = StatementNotReady.default_message
            messages.warning(request, message)
            return redirect(self.back(request))
        return stored_pdf_response(
            request, statement, not_ready=str(StatementNotReady.default_message)
        )

    @staticmethod
    def back(request) -> str:
        """Where the user came from, if it is this site's page, else the Documents page."""
        referer = request.headers.get("referer", "")
        safe = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        if safe and referer and referer != request.build_absolute_uri():
            return referer
        return reverse("document-list")
