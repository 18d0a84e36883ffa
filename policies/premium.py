"""Premium rules as pure functions over plain values: periods, period premium, the year's
premium with its minimum and limit fees. Each returns its steps so a page can show them."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from core.money import round_money

PER_MILLE = Decimal(1000)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due: date


def declaration_periods(start: date, end: date, frequency: str, due_days: int) -> list[Period]:
    """The declaration periods of a policy: calendar months or quarters, cut to its dates."""
    months = 1 if frequency == "monthly" else 3
    periods = []
    # Periods follow the calendar: the first begins at the start of the policy's month/quarter.
    cursor = date(start.year, start.month - (start.month - 1) % months, 1)
    while cursor <= end:
        nxt = cursor + relativedelta(months=months)
        p_start, p_end = max(cursor, start), min(nxt - timedelta(days=1), end)
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
    limit_fee: Decimal
    limit_fees: Decimal
    total: Decimal
    max_liability: Decimal

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
    limit_fee: Decimal,
    max_liability_multiple: Decimal,
    year_complete: bool,
) -> YearPremium:
    """The year's premium: the declared periods' premium, raised to the minimum premium once
    the year is complete (before that the shortfall is shown, not charged), plus limit fees.
    Maximum liability is the multiple of the premium, fees excluded, never less than the
    multiple of the minimum premium."""
    shortfall = max(minimum_premium - period_premiums, Decimal(0))
    adjustment = shortfall if year_complete else Decimal(0)
    premium = period_premiums + adjustment
    fees = round_money(limit_fee * limit_decisions)
    liability_base = max(period_premiums, minimum_premium)
    return YearPremium(
        declared_turnover=declared_turnover,
        turnover_premium=period_premiums,
        minimum_premium=minimum_premium,
        minimum_adjustment=round_money(adjustment),
        premium=round_money(premium),
        limit_decisions=limit_decisions,
        limit_fee=limit_fee,
        limit_fees=fees,
        total=round_money(premium + fees),
        max_liability=round_money(liability_base * max_liability_multiple),
    )
