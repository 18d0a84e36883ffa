"""Every write on policies, declarations, their documents and charges."""

from .charges import (
    policy_charge_record,
    policy_charges_settle,
    policy_charges_settle_recorded,
    policy_year_settle,
)
from .declarations import declaration_submit
from .documents import document_render
from .policies import (
    default_end_date,
    policies_expire,
    policies_expire_recorded,
    policy_cancel,
    policy_check_actor,
    policy_create,
    policy_issue,
    policy_update_terms,
)

__all__ = [
    "declaration_submit",
    "default_end_date",
    "document_render",
    "policies_expire",
    "policies_expire_recorded",
    "policy_cancel",
    "policy_charge_record",
    "policy_charges_settle",
    "policy_charges_settle_recorded",
    "policy_check_actor",
    "policy_create",
    "policy_issue",
    "policy_update_terms",
    "policy_year_settle",
]
