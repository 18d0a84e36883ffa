"""A confirmation is written in the reader's language, amounts and dates included: a Swedish
or Dutch page never shows "2469.14 EUR" or "2026-02-03"."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import Role
from core.currencies import format_money
from debtors.models import RiskEvent, RiskEventKind
from debtors.services import MANUAL_SOURCE
from policies import services
from tests.factories import UserFactory
from tests.factories.limits import DebtorFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def euro_policy(company, underwriter):
    policy = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="EUR"
    )
    return services.policy_issue(actor=underwriter, policy_id=policy.pk)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Premium for the period: €\u00a02,469.14;"),
        ("sv", "Premie för perioden: 2\u00a0469,14\u00a0€;"),
        ("nl", "Premie over de periode: €\u00a02.469,14;"),
    ],
)
def test_the_declaration_confirmation_writes_the_premium_in_the_readers_language(
    client, insured_user, euro_policy, language, sentence
):
    client.force_login(insured_user)
    url = reverse("declaration-create", args=[euro_policy.pk])

    # When the insured declares January's turnover (premium 2 ‰ of 1 234 570 = 2 469.14 EUR)
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=STOCKHOLM)):
        response = client.post(
            url,
            {"period_start": "2026-01-01", "turnover": "1234570"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE=language,
        )

    # Then the confirmation gives the premium as the reader's language writes money
    (message,) = messages_of(response)
    premium = format_money(Decimal("2469.14"), "EUR", language)
    assert premium in message and sentence in message
    assert "2469.14" not in message and "EUR" not in message


@pytest.mark.parametrize("language", ["sv", "nl"])
def test_a_risk_event_recorded_twice_is_confirmed_with_the_date_in_the_readers_language(
    client, db, language
):
    underwriter = UserFactory(role=Role.UNDERWRITER, company=None, language=language)
    debtor = DebtorFactory(name="Delft BV", country="NL")
    RiskEvent.objects.create(
        debtor=debtor,
        kind=RiskEventKind.RATING_DROP,
        occurred_on=date(2026, 2, 3),
        source=MANUAL_SOURCE,
    )
    client.force_login(underwriter)

    response = client.post(
        reverse("risk-event-create", args=[debtor.pk]),
        {"kind": RiskEventKind.RATING_DROP, "occurred_on": "2026-02-03", "details": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE=language,
    )

    (message,) = messages_of(response)
    with translation.override(language):
        day = date_format(date(2026, 2, 3), "DATE_FORMAT")
    assert day in message and "2026-02-03" not in message
