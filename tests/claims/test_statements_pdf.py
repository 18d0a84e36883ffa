"""Settlement and recovery statements: rendered from the claim's kept figures in the insured's
language, read back as text, and never rendered twice."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from claims.models import ClaimStatement, StatementKind, StatementStatus
from claims.pdf import statement_render
from claims.services.claims import claim_assess, claim_file
from claims.services.recoveries import recovery_record
from claims.services.settlement import claim_decide, claim_pay, claim_second_approve
from core.currencies import format_money
from policies.models import Policy
from tests.claims.conftest import WAITING_END, on
from tests.factories import UserFactory


def flat(text: str) -> str:
    """Text with every kind of space as one plain space, as pypdf and Babel may differ."""
    for space in ("\u00a0", "\u202f", "\u2009"):
        text = text.replace(space, " ")
    return " ".join(text.split())


def money(amount: str, language: str = "en") -> str:
    return flat(format_money(Decimal(amount), "SEK", language))


def rendered_text(statement: ClaimStatement) -> str:
    statement = statement_render(statement_id=statement.pk)
    assert statement.status == StatementStatus.READY, statement.error
    with statement.file.open("rb") as file:
        return flat("\n".join(page.extract_text() for page in PdfReader(file).pages))


def settlement_of(claim) -> ClaimStatement:
    return ClaimStatement.objects.get(claim=claim, kind=StatementKind.SETTLEMENT)


@pytest.fixture
def english(company):
    company.language = "en"
    company.save()
    return company


@pytest.fixture
def handler(claims_handler):
    claims_handler.first_name, claims_handler.last_name = "Karin", "Lund"
    claims_handler.save()
    return claims_handler


def file_claim(insured_user, policy, debtor):
    return claim_file(
        actor=insured_user,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        cause="protracted_default",
        evidence="No payment since January; reminders unanswered.",
    )


def paid_claim(insured_user, handler, policy, debtor):
    """50 000 unpaid within a 40 000 limit: 36 000 approved and paid with reference PAY-1."""
    with on(WAITING_END):
        claim = file_claim(insured_user, policy, debtor)
        claim_assess(actor=handler, claim_id=claim.pk)
        claim_decide(actor=handler, claim_id=claim.pk, decision="approve")
        return claim_pay(actor=handler, claim_id=claim.pk, reference="PAY-1")


def test_the_settlement_statement_shows_the_calculation_line_by_line(
    notified, english, insured_user, handler, issued_policy, debtor
):
    claim = paid_claim(insured_user, handler, issued_policy, debtor)

    text = rendered_text(settlement_of(claim))

    assert "Settlement statement" in text
    assert claim.number in text and issued_policy.number in text
    assert "Nordic Steel AB" in text
    assert "Kalles Kaffe AB" in text and debtor.registration_number in text
    assert "Protracted default" in text
    assert "Karin Lund" in text and "PAY-1" in text
    # Each invoice with its limit on the delivery date; the 40 000 limit covers 20 000 of each
    # number, delivered, invoiced, deducted, unpaid, limit on the delivery date, covered
    assert f"F-1 2026-01-10 {money('20000')} {money('0')} {money('20000')} {money('40000')}" in text
    assert f"F-2 2026-01-20 {money('30000')} {money('0')} {money('30000')} {money('40000')}" in text
    assert f"{money('30000')} {money('40000')} {money('20000')}" in text
    # The six steps: 50 000 unpaid, insured loss 40 000, 90 % of it 36 000
    assert "1. Unpaid invoices that qualify for cover 2 of 2 unpaid invoices" in text
    assert money("50000") in text
    assert "3. Capped at the limit on the delivery dates: insured loss" in text
    assert f"{money('10000')} above the limit {money('40000')}" in text
    assert "6. Within the maximum liability left: indemnity" in text
    assert f"Indemnity paid {money('36000')}" in text
    assert "Amounts are net of VAT" in text


def test_an_adjusted_settlement_names_the_second_approval_and_the_reason(
    notified, english, insured_user, handler, issued_policy, debtor
):
    Policy.objects.filter(pk=issued_policy.pk).update(four_eyes_amount=Decimal("10000.00"))
    second = UserFactory(role=handler.role, first_name="Olof", last_name="Berg")
    with on(WAITING_END):
        claim = file_claim(insured_user, issued_policy, debtor)
        claim_assess(actor=handler, claim_id=claim.pk)
        claim_decide(
            actor=handler,
            claim_id=claim.pk,
            decision="adjust",
            amount=Decimal("35000.00"),
            reason="Set-off of 1 000 agreed with the debtor",
        )
        claim_second_approve(actor=second, claim_id=claim.pk, agree=True)
        claim = claim_pay(actor=handler, claim_id=claim.pk)

    text = rendered_text(settlement_of(claim))

    assert "Decided by Karin Lund" in text
    assert "Second approval by Olof Berg" in text
    assert f"Indemnity calculated {money('36000')}" in text
    assert f"Indemnity as adjusted {money('35000')}" in text
    assert "Set-off of 1 000 agreed with the debtor" in text
    assert f"Indemnity paid {money('35000')}" in text


def test_the_statement_is_in_the_insureds_language(
    notified, company, insured_user, handler, issued_policy, debtor
):
    # The company fixture writes Swedish
    assert company.language == "sv"
    claim = paid_claim(insured_user, handler, issued_policy, debtor)
    statement = settlement_of(claim)
    assert statement.language == "sv"

    text = rendered_text(statement)

    assert money("36000", "sv") in text and "36 000,00 kr" in text
    assert money("40000", "sv") in text
    assert "SEK 36,000.00" not in text
    assert "Försäkringsnummer" in text and "GÄLDENÄR" in text  # a label set in capitals
    with translation.override("sv"):
        assert date_format(WAITING_END, "DATE_FORMAT") in text


def test_a_recovery_statement_shows_the_split_and_the_ledger_so_far(
    notified, english, insured_user, handler, issued_policy, debtor
):
    claim = paid_claim(insured_user, handler, issued_policy, debtor)
    with on(date(2026, 11, 1)):
        first = recovery_record(
            actor=handler,
            claim_id=claim.pk,
            amount=Decimal("10000.00"),
            received_on=date(2026, 11, 1),
            source="Dividend from the bankruptcy estate",
        )
    with on(date(2026, 12, 1)):
        second = recovery_record(
            actor=handler,
            claim_id=claim.pk,
            amount=Decimal("5000.00"),
            received_on=date(2026, 12, 1),
        )

    first_text = rendered_text(first.statement)
    second_text = rendered_text(second.statement)

    # 40 000 / 50 000 of 10 000 falls on the insured loss: 8 000, of which 90 % to the insurer
    assert "Recovery statement" in first_text
    assert "Dividend from the bankruptcy estate" in first_text
    assert f"On the insured loss {money('8000')}" in first_text
    assert f"Insured loss {money('40000')} ÷ eligible loss {money('50000')}" in first_text
    assert f"On the uninsured excess {money('2000')}" in first_text
    assert f"The insurer's share {money('7200')} 90% of the part on the insured loss" in first_text
    assert f"It paid {money('36000')} and got back {money('0')} before" in first_text
    assert f"To the insurer {money('7200')}" in first_text
    assert f"To the insured {money('2800')}" in first_text
    assert money("15000") not in first_text  # the ledger stops at this recovery
    # The second: 4 000 on the loss, 3 600 to the insurer; the ledger adds both up
    assert f"got back {money('7200')} before" in second_text
    assert f"{money('3600')} so far {money('10800')}" in second_text
    assert f"Total {money('15000')} {money('10800')} {money('4200')}" in second_text


def test_a_statement_is_rendered_once_and_never_changed(
    notified, english, insured_user, handler, issued_policy, debtor
):
    claim = paid_claim(insured_user, handler, issued_policy, debtor)
    statement = statement_render(statement_id=settlement_of(claim).pk)
    with statement.file.open("rb") as file:
        first_bytes = file.read()

    again = statement_render(statement_id=statement.pk)

    with again.file.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == statement.sha256
    assert statement.sha256 == hashlib.sha256(first_bytes).hexdigest()
    assert (again.file.name, again.rendered_at) == (statement.file.name, statement.rendered_at)
    assert again.filename == f"{claim.number}-settlement-{statement.pk}.pdf"
