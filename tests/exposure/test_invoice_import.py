"""Invoice files through the import job: a good file writes its invoices exactly, with their
history; every bad line is named with its line and column, and all or nothing writes nothing.
Today is 2026-06-15; the issued policy runs through 2026 in SEK."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.models import ImportStatus
from exposure.csv_import import COLUMNS, InvoiceImporter, invoices_import
from exposure.models import Invoice
from tests.factories.limits import DebtorFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "invoice-csv.md"
HEADER = ",".join(COLUMNS)
# country,registration_number,number,net_amount,vat_amount,currency,invoice_date,delivery_date,
# original_due_date,due_date,payment_terms_days,reference
GOOD = "SE,5566778907,F-1001,8000.00,2000.00,SEK,2026-05-04,2026-05-02,2026-06-03,,30,PO 77"
GOOD_2 = "SE,556036-0793,F-1002,1200.5,,,2026-05-06,2026-05-06,2026-06-05,2026-06-20,,"


def csv(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def run(content, *, actor, policy, **kwargs):
    return invoices_import(actor=actor, policy_id=policy.pk, content=content, **kwargs)


def errors(job) -> list[str]:
    return [str(e) for e in job.line_errors.order_by("line", "id")]


def located(job) -> list[tuple]:
    return list(job.line_errors.order_by("line", "id").values_list("line", "column", "code"))


@pytest.fixture
def byggvaror(db):
    return DebtorFactory(country="SE", registration_number="556677-8907", name="Byggvaror AB")


@pytest.fixture
def kalles(db):
    return DebtorFactory(country="SE", registration_number="556036-0793", name="Kalles Kaffe AB")


@pytest.fixture
def debtors(byggvaror, kalles):
    return byggvaror, kalles


def test_a_good_file_writes_each_invoice_exactly_with_its_history(
    insured_user, issued_policy, debtors
):
    byggvaror, kalles = debtors

    job = run(csv(GOOD, GOOD_2), actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.DONE and not job.lines_failed, errors(job)
    assert (job.lines_read, job.lines_imported, job.lines_skipped) == (2, 2, 0)
    assert InvoiceImporter.summary(job.result) == "2 invoices added."
    first, second = Invoice.objects.order_by("number")
    assert (first.policy, first.debtor, first.number, first.reference) == (
        issued_policy,
        byggvaror,
        "F-1001",
        "PO 77",
    )
    assert (first.net_amount, first.vat_amount, first.open_amount, first.currency) == (
        Decimal("8000.00"),
        Decimal("2000.00"),
        Decimal("10000.00"),
        "SEK",
    )
    assert (first.invoice_date, first.delivery_date) == (date(2026, 5, 4), date(2026, 5, 2))
    assert first.original_due_date == first.due_date == date(2026, 6, 3)
    assert first.terms_days == 30 and first.reported_by == insured_user
    # The second line: the policy's currency, no VAT, a due date extended within the period
    assert (second.debtor, second.net_amount, second.vat_amount) == (
        kalles,
        Decimal("1200.50"),
        Decimal("0.00"),
    )
    assert (second.currency, second.due_date, second.terms_days) == ("SEK", date(2026, 6, 20), 30)
    assert second.reference == ""
    history = Invoice.history.order_by("number")
    assert [(h.number, h.history_type, h.history_user) for h in history] == [
        ("F-1001", "+", insured_user),
        ("F-1002", "+", insured_user),
    ]
    assert history[0].history_change_reason == "Imported from invoices.csv"


def test_columns_come_in_any_order_and_optional_ones_may_be_left_out(
    insured_user, issued_policy, byggvaror
):
    header = (
        "original_due_date,net_amount,number,registration_number,country,delivery_date,invoice_date"
    )
    line = "2026-06-30,500,F-7,SE5566778907 01,se,2026-05-31,2026-05-31"

    job = run(csv(line, header=header), actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.DONE, errors(job)
    invoice = Invoice.objects.get()
    assert (invoice.debtor, invoice.number, invoice.net_amount) == (byggvaror, "F-7", 500)
    assert (invoice.vat_amount, invoice.terms_days) == (0, 30)


def test_an_erroneous_file_writes_nothing_and_names_every_line_and_column(
    insured_user, issued_policy, debtors
):
    content = csv(
        GOOD,
        "SE,5566778907,F-2",
        'SE,5566778907,"F-3,8000.00,,,2026-05-04,2026-05-04,2026-06-03,,,',
        "SE,5566778907,F-4,8 000.00,,,2026-05-04,2026-05-04,2026-06-03,,,",
        "SE,5566778907,F-5,8000.00,,,2026-02-30,2026-05-04,2026-06-03,,,",
        "SE,5164040957,F-6,8000.00,,,2026-05-04,2026-05-04,2026-06-03,,,",
        "SE,5566778907,F-7,8000.00,,EUR,2026-05-04,2026-05-04,2026-06-03,,,",
        "SE,556677-8907,F-1001,10.00,,,2026-05-04,2026-05-04,2026-06-03,,,",
    )

    job = run(content, actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.REFUSED
    assert (job.lines_read, job.lines_failed, job.lines_imported) == (8, 7, 0)
    assert errors(job) == [
        "line 3: 3 cells, but the header has 12 columns.",
        "line 4, number: A quote is opened and not closed on this line: it would take the next "
        "lines into one cell.",
        "line 5, net_amount: “8 000.00” is not an amount: write ASCII digits with a decimal "
        "point and no thousands separators, e.g. 1200.50.",
        "line 6, invoice_date: “2026-02-30” is not a date in the form YYYY-MM-DD.",
        "line 7, registration_number: No debtor SE 516404-0957 is in the register: register "
        "it, or request a limit on it, before reporting its invoices.",
        "line 8, currency: The policy's currency is SEK: report the invoice in it.",
        "line 9, number: Line 2 has the same invoice number for the same debtor.",
    ]
    assert [code for *_, code in located(job)] == [
        "cell_count",
        "unterminated_quote",
        "invalid",
        "invalid",
        "unknown_debtor",
        "currency_mismatch",
        "duplicate",
    ]
    assert not Invoice.objects.exists() and not Invoice.history.exists()


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("net_amount", "", "Required."),
        ("net_amount", '"8000,00"', "“8000,00” is not an amount"),  # quoted: a comma
        ("net_amount", "٨٠٠٠", "“٨٠٠٠” is not an amount"),  # Arabic-Indic digits
        ("net_amount", "1e4", "“1e4” is not an amount"),
        ("net_amount", "-100.00", "-100.00 is negative."),
        ("net_amount", "100.005", "100.005 has more than two decimals."),
        ("net_amount", "10000000000000", "10000000000000 is too large"),
        ("net_amount", "0.00", "Enter a value above 0."),
        ("vat_amount", "+5", "“+5”: write the amount without a sign."),
        ("invoice_date", "04/05/2026", "“04/05/2026” is not a date in the form YYYY-MM-DD."),
        ("invoice_date", "2026-5-4", "“2026-5-4” is not a date in the form YYYY-MM-DD."),
        ("invoice_date", "2026-06-16", "2026-06-16 lies in the future"),
        ("delivery_date", "2025-12-31", "The delivery date lies outside the policy's period"),
        ("original_due_date", "2026-04-01", "The due date lies before the invoice date."),
        ("due_date", "2026-09-01", "lies beyond the maximum extension period"),
        ("payment_terms_days", "45", "Payment terms of 45 days do not match the dates"),
        ("payment_terms_days", "thirty", "“thirty” is not a number of days"),
        ("currency", "kronor", "“kronor” is not a currency code"),
        ("country", "XX", "“XX” is not a two-letter ISO country code, e.g. SE."),
        ("registration_number", "556677-8908", "the check digit is wrong"),
        ("number", "F\u202e1", "invisible control character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
        ("number", "F" * 61, "At most 60 characters (this has 61)."),
        ("reference", "PO\x1b7", "invisible control character (U+001B)"),
    ],
)
def test_a_bad_cell_is_named_with_its_line_and_column(
    insured_user, issued_policy, byggvaror, column, cell, message
):
    cells = dict(zip(COLUMNS, GOOD.split(","), strict=True))
    cells[column] = cell

    job = run(csv(",".join(cells.values())), actor=insured_user, policy=issued_policy)

    [error] = job.line_errors.all()
    assert (error.line, error.column) == (2, column)
    assert message in error.message
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "line 1: The file is empty."),
        ("country,number\n", "line 1: Missing columns: registration_number, net_amount,"),
        (f"{HEADER},amount\n", "line 1: Unknown columns: amount. The columns are: country,"),
        (HEADER.replace(",", ";") + "\n", "line 1: Columns are separated by commas"),
        (HEADER + "\n", "line 2: The file has a header but no lines of data."),
    ],
)
def test_a_file_that_cannot_be_read_says_why(insured_user, issued_policy, content, message):
    job = run(content, actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.REFUSED
    assert errors(job)[0].startswith(message)


def test_a_duplicate_is_found_across_chunks_and_whatever_the_number_s_spelling(
    insured_user, issued_policy, debtors, settings
):
    settings.IMPORT_CHUNK_LINES = 2
    again = GOOD.replace("5566778907", "556677-8907").replace("8000.00", "10.00")

    job = run(csv(GOOD, GOOD_2, again), actor=insured_user, policy=issued_policy)

    assert errors(job) == [
        "line 4, number: Line 2 has the same invoice number for the same debtor."
    ]


def test_the_same_number_for_another_debtor_is_another_invoice(
    insured_user, issued_policy, debtors
):
    other = GOOD_2.replace("F-1002", "F-1001")

    job = run(csv(GOOD, other), actor=insured_user, policy=issued_policy)

    assert job.status == ImportStatus.DONE, errors(job)
    assert Invoice.objects.filter(number="F-1001").count() == 2


def test_the_format_document_names_every_column_and_every_error_code():
    text = DOC.read_text()

    for column in COLUMNS:
        assert f"`{column}`" in text, column
    for code in (
        "required",
        "invalid",
        "unknown_debtor",
        "duplicate",
        "currency_mismatch",
        "in_future",
        "outside_policy_period",
        "before_invoice_date",
        "terms_mismatch",
        "before_original_due_date",
        "beyond_extension",
        "cell_count",
        "unterminated_quote",
        "bad_quote",
        "not_utf8",
        "nul_byte",
        "line_too_long",
    ):
        assert f"`{code}`" in text, code
