"""The invoice API: report one invoice (the debtor by id or by registration number), read it
whole with its timeline and cover, list and filter, dispute, settle, extend; who may do what.
Its helpers serve the other exposure API tests too."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from exposure import services
from exposure.models import Invoice
from limits.models import ChangeKind, Limit, LimitChange
from tests.factories.limits import DebtorFactory

INVOICES = "/api/v1/invoices/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def mid_june():
    """Every test runs at noon on 15 June 2026, inside the issued policy's year."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    # Idempotency keys live in the cache (Redis in tests), which outlives each test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(name="debtor")
def debtor_fixture(db):
    return DebtorFactory(country="SE", registration_number="556677-8907", name="Hamn Trä AB")


def body(policy, debtor=None, number="F-1", **changes) -> dict:
    """An invoice delivered on 1 May on 30 days' terms: 8 000 + 2 000 VAT, due 31 May."""
    data = {
        "policy": policy.pk,
        "number": number,
        "net_amount": "8000.00",
        "vat_amount": "2000.00",
        "invoice_date": "2026-05-01",
        "delivery_date": "2026-05-01",
        "original_due_date": "2026-05-31",
    }
    if debtor is not None:
        data["debtor"] = debtor.pk
    return {**data, **changes}


def reported(user, policy, debtor, number="F-1", delivered=date(2026, 5, 1), days=30, **kw):
    """An invoice reported through the service, as the CSV upload or the pages would."""
    return services.invoice_report(
        actor=user,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        number=number,
        net_amount=Decimal(kw.pop("net", "8000.00")),
        vat_amount=Decimal(kw.pop("vat", "2000.00")),
        invoice_date=delivered,
        delivery_date=delivered,
        original_due_date=date.fromordinal(delivered.toordinal() + days),
        **kw,
    )


def limit_of(policy, debtor, amount: str, since=date(2026, 1, 1)) -> Limit:
    limit = Limit.objects.create(policy=policy, debtor=debtor)
    LimitChange.objects.create(
        limit=limit, kind=ChangeKind.GRANTED, amount=Decimal(amount), effective_from=since
    )
    return limit


def errors_of(response) -> dict:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


# Reporting one invoice -------------------------------------------------------------------------


def test_an_invoice_named_by_registration_number_is_reported_with_its_timeline_and_cover(
    api_for, insured_user, issued_policy, debtor
):
    data = body(issued_policy, debtor_country="se", debtor_registration_number="5566778907")

    response = api_for(insured_user).post(INVOICES, data, format="json")

    assert response.status_code == 201, response.json()
    invoice = response.json()
    assert invoice["debtor"]["id"] == debtor.pk
    assert (invoice["currency"], invoice["gross_amount"], invoice["open_amount"]) == (
        "SEK",
        "10000.00",
        "10000.00",
    )
    assert (invoice["terms_days"], invoice["due_date"], invoice["overdue"]) == (
        30,
        "2026-05-31",
        True,
    )
    assert invoice["reported_by"] == insured_user.username
    assert [(m["code"], m["date"], m["term"], m["days"]) for m in invoice["timeline"]] == [
        ("original_due", "2026-05-31", "", None),
        ("extension_end", "2026-07-30", "max_extension_days", 60),
        ("stop_delivery", "2026-07-31", "max_extension_days", 60),
        ("notification_deadline", "2026-08-29", "notification_deadline_days", 30),
    ]
    assert invoice["timeline"][1]["term_label"] == "maximum extension period"
    assert invoice["cover"] == {
        "covered": "0.00",
        "uncovered": "10000.00",
        "reason": "no_limit",
        "reason_label": "No limit at delivery",
        "limit_amount": "0.00",
        "notification_deadline": "2026-08-29",
    }
    assert (invoice["payments"], invoice["credit_notes"], invoice["extension_requests"]) == (
        [],
        [],
        [],
    )


