from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict, DomainError


class ClaimInvalid(DomainError):
    code = "invalid"
    default_message = _("The claim cannot be filed like this.")


class ClaimConflict(Conflict):
    """The change does not fit the claim's current state, or another claim is open (409)."""

    code = "conflict"


class CollectionStepInvalid(DomainError):
    code = "invalid"
    default_message = _("This collection step cannot be recorded like this.")


class DocumentInvalid(DomainError):
    code = "invalid"
    default_message = _("The document cannot be added.")


class SettlementInvalid(DomainError):
    code = "invalid"
    default_message = _("The claim cannot be settled like this.")


class FourEyes(Conflict):
    """A second approval must come from another claims handler than the one who decided."""

    code = "four_eyes"
    default_message = _("A second approval must come from another claims handler.")


class RecoveryInvalid(DomainError):
    code = "invalid"
    default_message = _("The recovery cannot be recorded like this.")


class StatementNotReady(Conflict):
    code = "not_ready"
    default_message = _("The statement is still being prepared. Try again in a moment.")
