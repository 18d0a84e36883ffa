"""Swedish and Dutch forms take amounts as those languages write them: "1 234 567,89" and
"1.234.567,89"."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from policies.models import Policy, TurnoverDeclaration
from tests.forms import posted

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("language", "typed"),
    [("sv", "1 234 567,89"), ("sv", "1\u00a0234\u00a0567,89"), ("nl", "1.234.567,89")],
)
def test_the_declaration_form_takes_the_languages_grouping_and_decimal_comma(
    client, insured_user, issued_policy, language, typed
):
    url = reverse("declaration-create", args=[issued_policy.pk])
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=STOCKHOLM)):
        client.force_login(insured_user)
        response = client.post(
            url,
            {"period_start": "2026-01-01", "turnover": typed},
            HTTP_ACCEPT_LANGUAGE=language,
        )

    assert response.status_code == 302
    declaration = TurnoverDeclaration.objects.get(policy=issued_policy)
    assert declaration.turnover == Decimal("1234567.89")


def test_fullwidth_digits_are_refused_naming_the_field(client, insured_user, issued_policy):
    url = reverse("declaration-create", args=[issued_policy.pk])
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=STOCKHOLM)):
        client.force_login(insured_user)
        response = client.post(
            url, {"period_start": "2026-01-01", "turnover": "１２３４"}, HTTP_ACCEPT_LANGUAGE="sv"
        )

    assert response.status_code == 200
    assert "turnover" in response.context["form"].errors
    assert not TurnoverDeclaration.objects.exists()


def test_a_turnover_of_14_digits_is_refused(client, insured_user, issued_policy):
    url = reverse("declaration-create", args=[issued_policy.pk])
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=STOCKHOLM)):
        client.force_login(insured_user)
        response = client.post(url, {"period_start": "2026-01-01", "turnover": "12345678901234"})

    assert response.status_code == 200
    assert "turnover" in response.context["form"].errors
    assert not TurnoverDeclaration.objects.exists()


def test_the_policy_form_takes_swedish_amounts(client, underwriter, company):
    from policies.forms import PolicyTermsForm

    client.force_login(underwriter)
    data = posted(
        PolicyTermsForm(),
        insured=company.pk,
        currency="SEK",
        start_date="2026-03-01",
        minimum_premium="12 500,50",
        discretionary_limit="100 000",
    )

    response = client.post(reverse("policy-create"), data, HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 302, response.context["form"].errors
    policy = Policy.objects.get(insured=company)
    assert policy.minimum_premium == Decimal("12500.50")
    assert policy.discretionary_limit == Decimal("100000")
    assert policy.start_date == date(2026, 3, 1)
