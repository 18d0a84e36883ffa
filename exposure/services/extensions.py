"""Due dates the insured extends: within the maximum extension period at once, beyond it as
a request an underwriter grants or refuses (the end of the extension period, and every
deadline after it, then move with the consented due date)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.exceptions import NotFound
from core.status import apply_transition, save_with_history

from .. import timeline
from ..exceptions import ExtensionInvalid, StateConflict
from ..models import ExtensionRequest, ExtensionStatus, Invoice
from .invoices import LATEST, _locked_invoice, _reason_required, _refresh


@transaction.atomic
def invoice_extend(
    *, actor, invoice_id: int, due_date: date, reason: str = ""
) -> Invoice | ExtensionRequest:
    """Give the debtor a later due date: within the maximum extension period at once (the
    invoice, extended), beyond it as a request the insurer grants or refuses."""
    invoice = _locked_invoice(actor, invoice_id)
    if invoice.open_amount <= 0:
        raise StateConflict(_("The invoice is paid."), field="invoice", code="paid")
    if due_date > LATEST:
        raise ExtensionInvalid(
            _("%(day)s is not a plausible date.") % {"day": due_date.isoformat()},
            field="due_date",
            code="implausible_date",
        )
    if due_date <= invoice.due_date:
        raise ExtensionInvalid(
            _("The new due date must lie after the current one (%(due)s).")
            % {"due": invoice.due_date.isoformat()},
            field="due_date",
            code="not_later",
        )
    terms = timeline.Terms.of(invoice.policy)
    end = timeline.extension_end(invoice.original_due_date, invoice.consented_due_date, terms)
    if due_date <= end:
        invoice.due_date = due_date
        text = _("Due date extended to %(due)s") % {"due": due_date.isoformat()}
        return save_with_history(invoice, actor=actor, reason=f"{text}. {reason}".strip())
    reason = (reason or "").strip()
    if not reason:
        raise ExtensionInvalid(
            _(
                "%(due)s lies beyond the maximum extension period (%(end)s): the insurer must "
                "consent. Say why the debtor needs the time."
            )
            % {"due": due_date.isoformat(), "end": end.isoformat()},
            field="reason",
            code="required",
        )
    if invoice.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise StateConflict(
            _("An extension of this invoice is already waiting for the insurer."),
            field="due_date",
            code="pending",
        )
    request = ExtensionRequest(invoice=invoice, due_date=due_date, reason=reason)
    request.requested_by = actor
    request.full_clean(exclude=["invoice", "requested_by", "decided_by"])
    save_with_history(request, actor=actor, reason=_("Requested"))
    transaction.on_commit(lambda: _tell_underwriters(request.pk))
    return request


def _tell_underwriters(request_id: int) -> None:
    from accounts.models import User
    from core.notify import notify_users

    request = ExtensionRequest.objects.select_related("invoice__debtor", "invoice__policy").get(
        pk=request_id
    )
    with transaction.atomic():
        notify_users(
            User.objects.filter(role=Role.UNDERWRITER, is_active=True),
            template="extension_requested",
            context={"request": request, "invoice": request.invoice},
            url=f"/exposure/invoices/{request.invoice_id}/",
        )


def _tell_insured(request_id: int) -> None:
    from core.notify import notify_users

    request = ExtensionRequest.objects.select_related(
        "invoice__debtor", "invoice__policy__insured"
    ).get(pk=request_id)
    policy = request.invoice.policy
    with transaction.atomic():
        notify_users(
            policy.insured.users.filter(is_active=True),
            template="extension_decided",
            context={"request": request, "invoice": request.invoice},
            url=f"/exposure/invoices/{request.invoice_id}/",
        )


@transaction.atomic
def invoice_extension_decide(
    *, actor, request_id: int, grant: bool, reason: str
) -> ExtensionRequest:
    """An underwriter grants (the due date moves, and with it the end of the extension period
    and every deadline after it) or refuses an extension beyond the maximum extension period."""
    if actor is not None and actor.role not in (Role.UNDERWRITER, Role.ADMIN):
        raise NotFound(field="request")
    request = ExtensionRequest.objects.select_for_update(of=("self",)).filter(pk=request_id).first()
    if request is None:
        raise NotFound(field="request")
    reason = _reason_required(reason)
    invoice = _locked_invoice(actor, request.invoice_id)
    if grant and (invoice.open_amount <= 0 or invoice.due_date >= request.due_date):
        raise StateConflict(
            _("The invoice is paid or already due on or after %(due)s: nothing to grant.")
            % {"due": request.due_date.isoformat()},
            field="request",
            code="moot",
        )
    now = timezone.now()
    apply_transition(
        request,
        "grant" if grant else "refuse",
        actor=actor,
        reason=reason,
        decided_by=actor,
        decided_at=now,
        decision_reason=reason,
    )
    transaction.on_commit(lambda: _tell_insured(request.pk))
    if grant:
        invoice.due_date = invoice.consented_due_date = request.due_date
        save_with_history(
            invoice,
            actor=actor,
            reason=_("The insurer consented to the due date %(due)s") % {"due": request.due_date},
        )
        _refresh(invoice, actor)  # the extension period now ends later
    return request
