"""Premium rules as pure functions over plain values: policy years, declaration periods,
period premium, a policy year's premium with its minimum and limit fees. Each returns its
steps so a page can show them."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from core.money import round_money

PER_MILLE = Decimal(1000)


@dataclass(frozen=True)
class PolicyYear:
    """A policy year: twelve months from the start date (or its anniversary), the last one
    cut at the policy's end. Minimum premium and maximum liability apply per policy year."""

    number: int
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def policy_years(start: date, end: date) -> list[PolicyYear]:
    """The policy period cut into policy years from the start date. Each year is counted
    from the start itself (never from the previous year's start), so a policy starting on
    29 February keeps its anniversary on 28 February."""
    years = []
    number = 0
    while (year_start := start + relativedelta(years=number)) <= end:
        year_end = min(start + relativedelta(years=number + 1) - timedelta(days=1), end)
        years.append(PolicyYear(number + 1, year_start, year_end))
        number += 1
    return years


def policy_year_of(years: list[PolicyYear], day: date) -> PolicyYear:
    """The policy year `day` falls in; a day before the first (after the last) counts in the
    first (last) year."""
    for year in years:
        if day <= year.end:
            return year
    return years[-1]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due: date


def declaration_periods(start: date, end: date, frequency: str, due_days: int) -> list[Period]:
    """The declaration periods of a policy: calendar months or quarters, cut to its dates and
    at the start of each policy year, so every period lies in one policy year."""
    months = 1 if frequency == "monthly" else 3
    year_starts = [y.start for y in policy_years(start, end)[1:]]
    periods = []
    # Periods follow the calendar: the first begins at the start of the policy's month/quarter.
    cursor = date(start.year, start.month - (start.month - 1) % months, 1)
    while cursor <= end:
        nxt = cursor + relativedelta(months=months)
        p_start, p_end = max(cursor, start), min(nxt - timedelta(days=1), end)
        for cut in [d for d in year_starts if p_start < d <= p_end]:
            before = cut - timedelta(days=1)
            periods.append(Period(p_start, before, before + timedelta(days=due_days)))
            p_start = cut
        periods.append(Period(p_start, p_end, p_end + timedelta(days=due_days)))
        cursor = nxt
    return periods


def period_premium(turnover: Decimal, rate_per_mille: Decimal) -> Decimal:
    """Premium for one period: turnover × rate, rounded half up to the cent."""
    return round_money(turnover * rate_per_mille / PER_MILLE)


@dataclass(frozen=True)
class YearPremium:
    declared_turnover: Decimal
    turnover_premium: Decimal
    minimum_premium: Decimal
    minimum_adjustment: Decimal
    premium: Decimal
    limit_decisions: int
    limit_fees: Decimal
    total: Decimal
    max_liability: Decimal
    year_complete: bool

    def steps(self) -> list[tuple[str, Decimal]]:
        return [
            ("declared_turnover", self.declared_turnover),
            ("turnover_premium", self.turnover_premium),
            ("minimum_adjustment", self.minimum_adjustment),
            ("premium", self.premium),
            ("limit_fees", self.limit_fees),
            ("total", self.total),
        ]


def year_premium(
    *,
    declared_turnover: Decimal,
    period_premiums: Decimal,
    minimum_premium: Decimal,
    limit_decisions: int,
    limit_fees: Decimal,
    max_liability_multiple: Decimal,
    year_complete: bool,
) -> YearPremium:
    """One policy year's premium: its declared periods' premium, raised to the minimum
    premium once the year is complete (before that the shortfall is shown, not charged),
    plus the limit fees charged in the year. Maximum liability is the multiple of the
    year's premium, fees excluded, never less than the multiple of the minimum premium."""
    shortfall = max(minimum_premium - period_premiums, Decimal(0))
    adjustment = shortfall if year_complete else Decimal(0)
    premium = period_premiums + adjustment
    liability_base = max(period_premiums, minimum_premium)
    return YearPremium(
        declared_turnover=declared_turnover,
        turnover_premium=period_premiums,
        minimum_premium=minimum_premium,
        minimum_adjustment=round_money(adjustment),
        premium=round_money(premium),
        limit_decisions=limit_decisions,
        limit_fees=round_money(limit_fees),
        total=round_money(premium + limit_fees),
        max_liability=round_money(liability_base * max_liability_multiple),
        year_complete=year_complete,
    )


def minimum_topup(*, minimum_premium: Decimal, period_premiums: Decimal) -> Decimal:
    """What a complete policy year's premium lacks to reach the minimum premium."""
    return round_money(max(minimum_premium - period_premiums, Decimal(0)))
