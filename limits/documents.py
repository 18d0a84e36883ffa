"""The Documents page's list: a policy's documents (schedule, endorsements, premium invoices,
from `policies`) and the credit limit decision letters (from here), in one list, newest first.

Each app says which of its documents a user may see (`policies.selectors.documents_for`,
`limits.selectors.letters_for`: an insured user only its own company's, and only those ready to
download); this module, in the layer that sees both apps, merges them in one SQL statement
(UNION ALL), so the page sorts and paginates across both.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from policies.models import DocumentKind
from policies.selectors import documents_for

from .models import LetterKind, LetterStatus
from .selectors import letters_for

POLICY_DOCUMENT, LETTER = "document", "letter"
# The kind filter: each policy document kind, and the decision letters as one kind.
LETTERS = "letters"
KIND_CHOICES = [*DocumentKind.choices, (LETTERS, _("Decision letter"))]
# Columns the list sorts by (?ordering=), each a column of the merged rows.
ORDERING = {
    "created": "created_at",
    "kind": "kind",
    "policy": "policy_number",
    "version": "version",
}
_COLUMNS = (
    "source",
    "id",
    "created_at",
    "kind",
    "policy_id",
    "policy_number",
    "version",
    "language",
    "status",
    "note",
)


@dataclass(frozen=True)
class DocumentRow:
    """One line of the Documents page: a policy document or a decision letter."""

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
        return self.source == LETTER

    @property
    def kind_label(self) -> str:
        if self.is_letter:
            kind = dict(LetterKind.choices).get(self.kind, self.kind)
            return str(_("Decision letter: %(kind)s") % {"kind": kind})
        return str(dict(DocumentKind.choices).get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(dict(LetterStatus.choices).get(self.status, self.status))

    @property
    def language_label(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def download_url(self) -> str:
        name = "letter-download" if self.is_letter else "document-download"
        return reverse(name, args=[self.id])


def _policy_documents(user, *, kind: str, policy_number: str) -> QuerySet:
    qs = documents_for(user)
    if kind in DocumentKind.values:
        qs = qs.filter(kind=kind)
    if policy_number:
        qs = qs.filter(policy__number__icontains=policy_number)
    return (
        qs.order_by()
        .annotate(
            source=Value(POLICY_DOCUMENT, output_field=CharField()),
            policy_number=F("policy__number"),
            note=F("reason"),
        )
        .values_list(*_COLUMNS)
    )


def _letters(user, *, policy_number: str) -> QuerySet:
    qs = letters_for(user)
    if policy_number:
        qs = qs.filter(policy__number__icontains=policy_number)
    return (
        qs.select_related(None)
        .order_by()
        .annotate(
            source=Value(LETTER, output_field=CharField()),
            policy_number=F("policy__number"),
            version=Value(None, output_field=IntegerField()),
            note=Coalesce(
                F("limit__debtor__name"),
                F("request__debtor__name"),
                Value(""),
                output_field=CharField(),
            ),
        )
        .values_list(*_COLUMNS)
    )


def documents_and_letters(
    user, *, kind: str = "", policy_number: str = "", ordering: str = ""
) -> QuerySet:
    """Every document the user may see, policy documents and decision letters alike, as one
    queryset of value tuples (turn them into rows with `as_rows`), newest first unless
    `ordering` names a column of ORDERING (with "-" for descending)."""
    policy_number = policy_number.strip()
    parts = []
    if kind in ("", *DocumentKind.values):
        parts.append(_policy_documents(user, kind=kind, policy_number=policy_number))
    if kind in ("", LETTERS):
        parts.append(_letters(user, policy_number=policy_number))
    if not parts:  # an unknown kind: every document, as if none was chosen
        return documents_and_letters(user, policy_number=policy_number, ordering=ordering)
    qs = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    name = ordering.lstrip("-")
    if name in ORDERING:
        column = ORDERING[name]
        order = f"-{column}" if ordering.startswith("-") else column
        return qs.order_by(order, "-created_at", "source", "-id")
    return qs.order_by("-created_at", "source", "-id")


def as_rows(values) -> list[DocumentRow]:
    return [DocumentRow(*row) for row in values]
