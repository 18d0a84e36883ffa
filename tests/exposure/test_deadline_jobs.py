"""The deadline jobs: warnings 14 and 7 days before and on the notification deadline, late
marks, stop delivery and its lifting, each told once through the ledger whatever the number of
runs; the limits' expiries and reductions on their dates."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from core.models import JobRun, Notification
from exposure import services
from exposure.models import DeadlineNotice
from exposure.services.deadlines import deadlines_run, deadlines_run_recorded
from exposure.services.notifications import overdue_notify
from limits.models import LimitChange
from limits.services.dates import limit_dates_apply
from tests.exposure.conftest import grant_limit, invoice_data

# An invoice due 2026-05-01: extension period to 2026-06-30, notification deadline 2026-07-30.
DUE = date(2026, 5, 1)
DEADLINE = date(2026, 7, 30)


@pytest.fixture
def invoice(insured_user, issued_policy, debtor):
    return services.invoice_report(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        **invoice_data(1, delivered=date(2026, 4, 1), days=30),
    )


def kinds():
    return sorted(DeadlineNotice.objects.values_list("kind", flat=True))


def subjects(user):
    return [n.subject for n in Notification.objects.filter(user=user).order_by("id")]


@pytest.mark.parametrize(
    ("days_before", "kind"), [(14, "warn_14"), (7, "warn_7"), (0, "deadline_today")]
)
def test_a_warning_before_the_deadline_is_sent_once(invoice, insured_user, days_before, kind):
    today = DEADLINE - timedelta(days=days_before)
    insured_user.language = "en"  # the messages below are read in English
    insured_user.save()

    first = deadlines_run(today=today)
    second = deadlines_run(today=today)

    assert first["warnings"] == 1 and second["warnings"] == 0
    [notice] = DeadlineNotice.objects.filter(kind=kind)
    assert (notice.due_on, notice.amount, notice.invoices) == (
        DEADLINE,
        Decimal("10000.00"),
        ["F-1"],
    )
    assert [s for s in subjects(insured_user) if "notify" in s.lower()] == [
        "Today is the last day to notify Kalles Kaffe AB overdue"
        if kind == "deadline_today"
        else "Notify Kalles Kaffe AB overdue by 2026-07-30"
    ]
    assert deadlines_run(today=today - timedelta(days=1))["warnings"] == 0


def test_no_warning_once_the_debtor_is_notified(invoice, insured_user, issued_policy, debtor):
    with time_machine.travel(date(2026, 7, 1), tick=False):
        overdue_notify(
            actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="cash_flow"
        )

    assert deadlines_run(today=DEADLINE - timedelta(days=7))["warnings"] == 0
    assert deadlines_run(today=DEADLINE + timedelta(days=1))["late_marks"] == 0


def test_a_passed_deadline_is_marked_late_with_the_cover_it_costs(invoice, insured_user):
    summary = deadlines_run(today=DEADLINE + timedelta(days=1))

    assert summary["late_marks"] == 1
    [late] = DeadlineNotice.objects.filter(kind="notified_late")
    assert late.amount == Decimal("10000.00")
    assert deadlines_run(today=DEADLINE + timedelta(days=2))["late_marks"] == 0


def test_stop_delivery_is_started_told_and_lifted_when_paid(
    invoice, insured_user, issued_policy, debtor
):
    # The extension period ends 2026-06-30: the job starts the stop on 2026-07-01
    summary = deadlines_run(today=date(2026, 7, 1))
    assert (summary["stops_started"], summary["stops_told"]) == (1, 1)
    assert deadlines_run(today=date(2026, 7, 1))["stops_told"] == 0

    with time_machine.travel(date(2026, 7, 3), tick=False):
        services.payment_record(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            amount=Decimal("10000.00"),
            received_on=date(2026, 7, 2),
        )
    summary = deadlines_run(today=date(2026, 7, 3))
    assert summary["lifts_told"] == 1
    assert kinds() == ["stop_delivery", "stop_lifted"]


def test_a_run_is_recorded_with_what_it_did(invoice):
    deadlines_run_recorded(today=DEADLINE)

    run = JobRun.objects.get(name="exposure_deadlines")
    assert run.finished_at and run.summary["warnings"] == 1
    assert {n.run for n in DeadlineNotice.objects.all()} == {run}


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_tell_everything_once(insured_user, issued_policy, debtor):
    services.invoice_report(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        **invoice_data(1, delivered=date(2026, 4, 1), days=30),
    )
    errors = []

    def run():
        try:
            deadlines_run(today=DEADLINE)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert kinds() == ["deadline_today", "stop_delivery"]
    assert Notification.objects.filter(user=insured_user).count() == 2


def test_the_limits_job_writes_expiries_and_announces_reductions_once(
    issued_policy, debtor, insured_user
):
    dcl = grant_limit(
        issued_policy, debtor, 10000, on=date(2026, 3, 1), expires_on=date(2026, 6, 10)
    )
    reduced = LimitChange.objects.create(
        limit=grant_limit(issued_policy, _other_debtor(), 80000),
        kind="reduced",
        amount=30000,
        effective_from=date(2026, 6, 14),
    )

    first = limit_dates_apply(today=date(2026, 6, 15))
    second = limit_dates_apply(today=date(2026, 6, 15))

    assert first == {"expired": 1, "reductions_announced": 1}
    assert second == {"expired": 0, "reductions_announced": 0}
    expired = dcl.changes.get(kind="expired")
    assert (expired.effective_from, expired.amount) == (date(2026, 6, 11), 0)
    reduced.refresh_from_db()
    assert reduced.announced_on == date(2026, 6, 15)
    assert len(subjects(insured_user)) == 2


def _other_debtor():
    from tests.factories.limits import DebtorFactory

    return DebtorFactory(country="SE")
