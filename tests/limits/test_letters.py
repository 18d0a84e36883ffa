"""Decision letters: every kind rendered to PDF after the decision commits, read back as text."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from core.currencies import format_money
from limits import services
from limits.models import DecisionLetter, LetterKind, LetterStatus, TemplateRule
from limits.pdf import letter_render
from limits.reasons import describe
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture
def template(db):
    return default_template()


@pytest.fixture
def english(company):
    company.language = "en"
    company.save()
    return company


def submit(policy, user, debtor, amount, **kwargs):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount), **kwargs
    )


def flat(text: str) -> str:
    """Text with every kind of space as one plain space, as pypdf and Babel may differ."""
    for space in ("\u00a0", "\u202f", "\u2009"):
        text = text.replace(space, " ")
    return " ".join(text.split())


def pdf_text(letter: DecisionLetter) -> str:
    letter.refresh_from_db()
    assert letter.status == LetterStatus.READY, letter.error
    with letter.file.open("rb") as file:
        return flat("\n".join(page.extract_text() for page in PdfReader(file).pages))


def money(amount: str, language: str = "en") -> str:
    return flat(format_money(Decimal(amount), "SEK", language))


def only_letter(**filters) -> DecisionLetter:
    return DecisionLetter.objects.get(**filters)


def test_approval_letter_shows_the_amount_and_the_debtor(
    issued_policy, insured_user, english, template, django_capture_on_commit_callbacks
):
    debtor = CreditReportFactory(debtor__name="Baltic Timber AB").debtor
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(issued_policy, insured_user, debtor, "200000", reference="PO-7781")

    text = pdf_text(only_letter(request=request))
    assert only_letter(request=request).kind == LetterKind.APPROVAL
    assert "Credit limit approved" in text
    assert money("200000") in text
    assert "Baltic Timber AB" in text and debtor.registration_number in text
    assert issued_policy.number in text and "Nordic Steel AB" in text
    assert "PO-7781" in text
    assert "Automatic decision by the credit template" in text


def test_refusal_letter_lists_every_reason(
    issued_policy, insured_user, english, template, django_capture_on_commit_callbacks
):
    # Given a template that refuses a weak rating, and a debtor failing two parameters
    TemplateRule.objects.filter(template=template, param="rating").update(on_fail="refuse")
    debtor = CreditReportFactory(rating=30, equity_ratio=Decimal("5")).debtor
    # When the request is decided
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(issued_policy, insured_user, debtor, "200000")
    # Then the letter gives every reason as a sentence
    assert request.status == "refused"
    text = pdf_text(only_letter(request=request, kind=LetterKind.REFUSAL))
    assert "Credit limit refused" in text
    with translation.override("en"):
        sentences = [flat(describe(r, "SEK")) for r in request.reasons]
    assert len(sentences) == 2
    assert "The debtor's rating of 30 is below the minimum of 40." in sentences
    for sentence in sentences:
        assert sentence in text


def test_partial_approval_letter_shows_both_amounts(
    issued_policy, insured_user, english, template, django_capture_on_commit_callbacks
):
    debtor = CreditReportFactory().debtor  # guideline 500 000
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(issued_policy, insured_user, debtor, "900000")

    text = pdf_text(only_letter(request=request, kind=LetterKind.PARTIAL_APPROVAL))
    assert money("500000") in text and money("900000") in text
    assert "above the debtor's guideline limit" in text


def test_underwriter_letter_names_the_underwriter_and_keeps_the_conditions(
    issued_policy,
    insured_user,
    underwriter,
    english,
    template,
    django_capture_on_commit_callbacks,
):
    underwriter.first_name, underwriter.last_name = "Greta", "Lind"
    underwriter.save()
    debtor = CreditReportFactory(rating=30).debtor
    request = submit(issued_policy, insured_user, debtor, "200000")  # referred
    expires = timezone.localdate() + timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        services.limit_request_decide(
            actor=underwriter,
            request_id=request.pk,
            outcome="partly_approve",
            amount=Decimal("50000"),
            reason="The rating is weak; we follow the debtor's next accounts.",
            max_terms_days=60,
            expires_on=expires,
        )

    text = pdf_text(only_letter(request=request))
    assert "Underwriter Greta Lind" in text
    assert "The rating is weak; we follow the debtor's next accounts." in text
    assert "60 days" in text
    with translation.override("en"):
        assert flat(date_format(expires, "DATE_FORMAT")) in text


def test_reduction_letter_shows_the_effective_date_and_both_amounts(
    issued_policy,
    insured_user,
    underwriter,
    english,
    template,
    django_capture_on_commit_callbacks,
):
    debtor = CreditReportFactory().debtor
    submit(issued_policy, insured_user, debtor, "200000")
    limit = issued_policy.limits.get(debtor=debtor)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.limit_reduce_by_insurer(
            actor=underwriter, limit_id=limit.pk, amount=Decimal("80000"), reason="Weaker accounts"
        )

    text = pdf_text(only_letter(change=change, kind=LetterKind.REDUCTION))
    effective = timezone.localdate() + timedelta(days=issued_policy.reduction_notice_days)
    with translation.override("en"):
        shown = flat(date_format(effective, "DATE_FORMAT"))
    assert "Credit limit reduced" in text
    assert money("200000") in text and money("80000") in text
    assert f"Deliveries made before {shown} stay covered under the previous limit" in text
    assert "Weaker accounts" in text


def test_a_withdrawal_says_later_deliveries_are_not_covered(
    issued_policy,
    insured_user,
    underwriter,
    english,
    template,
    django_capture_on_commit_callbacks,
):
    debtor = CreditReportFactory().debtor
    submit(issued_policy, insured_user, debtor, "200000")
    limit = issued_policy.limits.get(debtor=debtor)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.limit_reduce_by_insurer(
            actor=underwriter, limit_id=limit.pk, amount=Decimal("0"), reason="Rating dropped"
        )

    text = pdf_text(only_letter(change=change))
    assert "Credit limit withdrawn" in text
    assert "are not covered" in text


def test_swedish_insured_gets_swedish_dates_and_money(
    issued_policy, insured_user, template, django_capture_on_commit_callbacks
):
    # The company fixture writes in Swedish.
    debtor = CreditReportFactory().debtor
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(issued_policy, insured_user, debtor, "200000")

    letter = only_letter(request=request)
    assert letter.language == "sv"
    text = pdf_text(letter)
    assert "200 000,00 kr" in text
    with translation.override("sv"):
        today = flat(date_format(timezone.localdate(), "DATE_FORMAT"))
    assert today in text


def test_rendering_twice_leaves_the_letter_unchanged(
    issued_policy, insured_user, template, django_capture_on_commit_callbacks
):
    debtor = CreditReportFactory().debtor
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(issued_policy, insured_user, debtor, "200000")
    letter = only_letter(request=request)
    with letter.file.open("rb") as file:
        before = file.read()

    again = letter_render(letter_id=letter.pk)

    assert (again.sha256, again.file.name, again.rendered_at) == (
        letter.sha256,
        letter.file.name,
        letter.rendered_at,
    )
    with again.file.open("rb") as file:
        assert file.read() == before


def test_a_failed_rendering_is_marked_and_can_be_retried(
    issued_policy, insured_user, template, monkeypatch
):
    # Given a letter queued but not yet rendered (its on-commit task has not run)
    debtor = CreditReportFactory().debtor
    request = submit(issued_policy, insured_user, debtor, "200000")
    letter = only_letter(request=request)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr("limits.pdf.render_pdf", broken)
    with pytest.raises(RuntimeError):
        letter_render(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED and "renderer down" in letter.error

    monkeypatch.undo()
    assert letter_render(letter_id=letter.pk).status == LetterStatus.READY
