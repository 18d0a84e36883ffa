from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict, DomainError, NotFound, TransitionNotAllowed


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


class PolicyNotYours(NotFound):
    """An insured user acting on another company's policy. Answered like a policy that does
    not exist, so it tells nothing about other companies' policies."""

    code = "policy_not_found"
    status = 404
    default_message = _("There is no such policy among your company's policies.")


class PolicyTermFixed(Conflict):
    code = "policy_term_fixed"
    default_message = _(
        "The currency is fixed once the policy is issued: every amount of the policy is in it."
    )


class ChargeInvalid(DomainError):
    code = "charge_invalid"