def test_an_invoice_named_by_debtor_id_within_the_limit_is_covered(
    api_for, insured_user, issued_policy, debtor
):
    limit_of(issued_policy, debtor, "50000.00")

    response = api_for(insured_user).post(INVOICES, body(issued_policy, debtor), format="json")

    assert response.status_code == 201
    cover = response.json()["cover"]
    assert (cover["covered"], cover["uncovered"], cover["reason"]) == ("10000.00", "0.00", None)
    assert cover["limit_amount"] == "50000.00" and cover["reason_label"] == ""


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"net_amount": 8000.5}, "net_amount", "float_not_allowed"),
        ({"currency": "EUR"}, "currency", "currency_mismatch"),
        ({"delivery_date": "2026-06-16"}, "delivery_date", "in_future"),
        ({"delivery_date": "2025-12-31"}, "delivery_date", "outside_policy_period"),
        ({"payment_terms_days": 45}, "payment_terms_days", "terms_mismatch"),
        ({"due_date": "2026-08-15"}, "due_date", "beyond_extension"),
        ({"original_due_date": "9999-12-31"}, "original_due_date", "max_value"),
        ({"number": "F\u202e1"}, "number", "control_character"),
    ],
)
def test_a_bad_invoice_names_its_field_and_reports_nothing(
    api_for, insured_user, issued_policy, debtor, changes, field, code
):
    response = api_for(insured_user).post(
        INVOICES, body(issued_policy, debtor, **changes), format="json"
    )

    assert response.status_code == 400
    assert errors_of(response) == {field: code}
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("debtor_fields", "expected"),
    [
        (
            {"debtor_country": "SE", "debtor_registration_number": "556036-0793"},
            {"debtor_registration_number": "debtor_not_registered"},
        ),
        (
            {"debtor_country": "SE", "debtor_registration_number": "556036-0794"},
            {"debtor_registration_number": "invalid"},
        ),
        ({"debtor_country": "SE"}, {"debtor_registration_number": "required"}),
        ({"debtor": 999999}, {"debtor": "does_not_exist"}),
    ],
)
def test_a_debtor_that_cannot_be_found_is_named_as_the_field_at_fault(
    api_for, insured_user, issued_policy, debtor, debtor_fields, expected
):
    response = api_for(insured_user).post(
        INVOICES, {**body(issued_policy), **debtor_fields}, format="json"
    )

    assert response.status_code == 400
    assert errors_of(response) == expected


def test_a_debtor_named_both_ways_is_refused(api_for, insured_user, issued_policy, debtor):
    data = body(issued_policy, debtor, debtor_country="SE", debtor_registration_number="x")

    response = api_for(insured_user).post(INVOICES, data, format="json")

    assert response.status_code == 400
    assert errors_of(response) == {"debtor": "invalid"}


