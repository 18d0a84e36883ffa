"""Reporting invoices (one, or many at once all-or-nothing), disputes and due-date
extensions."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.access import ensure_acts_for
from core.exceptions import NotFound
from core.status import save_with_history
from debtors.models import Debtor
from policies.models import Policy, PolicyStatus

from .. import timeline
from ..exceptions import (
    InvoiceAlreadyReported,
    InvoiceInvalid,
    StateConflict,
)
from ..models import Invoice
from .stop_delivery import stop_delivery_refresh

# What the insured reports for an invoice (the API's and the CSV file's fields).
INVOICE_FIELDS = (
    "number",
    "net_amount",
    "vat_amount",
    "currency",
    "invoice_date",
    "delivery_date",
    "original_due_date",
    "due_date",
    "payment_terms_days",
    "reference",
)
REPORTABLE = (PolicyStatus.ISSUED, PolicyStatus.EXPIRED)
# Dates outside these are typing errors (and a due date near 9999-12-31 leaves no room for the
# deadlines counted from it).
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class ItemError:
    """An error on one invoice of many: its index (from 0), field, code and message."""

    index: int
    field: str | None
    code: str
    message: str


class InvoicesInvalid(InvoiceInvalid):
    """Some invoices of a batch are not valid; `errors` names each (nothing was written)."""

    def __init__(self, errors: list[ItemError]):
        first = errors[0]
        super().__init__(first.message, field=first.field, code="invalid")
        self.errors = errors


def policy_for_reporting(actor, policy_id: int) -> Policy:
    """The policy the actor reports invoices under (an insured: only its own)."""
    policy = Policy.objects.filter(pk=policy_id).select_related("insured").first()
    if policy is None:
        raise NotFound(field="policy")
    ensure_acts_for(actor, policy.insured_id, field="policy")
    if policy.status not in REPORTABLE:
        raise InvoiceInvalid(
            _("Invoices are reported under an issued policy; this one is %(status)s.")
            % {"status": policy.get_status_display()},
            field="policy",
            code="policy_not_in_force",
        )
    return policy


def invoice_build(policy: Policy, debtor: Debtor, data: dict, *, actor, today: date) -> Invoice:
    """An unsaved invoice of `data` (INVOICE_FIELDS) under `policy`, checked; InvoiceInvalid
    names the first field at fault."""
    currency = (data.get("currency") or policy.currency).upper()
    if currency != policy.currency:
        raise InvoiceInvalid(
            _("The policy's currency is %(currency)s: report the invoice in it.")
            % {"currency": policy.currency},
            field="currency",
            code="currency_mismatch",
        )
    for field in ("invoice_date", "delivery_date", "original_due_date", "due_date"):
        day = data.get(field)
        if isinstance(day, date) and not EARLIEST <= day <= LATEST:
            raise InvoiceInvalid(
                _("%(day)s is not a plausible date.") % {"day": day.isoformat()},
                field=field,
                code="implausible_date",
            )
    for field in ("invoice_date", "delivery_date"):
        day = data.get(field)
        if isinstance(day, date) and day > today:
            raise InvoiceInvalid(
                _("%(day)s lies in the future: report invoices of deliveries made.")
                % {"day": day.isoformat()},
                field=field,
                code="in_future",
            )
    delivery = data.get("delivery_date")
    if isinstance(delivery, date) and not policy.start_date <= delivery <= policy.end_date:
        raise InvoiceInvalid(
            _("The delivery date lies outside the policy's period (%(start)s to %(end)s).")
            % {"start": policy.start_date.isoformat(), "end": policy.end_date.isoformat()},
            field="delivery_date",
            code="outside_policy_period",
        )
    invoice_date, original_due = data.get("invoice_date"), data.get("original_due_date")
    terms = None
    if isinstance(invoice_date, date) and isinstance(original_due, date):
        if original_due < invoice_date:
            raise InvoiceInvalid(
                _("The due date lies before the invoice date."),
                field="original_due_date",
                code="before_invoice_date",
            )
        terms = (original_due - invoice_date).days
        given = data.get("payment_terms_days")
        if given is not None and given != terms:
            raise InvoiceInvalid(
                _(
                    "Payment terms of %(given)s days do not match the dates: the due date is "
                    "%(days)s days after the invoice date."
                )
                % {"given": given, "days": terms},
                field="payment_terms_days",
                code="terms_mismatch",
            )
    due = data.get("due_date") or original_due
    if isinstance(due, date) and isinstance(original_due, date):
        if due < original_due:
            raise InvoiceInvalid(
                _("The due date cannot lie before the original due date."),
                field="due_date",
                code="before_original_due_date",
            )
        end = timeline.extension_end(original_due, None, timeline.Terms.of(policy))
        if due > end:
            raise InvoiceInvalid(
                _(
                    "A due date after %(end)s lies beyond the maximum extension period: report "
                    "the invoice with its original due date and ask for an extension."
                )
                % {"end": end.isoformat()},
                field="due_date",
                code="beyond_extension",
            )
    net, vat = (_amount(data.get(f), f) for f in ("net_amount", "vat_amount"))
    vat = Decimal("0.00") if vat is None else vat
    invoice = Invoice(
        policy=policy,
        debtor=debtor,
        number=(data.get("number") or "").strip(),
        reference=(data.get("reference") or "").strip(),
        currency=currency,
        net_amount=net,
        vat_amount=vat,
        open_amount=(net + vat) if isinstance(net, Decimal) else None,
        invoice_date=invoice_date,
        delivery_date=delivery,
        original_due_date=original_due,
        due_date=due,
        terms_days=terms,
        reported_by=actor,
    )
    try:
        # The constraints are checked above and by the database: asking them here would cost
        # two queries per invoice of a file.
        invoice.full_clean(
            exclude=["policy", "debtor", "reported_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        field = "net_amount" if field == "open_amount" else field
        raise InvoiceInvalid(" ".join(messages), field=field, code="invalid") from None
    return invoice


def _amount(value, field: str) -> Decimal | None:
    """An amount as a Decimal (whole numbers taken as they are); anything else is refused."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise InvoiceInvalid(_("Enter an amount."), field=field, code="invalid")


