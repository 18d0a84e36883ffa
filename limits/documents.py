"""The Documents page's rows from policies and limits: a policy's documents (schedule,
endorsements, premium invoices, from `policies`) and the credit limit decision letters (from
here), each as a queryset of value tuples in one row shape (COLUMNS), and the one way to merge
such querysets in one SQL statement (UNION ALL) so the page sorts and paginates across them.

Each app says which of its documents a user may see (`policies.selectors.documents_for`,
`limits.selectors.letters_for`: an insured user only its own company's, and only those ready to
download). The page itself is portal's (portal.documents), which adds the claim statements
(claims.documents) in the same row shape.
"""

from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from policies.models import DocumentKind
from policies.selectors import documents_for

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
# The row shape every part of the Documents page gives, in this order.
COLUMNS = (
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
        .values_list(*COLUMNS)
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
        .values_list(*COLUMNS)
    )


def documents_and_letters_parts(user, *, kind: str = "", policy_number: str = "") -> list:
    """The parts of the list from policies and limits that `kind` asks for ("" for every
    kind; none when `kind` is not one of theirs)."""
    policy_number = policy_number.strip()
    parts = []
    if kind in ("", *DocumentKind.values):
        parts.append(_policy_documents(user, kind=kind, policy_number=policy_number))
    if kind in ("", LETTERS):
        parts.append(_letters(user, policy_number=policy_number))
    return parts


def merged(parts: list[QuerySet], *, ordering: str = "") -> QuerySet:
    """The parts (value tuples in the COLUMNS shape) as one queryset, newest first unless
    `ordering` names a column of ORDERING (with "-" for descending)."""
    qs = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    name = ordering.lstrip("-")
    if name in ORDERING:
        column = ORDERING[name]
        order = f"-{column}" if ordering.startswith("-") else column
        return qs.order_by(order, "-created_at", "source", "-id")
    return qs.order_by("-created_at", "source", "-id")
