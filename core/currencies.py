"""ISO 4217 currency codes and locale-aware money formatting (Babel)."""

from decimal import Decimal

from babel.numbers import format_currency, list_currencies
from django.utils import translation

# Codes in use today; Babel also lists historic ones, which a new policy never takes.
_HISTORIC = {
    "ADP",
    "ATS",
    "BEF",
    "DEM",
    "ESP",
    "FIM",
    "FRF",
    "GRD",
    "IEP",
    "ITL",
    "LUF",
    "NLG",
    "PTE",
    "XEU",
    "YUM",
    "ZMK",
    "ROL",
    "TRL",
    "VEB",
    "SIT",
    "SKK",
    "EEK",
    "CYP",
    "MTL",
    "LVL",
    "LTL",
    "HRK",
}


def is_currency(code: str) -> bool:
    return len(code) == 3 and code.isupper() and code in list_currencies() and code not in _HISTORIC


def format_money(amount: Decimal | None, currency: str, language: str | None = None) -> str:
    if amount is None:
        return ""
    locale = (language or translation.get_language() or "en").replace("-", "_")
    if locale.split("_")[0] == "en":
        # CLDR's English glues the code to the number ("SEK1,234.50"); keep them apart.
        return format_currency(amount, currency, "¤\u00a0#,##0.00", locale=locale)
    return format_currency(amount, currency, locale=locale)
