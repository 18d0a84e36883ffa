"""A debtor of the issued SEK policy (2026) that stopped paying: invoices delivered in
January and February, a limit of 40 000 from 1 January, notified overdue on 1 April 2026.
Each test moves the clock itself (`on(day)`)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from accounts.models import Role
from claims.services.claims import claim_file
from exposure import services as exposure
from exposure.services.notifications import overdue_notify
from policies import services as policies
from tests.exposure.conftest import grant_limit
from tests.factories import UserFactory
from tests.factories.limits import DebtorFactory

NOTIFIED = date(2026, 4, 1)
WAITING_END = NOTIFIED + timedelta(days=180)  # 2026-09-28
FILING_DEADLINE = WAITING_END + timedelta(days=60)  # 2026-11-27


def on(day: date):
    return time_machine.travel(day, tick=False)


@pytest.fixture
def debtor(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB")


@pytest.fixture
def policy_terms():
    """Terms of the issued policy other than the defaults; a test sets them with
    `@pytest.mark.parametrize("policy_terms", [{...}])`."""
    return {}


@pytest.fixture
def draft_policy(company, underwriter, policy_terms):
    return policies.policy_create(
        actor=underwriter,
        insured=company,
        start_date=date(2026, 1, 1),
        **({"currency": "SEK"} | policy_terms),
    )


@pytest.fixture
def second_handler(db):
    return UserFactory(username="ch2", role=Role.CLAIMS, company=None)


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


def notify(actor, policy, debtor, *, prefix="F"):
    """Invoices of 20 000 and 30 000 to `debtor` within a 40 000 limit, notified overdue on
    NOTIFIED."""
    grant_limit(policy, debtor, "40000.00", on=date(2026, 1, 1))
    with on(NOTIFIED):
        report(actor, policy, debtor, f"{prefix}-1", "20000.00", date(2026, 1, 10))
        report(actor, policy, debtor, f"{prefix}-2", "30000.00", date(2026, 1, 20))
        return overdue_notify(
            actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, reason="cash_flow"
        )


@pytest.fixture
def notified(insured_user, issued_policy, debtor):
    """Two unpaid invoices of 20 000 and 30 000 within a 40 000 limit, notified overdue."""
    return notify(insured_user, issued_policy, debtor)


def file_claim(actor, policy, debtor, **kw):
    """A claim for protracted default unless `kw` says otherwise (file it on a day the rules
    allow: `on(WAITING_END)`)."""
    data = {"cause": "protracted_default", "evidence": "No payment since January."} | kw
    return claim_file(actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, **data)


@pytest.fixture
def claim(notified, insured_user, issued_policy, debtor):
    """The notified debt's claim for protracted default, filed on WAITING_END: 36 000."""
    with on(WAITING_END):
        return file_claim(insured_user, issued_policy, debtor)


@pytest.fixture
def statements_queued(monkeypatch):
    """The statement ids queued for rendering, with the rendering itself left out."""
    from claims.tasks import claim_statement_render_task

    queued = []
    monkeypatch.setattr(claim_statement_render_task, "delay", queued.append)
    return queued
