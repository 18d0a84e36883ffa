"""The base of every domain exception: a stable code, a message, and the field it concerns."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(
        self, message=None, *, field: str | None = None, code: str | None = None, **values
    ):
        self.message = message or self.default_message
        self.field = field
        if code:
            self.code = code
        self.values = values
        super().__init__(str(self.message))


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409
    default_message = _("This change is not allowed in the current status.")


class Conflict(DomainError):
    code = "conflict"
    status = 409


class NotFound(DomainError):
    """What the caller may not see answers as if it did not exist."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")
