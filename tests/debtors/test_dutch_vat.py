"""A Dutch debtor may be identified by its VAT number (btw-id) as well as by its KvK number
(DOMAIN.md: "... Dutch KvK number, or a VAT number"), checked with stdnum's nl.btw."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.identifiers import normalise_registration_number
from debtors.models import Debtor
from tests.factories.limits import DebtorFactory

URL = "/api/v1/debtors/"
VAT = "NL004495445B01"


@pytest.mark.parametrize(
    "typed", ["NL004495445B01", "004495445B01", "nl 0044.95.445.b01", "NL-004495445-B01"]
)
def test_a_dutch_vat_number_is_stored_in_one_form(typed):
    assert normalise_registration_number("NL", typed) == VAT


def test_a_stored_dutch_vat_number_normalises_to_itself():
    assert normalise_registration_number("NL", VAT) == VAT


def test_the_kvk_number_still_names_a_dutch_company():
    assert normalise_registration_number("NL", "1234.5678") == "12345678"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("NL004495446B01", "not a valid Dutch VAT number: the check digit is wrong"),
        ("NL12345678", "not a valid Dutch VAT number"),
        ("1234567", "not a valid Dutch KvK number"),
    ],
)
def test_a_wrong_dutch_number_says_which_kind_it_is_not(typed, says):
    with pytest.raises(ValidationError) as caught:
        normalise_registration_number("NL", typed)

    assert says in " ".join(caught.value.messages)


def test_the_api_registers_a_dutch_debtor_by_its_vat_number(api_for, insured_user, db):
    body = {"country": "NL", "registration_number": "NL 0044.95.445.B01", "name": "Delft BV"}

    response = api_for(insured_user).post(URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["registration_number"] == VAT
    assert Debtor.objects.get().registration_number == VAT


def test_the_api_refuses_a_dutch_vat_number_with_a_wrong_check_digit(api_for, insured_user, db):
    body = {"country": "NL", "registration_number": "NL004495446B01", "name": "Typo BV"}

    response = api_for(insured_user).post(URL, body, format="json")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "registration_number" and "check digit" in error["message"]


def test_the_api_finds_a_dutch_debtor_already_registered_by_its_vat_number(
    api_for, insured_user, db
):
    known = DebtorFactory(country="NL", registration_number=VAT, name="Delft BV")
    body = {"country": "NL", "registration_number": "004495445B01", "name": "Again BV"}

    response = api_for(insured_user).post(URL, body, format="json")

    assert response.status_code == 409
    assert response.json()["errors"][0]["values"] == {"debtor_id": known.pk}


def test_the_registration_form_takes_a_dutch_vat_number(client, insured_user, db):
    client.force_login(insured_user)
    data = {"country": "NL", "registration_number": "nl004495445b01", "name": "Delft BV"}

    response = client.post(reverse("debtor-create"), data, follow=True)

    debtor = Debtor.objects.get()
    assert debtor.registration_number == VAT
    assert response.redirect_chain == [(reverse("debtor-detail", args=[debtor.pk]), 302)]


def test_a_dutch_debtor_is_found_by_its_vat_number_without_the_prefix(client, insured_user, db):
    DebtorFactory(country="NL", registration_number=VAT, name="Delft BV")
    client.force_login(insured_user)

    response = client.get(reverse("debtor-list"), {"q": "004495445B01"})

    assert "Delft BV" in response.content.decode()
