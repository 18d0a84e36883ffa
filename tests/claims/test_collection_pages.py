"""The collections pages as they are used: staff see every case with its next action, who
must take it and by when; a claims handler records the steps (errors on their field, input
kept); the insured reads its own cases and no one reads another company's. A payment
received during collections goes to the oldest invoices first and lifts stop delivery."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import CollectionStep
from claims.services.claims import claim_file
from claims.services.collections import collection_step_record
from exposure import services as exposure
from exposure.models import Invoice, StopDelivery
from exposure.services.notifications import overdue_notify
from tests.claims.conftest import NOTIFIED, WAITING_END, on, report
from tests.factories.limits import DebtorFactory

TODAY = date(2026, 4, 20)


@pytest.fixture(autouse=True)
def today():
    with on(TODAY):
        yield TODAY


def page(client, user, url, **kw):
    client.force_login(user)
    response = client.get(url, **kw)
    return response, html.unescape(response.content.decode())


def case_url(notice):
    return reverse("collection-detail", args=[notice.pk])


def test_staff_see_the_case_with_its_next_action_who_and_when(
    client, notified, claims_handler, underwriter
):
    for user in (claims_handler, underwriter):
        response, text = page(client, user, reverse("collection-list"))

        assert response.status_code == 200
        assert "Kalles Kaffe AB" in text and "Nordic Steel AB" in text
        assert "Send the debtor a reminder" in text and "Insurer's collections" in text
        assert "50,000.00" in text


def test_the_list_filters_by_state_and_searches_debtor_and_insured(
    client, notified, claims_handler
):
    client.force_login(claims_handler)
    url = reverse("collection-list")

    found = client.get(url, {"q": "nordic steel"}).content.decode()
    missed = client.get(url, {"q": "nobody"}).content.decode()
    closed = client.get(url, {"state": "closed"}).content.decode()
    by_amount = client.get(url, {"ordering": "-unpaid", "state": "all"})

    assert "Kalles Kaffe AB" in found
    assert "Kalles Kaffe AB" not in missed and "No collections case matches" in missed
    assert "Kalles Kaffe AB" not in closed
    assert by_amount.status_code == 200 and "Kalles Kaffe AB" in by_amount.content.decode()


def test_the_insured_reads_its_own_case_without_the_form(client, notified, insured_user):
    _, listed = page(client, insured_user, reverse("collection-list"))
    response, text = page(client, insured_user, case_url(notified))

    assert "Kalles Kaffe AB" in listed
    assert response.status_code == 200
    assert "Send the debtor a reminder" in text
    assert "Record a step" not in text
    assert reverse("payment-create") in text  # payments are recorded on the exposure pages


def test_another_company_neither_lists_nor_opens_the_case(client, notified, other_insured_user):
    _, listed = page(client, other_insured_user, reverse("collection-list"))
    response, _ = page(client, other_insured_user, case_url(notified))

    assert "Kalles Kaffe AB" not in listed
    assert response.status_code == 404


def test_only_claims_handlers_record_a_step(client, notified, insured_user, underwriter):
    url = reverse("collection-step-record", args=[notified.pk])
    for user in (insured_user, underwriter):
        client.force_login(user)
        assert client.post(url, {"kind": "reminder", "done_on": "2026-04-10"}).status_code == 403
    _, text = page(client, underwriter, case_url(notified))

    assert "Record a step" not in text
    assert not CollectionStep.objects.exists()


def test_a_handler_records_a_demand_with_its_fee_and_the_debtors_days_to_pay(
    client, notified, claims_handler
):
    collection_step_record(
        actor=claims_handler, notification_id=notified.pk, kind="reminder", done_on=NOTIFIED
    )
    client.force_login(claims_handler)
    url = reverse("collection-step-record", args=[notified.pk])

    response = client.post(
        url, {"kind": "demand", "done_on": "2026-04-10", "note": "Sent by post", "fee": ""}
    )

    assert response.status_code == 302 and response["Location"] == case_url(notified)
    step = CollectionStep.objects.get(kind="demand")
    assert (step.fee, step.pay_by, step.recorded_by) == (
        Decimal("180.00"),
        date(2026, 4, 18),
        claims_handler,
    )
    text = html.unescape(client.get(case_url(notified)).content.decode())
    assert "Sent by post" in text and "180.00" in text
    # The debtor's 8 days ran out on 18 April: the next action is the enforcement application
    assert "Next action: Apply to the enforcement authority" in text


def test_a_refused_step_names_its_field_and_keeps_the_input(client, notified, claims_handler):
    client.force_login(claims_handler)
    url = reverse("collection-step-record", args=[notified.pk])

    early = client.post(url, {"kind": "enforcement", "done_on": "2026-04-10", "note": "Kept"})
    fee = client.post(url, {"kind": "reminder", "done_on": "2026-04-10", "fee": "50"})
    blank = client.post(url, {"kind": "", "done_on": ""})

    assert early.status_code == 200
    assert early.context["form"].errors["kind"] == ["Record the step “Collection demand” first."]
    assert "Kept" in early.content.decode()
    assert fee.context["form"].errors["fee"] == ["Only a collection demand carries a fee."]
    assert set(blank.context["form"].errors) == {"kind", "done_on"}
    assert not CollectionStep.objects.exists()


def test_a_payment_during_collections_goes_oldest_first_and_lifts_stop_delivery(
    client, notified, insured_user, claims_handler, issued_policy, debtor
):
    # Given: the notification started stop delivery on the notified debtor
    assert StopDelivery.objects.get(debtor=debtor).lifted_on is None

    # When: the debtor pays 25 000 and then the remaining 25 000 (through exposure's service)
    exposure.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("25000.00"),
        received_on=date(2026, 4, 15),
    )
    open_amounts = dict(Invoice.objects.values_list("number", "open_amount"))
    still_stopped = StopDelivery.objects.get(debtor=debtor).lifted_on is None
    exposure.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("25000.00"),
        received_on=date(2026, 4, 20),
    )

    # Then: F-1 (the oldest) was paid first; the stop held until everything was paid
    assert open_amounts == {"F-1": Decimal("0.00"), "F-2": Decimal("25000.00")}
    assert still_stopped
    assert StopDelivery.objects.get(debtor=debtor).lifted_on == TODAY
    _, text = page(client, claims_handler, case_url(notified))
    assert "Received since the notification" in text and "everything overdue is paid" in text
    assert "Lifted on" in text


def test_a_disputed_debt_is_set_aside_from_a_claim(client, notified, claims_handler):
    collection_step_record(
        actor=claims_handler, notification_id=notified.pk, kind="reminder", done_on=NOTIFIED
    )
    collection_step_record(
        actor=claims_handler, notification_id=notified.pk, kind="demand", done_on=TODAY
    )
    with on(date(2026, 5, 5)):
        collection_step_record(
            actor=claims_handler,
            notification_id=notified.pk,
            kind="enforcement",
            done_on=date(2026, 5, 2),
        )
        collection_step_record(
            actor=claims_handler,
            notification_id=notified.pk,
            kind="objection",
            done_on=date(2026, 5, 5),
        )
        _, text = page(client, claims_handler, case_url(notified))

    assert "set aside from a claim until the dispute is settled" in text
    assert "Next action: Take the disputed debt to court" in text


def test_the_case_links_the_claim_and_the_notification_links_the_case(
    client, notified, insured_user, issued_policy, debtor
):
    with on(WAITING_END):
        claim = claim_file(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            cause="protracted_default",
            evidence="No payment since January.",
        )
        _, text = page(client, insured_user, case_url(notified))
        _, notice_page = page(client, insured_user, f"/exposure/notifications/{notified.pk}/")

    assert f"/claims/{claim.pk}/" in text and f"Claim {claim.number}" in text
    assert case_url(notified) in notice_page


def test_the_list_reads_the_same_number_of_queries_for_more_cases(
    client, notified, claims_handler, insured_user, issued_policy
):
    client.force_login(claims_handler)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("collection-list"))
    for n in range(3):
        other = DebtorFactory(country="SE")
        with on(NOTIFIED):
            report(insured_user, issued_policy, other, f"X-{n}", "100.00", date(2026, 1, 5))
            overdue_notify(
                actor=insured_user, policy_id=issued_policy.pk, debtor_id=other.pk, reason="other"
            )
    with CaptureQueriesContext(connection) as four:
        text = client.get(reverse("collection-list")).content.decode()

    assert text.count("Send the debtor a reminder") == 4
    assert len(four) == len(one)
