"""The guideline limit: the rating band's share of the turnover, capped, with the rule for
young companies."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from core.money import round_money, to_decimal
from debtors.risk import band_for

from .facts import DebtorFacts, Guideline
from .lines import _fmt, _months_between, _step

GUIDELINE_CAP_SEK = Decimal("500000000")
YOUNG_COMPANY_MONTHS = 12
YOUNG_COMPANY_SEK = Decimal("25000")
YOUNG_COMPANY_RATING_ABOVE = 40
ZERO = round_money(0)


def guideline_limit(facts: DebtorFacts, *, today: date, sek_per_unit: Decimal) -> Guideline:
    """The guideline limit in the policy currency (`sek_per_unit` SEK buy one unit of it).

    From the rating band's percentage of the latest turnover (in SEK), at most 500 000 000 SEK;
    a company younger than 12 months gets 25 000 SEK if rated over 40, else none; no rating or
    no (positive) turnover gives none. Converted, then rounded DOWN to whole units, because a
    limit is a round figure and rounding must never grant more than the rule allows.
    """
    sek_per_unit = to_decimal(sek_per_unit)
    if sek_per_unit <= 0:
        raise ValueError("sek_per_unit must be positive.")
    if facts.rating is None:
        return Guideline(ZERO, (_step("no_rating", "no rating → no guideline"),))
    band = band_for(facts.rating)
    steps = [
        _step(
            "band",
            f"rating {facts.rating} → band {band.code} ({band.low}–{band.high})",
            rating=facts.rating,
            band=band.code,
            low=band.low,
            high=band.high,
        )
    ]
    age = None if facts.registered_on is None else _months_between(facts.registered_on, today)
    if age is not None and age < YOUNG_COMPANY_MONTHS:
        young = f"registered {facts.registered_on}, {age} months before {today}: younger than 12"
        values = {"registered_on": facts.registered_on, "months": age, "today": today}
        if facts.rating <= YOUNG_COMPANY_RATING_ABOVE:
            line = f"{young}, rating not over 40 → no guideline"
            return Guideline(ZERO, (*steps, _step("young_no_guideline", line, **values)))
        sek = YOUNG_COMPANY_SEK
        steps.append(
            _step(
                "young_guideline", f"{young}, rating over 40 → {_fmt(sek)} SEK", **values, sek=sek
            )
        )
    elif not band.guideline_percent:
        return Guideline(ZERO, (*steps, _step("band_no_guideline", "no guideline in this band")))
    elif facts.turnover is None or facts.turnover <= 0:
        return Guideline(ZERO, (*steps, _step("no_turnover", "no turnover figure → no guideline")))
    else:
        percent = band.guideline_percent
        sek = facts.turnover * percent / 100
        line = f"{_fmt(percent, False)} % of turnover {_fmt(facts.turnover)} SEK = {_fmt(sek)} SEK"
        steps.append(
            _step("turnover_share", line, percent=percent, turnover=facts.turnover, sek=sek)
        )
    if sek > GUIDELINE_CAP_SEK:
        sek = GUIDELINE_CAP_SEK
        steps.append(_step("capped", f"capped at {_fmt(sek)} SEK", sek=sek))
    amount = sek / sek_per_unit
    if sek_per_unit != 1:
        line = f"in the policy currency at {_fmt(sek_per_unit, False)} SEK a unit = {_fmt(amount)}"
        steps.append(
            _step("converted", line, sek_per_unit=sek_per_unit, amount=round_money(amount))
        )
    amount = round_money(amount.quantize(Decimal(1), rounding=ROUND_DOWN))
    steps.append(
        _step("rounded_down", f"rounded down to whole units = {_fmt(amount)}", amount=amount)
    )
    return Guideline(amount, tuple(steps))
