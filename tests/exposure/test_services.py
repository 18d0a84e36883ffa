"""Reporting invoices, payments, credit notes, disputes and extensions through the services:
every bad input refused with its field, nothing written; who may act for whom."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import NotFound
from exposure import services
from exposure.exceptions import InvoiceAlreadyReported, InvoiceInvalid, PaymentInvalid
from exposure.models import ExtensionStatus, Invoice
from exposure.services.invoices import InvoicesInvalid
from tests.exposure.conftest import invoice_data


def report(actor, policy, debtor, n=1, **kw):
    return services.invoice_report(
        actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, **invoice_data(n, **kw)
    )


def test_an_invoice_is_reported_with_its_gross_unpaid_and_terms(
    insured_user, issued_policy, debtor
):
    invoice = report(insured_user, issued_policy, debtor, days=45)

    assert invoice.open_amount == Decimal("10000.00") == invoice.gross_amount
    assert invoice.terms_days == 45 and invoice.due_date == invoice.original_due_date
    assert invoice.history.get().history_user == insured_user


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"currency": "EUR"}, "currency", "currency_mismatch"),
        ({"delivery_date": date(2026, 7, 1)}, "delivery_date", "in_future"),
        ({"delivery_date": date(2025, 12, 31)}, "delivery_date", "outside_policy_period"),
        ({"original_due_date": date(2026, 4, 1)}, "original_due_date", "before_invoice_date"),
        ({"payment_terms_days": 60}, "payment_terms_days", "terms_mismatch"),
        ({"due_date": date(2026, 8, 1)}, "due_date", "beyond_extension"),
        ({"net_amount": Decimal("0.00")}, "net_amount", "invalid"),
        ({"number": "F\u202e1"}, "number", "invalid"),
    ],
)
def test_a_bad_invoice_names_its_field_and_writes_nothing(
    insured_user, issued_policy, debtor, changes, field, code
):
    with pytest.raises(InvoiceInvalid) as caught:
        report(insured_user, issued_policy, debtor, **changes)

    assert (caught.value.field, caught.value.code) == (field, code)
    assert not Invoice.objects.exists()


def test_the_same_number_twice_for_a_debtor_is_refused(insured_user, issued_policy, debtor):
    report(insured_user, issued_policy, debtor)

    with pytest.raises(InvoiceAlreadyReported):
        report(insured_user, issued_policy, debtor)


def test_many_invoices_are_all_or_nothing_and_every_bad_one_is_named(
    insured_user, issued_policy, debtor
):
    items = [
        {"debtor": debtor.pk, **invoice_data(1)},
        {"debtor": debtor.pk, **invoice_data(2, currency="EUR")},
        {"debtor": debtor.pk, **invoice_data(1)},
        {"debtor": 999999, **invoice_data(3)},
    ]
    with pytest.raises(InvoicesInvalid) as caught:
        services.invoices_report(actor=insured_user, policy_id=issued_policy.pk, items=items)

    assert [(e.index, e.field, e.code) for e in caught.value.errors] == [
        (1, "currency", "currency_mismatch"),
        (2, "number", "duplicate"),
        (3, "debtor", "does_not_exist"),
    ]
    assert not Invoice.objects.exists()


def test_another_companys_insured_cannot_report_under_the_policy(
    other_insured_user, issued_policy, debtor
):
    with pytest.raises(NotFound):
        report(other_insured_user, issued_policy, debtor)


def test_a_payment_goes_to_the_oldest_invoices_and_the_rest_stays_as_credit(
    insured_user, issued_policy, debtor
):
    newer = report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 10))
    older = report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 5, 1))

    payment = services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("12500.00"),
        received_on=date(2026, 6, 10),
    )

    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.open_amount, newer.open_amount) == (Decimal("0.00"), Decimal("7500.00"))
    assert payment.unallocated_amount == Decimal("0.00")
    more = services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("8000.00"),
        received_on=date(2026, 6, 11),
    )
    assert more.unallocated_amount == Decimal("500.00")


def test_a_payment_for_a_named_invoice_goes_to_it_first(insured_user, issued_policy, debtor):
    older = report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1))
    newer = report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 5, 10))

    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("4000.00"),
        received_on=date(2026, 6, 10),
        invoice_id=newer.pk,
    )

    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.open_amount, newer.open_amount) == (Decimal("10000.00"), Decimal("6000.00"))


def test_a_credit_note_above_what_is_unpaid_is_refused(insured_user, issued_policy, debtor):
    invoice = report(insured_user, issued_policy, debtor)

    with pytest.raises(PaymentInvalid) as caught:
        services.credit_note_record(
            actor=insured_user,
            invoice_id=invoice.pk,
            number="K-1",
            amount=Decimal("10000.01"),
            issued_on=date(2026, 6, 1),
        )
    assert caught.value.field == "amount"
    services.credit_note_record(
        actor=insured_user,
        invoice_id=invoice.pk,
        number="K-1",
        amount=Decimal("2500.00"),
        issued_on=date(2026, 6, 1),
    )
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("7500.00")


def test_a_dispute_is_recorded_with_its_date_and_reason_and_settled(
    insured_user, issued_policy, debtor
):
    invoice = report(insured_user, issued_policy, debtor)

    services.invoice_dispute(
        actor=insured_user, invoice_id=invoice.pk, since=date(2026, 6, 2), reason="Wrong goods"
    )
    invoice.refresh_from_db()
    assert invoice.disputed and invoice.dispute_reason == "Wrong goods"
    services.invoice_dispute_end(actor=insured_user, invoice_id=invoice.pk, reason="Agreed")
    invoice.refresh_from_db()
    assert not invoice.disputed
    assert invoice.history.first().history_change_reason == "Dispute settled: Agreed"


def test_an_extension_within_the_period_applies_at_once_and_beyond_it_asks_the_insurer(
    insured_user, underwriter, issued_policy, debtor
):
    invoice = report(insured_user, issued_policy, debtor)  # due 2026-05-31, MEP 60 days

    extended = services.invoice_extend(
        actor=insured_user, invoice_id=invoice.pk, due_date=date(2026, 7, 30)
    )
    assert extended.due_date == date(2026, 7, 30) and extended.consented_due_date is None

    request = services.invoice_extend(
        actor=insured_user,
        invoice_id=invoice.pk,
        due_date=date(2026, 8, 31),
        reason="Seasonal trade",
    )
    assert request.status == ExtensionStatus.PENDING
    services.invoice_extension_decide(
        actor=underwriter, request_id=request.pk, grant=True, reason="Long-standing debtor"
    )
    invoice.refresh_from_db()
    assert invoice.due_date == invoice.consented_due_date == date(2026, 8, 31)


def test_an_insured_cannot_decide_an_extension(insured_user, issued_policy, debtor):
    invoice = report(insured_user, issued_policy, debtor)
    request = services.invoice_extend(
        actor=insured_user, invoice_id=invoice.pk, due_date=date(2026, 9, 30), reason="Please"
    )

    with pytest.raises(NotFound):
        services.invoice_extension_decide(
            actor=insured_user, request_id=request.pk, grant=True, reason="Mine"
        )
