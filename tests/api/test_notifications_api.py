"""The overdue notification API: the insured's ERP notifies a debtor that does not pay, with
its overdue invoices and whole exposure, is told when it was late and what that cost, and
reads the deadlines that follow."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from exposure import services
from exposure.models import OverdueNotification, StopDelivery
from tests.exposure.conftest import invoice_data
from tests.factories.limits import DebtorFactory

NOTIFICATIONS = "/api/v1/overdue-notifications/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def mid_june():
    """Every test runs at noon on 15 June 2026, inside the issued policy's year."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # idempotency keys live in the cache, which outlives each test
    yield
    cache.clear()


@pytest.fixture
def debtor(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB", registration_number="556677-8907")


def report(actor, policy, debtor, n, **kw):
    return services.invoice_report(
        actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, **invoice_data(n, **kw)
    )


@pytest.fixture
def overdue(insured_user, issued_policy, debtor):
    """F-1 due 2026-05-31 (overdue, deadline 2026-08-29) and F-2 not yet due: 10 000 each."""
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1), days=30)
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 6, 10), days=30)


def notify(client, policy, debtor, reason="cash_flow", **extra):
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    body = {
        "policy": extra.pop("policy_id", policy.pk),
        "debtor": extra.pop("debtor_id", debtor.pk),
        "reason": reason,
    }
    body.update({k: v for k, v in extra.items() if not k.startswith("HTTP_")})
    return client.post(NOTIFICATIONS, body, format="json", **headers)


def error_fields(response) -> dict:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


# Notifying ------------------------------------------------------------------------------------


def test_a_notification_records_the_overdue_invoices_the_whole_exposure_and_what_follows(
    api_for, insured_user, issued_policy, debtor, overdue
):
    response = notify(
        api_for(insured_user), issued_policy, debtor, details="Says the money comes next month"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["overdue_amount"], body["exposure_amount"]) == ("10000.00", "20000.00")
    assert (body["notified_on"], body["deadline"], body["late"]) == (
        "2026-06-15",
        "2026-08-29",
        False,
    )
    assert body["cover_lost"] == "0.00" and body["open"] is True
    assert body["reason"] == "cash_flow" and body["reason_label"]
    assert [(i["number"], i["open_amount"], i["due_date"]) for i in body["invoices"]] == [
        ("F-1", "10000.00", "2026-05-31")
    ]
    # the waiting period runs 180 days from the notification, a claim may be filed 60 after
    assert [(m["code"], m["date"], m["days"]) for m in body["timeline"]] == [
        ("notified", "2026-06-15", None),
        ("notification_deadline", "2026-08-29", 30),
        ("waiting_period_end", "2026-12-12", 180),
        ("claim_filing_deadline", "2027-02-10", 60),
    ]
    assert OverdueNotification.objects.get().pk == body["id"]
    assert StopDelivery.objects.get(debtor=debtor).reason == "notified"


def test_a_late_notification_says_what_cover_it_costs(api_for, insured_user, issued_policy, debtor):
    # Given an invoice due 2026-02-28, whose deadline (day 90) was 2026-05-29
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 1, 29), days=30)

    body = notify(api_for(insured_user), issued_policy, debtor, reason="no_reason").json()

    assert (body["late"], body["deadline"], body["cover_lost"]) == (True, "2026-05-29", "10000.00")


def test_the_debtor_may_be_named_by_its_registration_number_and_an_earlier_day_given(
    api_for, insured_user, issued_policy, debtor, overdue
):
    response = api_for(insured_user).post(
        NOTIFICATIONS,
        {
            "policy": issued_policy.pk,
            "debtor_country": "SE",
            "debtor_registration_number": "5566778907",
            "reason": "dispute",
            "disputed": True,
            "notified_on": "2026-06-12",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["debtor"]["id"], body["notified_on"], body["disputed"]) == (
        debtor.pk,
        "2026-06-12",
        True,
    )


def test_a_debtor_with_nothing_overdue_has_nothing_to_notify(
    api_for, insured_user, issued_policy, debtor
):
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 6, 10), days=30)

    response = notify(api_for(insured_user), issued_policy, debtor)

    assert response.status_code == 400
    assert error_fields(response) == {"debtor": "nothing_overdue"}
    assert not OverdueNotification.objects.exists()


