"""The policy's PDF documents: the schedule, its endorsements and the premium invoices.

Each is rendered from what its document row points at (the policy's history snapshot, the
previous snapshot, the declaration), never from the live policy, so rendering later gives the
document as it was issued. Text is in the document's language.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from babel.numbers import format_decimal, format_percent, get_currency_name
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import InsuredCompany
from core.countries import country_name
from core.currencies import format_money
from core.insurer import insurer
from core.pdf import render_pdf

from .models import (
    MONEY_TERMS,
    TERM_FIELDS,
    ChargeKind,
    DocumentKind,
    Policy,
    PolicyCharge,
    PolicyDocument,
)

# Days after the invoice date within which a premium invoice is to be paid.
INVOICE_PAYMENT_DAYS = 30


@dataclass(frozen=True)
class Term:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class TermChange:
    field: str
    label: str
    old: str
    new: str


def _babel_locale(language: str) -> str:
    return language.replace("-", "_")


def format_number(value: Decimal | int, language: str) -> str:
    """A number in the language's notation, with the places it has and no trailing zeros."""
    return format_decimal(
        Decimal(str(value)), locale=_babel_locale(language), decimal_quantization=False
    )


def format_per_mille(value: Decimal, language: str) -> str:
    return f"{format_number(value, language)}\u00a0‰"


def format_date(value: date) -> str:
    """A date in the active language's long format (Django's DATE_FORMAT)."""
    return date_format(value, "DATE_FORMAT")


def term_label(field: str) -> str:
    return str(capfirst(Policy._meta.get_field(field).verbose_name))


def format_term(policy: Policy, field: str, language: str) -> str:
    """One term of the policy as the documents show it, in `language`."""
    with translation.override(language):
        return _format_term(policy, field, language)


def _format_term(policy: Policy, field: str, language: str) -> str:
    value = getattr(policy, field)
    if field in MONEY_TERMS:
        return format_money(value, policy.currency, language)
    if field == "currency":
        return f"{value} ({get_currency_name(value, locale=_babel_locale(language))})"
    if field in ("start_date", "end_date"):
        return format_date(value)
    if field == "insured_percentage":
        percentage = Decimal(str(value)) / 100
        return format_percent(
            percentage, locale=_babel_locale(language), decimal_quantization=False
        )
    if field == "premium_rate":
        return format_per_mille(value, language)
    if field == "max_liability_multiple":
        return _("%(multiple)s × the year's premium") % {"multiple": format_number(value, language)}
    if field == "declaration_frequency":
        return str(policy.get_declaration_frequency_display())
    if field == "covered_countries":
        names = sorted((country_name(code, language) for code in value), key=str.casefold)
        return ", ".join(names)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.endswith("_days"):
        return ngettext("%(count)s day", "%(count)s days", value) % {"count": value}
    if field.endswith("_months"):
        return ngettext("%(count)s month", "%(count)s months", value) % {"count": value}
    return str(value)


def policy_terms(policy: Policy, language: str) -> list[Term]:
    """Every term of the policy, in the order of TERM_FIELDS, labelled and formatted."""
    with translation.override(language):
        return [Term(f, term_label(f), format_term(policy, f, language)) for f in TERM_FIELDS]


def _comparable(policy: Policy, field: str):
    value = getattr(policy, field)
    return sorted(value) if field == "covered_countries" else value


def term_changes(before: Policy, after: Policy, language: str) -> list[TermChange]:
    """The terms that differ between two versions of a policy, old and new value formatted."""
    with translation.override(language):
        return [
            TermChange(
                field,
                term_label(field),
                format_term(before, field, language),
                format_term(after, field, language),
            )
            for field in TERM_FIELDS
            if _comparable(before, field) != _comparable(after, field)
        ]


