import os
from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from policies import services
from tests.factories import PASSWORD, CompanyFactory, UserFactory

# Playwright runs an event loop in the test thread; the live server's ORM calls are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def company(db):
    return CompanyFactory(name="Nordic Steel AB", country="SE", language="sv")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name="Other Trading BV", country="NL", language="nl")


@pytest.fixture
def insured_user(company):
    return UserFactory(username="insured-a", role=Role.INSURED, company=company)


@pytest.fixture
def other_insured_user(other_company):
    return UserFactory(username="insured-b", role=Role.INSURED, company=other_company)


@pytest.fixture
def underwriter(db):
    return UserFactory(username="uw", role=Role.UNDERWRITER, company=None)


@pytest.fixture
def claims_handler(db):
    return UserFactory(username="ch", role=Role.CLAIMS, company=None)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="adm", role=Role.ADMIN, company=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def draft_policy(company, underwriter):
    return services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="SEK"
    )


@pytest.fixture
def issued_policy(draft_policy, underwriter):
    return services.policy_issue(actor=underwriter, policy_id=draft_policy.pk)


def api_client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_for():
    return api_client_for
