"""Reporting an invoice in the browser (the debtor found in the register, errors on their
field with the input kept, amounts in the page's language) and one invoice's page: its
timeline with the policy terms, its cover, and who may open it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from exposure import services
from exposure.models import Invoice, StopDelivery, StopReason
from tests.exposure import test_invoice_pages as pages
from tests.exposure.test_invoice_pages import (
    form_data,
    grant_limit,
    messages_of,
    page_of,
    report,
)
from tests.factories.limits import DebtorFactory

# Reporting ---------------------------------------------------------------------------------

# Company B's policy and invoice
other_policy, others_invoice = pages.other_policy, pages.others_invoice


def test_the_form_preselects_the_only_policy_and_offers_the_insureds_own_debtors(
    client, insured_user, issued_policy, debtor
):
    grant_limit(issued_policy, debtor, "10000")
    DebtorFactory(name="Stranger AB")
    client.force_login(insured_user)

    response = client.get(reverse("invoice-create"))

    form = response.context["form"]
    assert form["policy"].value() == issued_policy.pk
    assert response.context["found"] == [debtor]
    page = page_of(response)
    assert "Net amount (SEK)" in page and f'name="debtor" value="{debtor.pk}"' in page
    assert "Stranger AB" not in page


def test_the_search_box_answers_htmx_with_the_matches_as_choices_keeping_the_chosen_one(
    client, insured_user, issued_policy, debtor
):
    match = DebtorFactory(name="Mocca Import AB")
    client.force_login(insured_user)

    response = client.get(
        reverse("invoice-create"),
        {"debtor_q": "mocca", "debtor": debtor.pk},
        HTTP_HX_REQUEST="true",
    )

    page = page_of(response)
    assert page.startswith('<div id="debtor-options"') and "<html" not in page
    assert f'value="{match.pk}"' in page
    assert f'value="{debtor.pk}" checked' in page


def test_a_reported_invoice_opens_with_its_amounts_and_a_message(
    client, insured_user, issued_policy, debtor
):
    client.force_login(insured_user)

    response = client.post(
        reverse("invoice-create"),
        form_data(issued_policy, debtor, payment_terms_days="30"),
        follow=True,
    )

    invoice = Invoice.objects.get()
    assert response.redirect_chain == [(reverse("invoice-detail", args=[invoice.pk]), 302)]
    assert invoice.open_amount == Decimal("10000.00") and invoice.terms_days == 30
    assert invoice.reference == "PO-1" and invoice.reported_by == insured_user
    assert messages_of(response) == [
        "Invoice F-100 to Kalles Kaffe AB is reported: SEK\xa010,000.00, due 2026-05-31. "
        "Its deadlines are below."
    ]


def test_amounts_are_read_in_the_pages_language(client, insured_user, issued_policy, debtor):
    client.force_login(insured_user)

    client.post(
        reverse("invoice-create"),
        form_data(issued_policy, debtor, net_amount="12 345,50", vat_amount="3 086,38"),
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    invoice = Invoice.objects.get()
    assert (invoice.net_amount, invoice.vat_amount) == (Decimal("12345.50"), Decimal("3086.38"))


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"debtor": ""}, "debtor", "Find the debtor with the search box"),
        ({"net_amount": "0"}, "net_amount", "Enter a value above 0."),
        ({"net_amount": "12345678901234"}, "net_amount", "at most 13 digits"),
        ({"invoice_date": ""}, "invoice_date", "This field is required."),
        ({"original_due_date": "2026-04-01"}, "original_due_date", "before the invoice date"),
        ({"payment_terms_days": "60"}, "payment_terms_days", "do not match the dates"),
        ({"delivery_date": "2026-07-01"}, "delivery_date", "lies in the future"),
        ({"delivery_date": "2025-12-31"}, "delivery_date", "outside the policy's period"),
        ({"number": "F\u202e1"}, "number", "invisible control character"),
    ],
)
def test_a_bad_invoice_names_its_field_keeps_the_input_and_writes_nothing(
    client, insured_user, issued_policy, debtor, changes, field, text
):
    client.force_login(insured_user)
    data = form_data(issued_policy, debtor, **changes)

    response = client.post(reverse("invoice-create"), data)

    assert response.status_code == 200 and not Invoice.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == [field] and text in " ".join(form.errors[field])
    assert form["reference"].value() == "PO-1" and form["net_amount"].value() == data["net_amount"]
    if field != "debtor":
        assert response.context["chosen"] == debtor  # the debtor stays chosen


def test_the_same_number_twice_is_refused_on_the_number(
    client, insured_user, issued_policy, debtor
):
    report(insured_user, issued_policy, debtor, number="F-100")
    client.force_login(insured_user)

    response = client.post(reverse("invoice-create"), form_data(issued_policy, debtor))

    assert "already reported" in " ".join(response.context["form"].errors["number"])
    assert Invoice.objects.count() == 1


def test_another_companys_policy_is_not_a_choice(client, other_insured_user, issued_policy, debtor):
    client.force_login(other_insured_user)

    response = client.post(reverse("invoice-create"), form_data(issued_policy, debtor))

    assert "policy" in response.context["form"].errors and not Invoice.objects.exists()
    assert "Nordic Steel" not in page_of(response)


def test_only_insured_users_report_invoices(
    client, underwriter, claims_handler, admin_user, issued_policy, debtor
):
    for user in (underwriter, claims_handler, admin_user):
        client.force_login(user)
        assert client.get(reverse("invoice-create")).status_code == 403
        assert (
            client.post(reverse("invoice-create"), form_data(issued_policy, debtor)).status_code
            == 403
        )
    assert not Invoice.objects.exists()


def test_without_an_issued_policy_the_form_says_so(client, insured_user, draft_policy):
    client.force_login(insured_user)

    assert "You have no issued policy" in page_of(client.get(reverse("invoice-create")))


# One invoice -------------------------------------------------------------------------------


def test_the_invoice_shows_its_timeline_with_terms_past_dates_and_the_next_deadline(
    client, insured_user, issued_policy, debtor
):
    # Given: delivered 1 April on 30 days: due 1 May, MEP (60) ends 30 June, stop delivery
    # from 1 July, notification deadline (30 days after the MEP) 30 July; today 15 June
    invoice = report(insured_user, issued_policy, debtor, delivered=date(2026, 4, 1))
    client.force_login(insured_user)

    response = client.get(reverse("invoice-detail", args=[invoice.pk]))

    rows = response.context["milestones"]
    assert [(r["milestone"].code, r["past"], r["next"]) for r in rows] == [
        ("original_due", True, False),
        ("extension_end", False, True),
        ("stop_delivery", False, False),
        ("notification_deadline", False, False),
    ]
    page = page_of(response)
    assert "Policy term: maximum extension period, 60 days" in page
    assert "Policy term: overdue notification deadline, 30 days" in page
    assert "Next: End of the maximum extension period, 30 June 2026" in page
    assert "in 15 days" in page and "45 days ago" in page


def test_the_invoice_shows_its_cover_and_the_reason_the_rest_is_not_covered(
    client, insured_user, issued_policy, debtor
):
    grant_limit(issued_policy, debtor, "4000")
    invoice = report(insured_user, issued_policy, debtor)
    client.force_login(insured_user)

    response = client.get(reverse("invoice-detail", args=[invoice.pk]))

    cover = response.context["cover"]
    assert (cover.covered, cover.uncovered) == (Decimal("4000.00"), Decimal("6000.00"))
    page = page_of(response)
    assert "Above the limit" in page and "SEK\xa04,000.00" in page


def test_a_paid_invoice_has_no_deadline_to_watch(client, insured_user, issued_policy, debtor):
    invoice = report(insured_user, issued_policy, debtor)
    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("10000"),
        received_on=date(2026, 6, 1),
    )
    client.force_login(insured_user)

    response = client.get(reverse("invoice-detail", args=[invoice.pk]))

    assert response.context["next_milestone"] is None and response.context["cover"] is None
    assert "Paid in full" in page_of(response)


def test_another_companys_invoice_does_not_exist_for_an_insured(
    client, insured_user, others_invoice
):
    client.force_login(insured_user)

    response = client.get(reverse("invoice-detail", args=[others_invoice.pk]))

    assert response.status_code == 404 and "B-SECRET" not in page_of(response)


def test_staff_read_any_invoice_without_the_insureds_actions(
    client, underwriter, claims_handler, admin_user, others_invoice
):
    for user in (underwriter, claims_handler, admin_user):
        client.force_login(user)
        response = client.get(reverse("invoice-detail", args=[others_invoice.pk]))
        page = page_of(response)
        assert response.status_code == 200 and "B-SECRET" in page
        assert "Record a payment" not in page and "Mark disputed" not in page


def test_an_overdue_invoice_says_the_debtor_is_on_stop_and_offers_to_notify_it(
    client, insured_user, issued_policy, debtor
):
    # Given: an invoice due 1 May, unpaid, and its debtor on stop delivery
    invoice = report(insured_user, issued_policy, debtor, delivered=date(2026, 4, 1))
    StopDelivery.objects.create(
        policy=issued_policy,
        debtor=debtor,
        reason=StopReason.PAST_EXTENSION,
        started_on=date(2026, 6, 10),
    )
    client.force_login(insured_user)

    page = page_of(client.get(reverse("invoice-detail", args=[invoice.pk])))

    assert "Stop delivery on Kalles Kaffe AB since 10 June 2026." in page
    notify = f"{reverse('notification-create')}?policy={issued_policy.pk}&amp;debtor={debtor.pk}"
    assert notify in page
