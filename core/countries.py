"""Country codes and names (names from Babel's CLDR data, in the active language)."""

from babel import Locale
from django.utils import translation

EU_MEMBERS = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)


def _locale() -> Locale:
    return Locale.parse(translation.get_language() or "en", sep="-")


def country_names(language: str | None = None) -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → name, for real countries only."""
    locale = Locale.parse(language, sep="-") if language else _locale()
    return {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "ZZ", "QO"}
    }


def country_name(code: str, language: str | None = None) -> str:
    return country_names(language).get(code, code)


def is_country(code: str) -> bool:
    return code in country_names("en")


def default_covered_countries(home_country: str) -> list[str]:
    return sorted(set(EU_MEMBERS) | {home_country.upper()})
