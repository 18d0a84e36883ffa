"""The database side of an invoice import, set-based: the file's debtors in the register and
the invoices already reported, one query for a whole chunk each, and a chunk of invoices
written with their history rows in batches."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.bulk import copy_rows, equals_any, next_ids
from debtors.models import Debtor

from ..models import Invoice
from .reading import INVOICE_VALUES

BATCH = 2000  # rows in one INSERT
IN_BATCH = 5000  # values in one IN (…) where there are no arrays (SQLite)
# The history model's own columns, in the order the history rows are copied with them.
_HISTORY = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _batches(values: list, size: int = IN_BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def known_debtors(keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The id of each (country, registration number) of `keys` in the register."""
    numbers = sorted({number for _country, number in keys})
    if not numbers:
        return {}
    if connection.vendor == "postgresql":
        querysets = [Debtor.objects.filter(equals_any(Debtor, "registration_number", numbers))]
    else:
        querysets = [Debtor.objects.filter(registration_number__in=b) for b in _batches(numbers)]
    found = {}
    for qs in querysets:
        for pk, country, number in qs.values_list("id", "country", "registration_number"):
            if (country, number) in keys:
                found[(country, number)] = pk
    return found


def reported(policy_id: int, pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (debtor id, invoice number) of `pairs` the policy already has an invoice of."""
    numbers = sorted({number for _debtor, number in pairs})
    if not numbers:
        return set()
    invoices = Invoice.objects.filter(policy_id=policy_id)
    if connection.vendor == "postgresql":
        debtors = sorted({debtor for debtor, _number in pairs})
        querysets = [
            invoices.filter(equals_any(Invoice, "number", numbers)).filter(
                equals_any(Invoice, "debtor_id", debtors)
            )
        ]
    else:
        querysets = [invoices.filter(number__in=b) for b in _batches(numbers)]
    found = set()
    for qs in querysets:
        found.update(p for p in qs.values_list("debtor_id", "number") if p in pairs)
    return found


def invoices_write(rows: list[tuple[int, tuple]], *, policy, actor, reason: str) -> int:
    """Insert checked invoices, each (debtor id, its INVOICE_VALUES), under `policy` with
    their history rows ("+", by `actor`, with `reason`); how many. On PostgreSQL by COPY,
    their ids drawn first: bulk_create spends most of its time building and adapting
    statements for values invoice_build has already checked (50 000 lines are written in a
    quarter of the time)."""
    reason = reason[:100]
    if connection.vendor != "postgresql":
        invoices = [
            Invoice(
                policy=policy,
                debtor_id=debtor_id,
                reported_by=actor,
                **dict(zip(INVOICE_VALUES, _native(values), strict=True)),
            )
            for debtor_id, values in rows
        ]
        bulk_create_with_history(
            invoices, Invoice, batch_size=BATCH, default_user=actor, default_change_reason=reason
        )
        return len(invoices)
    # Every field the history tracks: the id, the debtor and the line's values, then those
    # the same for every line (the policy, who reported, the defaults of the others).
    history = Invoice.history.model
    tracked = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    constants = {"policy_id": policy.pk, "reported_by_id": actor.pk if actor else None}
    for field in tracked:
        if field.attname not in ("id", "debtor_id", *INVOICE_VALUES, *constants):
            constants[field.attname] = field.get_default()
    names = ["id", "debtor_id", *INVOICE_VALUES, *constants]
    tail = tuple(constants.values())
    [ids] = next_ids((Invoice, len(rows)))
    lines = [
        (pk, debtor_id, *values, *tail) for pk, (debtor_id, values) in zip(ids, rows, strict=True)
    ]
    now = timezone.now()
    copy_rows(Invoice, [*names, "reported_at"], (line + (now,) for line in lines))
    user = actor.pk if actor else None
    copy_rows(history, [*names, *_HISTORY], (line + (now, reason, "+", user) for line in lines))
    return len(lines)


def _native(values: tuple) -> tuple:
    """Spooled text back to dates and Decimals (for bulk_create)."""
    out = []
    for name, value in zip(INVOICE_VALUES, values, strict=True):
        if name.endswith("_date"):
            value = date.fromisoformat(value)
        elif name.endswith("_amount"):
            value = Decimal(value)
        out.append(value)
    return tuple(out)
