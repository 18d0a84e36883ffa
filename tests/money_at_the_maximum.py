"""A policy whose every declared month has the largest turnover DOMAIN.md allows, and the pages
and API answers that show it: run in-process on PostgreSQL (tests/test_inputs_money.py) and
in a process of its own on SQLite, the `make run` database (`manage.py shell -c`)."""

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from core.money import MONEY_MAX
from policies import services
from policies.models import TurnoverDeclaration
from tests.factories import CompanyFactory, UserFactory

MONTHS = 11  # declared months: their sum has 15 digits before the point


def problems() -> list[str]:
    """What goes wrong, as lines; none when every amount reads back exactly."""
    uw = UserFactory(role=Role.UNDERWRITER, company=None)
    company = CompanyFactory(name="Max AB", language="en")
    insured = UserFactory(role=Role.INSURED, company=company)
    start = (timezone.localdate() - relativedelta(months=MONTHS)).replace(day=1)
    policy = services.policy_create(actor=uw, insured=company, start_date=start, currency="SEK")
    services.policy_issue(actor=uw, policy_id=policy.pk)
    for month in range(MONTHS):
        services.declaration_submit(
            actor=insured,
            policy_id=policy.pk,
            period_start=start + relativedelta(months=month),
            turnover=MONEY_MAX,
        )
    out = []
    stored = set(
        TurnoverDeclaration.objects.filter(policy=policy).values_list("turnover", flat=True)
    )
    if stored != {MONEY_MAX}:
        out.append(f"turnover read back as {stored}, not {MONEY_MAX}")
    pages = ["home", "policy-list", "declaration-list", "document-list"]
    for user in (insured, uw):
        client = Client(HTTP_HOST="localhost", raise_request_exception=False)
        client.force_login(user)
        for path in [reverse(p) for p in pages] + [reverse("policy-detail", args=[policy.pk])]:
            status = client.get(path).status_code
            if status != 200:
                out.append(f"{path} as {user.role}: {status}")
        api = APIClient(HTTP_HOST="localhost", raise_request_exception=False)
        api.force_authenticate(user)
        answer = api.get(reverse("api-policy-detail", args=[policy.pk]))
        if answer.status_code != 200:
            out.append(f"API policy as {user.role}: {answer.status_code}")
            continue
        declared = {Decimal(y["declared_turnover"]) for y in answer.json().get("years", [])}
        if MONEY_MAX * MONTHS not in declared:
            out.append(f"API declared turnover {declared}, not {MONEY_MAX * MONTHS}")
    return out


def main() -> None:
    """Print the problems and exit 1 when there are any (run by `manage.py shell -c`)."""
    import sys

    found = problems()
    print("\n".join(found) or "OK")
    sys.exit(1 if found else 0)