def _already_reported(invoice: Invoice) -> InvoiceAlreadyReported:
    return InvoiceAlreadyReported(
        _("Invoice %(number)s was already reported for this debtor under this policy.")
        % {"number": invoice.number},
        field="number",
    )


def _debtor(debtor_id) -> Debtor:
    debtor = Debtor.objects.filter(pk=debtor_id).first() if debtor_id else None
    if debtor is None:
        raise InvoiceInvalid(
            _("No debtor with id %(id)s is in the register.") % {"id": debtor_id},
            field="debtor",
            code="does_not_exist",
        )
    return debtor


@transaction.atomic
def invoice_report(*, actor, policy_id: int, debtor_id: int, **data) -> Invoice:
    """Report one invoice."""
    try:
        [invoice] = invoices_report(
            actor=actor, policy_id=policy_id, items=[{"debtor": debtor_id, **data}]
        )
    except InvoicesInvalid as exc:
        [error] = exc.errors
        kind = InvoiceAlreadyReported if error.code == "already_reported" else InvoiceInvalid
        raise kind(error.message, field=error.field, code=error.code) from None
    return invoice


@transaction.atomic
def invoices_report(*, actor, policy_id: int, items: list[dict]) -> list[Invoice]:
    """Report many invoices of one policy, all or nothing: each item is INVOICE_FIELDS and
    `debtor` (an id). InvoicesInvalid names every item at fault, with its index."""
    policy = policy_for_reporting(actor, policy_id)
    today = timezone.localdate()
    debtors = Debtor.objects.in_bulk({i.get("debtor") for i in items if i.get("debtor")})
    invoices, errors, seen = [], [], {}
    for index, item in enumerate(items):
        try:
            invoice = invoice_build(
                policy, _debtor_of(debtors, item.get("debtor")), item, actor=actor, today=today
            )
        except InvoiceInvalid as exc:
            errors.append(ItemError(index, exc.field, exc.code, str(exc.message)))
            continue
        key = (invoice.debtor_id, invoice.number)
        if key in seen:
            message = _("Item %(other)s has the same invoice number for the same debtor.")
            errors.append(ItemError(index, "number", "duplicate", message % {"other": seen[key]}))
            continue
        seen[key] = index
        invoices.append((index, invoice))
    existing = set(
        Invoice.objects.filter(
            policy=policy,
            debtor_id__in={d for d, _n in seen},
            number__in={n for _d, n in seen},
        ).values_list("debtor_id", "number")
    )
    for index, invoice in invoices:
        if (invoice.debtor_id, invoice.number) in existing:
            exc = _already_reported(invoice)
            errors.append(ItemError(index, "number", exc.code, str(exc.message)))
    if errors:
        raise InvoicesInvalid(sorted(errors, key=lambda e: e.index))
    rows = [invoice for _index, invoice in invoices]
    try:
        with transaction.atomic():
            created = bulk_create_with_history(
                rows, Invoice, default_user=actor, default_change_reason=_("Reported")
            )
    except IntegrityError:  # the same number reported at the same moment by another request
        raise InvoiceAlreadyReported(field="number") from None
    stop_delivery_refresh(today=today, actor=actor, policy_id=policy.pk)  # an invoice may be late
    return created


