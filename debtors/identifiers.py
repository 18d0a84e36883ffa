"""Registration numbers: validated with their check digits where they have them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr as se_orgnr


def _nl_kvk(number: str) -> str:
    digits = "".join(ch for ch in number if not ch.isspace() and ch not in ".-")
    if len(digits) != 8 or not digits.isdigit():
        raise ValidationError(_("A Dutch KvK number is 8 digits."), code="invalid_kvk")
    return digits


def normalise_registration_number(country: str, number: str) -> str:
    """The stored form of a registration number, or ValidationError naming what is wrong."""
    country = (country or "").upper()
    number = (number or "").strip()
    if not number:
        raise ValidationError(_("Enter a registration number."), code="required")
    try:
        if country == "SE":
            return se_orgnr.format(se_orgnr.validate(number))
        if country == "BE":
            return be_vat.validate(number)
        if country == "NL":
            return _nl_kvk(number)
        if number[:2].lower() in eu_vat.MEMBER_STATES | {"el"}:
            return eu_vat.validate(number)
    except StdnumError as exc:
        raise ValidationError(
            _("%(number)s is not a valid registration number for %(country)s: %(reason)s")
            % {"number": number, "country": country, "reason": exc.message},
            code="invalid_registration_number",
        ) from exc
    return number.upper().replace(" ", "")
