"""ISO 4217 currency codes and locale-aware money formatting (Babel)."""

import functools
from datetime import date
from decimal import Decimal

from babel.core import get_global
from babel.numbers import format_currency
from django.utils import translation

# A currency a policy may take: an ISO 4217 code of a currency some territory uses as legal
# tender today (CLDR's territory data, shipped with Babel). That leaves out the codes that are
# no money in use: XXX (no currency), XTS (testing), metals (XAU, XAG, XPT, XPD), units of
# account (XDR, XBA…) and withdrawn currencies (DEM, DDM, NLG, HRK…).


@functools.cache
def currencies_in_use(today: date) -> frozenset[str]:
    """Every code in use on `today` (cached per day)."""
    codes = set()
    for currencies in get_global("territory_currencies").values():
        for code, _start, end, tender in currencies:
            if tender and (end is None or date(*end) >= today):
                codes.add(code)
    return frozenset(codes)


def is_currency(code: str) -> bool:
    """An ISO 4217 code of a currency in use (see above)."""
    return isinstance(code, str) and code in currencies_in_use(date.today())


def format_money(amount: Decimal | None, currency: str, language: str | None = None) -> str:
    if amount is None:
        return ""
    locale = (language or translation.get_language() or "en").replace("-", "_")
    if locale.split("_")[0] == "en":
        # CLDR's English glues the code to the number ("SEK1,234.50"); keep them apart.
        return format_currency(amount, currency, "¤\u00a0#,##0.00", locale=locale)
    return format_currency(amount, currency, locale=locale)
