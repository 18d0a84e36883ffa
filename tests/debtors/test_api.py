"""The debtor API: find, read (risk data only where the caller may see it), register."""

import pytest

from debtors.models import Debtor
from tests.factories.limits import DebtorFactory

URL = "/api/v1/debtors/"


@pytest.mark.parametrize("search", ["norr", "5566778907", "556677-8907"])
def test_search_finds_by_name_or_number(api_for, insured_user, rated_debtor, search):
    DebtorFactory(name="Other AB", country="BE")

    response = api_for(insured_user).get(URL, {"search": search})

    assert response.status_code == 200
    assert [d["id"] for d in response.json()["results"]] == [rated_debtor.pk]


def test_the_list_filters_by_country_and_sorts_by_name(api_for, underwriter, db):
    for name, country in [("Beta", "SE"), ("Alfa", "SE"), ("Gamma", "BE")]:
        DebtorFactory(name=name, country=country)

    response = api_for(underwriter).get(URL, {"country": "se", "ordering": "-name"})

    assert [d["name"] for d in response.json()["results"]] == ["Beta", "Alfa"]


def test_register_a_debtor(api_for, insured_user, db):
    body = {"country": "SE", "registration_number": "5566778907", "name": "Acme AB"}

    response = api_for(insured_user).post(URL, body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["registration_number"] == "556677-8907" and data["latest_report"] is None
    assert Debtor.objects.get().pk == data["id"]


def test_a_bad_check_digit_is_a_400_naming_the_field(api_for, insured_user, db):
    body = {"country": "SE", "registration_number": "556677-8908", "name": "Typo AB"}

    response = api_for(insured_user).post(URL, body, format="json")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "registration_number" and "check digit" in error["message"]


def test_a_known_debtor_is_a_409_with_its_id(api_for, insured_user, rated_debtor):
    body = {"country": "SE", "registration_number": "SE556677890701", "name": "Again AB"}

    response = api_for(insured_user).post(URL, body, format="json")

    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "debtor_exists"
    assert data["errors"][0]["values"] == {"debtor_id": rated_debtor.pk}
    assert Debtor.objects.count() == 1


def test_an_insured_without_a_limit_gets_no_risk_data(api_for, insured_user, rated_debtor):
    response = api_for(insured_user).get(f"{URL}{rated_debtor.pk}/")

    data = response.json()
    assert response.status_code == 200 and data["name"] == "Byggvaror i Norr AB"
    assert data["risk_visible"] is False
    assert data["latest_report"] is None and data["rating_band"] is None


def test_an_insured_with_a_limit_gets_the_report_and_band(
    api_for, insured_user, rated_debtor, limit_of
):
    limit_of(rated_debtor)

    data = api_for(insured_user).get(f"{URL}{rated_debtor.pk}/").json()

    assert data["risk_visible"] is True
    assert (
        data["latest_report"]["rating"] == 70 and data["latest_report"]["turnover"] == "10000000.00"
    )
    assert data["rating_band"] == {"code": "low", "label": "Low risk"}


def test_staff_get_the_risk_data(api_for, claims_handler, rated_debtor):
    data = api_for(claims_handler).get(f"{URL}{rated_debtor.pk}/").json()

    assert data["latest_report"]["rating"] == 70


def test_only_underwriters_refresh_from_the_provider(
    api_for, insured_user, underwriter, rated_debtor, settings
):
    settings.CREDIT_INFO_PROVIDER_DIR = None
    url = f"{URL}{rated_debtor.pk}/refresh/"

    assert api_for(insured_user).post(url).status_code == 403
    response = api_for(underwriter).post(url)
    assert response.status_code == 409 and response.json()["code"] == "provider_unavailable"


def test_anonymous_callers_are_refused(client, db):
    assert client.get(URL).status_code == 401
