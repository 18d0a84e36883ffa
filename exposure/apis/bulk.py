"""Reporting many invoices in one call, all or nothing, and naming every bad one."""

from django.db import transaction
from rest_framework import serializers
from rest_framework.settings import api_settings

from .. import services
from ..models import Invoice
from ..serializers import Item
from ..services.invoices import InvoicesInvalid


def report_all_or_name_every_bad_one(actor, policy_id: int, items: list[Item]) -> list[Invoice]:
    """Report the items through the service, all or nothing; a ValidationError names every
    bad item, those the input checks refused and those the service refuses.

    When some items failed the input checks, the call fails whatever the rest are like; the
    others still go through the service, in a transaction rolled back afterwards, only to
    learn what else is wrong, so that one answer names every bad item."""
    good = [(index, item.data) for index, item in enumerate(items) if item.errors is None]
    bad = {index: dict(item.errors) for index, item in enumerate(items) if item.errors is not None}
    invoices: list[Invoice] = []
    try:
        with transaction.atomic():
            if good:
                invoices = services.invoices_report(
                    actor=actor, policy_id=policy_id, items=[data for _index, data in good]
                )
            if bad:
                transaction.set_rollback(True)
    except InvoicesInvalid as exc:
        for error in exc.errors:
            index = good[error.index][0]
            field = error.field or api_settings.NON_FIELD_ERRORS_KEY
            detail = serializers.ErrorDetail(error.message, code=error.code)
            bad.setdefault(index, {}).setdefault(field, []).append(detail)
    if bad:
        raise serializers.ValidationError({"invoices": [bad.get(i, {}) for i in range(len(items))]})
    return invoices
