"""The Documents page lists every PDF of the insured's policies, the credit limit decision
letters among them (PAGES.md: schedule, endorsements, decision letters, premium invoices,
settlement statements, newest first), and never another company's."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from limits.models import DecisionLetter, LetterKind, LetterStatus, Limit
from policies.models import DocumentKind, DocumentStatus, PolicyDocument, PolicyStatus
from tests.factories import PolicyFactory, UserFactory
from tests.factories.limits import DebtorFactory

PDF = b"%PDF-1.4\n% a stored document\n"


def schedule(policy, *, days_ago: int, status=DocumentStatus.READY) -> PolicyDocument:
    version = PolicyDocument.objects.filter(policy=policy, kind=DocumentKind.SCHEDULE).count()
    document = PolicyDocument.objects.create(
        policy=policy, kind=DocumentKind.SCHEDULE, version=version + 1, language="en", status=status
    )
    document.file.save(f"{policy.number}-schedule.pdf", ContentFile(PDF))
    _age(PolicyDocument, document, days_ago)
    return document


def letter(
    policy, debtor_name: str, *, days_ago: int, kind=LetterKind.APPROVAL, status=LetterStatus.READY
) -> DecisionLetter:
    limit = Limit.objects.create(policy=policy, debtor=DebtorFactory(name=debtor_name))
    made = DecisionLetter.objects.create(
        policy=policy, limit=limit, kind=kind, language="en", status=status
    )
    if status == LetterStatus.READY:
        made.file.save(f"{policy.number}-{kind}.pdf", ContentFile(PDF))
    _age(DecisionLetter, made, days_ago)
    return made


def _age(model, obj, days_ago: int) -> None:
    model.objects.filter(pk=obj.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def policy_a(company):
    return PolicyFactory(insured=company, status=PolicyStatus.ISSUED, number="CI-2026-000101")


@pytest.fixture
def policy_b(other_company):
    return PolicyFactory(insured=other_company, status=PolicyStatus.ISSUED, number="CI-2026-000202")


@pytest.fixture
def documents(policy_a, policy_b):
    """A's schedule (30 days old), A's approval (10) and reduction (2) letters, a letter of A's
    still being prepared, and B's schedule and refusal letter."""
    return {
        "a_schedule": schedule(policy_a, days_ago=30),
        "a_approval": letter(policy_a, "Göta Byggvaror AB", days_ago=10),
        "a_reduction": letter(
            policy_a, "Brabant Staalhandel NV", days_ago=2, kind=LetterKind.REDUCTION
        ),
        "a_pending": letter(policy_a, "Pending Debtor AB", days_ago=1, status=LetterStatus.PENDING),
        "b_schedule": schedule(policy_b, days_ago=5),
        "b_refusal": letter(policy_b, "Secret Debtor BV", days_ago=3, kind=LetterKind.REFUSAL),
    }


def download_links(html: str) -> list[str]:
    import re

    return re.findall(r'href="(/[^"]+/download/)"', html)


def test_the_insured_sees_its_decision_letters_among_its_documents_newest_first(
    client, insured_user, documents
):
    client.force_login(insured_user)

    html = client.get(reverse("document-list")).content.decode()

    assert download_links(html) == [
        reverse("letter-download", args=[documents["a_reduction"].pk]),
        reverse("letter-download", args=[documents["a_approval"].pk]),
        reverse("document-download", args=[documents["a_schedule"].pk]),
    ]
    assert "Göta Byggvaror AB" in html and "Brabant Staalhandel NV" in html
    assert "Decision letter: Reduction" in html and "Decision letter: Approval" in html


def test_the_insured_never_sees_another_companys_documents_nor_unfinished_letters(
    client, insured_user, documents
):
    client.force_login(insured_user)

    html = client.get(reverse("document-list")).content.decode()

    assert "Secret Debtor BV" not in html and "CI-2026-000202" not in html
    assert "Pending Debtor AB" not in html
    # Nor by guessing the download address of B's letter
    b_letter = reverse("letter-download", args=[documents["b_refusal"].pk])
    assert client.get(b_letter).status_code == 404


def test_each_listed_letter_downloads_as_a_pdf(client, insured_user, documents):
    client.force_login(insured_user)
    html = client.get(reverse("document-list")).content.decode()

    for link in download_links(html):
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_see_every_companys_documents_and_letters_being_prepared(
    client, underwriter, documents
):
    client.force_login(underwriter)

    html = client.get(reverse("document-list")).content.decode()

    assert len(download_links(html)) == 5  # every ready document of A and B
    assert "Secret Debtor BV" in html and "Pending Debtor AB" in html
    assert "Being prepared" in html


def test_the_list_filters_to_decision_letters_or_one_document_kind(client, insured_user, documents):
    client.force_login(insured_user)
    url = reverse("document-list")

    letters = client.get(url, {"kind": "letters"}).content.decode()
    schedules = client.get(url, {"kind": "schedule"}).content.decode()

    assert len(download_links(letters)) == 2 and "/letters/" in letters
    assert download_links(schedules) == [
        reverse("document-download", args=[documents["a_schedule"].pk])
    ]


def test_the_list_sorts_and_pages_across_documents_and_letters(client, insured_user, policy_a):
    # Given 30 letters and a schedule older than all of them
    oldest = schedule(policy_a, days_ago=400)
    for n in range(30):
        letter(policy_a, f"Debtor {n:02d} AB", days_ago=n + 1)
    client.force_login(insured_user)
    url = reverse("document-list")

    # When the insured reads the second page, and sorts oldest first
    second = client.get(url, {"page": 2}).content.decode()
    oldest_first = client.get(url, {"ordering": "created"}).content.decode()

    # Then the schedule is last of all, and first when sorted the other way
    assert download_links(second)[-1] == reverse("document-download", args=[oldest.pk])
    assert len(download_links(second)) == 6
    assert download_links(oldest_first)[0] == reverse("document-download", args=[oldest.pk])


def test_the_page_reads_its_rows_in_a_fixed_number_of_queries(
    client, insured_user, policy_a, django_assert_max_num_queries
):
    for n in range(10):
        letter(policy_a, f"Debtor {n:02d} AB", days_ago=n + 1)
        schedule(policy_a, days_ago=n + 20)
    client.force_login(insured_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("document-list"))

    assert response.status_code == 200


def test_a_user_of_a_company_with_no_documents_is_told_what_will_come(client, db):
    user = UserFactory(role=Role.INSURED)
    client.force_login(user)

    html = client.get(reverse("document-list")).content.decode()

    assert "No documents yet" in html
