from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict, DomainError, TransitionNotAllowed


class RequestPending(Conflict):
    code = "limit_request_pending"
    default_message = _("A request on this debtor is already waiting for a decision.")


class RequestInvalid(DomainError):
    code = "limit_request_invalid"


class RequestAlreadyDecided(TransitionNotAllowed):
    code = "limit_request_decided"
    default_message = _("This request has already been decided or withdrawn.")


class LimitChangeInvalid(DomainError):
    code = "limit_change_invalid"


class LetterNotReady(Conflict):
    code = "letter_not_ready"
    default_message = _("This letter is still being prepared.")
