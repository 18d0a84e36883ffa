from decimal import Decimal

import pytest

from limits.models import ChangeKind, Limit, LimitChange
from tests.factories.limits import CreditReportFactory, DebtorFactory


@pytest.fixture
def sent_tasks(monkeypatch):
    """Tasks queued by name (the alert job): recorded instead of published to the broker."""
    sent = []
    monkeypatch.setattr(
        "debtors.services.current_app.send_task", lambda name, *a, **k: sent.append(name)
    )
    return sent


@pytest.fixture
def rated_debtor(db):
    """A debtor with a healthy credit report (rating 70)."""
    return CreditReportFactory(
        debtor=DebtorFactory(
            name="Byggvaror i Norr AB", country="SE", registration_number="556677-8907", city="Umeå"
        )
    ).debtor


@pytest.fixture
def limit_of(issued_policy):
    """Give the insured company of `issued_policy` a limit on a debtor."""

    def give(debtor, amount="100000"):
        limit = Limit.objects.create(policy=issued_policy, debtor=debtor)
        LimitChange.objects.create(
            limit=limit,
            kind=ChangeKind.GRANTED,
            amount=Decimal(amount),
            effective_from=issued_policy.start_date,
        )
        return limit

    return give