def test_the_same_number_again_is_a_conflict_and_a_retry_with_its_key_is_not(
    api_for, insured_user, issued_policy, debtor
):
    client = api_for(insured_user)
    first = client.post(
        INVOICES, body(issued_policy, debtor), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    retried = client.post(
        INVOICES, body(issued_policy, debtor), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = client.post(INVOICES, body(issued_policy, debtor), format="json")
    other_body = client.post(
        INVOICES, body(issued_policy, debtor, "F-2"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json() and retried["Idempotent-Replayed"] == "true"
    assert again.status_code == 409 and errors_of(again) == {"number": "already_reported"}
    assert other_body.status_code == 409
    assert errors_of(other_body) == {"Idempotency-Key": "idempotency_key_reused"}
    assert Invoice.objects.count() == 1


def test_an_insured_reports_only_under_its_own_companys_policy(
    api_for, other_insured_user, issued_policy, debtor
):
    response = api_for(other_insured_user).post(
        INVOICES, body(issued_policy, debtor), format="json"
    )

    assert response.status_code == 400
    assert errors_of(response) == {"policy": "does_not_exist"}


@pytest.mark.parametrize("role", ["underwriter", "claims_handler", "admin_user"])
def test_staff_do_not_report_invoices(request, api_for, issued_policy, debtor, role):
    user = request.getfixturevalue(role)

    response = api_for(user).post(INVOICES, body(issued_policy, debtor), format="json")

    assert response.status_code == 403


# Reading and listing ----------------------------------------------------------------------------


def test_an_insured_sees_only_its_companys_invoices_and_staff_see_all(
    api_for, insured_user, other_insured_user, underwriter, claims_handler, issued_policy, debtor
):
    invoice = reported(insured_user, issued_policy, debtor)

    assert api_for(other_insured_user).get(INVOICES).json()["results"] == []
    assert api_for(other_insured_user).get(f"{INVOICES}{invoice.pk}/").status_code == 404
    for user in (insured_user, underwriter, claims_handler):
        [listed] = api_for(user).get(INVOICES).json()["results"]
        assert listed["number"] == "F-1"
        assert api_for(user).get(f"{INVOICES}{invoice.pk}/").status_code == 200


def test_anonymous_callers_are_asked_to_authenticate(client, db):
    assert client.get(INVOICES).status_code == 401


def test_the_list_filters_by_what_an_erp_searches_for(api_for, insured_user, issued_policy, debtor):
    # Given an overdue invoice, one paid, one not yet due and one disputed of another debtor
    other = DebtorFactory(country="SE")
    reported(insured_user, issued_policy, debtor, "F-1")
    paid = reported(insured_user, issued_policy, debtor, "F-2", delivered=date(2026, 5, 2))
    services.credit_note_record(
        actor=insured_user,
        invoice_id=paid.pk,
        number="K-1",
        amount=paid.gross_amount,
        issued_on=TODAY,
    )
    reported(insured_user, issued_policy, debtor, "F-3", delivered=date(2026, 6, 1))
    disputed = reported(insured_user, issued_policy, other, "F-4", delivered=date(2026, 6, 2))
    services.invoice_dispute(
        actor=insured_user, invoice_id=disputed.pk, since=TODAY, reason="Wrong goods"
    )
    client = api_for(insured_user)

    def numbers(query: str) -> list[str]:
        response = client.get(f"{INVOICES}?{query}")
        assert response.status_code == 200, response.json()
        return [i["number"] for i in response.json()["results"]]

    # Then each filter keeps what it says
    assert numbers("") == ["F-1", "F-2", "F-3", "F-4"]
    assert numbers("open=true") == ["F-1", "F-3", "F-4"]
    assert numbers("open=false") == ["F-2"]
    assert numbers("overdue=true") == ["F-1"]
    assert numbers("overdue=false") == ["F-2", "F-3", "F-4"]
    assert numbers("disputed=true") == ["F-4"]
    assert numbers(f"debtor={debtor.pk}&open=true") == ["F-1", "F-3"]
    assert numbers(f"policy={issued_policy.pk}&number=F-3") == ["F-3"]
    assert numbers("due_date_after=2026-06-01&due_date_before=2026-07-01") == ["F-2", "F-3"]
    assert numbers("ordering=-open_amount,number") == ["F-1", "F-3", "F-4", "F-2"]


def test_a_bad_filter_value_answers_400_in_the_error_shape(api_for, insured_user, db):
    response = api_for(insured_user).get(f"{INVOICES}?due_date_after=someday")

    assert response.status_code == 400
    assert errors_of(response) == {"due_date": "invalid"}


@pytest.mark.parametrize("path", [INVOICES, "/api/v1/payments/", "/api/v1/credit-notes/"])
def test_a_page_size_beyond_any_number_is_bounded(
    api_for, insured_user, issued_policy, debtor, path
):
    invoice = reported(insured_user, issued_policy, debtor)
    services.credit_note_record(
        actor=insured_user, invoice_id=invoice.pk, number="K", amount=Decimal(1), issued_on=TODAY
    )
    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal(1),
        received_on=TODAY,
    )

    response = api_for(insured_user).get(f"{path}?limit=7628816140354705162240")

    assert response.status_code == 200 and len(response.json()["results"]) == 1


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    api_for, insured_user, issued_policy, debtor, django_assert_max_num_queries
):
    for n in range(12):
        reported(insured_user, issued_policy, debtor, f"F-{n}")
    client = api_for(insured_user)

    with django_assert_max_num_queries(4):  # token, count, page; no query per invoice
        response = client.get(INVOICES)

    assert response.json()["count"] == 12


def test_the_detail_holds_its_payments_and_credit_notes_and_no_cover_once_paid(
    api_for, insured_user, issued_policy, debtor
):
    invoice = reported(insured_user, issued_policy, debtor)
    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("7500.00"),
        received_on=date(2026, 6, 10),
        reference="BG-1",
    )
    services.credit_note_record(
        actor=insured_user,
        invoice_id=invoice.pk,
        number="K-1",
        amount=Decimal("2500.00"),
        issued_on=date(2026, 6, 11),
        reason="Returned",
    )

    detail = api_for(insured_user).get(f"{INVOICES}{invoice.pk}/").json()

    assert detail["open_amount"] == "0.00" and detail["overdue"] is False
    assert detail["cover"] is None
    [payment] = detail["payments"]
    assert (payment["amount"], payment["received_on"], payment["reference"]) == (
        "7500.00",
        "2026-06-10",
        "BG-1",
    )
    [note] = detail["credit_notes"]
    assert (note["number"], note["amount"], note["reason"]) == ("K-1", "2500.00", "Returned")


# Disputes and extensions -------------------------------------------------------------------------


def test_a_dispute_uncovers_the_invoice_until_it_is_settled(
    api_for, insured_user, issued_policy, debtor
):
    limit_of(issued_policy, debtor, "50000.00")
    invoice = reported(insured_user, issued_policy, debtor)
    client = api_for(insured_user)
    url = f"{INVOICES}{invoice.pk}/"

    disputed = client.post(
        f"{url}dispute/", {"since": "2026-06-02", "reason": "Damaged"}, format="json"
    )
    settled = client.post(f"{url}settle-dispute/", {"reason": "Credit note agreed"}, format="json")
    again = client.post(f"{url}settle-dispute/", {"reason": "Again"}, format="json")

    assert disputed.status_code == 200
    assert (disputed.json()["disputed"], disputed.json()["disputed_since"]) == (True, "2026-06-02")
    assert disputed.json()["cover"]["reason"] == "disputed"
    assert settled.status_code == 200 and settled.json()["disputed"] is False
    assert settled.json()["cover"]["covered"] == "10000.00"
    assert again.status_code == 409 and errors_of(again) == {"invoice": "not_disputed"}


def test_a_dispute_since_a_future_day_is_refused(api_for, insured_user, issued_policy, debtor):
    invoice = reported(insured_user, issued_policy, debtor)

    response = api_for(insured_user).post(
        f"{INVOICES}{invoice.pk}/dispute/", {"since": "2026-06-16", "reason": "x"}, format="json"
    )

    assert response.status_code == 400 and errors_of(response) == {"since": "in_future"}


def test_an_extension_within_the_period_answers_the_invoice_and_beyond_it_a_request(
    api_for, insured_user, issued_policy, debtor
):
    invoice = reported(insured_user, issued_policy, debtor)  # due 31 May, MEP 60 days
    client = api_for(insured_user)
    url = f"{INVOICES}{invoice.pk}/extend/"

    within = client.post(url, {"due_date": "2026-07-15"}, format="json")
    no_reason = client.post(url, {"due_date": "2026-09-15"}, format="json")
    beyond = client.post(url, {"due_date": "2026-09-15", "reason": "Seasonal"}, format="json")
    second = client.post(url, {"due_date": "2026-09-30", "reason": "More"}, format="json")

    assert within.status_code == 200
    assert within.json()["due_date"] == "2026-07-15" and within.json()["overdue"] is False
    assert within.json()["timeline"][1]["date"] == "2026-07-30"  # still from 31 May
    assert no_reason.status_code == 400 and errors_of(no_reason) == {"reason": "required"}
    assert beyond.status_code == 202
    request = beyond.json()
    assert (request["status"], request["due_date"], request["invoice"]) == (
        "pending",
        "2026-09-15",
        invoice.pk,
    )
    assert [r["code"] for r in request["reasons"]] == ["beyond_extension"]
    assert second.status_code == 409 and errors_of(second) == {"due_date": "pending"}
    detail = client.get(f"{INVOICES}{invoice.pk}/").json()
    assert [r["id"] for r in detail["extension_requests"]] == [request["id"]]


def test_another_company_cannot_touch_an_invoice_and_staff_may_not_change_it(
    api_for, insured_user, other_insured_user, underwriter, issued_policy, debtor
):
    invoice = reported(insured_user, issued_policy, debtor)
    url = f"{INVOICES}{invoice.pk}/"
    dispute = {"since": "2026-06-02", "reason": "x"}

    assert api_for(other_insured_user).post(f"{url}dispute/", dispute).status_code == 404
    assert (
        api_for(other_insured_user).post(f"{url}extend/", {"due_date": "2026-07-01"}).status_code
        == 404
    )
    assert api_for(underwriter).post(f"{url}dispute/", dispute).status_code == 403
    invoice.refresh_from_db()
    assert not invoice.disputed
