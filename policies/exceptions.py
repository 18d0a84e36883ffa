from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict, DomainError, TransitionNotAllowed


class PolicyTransitionNotAllowed(TransitionNotAllowed):
    code = "policy_transition_not_allowed"


class PolicyNotEditable(Conflict):
    code = "policy_not_editable"
    default_message = _("An expired or cancelled policy's terms cannot change.")


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = _("Give a reason for this change.")


class DeclarationInvalid(DomainError):
    code = "declaration_invalid"


class DeclarationExists(Conflict):
    code = "declaration_exists"
    default_message = _("This period has already been declared.")


class DocumentNotReady(Conflict):
    code = "document_not_ready"
    default_message = _("This document is still being prepared.")
