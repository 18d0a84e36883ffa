"""A debtor of the issued SEK policy (2026) that stopped paying: invoices delivered in
January and February, a limit of 40 000 from 1 January, notified overdue on 1 April 2026.
Each test moves the clock itself (`on(day)`)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from exposure import services as exposure
from exposure.services.notifications import overdue_notify
from tests.exposure.conftest import grant_limit
from tests.factories.limits import DebtorFactory

NOTIFIED = date(2026, 4, 1)
WAITING_END = NOTIFIED + timedelta(days=180)  # 2026-09-28


def on(day: date):
    return time_machine.travel(day, tick=False)


@pytest.fixture
def debtor(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB")


def report(actor, policy, debtor, number, amount, delivered, *, vat="0.00", days=30):
    return exposure.invoice_report(
        actor=actor,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        number=number,
        net_amount=Decimal(amount),
        vat_amount=Decimal(vat),
        currency=policy.currency,
        invoice_date=delivered,
        delivery_date=delivered,
        original_due_date=delivered + timedelta(days=days),
    )


@pytest.fixture
def notified(insured_user, issued_policy, debtor):
    """Two unpaid invoices of 20 000 and 30 000 within a 40 000 limit, notified overdue."""
    grant_limit(issued_policy, debtor, "40000.00", on=date(2026, 1, 1))
    with on(NOTIFIED):
        report(insured_user, issued_policy, debtor, "F-1", "20000.00", date(2026, 1, 10))
        report(insured_user, issued_policy, debtor, "F-2", "30000.00", date(2026, 1, 20))
        notice = overdue_notify(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            reason="cash_flow",
        )
    return notice
