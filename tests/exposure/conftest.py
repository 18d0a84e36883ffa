from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from tests.factories.limits import DebtorFactory

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today():
    """Every exposure test runs on 2026-06-15, inside the issued policy's year."""
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def debtor(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB")


def invoice_data(n: int = 1, *, delivered: date = date(2026, 5, 1), days: int = 30, **kw) -> dict:
    data = {
        "number": f"F-{n}",
        "net_amount": Decimal("8000.00"),
        "vat_amount": Decimal("2000.00"),
        "currency": "SEK",
        "invoice_date": delivered,
        "delivery_date": delivered,
        "original_due_date": delivered + timedelta(days=days),
    }
    return {**data, **kw}


def grant_limit(policy, debtor, amount, *, on=date(2026, 3, 1), **kw):
    """A limit written straight to its tables: granted `amount` effective `on`."""
    from limits.models import Limit, LimitChange

    limit, _ = Limit.objects.get_or_create(policy=policy, debtor=debtor)
    LimitChange.objects.create(
        limit=limit, kind="granted", amount=Decimal(amount), effective_from=on, **kw
    )
    return limit
