import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from core import pdf as core_pdf
from core.pdf import StaticFileFetcher, static_base_url
from policies import services
from policies.models import TERM_FIELDS, DocumentKind, DocumentStatus, PolicyDocument
from policies.pdf import format_term, render_policy_document
from tests.factories import CompanyFactory


def pdf_text(pdf: bytes) -> str:
    """Every page's text, with runs of whitespace (non-breaking spaces too) as one space."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def one_line(text: str) -> str:
    return " ".join(text.split())


def document_of(policy, kind: str) -> PolicyDocument:
    return PolicyDocument.objects.filter(policy=policy, kind=kind).latest("version")


@pytest.fixture
def english_company(db):
    return CompanyFactory(
        name="Thames Traders Ltd",
        country="SE",
        registration_number="5561234567",
        address="Hamngatan 1\n111 47 Stockholm",
        language="en",
    )


@pytest.fixture
def english_policy(english_company, underwriter):
    policy = services.policy_create(
        actor=underwriter, insured=english_company, start_date=date(2026, 1, 1), currency="SEK"
    )
    return services.policy_issue(actor=underwriter, policy_id=policy.pk)


def test_schedule_shows_number_insured_period_and_every_term(english_policy, underwriter):
    underwriter.first_name, underwriter.last_name = "Anna", "Lindqvist"
    underwriter.save()

    text = pdf_text(render_policy_document(document_of(english_policy, DocumentKind.SCHEDULE)))

    assert "Policy schedule" in text
    assert english_policy.number in text
    assert "Thames Traders Ltd" in text and "5561234567" in text
    assert "Hamngatan 1 111 47 Stockholm Sweden" in text
    assert "1 January 2026 – 31 December 2026" in text
    assert "Issued" in text
    assert "Maximum credit period (days) 90 days" in text
    assert "Intervention threshold SEK 500.00" in text
    assert "Insured percentage 90%" in text
    assert "2 ‰" in text
    assert "Germany" in text and "Netherlands" in text
    assert "for the insurer" in text.lower()  # the label is set in capitals
    assert "Anna Lindqvist" in text


def test_schedule_shows_every_term_value_as_formatted(english_policy):
    text = pdf_text(render_policy_document(document_of(english_policy, DocumentKind.SCHEDULE)))

    for field in TERM_FIELDS:
        assert one_line(format_term(english_policy, field, "en")) in text, field


@pytest.mark.parametrize(
    ("language", "germany", "start", "threshold"),
    [
        ("en", "Germany", "1 January 2026", "SEK 500.00"),
        ("sv", "Tyskland", "1 januari 2026", "500,00 kr"),
        ("nl", "Duitsland", "1 januari 2026", "SEK 500,00"),
    ],
)
def test_schedule_is_in_the_insured_language(underwriter, language, germany, start, threshold):
    # Country names come from Babel, month names and money formats from Django and Babel,
    # so this holds whatever the project's own translations say.
    insured = CompanyFactory(country="SE", language=language)
    policy = services.policy_create(
        actor=underwriter, insured=insured, start_date=date(2026, 1, 1), currency="SEK"
    )
    services.policy_issue(actor=underwriter, policy_id=policy.pk)

    document = document_of(policy, DocumentKind.SCHEDULE)
    text = pdf_text(render_policy_document(document))

    assert document.language == language
    assert germany in text
    assert start in text
    assert threshold in text


def test_swedish_insured_gets_swedish_names_dates_and_kronor(issued_policy):
    text = pdf_text(render_policy_document(document_of(issued_policy, DocumentKind.SCHEDULE)))

    assert "Nordic Steel AB" in text
    assert "Tyskland" in text and "Sverige" in text
    assert "1 januari 2026" in text and "31 december 2026" in text
    assert "10 000,00 kr" in text


def test_endorsement_lists_each_changed_term_with_old_and_new_value(english_policy, underwriter):
    services.policy_update_terms(
        actor=underwriter,
        policy_id=english_policy.pk,
        reason="Buyers in Germany need longer terms",
        max_credit_period_days=120,
        intervention_threshold=Decimal("1000"),
    )

    document = document_of(english_policy, DocumentKind.ENDORSEMENT)
    text = pdf_text(render_policy_document(document))

    assert document.version == 1
    assert "Endorsement" in text and english_policy.number in text
    assert "Thames Traders Ltd" in text
    assert "Buyers in Germany need longer terms" in text
    assert "Intervention threshold SEK 500.00 SEK 1,000.00" in text
    assert "Maximum credit period (days) 90 days 120 days" in text
    assert "Waiting period" not in text
    assert "All other terms of the policy schedule remain unchanged." in text


def test_premium_invoice_shows_turnover_rate_and_premium(issued_policy, insured_user):
    # Given January is over, when the insured declares 1 000 000 SEK at the default 2 ‰
    with time_machine.travel(date(2026, 2, 5), tick=False):
        declaration = services.declaration_submit(
            actor=insured_user,
            policy_id=issued_policy.pk,
            period_start=date(2026, 1, 1),
            turnover=Decimal("1000000"),
        )

    # then the invoice charges 2 000 SEK, payable 30 days after it was issued
    document = document_of(issued_policy, DocumentKind.PREMIUM_INVOICE)
    text = pdf_text(render_policy_document(document))

    assert document.declaration == declaration
    assert f"{issued_policy.number}-P001" in text
    assert "Nordic Steel AB" in text
    assert "1 000 000,00 kr" in text
    assert "2 ‰" in text
    assert "2 000,00 kr" in text
    assert "1 januari 2026" in text and "31 januari 2026" in text
    assert "5 februari 2026" in text and "7 mars 2026" in text
    assert "SEK" in text


def test_rendered_document_is_stored_with_its_hash_and_never_changed(
    draft_policy, underwriter, django_capture_on_commit_callbacks
):
    # Given a policy issued, its schedule rendered after commit
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_issue(actor=underwriter, policy_id=draft_policy.pk)
    document = document_of(draft_policy, DocumentKind.SCHEDULE)
    stored = document.file.read()
    document.file.close()

    assert document.status == DocumentStatus.READY
    assert document.rendered_at is not None
    assert document.file.name.endswith(".pdf")
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert draft_policy.number in pdf_text(stored)

    # When the policy changes and the schedule is rendered again
    services.policy_update_terms(
        actor=underwriter, policy_id=draft_policy.pk, reason="Wider cover", waiting_period_days=90
    )
    services.document_render(document_id=document.pk)

    # then the stored schedule is the one first rendered
    again = PolicyDocument.objects.get(pk=document.pk)
    assert again.file.name == document.file.name
    assert again.sha256 == document.sha256
    assert again.rendered_at == document.rendered_at
    assert again.file.read() == stored
    again.file.close()


def test_renderer_reads_static_files_from_disk():
    response = StaticFileFetcher().fetch(static_base_url() + "pdf/document.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/style.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        static_base_url() + "../../etc/passwd",
        static_base_url() + "pdf/missing.css",
    ],
)
def test_renderer_fetches_nothing_but_static_files(url):
    with pytest.raises((ValueError, OSError)):
        StaticFileFetcher().fetch(url)


def test_a_resource_outside_the_static_files_fails_the_rendering(monkeypatch):
    # A stored document is never changed, so it must not be stored without its resources.
    html = '<link rel="stylesheet" href="https://example.com/style.css"><p>Schedule</p>'
    monkeypatch.setattr(core_pdf, "render_html", lambda *args: html)

    with pytest.raises(core_pdf.PdfRenderError, match="example.com"):
        core_pdf.render_pdf("pdf/base.html", {}, "en")