def test_a_debtor_already_notified_is_a_conflict(
    api_for, insured_user, issued_policy, debtor, overdue
):
    client = api_for(insured_user)
    notify(client, issued_policy, debtor)

    again = notify(client, issued_policy, debtor, reason="other")

    assert again.status_code == 409 and again.json()["code"] == "already_notified"
    assert OverdueNotification.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"reason": "bored"}, "reason", "invalid_choice"),
        ({"notified_on": "2026-06-16"}, "notified_on", "in_future"),
        ({"notified_on": "yesterday"}, "notified_on", "invalid"),
        ({"details": "x" * 3000}, "details", "max_length"),
        ({"details": "Bad\x00text"}, "details", "null_characters_not_allowed"),
        ({"disputed": "perhaps"}, "disputed", "invalid"),
        ({"debtor_id": 999999}, "debtor", "does_not_exist"),
        ({"policy_id": 999999}, "policy", "does_not_exist"),
    ],
)
def test_bad_input_is_named_per_field_and_nothing_is_written(
    api_for, insured_user, issued_policy, debtor, overdue, change, field, code
):
    response = notify(api_for(insured_user), issued_policy, debtor, **change)

    assert response.status_code == 400
    assert error_fields(response) == {field: code}
    assert not OverdueNotification.objects.exists()
    assert not StopDelivery.objects.filter(reason="notified").exists()


def test_a_retry_with_the_same_key_returns_the_first_answer(
    api_for, insured_user, issued_policy, debtor, overdue
):
    client = api_for(insured_user)

    first = notify(client, issued_policy, debtor, HTTP_IDEMPOTENCY_KEY="dunning-9")
    again = notify(client, issued_policy, debtor, HTTP_IDEMPOTENCY_KEY="dunning-9")
    other = notify(client, issued_policy, debtor, "other", HTTP_IDEMPOTENCY_KEY="dunning-9")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert OverdueNotification.objects.count() == 1


# Who may notify and read ----------------------------------------------------------------------


def test_staff_read_every_notification_but_do_not_notify(
    api_for, insured_user, underwriter, claims_handler, admin_user, issued_policy, debtor, overdue
):
    notice = notify(api_for(insured_user), issued_policy, debtor).json()

    for user in (underwriter, claims_handler, admin_user):
        client = api_for(user)
        assert notify(client, issued_policy, debtor).status_code == 403
        assert client.get(f"{NOTIFICATIONS}{notice['id']}/").json() == notice
        assert [n["id"] for n in client.get(NOTIFICATIONS).json()["results"]] == [notice["id"]]


def test_another_company_never_sees_the_notifications_nor_notifies_on_the_policy(
    api_for, insured_user, other_insured_user, issued_policy, debtor, overdue
):
    notice = notify(api_for(insured_user), issued_policy, debtor).json()
    other = api_for(other_insured_user)

    assert other.get(NOTIFICATIONS).json()["results"] == []
    assert other.get(f"{NOTIFICATIONS}{notice['id']}/").status_code == 404
    refused = notify(other, issued_policy, debtor)
    assert refused.status_code == 400 and error_fields(refused) == {"policy": "does_not_exist"}
    assert OverdueNotification.objects.count() == 1


def test_the_list_filters_by_late_debtor_and_policy(
    api_for, insured_user, issued_policy, debtor, overdue
):
    # Given one notification in time (debtor) and one late (another debtor)
    client = api_for(insured_user)
    late_debtor = DebtorFactory(country="SE")
    report(
        insured_user,
        issued_policy,
        late_debtor,
        9,
        delivered=date(2026, 1, 29),
        days=30,
        net_amount=Decimal("20000.00"),
    )
    in_time = notify(client, issued_policy, debtor).json()
    late = notify(client, issued_policy, late_debtor).json()

    def ids(**params):
        return [n["id"] for n in client.get(NOTIFICATIONS, params).json()["results"]]

    assert ids() == [late["id"], in_time["id"]]
    assert ids(late="true") == [late["id"]]
    assert ids(late="false", debtor=debtor.pk) == [in_time["id"]]
    assert ids(policy=issued_policy.pk, ordering="overdue_amount") == [in_time["id"], late["id"]]
    assert ids(open="false") == []
