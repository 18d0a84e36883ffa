from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict, DomainError


class InvoiceInvalid(DomainError):
    code = "invalid"
    default_message = _("The invoice is not valid.")


class InvoiceAlreadyReported(Conflict):
    code = "already_reported"
    default_message = _("This invoice number was already reported for this debtor.")


class PaymentInvalid(DomainError):
    code = "invalid"
    default_message = _("The payment is not valid.")


class ExtensionInvalid(DomainError):
    code = "invalid"
    default_message = _("The due date cannot be extended like this.")


class StateConflict(Conflict):
    """The change does not fit the invoice's or request's current state (409): already
    disputed, not disputed, paid, an extension already waiting."""

    code = "conflict"
