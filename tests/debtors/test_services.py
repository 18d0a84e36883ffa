"""The register's writes: one company once, reports as history, risk events once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from debtors import services
from debtors.models import CreditReport, RiskEvent, RiskEventKind
from tests.factories.limits import DebtorFactory

TODAY = timezone.localdate


def register(actor, **fields):
    data = {"country": "SE", "registration_number": "5566778907", "name": "Acme AB"}
    return services.debtor_register(actor=actor, **{**data, **fields})


def test_register_stores_the_normal_number_and_who_registered(underwriter):
    debtor = register(underwriter, legal_form=" AB ", city="Umeå")

    assert debtor.registration_number == "556677-8907"
    assert (debtor.country, debtor.legal_form, debtor.city) == ("SE", "AB", "Umeå")
    assert debtor.history.get().history_user == underwriter


def test_registering_a_known_company_names_the_existing_debtor(insured_user):
    first = register(insured_user)

    with pytest.raises(services.DebtorExists) as caught:
        register(insured_user, registration_number="SE556677890701", name="Acme Sverige AB")

    error = caught.value
    assert (error.code, error.field, error.status) == ("debtor_exists", "registration_number", 409)
    assert error.values == {"debtor_id": first.pk}


def test_a_bad_check_digit_is_an_error_on_the_number(insured_user):
    with pytest.raises(ValidationError) as caught:
        register(insured_user, registration_number="556677-8908")

    assert "check digit" in caught.value.message_dict["registration_number"][0]


def test_an_unknown_country_is_an_error_on_the_country(insured_user):
    with pytest.raises(ValidationError) as caught:
        register(insured_user, country="XX")

    assert list(caught.value.message_dict) == ["country"]


def test_reports_are_kept_as_history_and_the_newest_is_latest(db, sent_tasks):
    debtor = DebtorFactory(legal_form="")
    day = TODAY() - timedelta(days=60)

    first = services.credit_report_add(debtor=debtor, source="test", as_of=day, rating=70)
    second = services.credit_report_add(
        debtor=debtor, source="test", as_of=day + timedelta(days=30), rating=65, legal_form="AB"
    )
    older = services.credit_report_add(
        debtor=debtor, source="test", as_of=day - timedelta(days=300), rating=20
    )

    debtor.refresh_from_db()
    assert list(debtor.reports.order_by("-as_of")) == [second, first, older]
    assert debtor.latest_report == second and debtor.legal_form == "AB"
    assert not RiskEvent.objects.exists()  # a 5-point fall, and history filled in later


def test_a_rating_drop_of_ten_points_records_an_event(
    db, sent_tasks, django_capture_on_commit_callbacks
):
    debtor = DebtorFactory()
    day = TODAY() - timedelta(days=60)
    services.credit_report_add(debtor=debtor, source="bureau", as_of=day, rating=70)

    with django_capture_on_commit_callbacks(execute=True):
        services.credit_report_add(
            debtor=debtor, source="bureau", as_of=day + timedelta(days=30), rating=60
        )

    event = RiskEvent.objects.get()
    assert (event.kind, event.occurred_on, event.source) == (
        RiskEventKind.RATING_DROP,
        day + timedelta(days=30),
        "bureau",
    )
    assert "70" in event.details and "60" in event.details
    assert sent_tasks == ["limits.tasks.risk_events_alert_task"]


def test_only_payment_remarks_after_the_previous_report_are_events(db, sent_tasks):
    debtor = DebtorFactory()
    day = TODAY() - timedelta(days=60)
    old_remark = {"date": (day - timedelta(days=5)).isoformat(), "amount": "500"}
    services.credit_report_add(
        debtor=debtor, source="bureau", as_of=day, payment_remarks=[old_remark]
    )
    new_day = day + timedelta(days=10)

    services.credit_report_add(
        debtor=debtor,
        source="bureau",
        as_of=day + timedelta(days=30),
        payment_remarks=[old_remark, {"date": new_day.isoformat(), "amount": "1200"}],
    )

    event = RiskEvent.objects.get()
    assert (event.kind, event.occurred_on) == (RiskEventKind.PAYMENT_REMARK, new_day)
    latest = CreditReport.objects.get(pk=debtor.reports.first().pk)
    assert latest.payment_remarks[0] == {"date": new_day.isoformat(), "amount": "1200.00"}


def test_a_report_out_of_range_is_refused_and_not_stored(db):
    debtor = DebtorFactory()

    with pytest.raises(ValidationError) as caught:
        services.credit_report_add(debtor=debtor, source="x", as_of=TODAY(), rating=140)

    assert "rating" in caught.value.message_dict
    assert not CreditReport.objects.exists()


def test_a_risk_event_is_recorded_once(underwriter, sent_tasks):
    debtor = DebtorFactory()
    day = TODAY() - timedelta(days=2)

    first = services.risk_event_record(
        actor=underwriter, debtor=debtor, kind=RiskEventKind.PAYMENT_REMARK, occurred_on=day
    )
    again = services.risk_event_record(
        actor=underwriter, debtor=debtor, kind=RiskEventKind.PAYMENT_REMARK, occurred_on=day
    )

    assert first == again and RiskEvent.objects.count() == 1
    assert first.recorded_by == underwriter and first.source == "manual"


def test_a_bankruptcy_marks_the_debtor_insolvent_from_its_date(underwriter, sent_tasks):
    debtor = DebtorFactory()
    day = TODAY() - timedelta(days=3)

    services.risk_event_record(actor=underwriter, debtor=debtor, kind="bankruptcy", occurred_on=day)
    services.risk_event_record(
        actor=underwriter, debtor=debtor, kind="liquidation", occurred_on=day + timedelta(days=1)
    )

    debtor.refresh_from_db()
    assert debtor.insolvent_since == day


def test_a_risk_event_cannot_lie_in_the_future(underwriter):
    with pytest.raises(ValidationError) as caught:
        services.risk_event_record(
            actor=underwriter,
            debtor=DebtorFactory(),
            kind="bankruptcy",
            occurred_on=TODAY() + timedelta(days=1),
        )

    assert "occurred_on" in caught.value.message_dict


def test_risk_events_reach_the_insureds_with_a_limit(
    underwriter, insured_user, rated_debtor, limit_of, sent_tasks
):
    from limits.services import risk_events_alert

    limit = limit_of(rated_debtor)
    services.risk_event_record(
        actor=underwriter,
        debtor=rated_debtor,
        kind="bankruptcy",
        occurred_on=date.today() - timedelta(days=1),
    )

    summary = risk_events_alert()

    assert summary["events"] == 1
    limit.refresh_from_db()
    assert limit.review_requested_at is not None