def _debtor_of(debtors: dict, debtor_id) -> Debtor:
    debtor = debtors.get(debtor_id) if isinstance(debtor_id, int) else None
    return debtor if debtor is not None else _debtor(debtor_id)


def _locked_invoice(actor, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("policy")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise NotFound(field="invoice")
    ensure_acts_for(actor, invoice.policy.insured_id, field="invoice")
    return invoice


def _reason_required(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvoiceInvalid(_("Give a reason."), field=field, code="required")
    return reason


@transaction.atomic
def invoice_dispute(*, actor, invoice_id: int, since: date, reason: str) -> Invoice:
    """The debtor disputes the invoice: it stays in exposure but is not covered, and does not
    start the stop-delivery clock while the dispute lasts."""
    invoice = _locked_invoice(actor, invoice_id)
    reason = _reason_required(reason)
    if invoice.disputed_since is not None:
        raise StateConflict(
            _("The invoice is disputed since %(day)s already.")
            % {"day": invoice.disputed_since.isoformat()},
            field="invoice",
            code="already_disputed",
        )
    if invoice.open_amount <= 0:
        raise StateConflict(_("The invoice is paid."), field="invoice", code="paid")
    if since > timezone.localdate():
        raise InvoiceInvalid(_("The date lies in the future."), field="since", code="in_future")
    invoice.disputed_since, invoice.dispute_reason = since, reason
    invoice.full_clean(exclude=["policy", "debtor", "reported_by"], validate_unique=False)
    save_with_history(invoice, actor=actor, reason=_("Disputed: %(r)s") % {"r": reason})
    _refresh(invoice, actor)
    return invoice


@transaction.atomic
def invoice_dispute_end(*, actor, invoice_id: int, reason: str) -> Invoice:
    invoice = _locked_invoice(actor, invoice_id)
    reason = _reason_required(reason)
    if invoice.disputed_since is None:
        raise StateConflict(_("The invoice is not disputed."), field="invoice", code="not_disputed")
    invoice.disputed_since, invoice.dispute_reason = None, ""
    save_with_history(invoice, actor=actor, reason=_("Dispute settled: %(r)s") % {"r": reason})
    _refresh(invoice, actor)
    return invoice


def _refresh(invoice: Invoice, actor) -> None:
    """A disputed invoice does not start the stop-delivery clock; its settlement may."""
    stop_delivery_refresh(
        today=timezone.localdate(),
        actor=actor,
        policy_id=invoice.policy_id,
        debtor_id=invoice.debtor_id,
    )
