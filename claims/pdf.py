"""Claim statements as PDF, in the insured's language: the settlement statement (the claim, its
decision and the calculation line by line, as it was kept when the claim was decided) and the
recovery statement (a recovery, its split and the claim's ledger of recoveries up to it).

A statement is rendered from the claim's kept figures, so rendering later gives the statement
as settled. Once READY it is never rendered again (core.stored_pdf.render_once).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_percent
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.countries import country_name
from core.currencies import format_money
from core.pdf import render_pdf
from core.stored_pdf import render_once
from policies.pdf import insured_as_of

from .calculation import ZERO, Calculation
from .models import Cause, Claim, ClaimStatement, Recovery, StatementKind
from .presentation import reason_label, step_rows

TEMPLATES = {
    StatementKind.SETTLEMENT: "pdf/claims/settlement.html",
    StatementKind.RECOVERY: "pdf/claims/recovery.html",
}


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    note: str = ""


def _person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _date(day: date | None) -> str:
    """A day in the active language's long format."""
    return date_format(day, "DATE_FORMAT") if day else ""


def percentage(value: Decimal, language: str) -> str:
    """90 → "90 %" in the language's notation (87.5 → "87,5 %" in Swedish)."""
    return format_percent(
        Decimal(value) / 100, locale=language.replace("-", "_"), decimal_quantization=False
    )


def cause_of_loss(claim: Claim) -> str:
    """The cause, with the kind of insolvency where there is one."""
    cause = str(claim.get_cause_display())
    if claim.cause == Cause.INSOLVENCY and claim.insolvency_kind:
        return f"{cause}: {claim.get_insolvency_kind_display()}"
    return cause


def _common(statement: ClaimStatement) -> dict:
    claim = statement.claim
    policy = claim.policy
    insured = insured_as_of(policy.insured_id, statement.created_at)
    language = statement.language
    return {
        "statement": statement,
        "claim": claim,
        "policy": policy,
        "insured": insured,
        "insured_country": country_name(insured.country, language),
        "debtor": claim.debtor,
        "debtor_country": country_name(claim.debtor.country, language),
        "statement_date": _local_day(statement.created_at),
        "currency": claim.currency,
        "cause": cause_of_loss(claim),
    }


def kept_calculation(claim: Claim) -> Calculation:
    """The calculation the claim was settled on."""
    if not claim.calculation:
        raise ValueError(f"Claim {claim.pk} has no kept calculation: it was never decided.")
    return Calculation.from_json(claim.calculation)


# Settlement ----------------------------------------------------------------------------------


def invoice_rows(calc: Calculation, currency: str, language: str) -> list[dict]:
    """Each unpaid invoice as the calculation read it, amounts in the language's notation."""

    def m(amount):
        return format_money(amount, currency, language)

    return [
        {
            "number": line.number,
            "delivery_date": line.delivery_date,
            "invoiced": m(line.invoiced),
            "deducted": m(line.deducted),
            "unpaid": m(line.unpaid),
            "limit": m(line.limit_amount),
            "covered": m(line.covered),
            "qualifies": line.qualifies,
            "reason": reason_label(line.reason),
        }
        for line in calc.lines
    ]


def is_adjusted(claim: Claim) -> bool:
    """Settled at another amount than the calculation gave."""
    return claim.indemnity is not None and claim.indemnity != claim.calculated_amount


def decision_rows(claim: Claim, language: str) -> list[Row]:
    """What was decided, by whom and when, the second approval where there was one, the
    indemnity calculated and, when adjusted, the amount with its reason."""
    currency = claim.currency
    adjusted = is_adjusted(claim)
    decision = _("Adjusted") if adjusted else _("Approved")
    rows = [
        Row(_("Decision"), str(decision), _date(_local_day(claim.decided_at))),
        Row(_("Decided by"), _person_name(claim.decided_by)),
    ]
    if claim.second_approved_by_id:
        rows.append(
            Row(
                _("Second approval by"),
                _person_name(claim.second_approved_by),
                _date(_local_day(claim.second_approved_at)),
            )
        )
    rows.append(
        Row(_("Indemnity calculated"), format_money(claim.calculated_amount, currency, language))
    )
    if adjusted:
        rows.append(
            Row(
                _("Indemnity as adjusted"),
                format_money(claim.indemnity, currency, language),
                claim.decision_reason,
            )
        )
    return rows


def settlement_context(statement: ClaimStatement) -> dict:
    claim = statement.claim
    language, currency = statement.language, claim.currency
    calc = kept_calculation(claim)
    steps = [
        {**row, "amount": format_money(row["amount"], currency, language)}
        for row in step_rows(calc, currency)
    ]
    return {
        **_common(statement),
        "title": _("Settlement statement"),
        "subtitle": _("Your claim and how its indemnity was calculated"),
        "lines": invoice_rows(calc, currency, language),
        "steps": steps,
        "vat_insured": calc.vat_insured,
        "decision_rows": decision_rows(claim, language),
        "calculated": format_money(claim.calculated_amount, currency, language),
        "indemnity": format_money(claim.indemnity, currency, language),
        "adjusted": is_adjusted(claim),
        "reason": claim.decision_reason,
        "paid_on": claim.paid_on,
        "payment_reference": claim.payment_reference,
    }


