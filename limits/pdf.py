"""Decision letters as PDF: approval, partial approval, refusal (of a limit request) and
reduction (of a limit, by the insurer), in the insured's language.

A letter is rendered from what its row points at (the decided request, or the reduction's
limit change and the amount before it), so rendering later gives the letter as decided. Once
READY it is never rendered again.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.countries import country_name
from core.currencies import format_money
from core.pdf import render_pdf
from core.stored_pdf import render_once
from policies.pdf import insured_as_of

from . import timeline
from .models import DecisionLetter, LetterKind, LimitChange, LimitRequest
from .reasons import describe_all
from .selectors import limit_history

TEMPLATES = {
    LetterKind.APPROVAL: "pdf/limits/approval.html",
    LetterKind.PARTIAL_APPROVAL: "pdf/limits/partial_approval.html",
    LetterKind.REFUSAL: "pdf/limits/refusal.html",
    LetterKind.REDUCTION: "pdf/limits/reduction.html",
}


TITLES = {
    LetterKind.APPROVAL: gettext_lazy("Credit limit approved"),
    LetterKind.PARTIAL_APPROVAL: gettext_lazy("Credit limit partly approved"),
    LetterKind.REFUSAL: gettext_lazy("Credit limit refused"),
    LetterKind.REDUCTION: gettext_lazy("Credit limit reduced"),
}


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def _pairs(rows: list[Row]) -> list[list[Row]]:
    """Rows two by two, for the letters' compact label/value tables."""
    return [rows[i : i + 2] for i in range(0, len(rows), 2)]


def _person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _days(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _conditions(max_terms_days: int | None, expires_on: date | None) -> list[Row]:
    rows = []
    if max_terms_days is not None:
        rows.append(Row(_("Maximum payment terms"), _days(max_terms_days)))
    if expires_on is not None:
        rows.append(Row(_("Limit expires on"), _date(expires_on)))
    return rows


def _date(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _request_conditions(request: LimitRequest) -> list[Row]:
    """The conditions of a granted limit: on the request where recorded, else on the limit
    change the decision wrote (the decision services keep them there)."""
    max_terms, expires = request.max_terms_days, request.expires_on
    if max_terms is None and expires is None and request.decided_amount:
        change = request.limit_changes.order_by("id").first()
        if change is not None:
            max_terms, expires = change.max_terms_days, change.expires_on
    return _conditions(max_terms, expires)


def previous_amount(change: LimitChange):
    """The limit's amount on the change's effective date had the change not been made: the
    limit on that day read from the decisions made before it."""
    earlier = limit_history(change.limit_id, made_before=change.pk)
    return timeline.limit_on(earlier, change.effective_from).amount


def _common(letter: DecisionLetter) -> dict:
    policy = letter.policy
    insured = insured_as_of(policy.insured_id, letter.created_at)
    return {
        "letter": letter,
        "policy": policy,
        "insured": insured,
        "insured_country": country_name(insured.country, letter.language),
        "letter_date": timezone.localdate(letter.created_at),
        "currency": policy.currency,
        "title": TITLES[letter.kind],
        "subtitle": _("Decision on your credit limit request"),
    }


def _debtor_context(debtor, language: str) -> dict:
    return {"debtor": debtor, "debtor_country": country_name(debtor.country, language)}


def request_context(letter: DecisionLetter) -> dict:
    """Approval, partial approval and refusal: the request and its decision."""
    request: LimitRequest = letter.request
    if request is None:
        raise ValueError(f"Letter {letter.pk} ({letter.kind}) has no limit request.")
    currency = letter.policy.currency
    decided_on = timezone.localdate(request.decided_at or letter.created_at)
    if request.decided_by_id is None:
        decided_by = _("Automatic decision by the credit template")
    else:
        decided_by = _("Underwriter %(name)s") % {"name": _person_name(request.decided_by)}
    rows = [
        Row(_("Kind of request"), str(request.get_kind_display())),
        Row(_("Amount asked"), format_money(request.amount, currency)),
        Row(_("Payment terms asked"), _days(request.payment_terms_days)),
        Row(_("Submitted on"), _date(timezone.localdate(request.submitted_at))),
    ]
    if request.reference:
        rows.append(Row(_("Your reference"), request.reference))
    show_reasons = letter.kind in (LetterKind.PARTIAL_APPROVAL, LetterKind.REFUSAL)
    return {
        **_common(letter),
        **_debtor_context(request.debtor, letter.language),
        "request": request,
        "request_rows": _pairs(rows),
        "requested": format_money(request.amount, currency),
        "decided": format_money(request.decided_amount, currency),
        "decided_on": decided_on,
        "decided_by": decided_by,
        "automatic": request.decided_by_id is None,
        "signatory": _person_name(request.decided_by),
        "conditions": _pairs(_request_conditions(request)),
        "reasons": describe_all(request.reasons, currency) if show_reasons else [],
    }


def reduction_context(letter: DecisionLetter) -> dict:
    """Reduction or withdrawal by the insurer: old and new amount and the effective date."""
    change: LimitChange = letter.change
    if change is None:
        raise ValueError(f"Letter {letter.pk} (reduction) has no limit change.")
    currency = letter.policy.currency
    old = previous_amount(change)
    return {
        **_common(letter),
        **_debtor_context(change.limit.debtor, letter.language),
        "change": change,
        "withdrawn": change.amount == 0,
        "old_amount": format_money(old, currency),
        "new_amount": format_money(change.amount, currency),
        "effective_from": change.effective_from,
        "immediate": change.effective_from <= timezone.localdate(letter.created_at),
        "decided_on": timezone.localdate(change.recorded_at),
        "decided_by": _("Underwriter %(name)s") % {"name": _person_name(change.recorded_by)}
        if change.recorded_by_id
        else _("The insurer"),
        "automatic": change.recorded_by_id is None,
        "signatory": _person_name(change.recorded_by),
        "conditions": _pairs(_conditions(change.max_terms_days, change.expires_on)),
        "reason": change.reason,
        "insolvent": change.limit.debtor.insolvent_since is not None,
        "notice_period": _days(letter.policy.reduction_notice_days),
        "title": _("Credit limit withdrawn") if change.amount == 0 else TITLES[letter.kind],
        "subtitle": _("Notice of a change to your credit limit"),
    }


def letter_pdf(letter: DecisionLetter) -> bytes:
    """The letter's PDF bytes, in its language."""
    try:
        template = TEMPLATES[letter.kind]
    except KeyError:
        raise ValueError(f"No PDF template for letter kind {letter.kind!r}") from None
    build = reduction_context if letter.kind == LetterKind.REDUCTION else request_context
    with translation.override(letter.language):
        context = build(letter)
    return render_pdf(template, context, letter.language)


def letter_render(*, letter_id: int) -> DecisionLetter:
    """Render a pending (or failed) letter once (core.stored_pdf.render_once)."""
    letters = DecisionLetter.objects.select_related(
        "policy__insured",
        "request__debtor",
        "request__decided_by",
        "change__limit__debtor",
        "change__recorded_by",
    )
    return render_once(letters, letter_id, letter_pdf)
