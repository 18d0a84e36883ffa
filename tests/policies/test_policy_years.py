"""A policy longer than twelve months is cut into policy years from its start date; minimum
premium and maximum liability apply per policy year, on the page and in the API."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from policies import selectors, services

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM))


@pytest.fixture
def two_year_policy(company, underwriter):
    """1 January 2026 – 30 June 2027, SEK, minimum premium 2 500, 2 ‰, 30 × liability."""
    draft = services.policy_create(
        actor=underwriter,
        insured=company,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 6, 30),
        currency="SEK",
    )
    return services.policy_issue(actor=underwriter, policy_id=draft.pk)


def declare(policy, user, period_start: date, turnover: str):
    return services.declaration_submit(
        actor=user, policy_id=policy.pk, period_start=period_start, turnover=Decimal(turnover)
    )


# The pure rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), [(date(2026, 1, 1), date(2026, 12, 31))]),
        (
            date(2026, 1, 1),
            date(2027, 6, 30),
            [(date(2026, 1, 1), date(2026, 12, 31)), (date(2027, 1, 1), date(2027, 6, 30))],
        ),
        (
            date(2026, 3, 15),
            date(2028, 3, 14),
            [(date(2026, 3, 15), date(2027, 3, 14)), (date(2027, 3, 15), date(2028, 3, 14))],
        ),
        # counted from the start each time: a 29 February start keeps 28 February
        (
            date(2024, 2, 29),
            date(2026, 2, 27),
            [(date(2024, 2, 29), date(2025, 2, 27)), (date(2025, 2, 28), date(2026, 2, 27))],
        ),
    ],
)
def test_a_policy_period_is_cut_into_policy_years_from_its_start(start, end, years):
    from policies.premium import policy_years

    assert [(y.start, y.end) for y in policy_years(start, end)] == years


def test_a_declaration_period_never_spans_two_policy_years():
    from policies.premium import declaration_periods, policy_years

    periods = declaration_periods(date(2026, 1, 15), date(2027, 7, 14), "quarterly", 30)
    starts = {y.start for y in policy_years(date(2026, 1, 15), date(2027, 7, 14))}

    assert (date(2027, 1, 1), date(2027, 1, 14)) in [(p.start, p.end) for p in periods]
    assert (date(2027, 1, 15), date(2027, 3, 31)) in [(p.start, p.end) for p in periods]
    for period in periods:
        assert not any(period.start < s <= period.end for s in starts)


# Per-year figures ------------------------------------------------------------------------------


def test_minimum_premium_and_maximum_liability_apply_to_each_policy_year(
    two_year_policy, insured_user
):
    # given 5 000 000 declared in 2026 (premium 10 000) and 100 000 in 2027 (premium 200)
    with on(date(2026, 2, 10)):
        declare(two_year_policy, insured_user, date(2026, 1, 1), "5000000")
    with on(date(2027, 2, 10)):
        declare(two_year_policy, insured_user, date(2027, 1, 1), "100000")

    # when the years are read after the policy has ended
    first, second = selectors.policy_years_premium(two_year_policy, today=date(2027, 8, 1))

    # then each year has its own minimum premium and liability
    assert (first.start, first.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert first.turnover_premium == Decimal("10000.00")
    assert first.minimum_adjustment == Decimal("0.00")
    assert first.max_liability == Decimal("300000.00")
    assert (second.start, second.end) == (date(2027, 1, 1), date(2027, 6, 30))
    assert second.turnover_premium == Decimal("200.00")
    assert second.minimum_adjustment == Decimal("2300.00")
    assert second.premium == Decimal("2500.00")
    assert second.max_liability == Decimal("75000.00")


def test_the_current_policy_year_is_the_one_today_falls_in(two_year_policy, insured_user):
    with on(date(2026, 2, 10)):
        declare(two_year_policy, insured_user, date(2026, 1, 1), "5000000")

    in_2027 = selectors.policy_premium(two_year_policy, today=date(2027, 3, 1))

    assert (in_2027.number, in_2027.start) == (2, date(2027, 1, 1))
    assert in_2027.turnover_premium == Decimal("0")
    assert in_2027.max_liability == Decimal("75000.00")


def test_the_api_lists_every_policy_year(api_for, insured_user, two_year_policy):
    with on(date(2026, 2, 10)):
        declare(two_year_policy, insured_user, date(2026, 1, 1), "5000000")

    with on(date(2027, 8, 1)):
        body = api_for(insured_user).get(f"/api/v1/policies/{two_year_policy.pk}/").json()

    assert [(y["number"], y["start"], y["end"]) for y in body["years"]] == [
        (1, "2026-01-01", "2026-12-31"),
        (2, "2027-01-01", "2027-06-30"),
    ]
    first, second = body["years"]
    assert first["turnover_premium"] == "10000.00"
    assert first["minimum_premium"] == "2500.00"
    assert first["minimum_adjustment"] == "0.00"
    assert first["max_liability"] == "300000.00"
    assert second["minimum_adjustment"] == "2500.00"
    assert second["max_liability"] == "75000.00"
    assert second["complete"] is True


def test_the_policy_page_shows_each_policy_year(client, insured_user, two_year_policy):
    with on(date(2026, 2, 10)):
        declare(two_year_policy, insured_user, date(2026, 1, 1), "5000000")
    with on(date(2027, 3, 1)):
        client.force_login(insured_user)
        response = client.get(reverse("policy-detail", args=[two_year_policy.pk]))

    assert response.status_code == 200, response
    html = response.content.decode()
    assert [(y.number, y.end) for y in response.context["years"]] == [
        (1, date(2026, 12, 31)),
        (2, date(2027, 6, 30)),
    ]
    assert 'id="years-h"' in html
    assert "SEK\xa0300,000.00" in html  # the first year's liability
    assert "SEK\xa075,000.00" in html  # the second year's, on its minimum premium