# Recovery ------------------------------------------------------------------------------------


def _split_amount(recovery: Recovery, key: str, fallback: Decimal) -> Decimal:
    value = (recovery.split or {}).get(key)
    return Decimal(value) if value not in (None, "") else fallback


def split_rows(recovery: Recovery, calc: Calculation, language: str) -> list[Row]:
    """The recovery's split, step by step, as `claims.calculation.recovery_split` made it."""
    currency = recovery.claim.currency

    def m(amount):
        return format_money(amount, currency, language)

    paid = _split_amount(recovery, "paid", recovery.claim.indemnity or ZERO)
    returned_before = _split_amount(recovery, "returned_before", ZERO)
    share = _split_amount(recovery, "insurer_share", recovery.to_insurer)
    room = max(ZERO, paid - returned_before)
    pct = percentage(calc.insured_percentage, language)
    return [
        Row(_("Amount recovered"), m(recovery.amount)),
        Row(
            _("On the insured loss"),
            m(recovery.on_insured_loss),
            _("Insured loss %(insured)s ÷ eligible loss %(eligible)s of the amount recovered")
            % {"insured": m(calc.insured_loss), "eligible": m(calc.eligible_loss)},
        ),
        Row(
            _("On the uninsured excess"),
            m(recovery.on_excess),
            _("Goes to the insured"),
        ),
        Row(
            _("The insurer's share"),
            m(share),
            _("%(pct)s of the part on the insured loss") % {"pct": pct},
        ),
        Row(
            _("Most the insurer may get back"),
            m(room),
            _("It paid %(paid)s and got back %(before)s before")
            % {"paid": m(paid), "before": m(returned_before)},
        ),
        Row(_("To the insurer"), m(recovery.to_insurer)),
        Row(_("To the insured"), m(recovery.to_insured)),
    ]


def ledger_rows(recovery: Recovery, language: str) -> list[dict]:
    """The claim's recoveries in the order they were recorded, up to and including this one,
    with running totals."""
    currency = recovery.claim.currency
    rows, total, insurer, insured = [], ZERO, ZERO, ZERO
    earlier = Recovery.objects.filter(claim_id=recovery.claim_id, pk__lte=recovery.pk)
    for item in earlier.order_by("pk"):
        total += item.amount
        insurer += item.to_insurer
        insured += item.to_insured
        rows.append(
            {
                "received_on": item.received_on,
                "source": item.source,
                "amount": format_money(item.amount, currency, language),
                "to_insurer": format_money(item.to_insurer, currency, language),
                "to_insured": format_money(item.to_insured, currency, language),
                "total": format_money(total, currency, language),
                "total_insurer": format_money(insurer, currency, language),
                "total_insured": format_money(insured, currency, language),
                "this": item.pk == recovery.pk,
            }
        )
    return rows


def recovery_context(statement: ClaimStatement) -> dict:
    recovery = statement.recovery
    if recovery is None:
        raise ValueError(f"Statement {statement.pk} (recovery) has no recovery.")
    claim, language = statement.claim, statement.language
    recovery.claim = claim  # the same claim, already read with its policy
    calc = kept_calculation(claim)
    ledger = ledger_rows(recovery, language)
    return {
        **_common(statement),
        "title": _("Recovery statement"),
        "subtitle": _("Money recovered after your claim was paid, and how it is shared"),
        "recovery": recovery,
        "amount": format_money(recovery.amount, claim.currency, language),
        "to_insurer": format_money(recovery.to_insurer, claim.currency, language),
        "to_insured": format_money(recovery.to_insured, claim.currency, language),
        "split_rows": split_rows(recovery, calc, language),
        "indemnity": format_money(claim.indemnity, claim.currency, language),
        "ledger": ledger,
        "ledger_total": ledger[-1] if ledger else None,
    }


# Rendering -----------------------------------------------------------------------------------


def statement_pdf(statement: ClaimStatement) -> bytes:
    """The statement's PDF bytes, in its language."""
    try:
        template = TEMPLATES[statement.kind]
    except KeyError:
        raise ValueError(f"No PDF template for statement kind {statement.kind!r}") from None
    build = recovery_context if statement.kind == StatementKind.RECOVERY else settlement_context
    with translation.override(statement.language):
        context = build(statement)
    return render_pdf(template, context, statement.language)


def statement_render(*, statement_id: int) -> ClaimStatement:
    """Render a pending (or failed) statement once (core.stored_pdf.render_once)."""
    statements = ClaimStatement.objects.select_related(
        "claim__policy__insured",
        "claim__debtor",
        "claim__decided_by",
        "claim__second_approved_by",
        "recovery",
    )
    return render_once(statements, statement_id, statement_pdf)
