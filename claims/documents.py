"""Claim statements (settlement and recovery) for the Documents page and their download: who
sees which, and the statements as rows in the page's one row shape (limits.documents.COLUMNS).

An insured user sees only its own company's statements; staff see every company's. The list
shows an insured user only the statements ready to download."""

from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from limits.documents import COLUMNS

from .models import ClaimStatement, StatementKind, StatementStatus

STATEMENT = "statement"
# The kind filter's entry for the claim statements, of either kind.
STATEMENTS = "statements"
KIND_CHOICES = [(STATEMENTS, _("Claim statement"))]


def statements_for(user) -> QuerySet[ClaimStatement]:
    """Every statement the user may open, whatever its status."""
    qs = ClaimStatement.objects.select_related("claim", "claim__policy")
    if user.role == Role.INSURED:
        return qs.filter(claim__policy__insured_id=user.company_id)
    return qs


def statements_listed(user) -> QuerySet[ClaimStatement]:
    """The statements the Documents page lists: an insured user's only once ready."""
    qs = statements_for(user)
    if user.role == Role.INSURED:
        return qs.filter(status=StatementStatus.READY)
    return qs


def statement_rows(user, *, kind: str = "", policy_number: str = "") -> list[QuerySet]:
    """The statements as the Documents page's rows, when `kind` asks for them ("" for every
    kind): the claim number and the debtor as the note."""
    if kind not in ("", STATEMENTS):
        return []
    qs = statements_listed(user)
    policy_number = policy_number.strip()
    if policy_number:
        qs = qs.filter(claim__policy__number__icontains=policy_number)
    rows = (
        qs.select_related(None)
        .order_by()
        .annotate(
            source=Value(STATEMENT, output_field=CharField()),
            policy_id=F("claim__policy_id"),
            policy_number=F("claim__policy__number"),
            version=Value(None, output_field=IntegerField()),
            note=Concat(
                Coalesce(F("claim__number"), Value("")),
                Value(" · "),
                F("claim__debtor__name"),
                output_field=CharField(),
            ),
        )
        .values_list(*COLUMNS)
    )
    return [rows]


def statement_kind_label(kind: str) -> str:
    return str(dict(StatementKind.choices).get(kind, kind))
