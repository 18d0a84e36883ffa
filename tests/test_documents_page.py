"""The Documents page lists every PDF of the insured's policies, the credit limit decision
letters and claim statements among them (PAGES.md: schedule, endorsements, decision letters,
premium invoices, settlement statements, newest first), and never another company's."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from claims.models import Claim, ClaimStatement, ClaimStatus, StatementKind, StatementStatus
from exposure.models import OverdueNotification
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


def statement(
    policy,
    debtor_name: str,
    *,
    days_ago: int,
    kind=StatementKind.SETTLEMENT,
    status=StatementStatus.READY,
) -> ClaimStatement:
    """A statement of a paid claim on a debtor of the policy's (its rows made as they are)."""
    debtor = DebtorFactory(name=debtor_name)
    notice = OverdueNotification.objects.create(
        policy=policy,
        debtor=debtor,
        notified_on=date(2026, 4, 1),
        reason="cash_flow",
        overdue_amount=Decimal("10000.00"),
        exposure_amount=Decimal("10000.00"),
        closed_on=date(2026, 6, 1),
    )
    claim = Claim.objects.create(
        number=f"CL-2026-{Claim.objects.count() + 1:06d}",
        policy=policy,
        debtor=debtor,
        notification=notice,
        currency=policy.currency,
        cause="insolvency",
        loss_date=date(2026, 5, 1),
        evidence="Bankrupt.",
        filed_on=date(2026, 5, 2),
        filing_deadline=date(2026, 11, 1),
        policy_year=2026,
        claimed_amount=Decimal("9000.00"),
        status=ClaimStatus.PAID,
    )
    made = ClaimStatement.objects.create(claim=claim, kind=kind, language="en", status=status)
    if status == StatementStatus.READY:
        made.file.save(made.filename, ContentFile(PDF))
    _age(ClaimStatement, made, days_ago)
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
    return re.findall(r'href="(/[^"]+/(?:download|statements/\d+)/)"', html)


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


@pytest.fixture
def statements(documents, policy_a, policy_b):
    """Besides `documents`: A's settlement (5 days old) and recovery (4) statements, one of A's
    still being prepared, and B's settlement statement."""
    return {
        "a_settlement": statement(policy_a, "Malmö Möbler AB", days_ago=5),
        "a_recovery": statement(
            policy_a, "Lunds Lampor AB", days_ago=4, kind=StatementKind.RECOVERY
        ),
        "a_pending": statement(
            policy_a, "Waiting Debtor AB", days_ago=1, status=StatementStatus.PENDING
        ),
        "b_settlement": statement(policy_b, "Hidden Debtor BV", days_ago=3),
    }


def statement_link(made: ClaimStatement) -> str:
    return reverse("claim-statement-download", args=[made.pk])


def test_the_insured_finds_its_claim_statements_among_its_documents_newest_first(
    client, insured_user, documents, statements
):
    client.force_login(insured_user)

    html = client.get(reverse("document-list")).content.decode()

    assert download_links(html) == [
        reverse("letter-download", args=[documents["a_reduction"].pk]),
        statement_link(statements["a_recovery"]),
        statement_link(statements["a_settlement"]),
        reverse("letter-download", args=[documents["a_approval"].pk]),
        reverse("document-download", args=[documents["a_schedule"].pk]),
    ]
    assert "Settlement statement" in html and "Recovery statement" in html
    assert f"{statements['a_settlement'].claim.number} · Malmö Möbler AB" in html
    assert "Hidden Debtor BV" not in html and "Waiting Debtor AB" not in html


def test_the_list_filters_to_claim_statements(client, insured_user, statements):
    client.force_login(insured_user)

    html = client.get(reverse("document-list"), {"kind": "statements"}).content.decode()

    assert download_links(html) == [
        statement_link(statements["a_recovery"]),
        statement_link(statements["a_settlement"]),
    ]
    assert '<option value="statements" selected>Claim statement</option>' in html


def test_staff_see_every_companys_statements_and_those_being_prepared(
    client, claims_handler, statements
):
    client.force_login(claims_handler)

    html = client.get(reverse("document-list"), {"kind": "statements"}).content.decode()

    assert len(download_links(html)) == 3  # A's two and B's
    assert "Hidden Debtor BV" in html and "Waiting Debtor AB" in html
    assert "Being prepared" in html


def test_a_statement_downloads_for_its_own_company_and_staff_only(
    client, insured_user, claims_handler, statements
):
    client.force_login(insured_user)
    own = client.get(statement_link(statements["a_settlement"]))
    others = client.get(statement_link(statements["b_settlement"]))
    client.force_login(claims_handler)
    by_staff = client.get(statement_link(statements["b_settlement"]))

    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert b"".join(own.streaming_content).startswith(b"%PDF")
    assert statements["a_settlement"].filename in own["Content-Disposition"]
    assert others.status_code == 404
    assert by_staff.status_code == 200


def test_a_statement_not_ready_sends_the_user_back_saying_so(client, insured_user, policy_a):
    pending = statement(policy_a, "Slow Debtor AB", days_ago=0, status=StatementStatus.PENDING)
    failed = statement(policy_a, "Broken Debtor AB", days_ago=0, status=StatementStatus.FAILED)
    client.force_login(insured_user)

    waiting = client.get(statement_link(pending), follow=True)
    broken = client.get(statement_link(failed), follow=True)

    assert waiting.redirect_chain == [(reverse("document-list"), 302)]
    assert "The statement is still being prepared" in waiting.content.decode()
    assert "The statement could not be prepared" in broken.content.decode()


def test_statements_sort_and_page_with_the_other_documents(client, insured_user, policy_a):
    oldest = schedule(policy_a, days_ago=400)
    for n in range(25):
        statement(policy_a, f"Claimed Debtor {n:02d} AB", days_ago=n + 1)
    client.force_login(insured_user)
    url = reverse("document-list")

    second = client.get(url, {"page": 2}).content.decode()
    oldest_first = client.get(url, {"ordering": "created"}).content.decode()

    assert download_links(second) == [reverse("document-download", args=[oldest.pk])]
    assert download_links(oldest_first)[0] == reverse("document-download", args=[oldest.pk])
    assert "/statements/" in download_links(oldest_first)[1]
