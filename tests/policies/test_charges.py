"""Every charge is invoiced as a PDF: turnover premium, limit fees and the top-up to each
policy year's minimum premium. Limit fees come from charge rows the limits app records
through `policy_charge_record`, never from policies counting limit requests."""

import io
import pathlib
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from policies import selectors, services
from policies.exceptions import ChargeInvalid
from policies.models import ChargeKind, DocumentKind, PolicyCharge, PolicyDocument
from policies.pdf import render_policy_document

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM))


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def invoices(policy) -> list[PolicyDocument]:
    return list(
        PolicyDocument.objects.filter(policy=policy, kind=DocumentKind.PREMIUM_INVOICE).order_by(
            "version"
        )
    )


def limit_fee(policy, request_id: int, day: date, debtor="Göta Byggvaror AB"):
    return services.policy_charge_record(
        policy=policy,
        kind=ChargeKind.LIMIT_FEE,
        on=day,
        description=debtor,
        reference=f"limit-request:{request_id}",
    )


def declare(policy, user, period_start: date, turnover: str):
    return services.declaration_submit(
        actor=user, policy_id=policy.pk, period_start=period_start, turnover=Decimal(turnover)
    )


@pytest.fixture
def english(issued_policy):
    issued_policy.insured.language = "en"
    issued_policy.insured.save()
    return issued_policy


# Limit fees -----------------------------------------------------------------------------------


def test_a_limit_fee_is_recorded_once_per_decision_at_the_policys_fee(issued_policy):
    first = limit_fee(issued_policy, 41, date(2026, 1, 20))
    again = limit_fee(issued_policy, 41, date(2026, 1, 20))

    assert again.pk == first.pk
    assert first.amount == Decimal("25.00") and first.created_by is None
    assert PolicyCharge.objects.filter(kind=ChargeKind.LIMIT_FEE).count() == 1


def test_premium_counts_limit_fees_from_the_charges(issued_policy):
    limit_fee(issued_policy, 1, date(2026, 1, 20))
    limit_fee(issued_policy, 2, date(2026, 3, 5))

    premium = selectors.policy_premium(issued_policy, today=date(2026, 4, 1))

    assert premium.limit_decisions == 2
    assert premium.limit_fees == Decimal("50.00")
    assert premium.total == Decimal("50.00")


def test_only_limit_fees_are_recorded_from_outside(issued_policy):
    with pytest.raises(ChargeInvalid) as refused:
        services.policy_charge_record(
            policy=issued_policy,
            kind=ChargeKind.MINIMUM_TOPUP,
            on=date(2026, 1, 20),
            reference="x",
        )

    assert refused.value.field == "kind"
    assert not PolicyCharge.objects.exists()


def test_policies_never_count_limit_requests_themselves():
    source = "".join(p.read_text() for p in pathlib.Path("policies").rglob("*.py"))

    assert "limit_requests" not in source
    assert "FEE_DECISION_STATUSES" not in source


# Invoices --------------------------------------------------------------------------------------


def test_limit_fees_go_on_the_next_premium_invoice(english, insured_user):
    # given two limit decisions in January
    limit_fee(english, 1, date(2026, 1, 12), debtor="Göta Byggvaror AB")
    limit_fee(english, 2, date(2026, 1, 20), debtor="Brabant Staalhandel NV")

    # when January is declared
    with on(date(2026, 2, 10)):
        declaration = declare(english, insured_user, date(2026, 1, 1), "1000000")

    # then its invoice carries the premium and both fees
    (invoice,) = invoices(english)
    assert set(invoice.charges.values_list("kind", flat=True)) == {
        ChargeKind.TURNOVER_PREMIUM,
        ChargeKind.LIMIT_FEE,
    }
    text = pdf_text(render_policy_document(invoice))
    assert "Premium on insured turnover" in text and "SEK 2,000.00" in text
    assert "Limit fee" in text and "Göta Byggvaror AB" in text and "Brabant Staalhandel NV" in text
    assert "Total to pay (SEK) SEK 2,050.00" in text
    assert invoice.declaration == declaration

    # and the next invoice does not charge them again
    with on(date(2026, 3, 10)):
        declare(english, insured_user, date(2026, 2, 1), "1000000")
    assert invoices(english)[1].charges.count() == 1


def test_the_year_end_job_charges_the_top_up_and_invoices_it(english, insured_user):
    # given a year with 600 000 declared (premium 1 200) and a fee after the last declaration
    with on(date(2026, 2, 10)):
        declare(english, insured_user, date(2026, 1, 1), "600000")
    limit_fee(english, 7, date(2026, 11, 3))

    # when the job runs once the year is over and its last period is past its due date
    services.policy_charges_settle(today=date(2027, 1, 30))  # December due on 30 January
    assert len(invoices(english)) == 1
    result = services.policy_charges_settle(today=date(2027, 2, 1))

    # then the top-up to the minimum premium and the fee are invoiced together
    assert result == {"invoiced": [english.number]}
    last = invoices(english)[-1]
    assert {(c.kind, c.amount) for c in last.charges.all()} == {
        (ChargeKind.MINIMUM_TOPUP, Decimal("1300.00")),
        (ChargeKind.LIMIT_FEE, Decimal("25.00")),
    }
    text = pdf_text(render_policy_document(last))
    assert "Top-up to the minimum premium" in text
    assert "Policy year 1 January 2026 – 31 December 2026" in text
    assert "SEK 1,325.00" in text

    # and running it again charges nothing twice
    assert services.policy_charges_settle(today=date(2027, 2, 2)) == {"invoiced": []}
    assert PolicyCharge.objects.filter(kind=ChargeKind.MINIMUM_TOPUP).count() == 1


def test_a_year_whose_premium_reaches_the_minimum_gets_no_top_up(english, insured_user):
    with on(date(2026, 2, 10)):
        declare(english, insured_user, date(2026, 1, 1), "5000000")

    services.policy_charges_settle(today=date(2027, 2, 1))

    assert not PolicyCharge.objects.filter(kind=ChargeKind.MINIMUM_TOPUP).exists()
    assert len(invoices(english)) == 1


def test_a_late_declaration_corrects_a_top_up_already_charged(english, insured_user):
    # given a year closed with nothing declared: the whole minimum premium was charged
    services.policy_charges_settle(today=date(2027, 2, 1))
    assert PolicyCharge.objects.get(kind=ChargeKind.MINIMUM_TOPUP).amount == Decimal("2500.00")

    # when December is declared late, with premium 1 000
    with on(date(2027, 2, 20)):
        declaration = declare(english, insured_user, date(2026, 12, 1), "500000")

    # then its invoice credits the part of the top-up it makes unnecessary
    assert declaration.is_late
    invoice = invoices(english)[-1]
    assert sorted(invoice.charges.values_list("amount", flat=True)) == [
        Decimal("-1000.00"),
        Decimal("1000.00"),
    ]
    year = selectors.policy_years_premium(english, today=date(2027, 3, 1))[0]
    assert year.premium == Decimal("2500.00") and year.topup_charged == Decimal("1500.00")
