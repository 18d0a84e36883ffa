"""Registration numbers: validated with their check digits where they have them, and stored in
one form per country so that the same company is never registered twice.

| country | number | stored as |
|---|---|---|
| SE | organisationsnummer (Luhn check digit); a SE VAT number is accepted too | `556677-8907` |
| BE | enterprise number (mod 97), with or without `BE` | `0403170701` |
| NL | KvK number, 8 digits; or the VAT number (btw-id, checked) | `12345678`, `NL004495445B01` |
| NO | organisasjonsnummer (mod 11) | `988077917` |
| CH | UID (mod 11) | `CHE-100.155.212` |
| other EU | VAT number, with or without the country prefix (Greece: `EL`) | `DE136695976` |
| GB | VAT number, or a Companies House number (8 characters) | `980780684`, `SC123456` |
| elsewhere | as typed, upper case without spaces | |

Company numbers are plumbing shared by debtors and insured companies (python-stdnum does the
checking), so they live in core. `normalise_vat_number` checks an insured company's VAT number
for its country.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import exceptions as stdnum_exceptions
from stdnum import get_cc_module, luhn
from stdnum.be import vat as be_vat
from stdnum.ch import uid as ch_uid
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.nl import btw as nl_btw
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr
from stdnum.se import vat as se_vat

from core.countries import EU_MEMBERS, country_name

# The VAT prefix of each EU member state is its ISO code, except Greece's.
VAT_PREFIX = {"GR": "EL"}
EU_VAT_COUNTRIES = frozenset(
    code.upper() for code in eu_vat.MEMBER_STATES if code not in ("gr", "xi")
) | {"GR"}

KIND = {
    "SE": gettext_lazy("Swedish organisation number"),
    "BE": gettext_lazy("Belgian enterprise number"),
    "NL": gettext_lazy("Dutch KvK number"),
    "NL-VAT": gettext_lazy("Dutch VAT number"),
    "NO": gettext_lazy("Norwegian organisation number"),
    "CH": gettext_lazy("Swiss UID"),
    "GB": gettext_lazy("UK VAT or Companies House number"),
}

_SEPARATORS = re.compile(r"[\s.\-/]")
_SE_PLAIN = re.compile(r"^(\d{6})-?(\d{4})$")
_GB_COMPANY = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")


def _reason(exc: stdnum_exceptions.ValidationError) -> str:
    if isinstance(exc, stdnum_exceptions.InvalidChecksum):
        return _("the check digit is wrong")
    if isinstance(exc, stdnum_exceptions.InvalidLength):
        return _("it has the wrong number of digits")
    if isinstance(exc, stdnum_exceptions.InvalidComponent):
        return _("a part of it is not valid")
    return _("it is not in the right format")


def _kind(country: str, number: str = "") -> str:
    if country == "NL" and _looks_like_nl_vat(number):
        return str(KIND["NL-VAT"])
    if country in KIND:
        return str(KIND[country])
    return _("VAT number of %(country)s") % {"country": country}


def _invalid(number: str, country: str, reason: str) -> ValidationError:
    return ValidationError(
        _("%(number)s is not a valid %(kind)s: %(reason)s.")
        % {"number": number, "kind": _kind(country, number), "reason": reason},
        code="invalid_registration_number",
    )


def _se(number: str) -> str:
    if (plain := _SE_PLAIN.match(number)) is not None:  # the usual spelling, quickly
        digits = plain[1] + plain[2]
        if luhn.is_valid(digits):
            return f"{plain[1]}-{plain[2]}"
    compact = se_orgnr.compact(number)
    if compact.upper().startswith("SE") or len(compact) == 12:
        # A Swedish VAT number is SE + the organisation number + 01.
        return se_orgnr.format(se_vat.validate(number)[:10])
    return se_orgnr.format(se_orgnr.validate(number))


def _looks_like_nl_vat(number: str) -> bool:
    """A Dutch btw-id: NL, nine digits, B, two digits; typed with or without the NL."""
    compact = _SEPARATORS.sub("", number).upper()
    return compact.startswith("NL") or "B" in compact[9:]


def _nl(number: str) -> str:
    """A KvK number (8 digits), or a VAT number stored as `NL` + 9 digits + `B` + 2 digits."""
    if _looks_like_nl_vat(number):
        return "NL" + nl_btw.validate(number)
    digits = _SEPARATORS.sub("", number)
    if len(digits) != 8 or not digits.isdigit():
        raise stdnum_exceptions.InvalidFormat()
    return digits


def _gb(number: str) -> str:
    compact = _SEPARATORS.sub("", number).upper()
    if _GB_COMPANY.match(compact) and not compact.startswith("GB"):
        return compact
    return gb_vat.validate(compact)


def _eu_vat(country: str, number: str) -> str:
    prefix = VAT_PREFIX.get(country, country)
    compact = _SEPARATORS.sub("", number).upper()
    if compact[:2].isalpha():
        given = compact[:2].upper()
        if given not in (prefix, country):
            raise ValidationError(
                _("%(number)s is a VAT number of %(other)s, not of %(country)s.")
                % {"number": number, "other": given, "country": country},
                code="country_mismatch",
            )
        compact = compact[2:]
    return eu_vat.validate(prefix + compact)


VALIDATORS = {
    "SE": _se,
    "BE": be_vat.validate,
    "NL": _nl,
    "NO": no_orgnr.validate,
    "CH": lambda n: ch_uid.format(ch_uid.validate(n)),
    "GB": _gb,
}


def normalise_registration_number(country: str, number: str) -> str:
    """The stored form of a registration number, or ValidationError naming what is wrong."""
    country = (country or "").strip().upper()
    number = (number or "").strip()
    if not number:
        raise ValidationError(_("Enter a registration number."), code="required")
    try:
        if country in VALIDATORS:
            return VALIDATORS[country](number)
        if country in EU_VAT_COUNTRIES:
            return _eu_vat(country, number)
    except stdnum_exceptions.ValidationError as exc:
        raise _invalid(number, country, _reason(exc)) from exc
    return _SEPARATORS.sub("", number).upper()


def search_variants(text: str) -> set[str]:
    """Forms a typed number may be stored in, for searching ("5566778907" finds
    "556677-8907"); empty when the text does not look like a number."""
    compact = _SEPARATORS.sub("", text).upper()
    if not compact or sum(ch.isdigit() for ch in compact) < 4:
        return set()
    variants = {compact}
    if compact.isdigit() and len(compact) == 10:
        variants.add(f"{compact[:6]}-{compact[6:]}")
    if compact.startswith("SE") and len(compact) >= 12:
        variants.add(f"{compact[2:8]}-{compact[8:12]}")
    if compact[:2].isalpha() and compact[:2] in {*EU_VAT_COUNTRIES, "EL"}:
        variants.add(compact[2:])
    return variants


def normalise_vat_number(country: str, number: str) -> str:
    """The VAT number in its compact form, checked (with its check digits) by python-stdnum's
    module for `country`. EU numbers carry their country prefix ("SE556123456701"); a prefix
    the user typed is accepted, another country's is not. Countries python-stdnum has no VAT
    module for keep the number as typed, without spaces. Raises ValidationError."""
    text = "".join((number or "").split())
    module = get_cc_module(country.lower(), "vat") if country else None
    if module is None or not text:
        return text
    try:
        compact = module.validate(text)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("%(number)s is not a valid VAT number in %(country)s.")
            % {"number": number.strip(), "country": country_name(country)},
            code="invalid_vat_number",
        ) from exc
    if country in EU_MEMBERS:
        return f"{VAT_PREFIX.get(country, country)}{compact}"
    return compact
