"""Writes on who you are: the insured company (the tenant)."""

from typing import Any

from django.db import transaction

from .models import InsuredCompany


@transaction.atomic
def insured_company_create(*, actor, **fields: Any) -> InsuredCompany:
    """A new insured company, checked by the model (its VAT number kept compact), with its
    first history row written by `actor`. Raises ValidationError."""
    company = InsuredCompany(**fields)
    company.full_clean()
    company._history_user = actor
    company.save()
    return company
