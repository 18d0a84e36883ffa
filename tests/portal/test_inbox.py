"""The inbox: decisions, reductions and risk events reach every insured user of the company, in
the inbox and by email; each user reads only their own messages."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from core.models import Notification
from core.notify import notify_users
from debtors.models import RiskEvent
from limits import services
from tests.factories import UserFactory
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture
def colleague(company):
    return UserFactory(username="insured-a2", role=Role.INSURED, company=company, language="en")


@pytest.fixture
def approved(
    issued_policy, insured_user, colleague, other_insured_user, django_capture_on_commit_callbacks
):
    default_template()
    debtor = CreditReportFactory(debtor__name="Baltic Timber AB").debtor
    with django_capture_on_commit_callbacks(execute=True):
        return services.limit_request_submit(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            amount=Decimal("200000"),
        )


def test_a_decision_reaches_every_insured_user_of_the_company_by_inbox_and_email(
    approved, insured_user, colleague, other_insured_user
):
    notes = Notification.objects.filter(subject__contains="Baltic Timber AB")
    assert sorted(n.user_id for n in notes) == sorted([insured_user.pk, colleague.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([insured_user.email, colleague.email])
    email = next(m for m in mail.outbox if m.to == [colleague.email])
    assert email.subject == "Credit limit approved: Baltic Timber AB"
    assert "SEK\xa0200,000.00" in email.body and "approved in full" in email.body
    swedish = next(m for m in mail.outbox if m.to == [insured_user.email])
    assert "200\xa0000,00\xa0kr" in swedish.body  # the company's language, by Babel
    assert f"/limits/requests/{approved.pk}/" in email.body
    assert not Notification.objects.filter(user=other_insured_user).exists()


def test_the_inbox_lists_only_the_users_own_messages(
    client, approved, insured_user, other_insured_user
):
    notify_users(
        [other_insured_user],
        template="risk_event",
        context={
            "event": RiskEvent(kind="bankruptcy", occurred_on=approved.submitted_at.date()),
            "debtor": approved.debtor,
            "policy": approved.policy,
            "limit": None,
        },
    )
    client.force_login(insured_user)

    page = client.get(reverse("inbox")).content.decode()

    assert "Kreditlimit beviljad: Baltic Timber AB" in page
    assert "Risk event" not in page
    assert "1 unread" in page


def test_opening_a_message_marks_it_read_and_follows_its_link(client, approved, insured_user):
    note = Notification.objects.get(user=insured_user)
    client.force_login(insured_user)

    response = client.get(reverse("inbox-open", args=[note.pk]))

    assert response.status_code == 302 and response.url == f"/limits/requests/{approved.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_message_without_link_opens_back_to_the_inbox(client, insured_user, approved):
    note = Notification.objects.create(user=insured_user, subject="Welcome", body="Hello")
    client.force_login(insured_user)

    response = client.get(reverse("inbox-open", args=[note.pk]))

    assert response.url == reverse("inbox")


def test_another_users_message_is_not_found(client, approved, insured_user, other_insured_user):
    note = Notification.objects.get(user=insured_user)
    client.force_login(other_insured_user)

    assert client.get(reverse("inbox-open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_as_read_touches_only_the_users_own(client, approved, insured_user, colleague):
    client.force_login(insured_user)

    response = client.post(reverse("inbox"), follow=True)

    assert "1 message marked as read." in response.content.decode()
    assert not Notification.objects.filter(user=insured_user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=colleague, read_at__isnull=True).count() == 1


def test_an_empty_inbox_says_what_will_arrive(client, underwriter):
    client.force_login(underwriter)

    page = client.get(reverse("inbox")).content.decode()

    assert "Your inbox is empty." in page


def test_a_reduction_and_a_risk_event_are_written_in_plain_sentences(
    approved, insured_user, colleague, underwriter, django_capture_on_commit_callbacks
):
    limit = approved.policy.limits.get(debtor=approved.debtor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.limit_reduce_by_insurer(
            actor=underwriter, limit_id=limit.pk, amount=Decimal("0"), reason="Rating dropped"
        )
    RiskEvent.objects.create(
        debtor=approved.debtor, kind="bankruptcy", occurred_on="2026-11-02", source="test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_events_alert()

    # The colleague reads English; insured_user, without a language, gets the company's Swedish.
    subjects = {m.subject for m in mail.outbox if m.to == [colleague.email]}
    assert subjects == {
        "Credit limit withdrawn: Baltic Timber AB",
        "Risk event on Baltic Timber AB: Bankruptcy",
    }
    risk = next(m for m in mail.outbox if m.to == [colleague.email] and "Risk" in m.subject)
    assert "under review" in risk.body and "stopping deliveries" in risk.body
