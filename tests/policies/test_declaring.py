"""Declaring turnover: the last period of a policy is declared after the policy has ended
(late after its due date), and only by the policy's own insured."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import DomainError
from policies import services
from policies.exceptions import DeclarationInvalid
from policies.models import PolicyStatus, TurnoverDeclaration

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DECEMBER = date(2026, 12, 1)


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM))


@pytest.fixture
def expired_policy(issued_policy):
    """The 2026 policy, expired by the nightly job the day after its end."""
    services.policies_expire(today=date(2027, 1, 1))
    issued_policy.refresh_from_db()
    assert issued_policy.status == PolicyStatus.EXPIRED
    return issued_policy


def declare(policy, user, period_start=DECEMBER, turnover="800000"):
    return services.declaration_submit(
        actor=user, policy_id=policy.pk, period_start=period_start, turnover=Decimal(turnover)
    )


def test_the_last_period_is_declared_after_the_policy_has_expired(expired_policy, insured_user):
    with on(date(2027, 1, 20)):
        declaration = declare(expired_policy, insured_user)

    assert declaration.period_end == date(2026, 12, 31)
    assert declaration.premium == Decimal("1600.00")
    assert not declaration.is_late


def test_declared_after_its_due_date_it_is_late(expired_policy, insured_user):
    with on(date(2027, 2, 15)):
        declaration = declare(expired_policy, insured_user)

    assert declaration.due_date == date(2027, 1, 30)
    assert declaration.is_late


def test_the_api_takes_the_last_period_of_an_expired_policy(api_for, insured_user, expired_policy):
    body = {"policy": expired_policy.pk, "period_start": "2026-12-01", "turnover": "800000.00"}

    with on(date(2027, 2, 15)):
        response = api_for(insured_user).post("/api/v1/declarations/", body, format="json")

    assert response.status_code == 201
    assert response.json()["is_late"] is True


def test_the_page_offers_the_last_period_of_an_expired_policy(client, insured_user, expired_policy):
    with on(date(2027, 1, 20)):
        client.force_login(insured_user)
        detail = client.get(reverse("policy-detail", args=[expired_policy.pk]))
        url = reverse("declaration-create", args=[expired_policy.pk])
        form = client.get(url)
        response = client.post(url, {"period_start": "2026-12-01", "turnover": "800000"})

    assert detail.context["can_declare"] is True
    assert ("2026-12-01", "2026-12-01 – 2026-12-31") in form.context["form"].fields[
        "period_start"
    ].choices
    assert response.status_code == 302
    assert TurnoverDeclaration.objects.filter(policy=expired_policy).count() == 1


def test_a_cancelled_policy_takes_no_declarations(issued_policy, insured_user, underwriter):
    services.policy_cancel(actor=underwriter, policy_id=issued_policy.pk, reason="Not renewed")

    with on(date(2026, 2, 10)), pytest.raises(DeclarationInvalid):
        declare(issued_policy, insured_user, period_start=date(2026, 1, 1))


# Services check the actor ------------------------------------------------------------------------


def test_an_insured_user_cannot_declare_on_another_companys_policy(
    issued_policy, other_insured_user
):
    with on(date(2026, 2, 10)), pytest.raises(DomainError) as refused:
        declare(issued_policy, other_insured_user, period_start=date(2026, 1, 1))

    # refused like a policy that does not exist: it says nothing about other companies
    assert (refused.value.code, refused.value.field, refused.value.status) == (
        "policy_not_found",
        "policy",
        404,
    )
    assert not TurnoverDeclaration.objects.exists()


def test_the_policys_own_insured_declares(issued_policy, insured_user):
    with on(date(2026, 2, 10)):
        declare(issued_policy, insured_user, period_start=date(2026, 1, 1))

    assert TurnoverDeclaration.objects.filter(policy=issued_policy).count() == 1
