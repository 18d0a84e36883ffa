"""Payments and credit notes: what lowers an invoice's unpaid amount."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.access import ensure_acts_for
from core.currencies import format_money
from core.exceptions import NotFound
from core.status import save_with_history
from debtors.models import Debtor

from ..exceptions import PaymentInvalid, StateConflict
from ..models import CreditNote, Invoice, Payment, PaymentAllocation
from .invoices import policy_for_reporting
from .notifications import notification_close_if_paid
from .stop_delivery import stop_delivery_refresh

ZERO = Decimal("0.00")
OLDEST_FIRST = ("original_due_date", "invoice_date", "id")


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise PaymentInvalid(_("The date lies in the future."), field=field, code="in_future")


@transaction.atomic
def payment_record(
    *,
    actor,
    policy_id: int,
    debtor_id: int,
    amount: Decimal,
    received_on: date,
    invoice_id: int | None = None,
    reference: str = "",
) -> Payment:
    """Record what the debtor paid and set it against its unpaid invoices under the policy:
    the invoice it named first, then the oldest (by original due date). What is left over
    stays on the payment as the debtor's credit balance."""
    policy = policy_for_reporting(actor, policy_id)
    if not Debtor.objects.filter(pk=debtor_id).exists():
        raise PaymentInvalid(field="debtor", code="does_not_exist")
    if amount is None or amount <= 0:
        raise PaymentInvalid(_("Enter an amount above 0."), field="amount", code="not_positive")
    _not_future(received_on, "received_on")
    unpaid = list(
        Invoice.objects.select_for_update()
        .filter(policy=policy, debtor_id=debtor_id, open_amount__gt=0)
        .order_by(*OLDEST_FIRST)
    )
    named = None
    if invoice_id is not None:
        named = Invoice.objects.filter(pk=invoice_id, policy=policy, debtor_id=debtor_id).first()
        if named is None:
            raise NotFound(
                _("No invoice with id %(id)s of this debtor under this policy.")
                % {"id": invoice_id},
                field="invoice",
            )
        unpaid.sort(key=lambda i: i.pk != named.pk)  # the named one first, the rest in order
    payment = Payment(
        policy=policy,
        debtor_id=debtor_id,
        amount=amount,
        received_on=received_on,
        invoice=named,
        reference=(reference or "").strip(),
        recorded_by=actor,
    )
    payment.full_clean(exclude=["policy", "debtor", "invoice", "recorded_by"])
    payment.save()
    left, allocations, changed = amount, [], []
    for invoice in unpaid:
        if left <= 0:
            break
        part = min(left, invoice.open_amount)
        allocations.append(PaymentAllocation(payment=payment, invoice=invoice, amount=part))
        invoice.open_amount -= part
        left -= part
        changed.append(invoice)
    PaymentAllocation.objects.bulk_create(allocations)
    if left:
        payment.unallocated_amount = left
        payment.save(update_fields=["unallocated_amount"])
    reason = _("Payment of %(amount)s received on %(day)s") % {
        "amount": format_money(amount, policy.currency),
        "day": received_on.isoformat(),
    }
    bulk_update_with_history(
        changed, Invoice, ["open_amount"], default_user=actor, default_change_reason=reason
    )
    notification_close_if_paid(
        actor=actor, policy_id=policy.pk, debtor_id=debtor_id, day=received_on
    )
    stop_delivery_refresh(
        today=timezone.localdate(), actor=actor, policy_id=policy.pk, debtor_id=debtor_id
    )
    return payment


@transaction.atomic
def credit_note_record(
    *, actor, invoice_id: int, number: str, amount: Decimal, issued_on: date, reason: str = ""
) -> CreditNote:
    """A credit note against one invoice: at most what is unpaid on it."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("policy")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise NotFound(field="invoice")
    ensure_acts_for(actor, invoice.policy.insured_id, field="invoice")
    _not_future(issued_on, "issued_on")
    if amount is None or amount <= 0:
        raise PaymentInvalid(_("Enter an amount above 0."), field="amount", code="not_positive")
    if amount > invoice.open_amount:
        raise PaymentInvalid(
            _("The credit note is larger than what is unpaid on the invoice (%(open)s).")
            % {"open": format_money(invoice.open_amount, invoice.currency)},
            field="amount",
            code="exceeds_unpaid",
        )
    number = (number or "").strip()
    if invoice.credit_notes.filter(number=number).exists():
        raise StateConflict(
            _("Credit note %(number)s was already recorded on this invoice.") % {"number": number},
            field="number",
            code="already_reported",
        )
    note = CreditNote(
        invoice=invoice,
        number=number,
        amount=amount,
        issued_on=issued_on,
        reason=(reason or "").strip(),
        recorded_by=actor,
    )
    note.full_clean(exclude=["invoice", "recorded_by"])
    note.save()
    invoice.open_amount -= amount
    save_with_history(
        invoice,
        actor=actor,
        reason=_("Credit note %(number)s of %(amount)s")
        % {"number": number, "amount": format_money(amount, invoice.currency)},
    )
    notification_close_if_paid(
        actor=actor, policy_id=invoice.policy_id, debtor_id=invoice.debtor_id, day=issued_on
    )
    stop_delivery_refresh(
        today=timezone.localdate(),
        actor=actor,
        policy_id=invoice.policy_id,
        debtor_id=invoice.debtor_id,
    )
    return note
