"""Registration numbers are checked with their check digits and stored in one form, so the
same company cannot be registered twice under two spellings."""

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import normalise_registration_number, search_variants


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("SE", "556677-8907", "556677-8907"),
        ("SE", "5566778907", "556677-8907"),
        ("se", " 556677 8907 ", "556677-8907"),
        ("SE", "SE556677890701", "556677-8907"),  # the VAT number names the same company
        ("BE", "0403.170.701", "0403170701"),
        ("BE", "BE 0403 170 701", "0403170701"),
        ("NL", "12345678", "12345678"),
        ("NL", "1234.5678", "12345678"),
        ("DE", "DE136695976", "DE136695976"),
        ("DE", "136 695 976", "DE136695976"),
        ("FR", "FR40303265045", "FR40303265045"),
        ("GR", "094259216", "EL094259216"),
        ("NO", "988 077 917", "988077917"),
    ],
)
def test_valid_numbers_are_stored_in_one_form(country, typed, stored):
    assert normalise_registration_number(country, typed) == stored


@pytest.mark.parametrize(
    ("country", "typed", "says"),
    [
        ("SE", "556677-8908", "check digit is wrong"),
        ("SE", "55667789", "wrong number of digits"),
        ("BE", "0403.170.702", "check digit is wrong"),
        ("NL", "1234567", "Dutch KvK number"),
        ("NL", "1234567A", "Dutch KvK number"),
        ("DE", "DE136695977", "check digit is wrong"),
        ("DE", "FR40303265045", "VAT number of FR, not of DE"),
        ("SE", "", "Enter a registration number"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(country, typed, says):
    with pytest.raises(ValidationError) as caught:
        normalise_registration_number(country, typed)

    assert says in " ".join(caught.value.messages)


def test_a_stored_number_normalises_to_itself():
    for country, number in [("SE", "556677-8907"), ("BE", "0403170701"), ("GR", "EL094259216")]:
        assert normalise_registration_number(country, number) == number


def test_numbers_are_searched_in_their_usual_spellings():
    assert "556677-8907" in search_variants("5566778907")
    assert "556677-8907" in search_variants("SE556677890701")
    assert search_variants("Acme") == set()
