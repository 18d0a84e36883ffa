"""The underwriter's extension pages: the queue (waiting requests first, with their age,
filtered by status) and the decision (the invoice, its timeline now and if granted, what the
debtor owes; grant or refuse with a reason). Only underwriters and administrators."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from exposure import services
from exposure.models import ExtensionRequest, ExtensionStatus
from tests.exposure.test_invoice_pages import messages_of, page_of, report


def ask(user, invoice, due=date(2026, 8, 15), reason="Seasonal business") -> ExtensionRequest:
    return services.invoice_extend(actor=user, invoice_id=invoice.pk, due_date=due, reason=reason)


@pytest.fixture
def invoice(insured_user, issued_policy, debtor):
    """Due 31 May; the maximum extension period ends 30 July."""
    return report(insured_user, issued_policy, debtor, 1)


@pytest.fixture
def waiting(insured_user, invoice, today):
    with time_machine.travel(today - timedelta(days=3), tick=False):
        return ask(insured_user, invoice)


def test_the_queue_lists_waiting_requests_first_with_their_age(
    client, underwriter, insured_user, issued_policy, debtor, waiting
):
    # Given: a decided request on another invoice, asked later than the waiting one
    other = report(insured_user, issued_policy, debtor, 2)
    decided = ask(insured_user, other)
    services.invoice_extension_decide(
        actor=underwriter, request_id=decided.pk, grant=False, reason="No"
    )
    client.force_login(underwriter)

    response = client.get(reverse("extension-queue"))

    assert [r.pk for r in response.context["rows"]] == [waiting.pk, decided.pk]
    page = page_of(response)
    assert "waiting 3\xa0days" in page and "1 waiting" in page
    assert "period ends 2026-07-30" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "pending"}, ["F-1"]),
        ({"status": "refused"}, ["F-2"]),
        ({"status": "granted"}, []),
        ({"status": "\x00"}, ["F-1", "F-2"]),
        ({"q": "F-2"}, ["F-2"]),
        ({"ordering": "-requested"}, ["F-2", "F-1"]),
    ],
)
def test_the_queue_filters_by_status_and_sorts(
    client, underwriter, insured_user, issued_policy, debtor, waiting, params, expected
):
    decided = ask(insured_user, report(insured_user, issued_policy, debtor, 2))
    services.invoice_extension_decide(
        actor=underwriter, request_id=decided.pk, grant=False, reason="No"
    )
    client.force_login(underwriter)

    response = client.get(reverse("extension-queue"), params)

    assert [r.invoice.number for r in response.context["rows"]] == expected


def test_the_decision_page_shows_the_invoice_its_timeline_and_what_the_debtor_owes(
    client, admin_user, insured_user, issued_policy, debtor, waiting
):
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 6, 1))
    client.force_login(admin_user)

    response = client.get(reverse("extension-decide", args=[waiting.pk]))

    ctx = response.context
    assert ctx["exposure"].unpaid == Decimal("20000.00")
    assert ctx["overdue"] == Decimal("10000.00")  # F-1, due 31 May
    assert ctx["beyond_days"] == 16  # 15 August is 16 days after 30 July
    granted = {m.code: m.day for m in ctx["if_granted"]}
    assert granted["stop_delivery"] == date(2026, 8, 16)
    assert granted["notification_deadline"] == date(2026, 9, 14)
    page = page_of(response)
    assert "Seasonal business" in page and "Record the decision" in page


def test_granting_moves_the_due_date_and_the_deadlines(client, underwriter, invoice, waiting):
    client.force_login(underwriter)

    response = client.post(
        reverse("extension-decide", args=[waiting.pk]),
        {"decision": "grant", "reason": "Long-standing customer"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("extension-queue"), 302)]
    waiting.refresh_from_db(), invoice.refresh_from_db()
    assert waiting.status == ExtensionStatus.GRANTED
    assert invoice.due_date == invoice.consented_due_date == date(2026, 8, 15)
    assert messages_of(response)[0].startswith("Granted: invoice F-1 of Nordic Steel AB")


def test_refusing_keeps_the_due_date_and_the_insured_reads_why(
    client, underwriter, insured_user, invoice, waiting
):
    client.force_login(underwriter)

    client.post(
        reverse("extension-decide", args=[waiting.pk]),
        {"decision": "refuse", "reason": "Debtor already late elsewhere"},
    )

    waiting.refresh_from_db(), invoice.refresh_from_db()
    assert waiting.status == ExtensionStatus.REFUSED and invoice.due_date == date(2026, 5, 31)
    client.force_login(insured_user)
    page = page_of(client.get(reverse("invoice-detail", args=[invoice.pk])))
    assert "Debtor already late elsewhere" in page and "Refused" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [({"decision": "grant", "reason": ""}, "reason"), ({"reason": "Fine"}, "decision")],
)
def test_a_decision_without_reason_or_choice_names_the_field_and_changes_nothing(
    client, underwriter, invoice, waiting, data, field
):
    client.force_login(underwriter)

    response = client.post(reverse("extension-decide", args=[waiting.pk]), data)

    assert list(response.context["form"].errors) == [field]
    waiting.refresh_from_db()
    assert waiting.status == ExtensionStatus.PENDING


def test_a_decided_request_is_not_decided_twice(client, underwriter, waiting):
    services.invoice_extension_decide(
        actor=underwriter, request_id=waiting.pk, grant=False, reason="No"
    )
    client.force_login(underwriter)

    response = client.post(
        reverse("extension-decide", args=[waiting.pk]), {"decision": "grant", "reason": "Yes"}
    )

    assert response.status_code == 409
    assert "already refused; nothing was changed" in page_of(response)
    waiting.refresh_from_db()
    assert waiting.status == ExtensionStatus.REFUSED


def test_only_underwriters_and_administrators_open_the_extension_pages(
    client, insured_user, claims_handler, waiting
):
    decide = reverse("extension-decide", args=[waiting.pk])
    for user in (insured_user, claims_handler):
        client.force_login(user)
        assert client.get(reverse("extension-queue")).status_code == 403
        assert client.get(decide).status_code == 403
        assert client.post(decide, {"decision": "grant", "reason": "x"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == ExtensionStatus.PENDING
