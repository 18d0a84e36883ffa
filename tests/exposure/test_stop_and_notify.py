"""Stop delivery from DOMAIN.md's rule, and the overdue notification."""

from datetime import date
from decimal import Decimal

import pytest

from exposure import services
from exposure.models import StopDelivery
from exposure.services.notifications import (
    AlreadyNotified,
    NotificationInvalid,
    overdue_notify,
)
from exposure.services.stop_delivery import stop_delivery_refresh
from limits.models import LimitChange
from tests.exposure.conftest import TODAY, grant_limit, invoice_data


def report(actor, policy, debtor, n, **kw):
    return services.invoice_report(
        actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, **invoice_data(n, **kw)
    )


def open_stops(policy, debtor):
    return list(
        StopDelivery.objects.filter(
            policy=policy, debtor=debtor, lifted_on__isnull=True
        ).values_list("reason", "started_on")
    )


def test_an_invoice_past_the_extension_period_stops_delivery_from_the_next_day(
    insured_user, issued_policy, debtor
):
    # Given an invoice due 2026-03-31: the 60-day extension period ends 2026-05-30
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 3, 1), days=30)

    # Then reporting it (on 2026-06-15) starts stop delivery from 2026-05-31
    assert open_stops(issued_policy, debtor) == [("past_extension", date(2026, 5, 31))]


def test_a_disputed_invoice_does_not_start_the_clock(insured_user, issued_policy, debtor):
    invoice = report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1))
    services.invoice_dispute(
        actor=insured_user, invoice_id=invoice.pk, since=date(2026, 5, 2), reason="Broken"
    )
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 3, 1), days=30)
    assert open_stops(issued_policy, debtor) == [("past_extension", date(2026, 5, 31))]

    other = report(insured_user, issued_policy, debtor, 3, delivered=date(2026, 3, 1), days=10)
    services.invoice_dispute(
        actor=insured_user, invoice_id=other.pk, since=date(2026, 4, 1), reason="Quality"
    )
    # the disputed older invoice does not move the start earlier
    assert open_stops(issued_policy, debtor) == [("past_extension", date(2026, 5, 31))]


def test_paying_everything_overdue_lifts_stop_delivery(insured_user, issued_policy, debtor):
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 3, 1), days=30)
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 6, 1), days=30)

    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("10000.00"),
        received_on=TODAY,
    )

    stop = StopDelivery.objects.get(policy=issued_policy, debtor=debtor)
    assert (stop.lifted_on, stop.lift_reason) == (TODAY, "everything_overdue_paid")
    assert stop.history.first().history_user == insured_user


def test_a_notification_records_overdue_and_exposure_and_stops_delivery_from_its_date(
    insured_user, issued_policy, debtor
):
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1), days=30)
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 6, 10), days=30)

    notice = overdue_notify(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        reason="cash_flow",
        details="Says the money comes next month",
    )

    assert (notice.overdue_amount, notice.exposure_amount) == (
        Decimal("10000.00"),
        Decimal("20000.00"),
    )
    assert notice.deadline == date(2026, 8, 29) and not notice.late
    assert [i.number for i in notice.invoices.all()] == ["F-1"]
    assert open_stops(issued_policy, debtor) == [("notified", TODAY)]
    with pytest.raises(AlreadyNotified):
        overdue_notify(
            actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="other"
        )


def test_paying_everything_notified_closes_the_notification(insured_user, issued_policy, debtor):
    # Given F-1 overdue and notified, F-2 not yet due
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1), days=30)
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 6, 10), days=30)
    notice = overdue_notify(
        actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="cash_flow"
    )

    # When part of F-1 is paid the case stays open; once all of it is, it closes
    pay = {"actor": insured_user, "policy_id": issued_policy.pk, "debtor_id": debtor.pk}
    services.payment_record(**pay, amount=Decimal("4000.00"), received_on=TODAY)
    notice.refresh_from_db()
    assert notice.closed_on is None
    services.payment_record(**pay, amount=Decimal("6000.00"), received_on=TODAY)

    notice.refresh_from_db()
    assert notice.closed_on == TODAY
    assert notice.history.first().history_change_reason == "Everything notified was paid"
    assert open_stops(issued_policy, debtor) == []


def test_a_late_notification_is_recorded_with_the_cover_it_costs(
    insured_user, issued_policy, debtor
):
    # Due 2026-02-28: the deadline (day 90) was 2026-05-29
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 1, 29), days=30)

    notice = overdue_notify(
        actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="no_reason"
    )

    assert notice.late and notice.deadline == date(2026, 5, 29)
    assert notice.cover_lost == Decimal("10000.00")


def test_nothing_overdue_is_nothing_to_notify(insured_user, issued_policy, debtor):
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 6, 10), days=30)

    with pytest.raises(NotificationInvalid) as caught:
        overdue_notify(
            actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="other"
        )
    assert caught.value.code == "nothing_overdue"


def test_insolvency_and_a_withdrawn_limit_stop_delivery(issued_policy, debtor, underwriter, today):
    limit = grant_limit(issued_policy, debtor, 50000)
    LimitChange.objects.create(
        limit=limit, kind="withdrawn", amount=0, effective_from=date(2026, 6, 1)
    )
    stop_delivery_refresh(today=today)
    assert open_stops(issued_policy, debtor) == [("limit_withdrawn", date(2026, 6, 1))]

    debtor.insolvent_since = date(2026, 5, 20)
    debtor.save()
    LimitChange.objects.create(limit=limit, kind="granted", amount=1000, effective_from=today)
    stop_delivery_refresh(today=today)
    # the withdrawal is replaced by a new approval, but the insolvency keeps the stop open
    assert StopDelivery.objects.filter(lifted_on__isnull=True).count() == 1
