"""The vocabulary of a debtor's risk, as plain values (no ORM): the rating bands and which
risk events mean insolvency. Every app that judges a debtor reads them from here; the credit
decision engine (limits.engine) builds its guideline limit on the bands.
"""

from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Band(NamedTuple):
    code: str
    low: int  # lowest rating of the band
    high: int  # highest rating of the band
    guideline_percent: Decimal  # the guideline limit, in percent of the latest turnover


# DOMAIN.md "Guideline limit": a rating runs from 1 to 100; 15 belongs to the second band.
BANDS: tuple[Band, ...] = (
    Band("very_high", 1, 14, Decimal("0")),
    Band("high", 15, 39, Decimal("0.4")),
    Band("medium", 40, 59, Decimal("4")),
    Band("low", 60, 79, Decimal("5")),
    Band("very_low", 80, 100, Decimal("6")),
)
VERY_HIGH = "very_high"
BAND_LABELS = {
    "very_high": _("Very high risk"),
    "high": _("High risk"),
    "medium": _("Medium risk"),
    "low": _("Low risk"),
    "very_low": _("Very low risk"),
}
# Bootstrap colours of the bands, for badges.
BAND_STYLES = {
    "very_high": "danger",
    "high": "warning",
    "medium": "info",
    "low": "success",
    "very_low": "success",
}

# Risk event kinds (debtors.models.RiskEventKind) that mean the debtor is insolvent.
INSOLVENCY_KINDS = frozenset({"bankruptcy", "restructuring", "liquidation"})


def band_for(rating: int) -> Band:
    """The band of a rating 1–100; ValueError outside that range."""
    for band in BANDS:
        if band.low <= rating <= band.high:
            return band
    raise ValueError(f"A rating runs from 1 to 100, not {rating}.")


def rating_band(rating: int | None) -> str | None:
    """The risk band's code of a rating 1–100, or None without a rating."""
    return None if rating is None else band_for(rating).code


def band_range(code: str) -> tuple[int, int]:
    """(lowest, highest) rating of a band code."""
    band = next(b for b in BANDS if b.code == code)
    return band.low, band.high


def band_of(rating: int | None) -> dict | None:
    """The risk band of a rating for a page: {"code", "label", "style"}, or None."""
    code = rating_band(rating)
    if code is None:
        return None
    return {"code": code, "label": BAND_LABELS[code], "style": BAND_STYLES[code]}
