"""Names, references, addresses and reasons are plain text of a bounded length: a bidi control
(U+202E reads "ABcod.exe" reversed in a page and a PDF) or another control character is refused
with an error naming the field, in forms, the API and model validation; on main they were
stored, as was a 100 000-character company address that the schedule then printed."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import InsuredCompany
from core.text import forbidden_character, validate_plain_text
from debtors.forms import DebtorForm
from policies.forms import CompanyForm, ReasonForm

RLO = "\u202e"
COMPANY = {
    "name": "Gamma AB",
    "country": "SE",
    "registration_number": "556677-8907",
    "language": "sv",
}


@pytest.mark.parametrize(
    "text", ["A\u202eB", "A\u202aB", "A\u2066B", "A\u200fB", "A\x00B", "A\x1bB", "A\x85B", "A\tB"]
)
def test_control_and_bidi_characters_are_refused_in_one_line(text):
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(text, field="name")
    assert refused.value.code == "control_character"
    assert "name" in refused.value.messages[0] and "U+" in refused.value.messages[0]


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs_only():
    assert forbidden_character("Storgatan 1\r\n111 22\tStockholm", multiline=True) is None
    assert forbidden_character("Storgatan 1\r\n\u202e", multiline=True) == RLO
    assert forbidden_character("Storgatan 1\n") == "\n"


def test_letters_of_every_script_and_ordinary_marks_pass():
    for text in ("Åkesson & Söner AB", "שלום בע״מ", "Ünal GmbH — “Köln”", "株式会社"):
        validate_plain_text(text)


def test_a_debtor_name_with_a_bidi_override_is_refused_on_its_field():
    form = DebtorForm(
        data={"country": "SE", "registration_number": "5566778907", "name": f"Acme{RLO}BA"}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["name"]
    assert "U+202E" in form.errors["name"][0]


def test_a_reason_may_have_lines_but_no_controls():
    assert ReasonForm(data={"reason": "Not paid.\r\nSecond reminder sent."}).is_valid()
    assert not ReasonForm(data={"reason": f"Not paid{RLO}"}).is_valid()


@pytest.mark.django_db
def test_a_company_address_is_bounded_and_plain():
    long = CompanyForm(data={**COMPANY, "address": "x" * 100_000})
    assert not long.is_valid() and list(long.errors) == ["address"]
    bidi = CompanyForm(data={**COMPANY, "address": f"Storgatan 1\r\n{RLO}Stockholm"})
    assert not bidi.is_valid() and list(bidi.errors) == ["address"]
    ok = CompanyForm(data={**COMPANY, "address": "Storgatan 1\r\n111 22 Stockholm"})
    assert ok.is_valid(), ok.errors


@pytest.mark.django_db
def test_the_model_refuses_them_too_as_the_admin_does():
    company = InsuredCompany(**COMPANY, address="a" * 501, vat_number=f"SE{RLO}1")
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert {"address", "vat_number"} <= set(refused.value.message_dict)


def test_the_api_refuses_a_bidi_override_naming_the_field(api_for, insured_user):
    body = {"country": "SE", "registration_number": "5566778907", "name": f"Acme{RLO}BA"}

    response = api_for(insured_user).post("/api/v1/debtors/", body, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["name"]
    assert errors[0]["code"] == "control_character"


def test_the_api_refuses_an_overlong_or_reversed_limit_request_reference(api_for, insured_user):
    from limits.serializers.requests import LimitRequestCreateInputSerializer

    for reference in ("r" * 101, f"ERP{RLO}1"):
        serializer = LimitRequestCreateInputSerializer(data={"reference": reference})
        assert not serializer.is_valid()
        assert "reference" in serializer.errors