def insured_as_of(insured_id: int, when: datetime) -> InsuredCompany:
    """The insured company as it was at `when` (its name and address on the document)."""
    record = (
        InsuredCompany.history.filter(id=insured_id, history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return record.instance if record else InsuredCompany.objects.get(pk=insured_id)


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _common_context(document: PolicyDocument, policy: Policy) -> dict:
    insured = insured_as_of(policy.insured_id, document.created_at)
    return {
        "document": document,
        "policy": policy,
        "insured": insured,
        "insured_country": country_name(insured.country, document.language),
        "issue_date": timezone.localdate(document.created_at),
    }


def schedule_context(document: PolicyDocument) -> dict:
    policy = document.policy_snapshot.instance
    return {
        **_common_context(document, policy),
        "terms": policy_terms(policy, document.language),
        "underwriter": _person_name(document.created_by),
        "place": insurer().place,
    }


def endorsement_context(document: PolicyDocument) -> dict:
    policy = document.policy_snapshot.instance
    previous = document.previous_snapshot.instance
    return {
        **_common_context(document, policy),
        "changes": term_changes(previous, policy, document.language),
    }


@dataclass(frozen=True)
class InvoiceLine:
    label: str
    detail: str
    turnover: str
    rate: str
    amount: str


def _invoice_line(charge: PolicyCharge, currency: str, language: str) -> InvoiceLine:
    period = f"{format_date(charge.period_start)} – {format_date(charge.period_end)}"
    amount = format_money(charge.amount, currency, language)
    if charge.kind == ChargeKind.TURNOVER_PREMIUM and charge.declaration is not None:
        declaration = charge.declaration
        return InvoiceLine(
            _("Premium on insured turnover"),
            _("Declaration period: %(period)s") % {"period": period},
            format_money(declaration.turnover, currency, language),
            format_per_mille(declaration.premium_rate, language),
            amount,
        )
    if charge.kind == ChargeKind.LIMIT_FEE:
        detail = _("Named-limit decision of %(date)s") % {"date": format_date(charge.charged_on)}
        if charge.description:
            detail = f"{detail}: {charge.description}"
        return InvoiceLine(_("Limit fee"), detail, "", "", amount)
    if charge.kind == ChargeKind.MINIMUM_TOPUP:
        label = (
            _("Top-up to the minimum premium")
            if charge.amount >= 0
            else _("Top-up to the minimum premium, corrected after a later declaration")
        )
        return InvoiceLine(label, _("Policy year %(period)s") % {"period": period}, "", "", amount)
    return InvoiceLine(str(charge.get_kind_display()), period, "", "", amount)


def premium_invoice_context(document: PolicyDocument) -> dict:
    """The invoice of the charges that went on it: turnover premium, limit fees, top-ups."""
    policy = document.policy_snapshot.instance
    language = document.language
    context = _common_context(document, policy)
    currency = policy.currency
    charges = list(
        document.charges.select_related("declaration").order_by("period_start", "kind", "id")
    )
    total = sum((c.amount for c in charges), Decimal(0))
    return {
        **context,
        "declaration": document.declaration,
        "invoice_number": f"{policy.number}-P{document.version:03d}",
        "due_date": context["issue_date"] + timedelta(days=INVOICE_PAYMENT_DAYS),
        "currency": currency,
        "lines": [_invoice_line(c, currency, language) for c in charges],
        "total": format_money(total, currency, language),
    }


_DOCUMENTS = {
    DocumentKind.SCHEDULE: ("pdf/policies/schedule.html", schedule_context),
    DocumentKind.ENDORSEMENT: ("pdf/policies/endorsement.html", endorsement_context),
    DocumentKind.PREMIUM_INVOICE: ("pdf/policies/premium_invoice.html", premium_invoice_context),
}


def render_policy_document(document: PolicyDocument) -> bytes:
    """The PDF of a policy document, in the document's language."""
    try:
        template_name, build_context = _DOCUMENTS[document.kind]
    except KeyError:
        raise ValueError(f"No PDF template for document kind {document.kind!r}") from None
    with translation.override(document.language):
        context = build_context(document)
    return render_pdf(template_name, context, document.language)
