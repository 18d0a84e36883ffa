"""The limit on a day D (DOMAIN.md): the pure function by tables, and its SQL twin
`limits_as_of` held to it on random histories."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from limits.models import Limit, LimitChange
from limits.selectors import limits_as_of
from limits.timeline import Entry, limit_on, scheduled_reductions
from tests.factories import PolicyFactory
from tests.factories.limits import DebtorFactory

D0 = date(2026, 5, 4)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def approval(amount, on=0, kind="granted", **kw) -> Entry:
    return Entry(kind, Decimal(amount), day(on), **kw)


def insured_cut(amount, on) -> Entry:
    kind = "cancelled_by_insured" if Decimal(amount) == 0 else "reduced_by_insured"
    return Entry(kind, Decimal(amount), day(on))


def insurer_cut(amount, effective) -> Entry:
    kind = "withdrawn" if Decimal(amount) == 0 else "reduced"
    return Entry(kind, Decimal(amount), day(effective))


def amounts(history, days, period=None) -> list[Decimal]:
    return [limit_on(history, day(n), period=period).amount for n in days]


# By tables ----------------------------------------------------------------------------------


def test_nothing_before_the_first_approval():
    assert amounts([approval(1000, on=5)], [4, 5]) == [0, 1000]


def test_the_insurers_reduction_waits_for_its_notice_period():
    history = [approval(400_000), insurer_cut(300_000, effective=30)]
    assert amounts(history, [0, 29, 30, 90]) == [400_000, 400_000, 300_000, 300_000]


def test_the_insureds_cancellation_is_never_undone_by_an_older_scheduled_reduction():
    # Given a reduction to 300 000 from day 30, then the insured cancels at once
    history = [approval(400_000), insurer_cut(300_000, effective=30), insured_cut(0, on=0)]
    # Then the limit is nothing from today, and still nothing from day 30
    assert amounts(history, [0, 29, 30, 31]) == [0, 0, 0, 0]


def test_a_later_approval_replaces_a_reduction_still_waiting_for_its_date():
    history = [
        approval(400_000),
        insurer_cut(300_000, effective=30),
        insured_cut(0, on=0),
        approval(400_000, on=1),
    ]
    assert amounts(history, [0, 1, 30, 60]) == [0, 400_000, 400_000, 400_000]


def test_a_reduction_made_after_the_approval_caps_it_from_its_date():
    history = [approval(400_000), approval(500_000, on=10, kind="increased")]
    history.append(insurer_cut(200_000, effective=40))
    assert amounts(history, [9, 10, 39, 40]) == [400_000, 500_000, 500_000, 200_000]


def test_the_lowest_reduction_in_force_wins_whatever_its_order():
    history = [approval(400_000), insurer_cut(100_000, effective=30), insured_cut(250_000, on=5)]
    assert amounts(history, [4, 5, 30]) == [400_000, 250_000, 100_000]


def test_nothing_after_the_expiry_date():
    history = [approval(10_000, limit_kind="dcl", expires_on=day(20))]
    on = [limit_on(history, day(n)) for n in (20, 21)]
    assert [x.amount for x in on] == [10_000, 0]
    assert on[1].limit_kind == "dcl" and on[1].expires_on == day(20)


def test_nothing_outside_the_policy_period():
    period = (day(0), day(30))
    history = [approval(50_000)]
    assert amounts(history, [-1, 0, 30, 31], period=period) == [0, 50_000, 50_000, 0]


def test_the_kind_and_conditions_are_the_approvals():
    history = [
        approval(50_000, max_terms_days=60, expires_on=day(300)),
        insured_cut(20_000, on=3),
    ]
    on = limit_on(history, day(5))
    assert (on.amount, on.max_terms_days, on.expires_on, on.since) == (
        20_000,
        60,
        day(300),
        day(3),
    )


def test_scheduled_reductions_leave_out_those_a_later_decision_made_moot():
    lowered = [approval(400_000), insurer_cut(300_000, effective=30)]
    assert scheduled_reductions(lowered, day(0)) == [(1, Decimal(400_000))]
    cancelled = [*lowered, insured_cut(0, on=0)]
    assert scheduled_reductions(cancelled, day(0)) == []
    replaced = [*cancelled, approval(400_000, on=1)]
    assert scheduled_reductions(replaced, day(1)) == []
    assert scheduled_reductions(lowered, day(30)) == []


# The SQL twin -------------------------------------------------------------------------------
# Random histories over 60 days around a 40-day policy, with made dates in order.

AMOUNTS = st.sampled_from([0, 1_000, 10_000, 150_000, 300_000, 400_000]).map(Decimal)
PERIOD = (day(5), day(45))
DAYS = range(0, 60)


@st.composite
def histories(draw) -> list[Entry]:
    made, out = 0, []
    for _ in range(draw(st.integers(0, 7))):
        made = min(made + draw(st.integers(0, 8)), 55)
        what = draw(st.sampled_from(["approve", "insured", "insurer", "expired"]))
        amount = draw(AMOUNTS)
        if what == "approve":
            expiry = draw(st.none() | st.integers(made, 70).map(day))
            out.append(
                Entry(
                    draw(st.sampled_from(["granted", "increased", "renewed"])),
                    max(amount, Decimal(1_000)),
                    day(made),
                    draw(st.sampled_from(["named", "dcl"])),
                    expiry,
                    draw(st.none() | st.sampled_from([30, 60, 90])),
                )
            )
        elif what == "insured":
            out.append(insured_cut(amount, on=made))
        elif what == "insurer":
            notice = draw(st.sampled_from([0, 10, 30]))  # 0: the debtor is insolvent
            out.append(insurer_cut(amount, effective=made + notice))
        else:
            out.append(Entry("expired", Decimal(0), day(made)))
    return out


@pytest.fixture
def policy(db):
    return PolicyFactory(start_date=PERIOD[0], end_date=PERIOD[1])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_limits_as_of_agrees_with_limit_on_every_day(policy, history):
    # Given the history written as rows, in the order the decisions were made
    limit = Limit.objects.create(policy=policy, debtor=DebtorFactory())
    LimitChange.objects.bulk_create(
        LimitChange(
            limit=limit,
            kind=e.kind,
            amount=e.amount,
            effective_from=e.effective_from,
            limit_kind=e.limit_kind,
            expires_on=e.expires_on,
            max_terms_days=e.max_terms_days,
        )
        for e in history
    )
    fields = ("amount", "limit_kind", "expires_on", "max_terms_days", "effective_from")
    for n in DAYS:
        # When both read the limit on the day
        [row] = limits_as_of(Limit.objects.filter(pk=limit.pk), day(n)).values_list(*fields)
        want = limit_on(history, day(n), period=PERIOD)
        # Then they agree on everything they say
        assert row == (
            want.amount,
            want.limit_kind,
            want.expires_on,
            want.max_terms_days,
            want.since,
        ), f"day {n}"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_the_limit_as_steps_agrees_with_limit_on_every_day(policy, history):
    from datetime import date as date_type

    from django.db import connection

    from limits.selectors import limit_steps_sql

    # Given the history written as rows
    limit = Limit.objects.create(policy=policy, debtor=DebtorFactory())
    LimitChange.objects.bulk_create(
        LimitChange(
            limit=limit,
            kind=e.kind,
            amount=e.amount,
            effective_from=e.effective_from,
            limit_kind=e.limit_kind,
            expires_on=e.expires_on,
            max_terms_days=e.max_terms_days,
        )
        for e in history
    )
    # When the limit is read as steps
    sql, params = limit_steps_sql(Limit.objects.filter(pk=limit.pk))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT point, until, step_amount, step_terms FROM ({sql}) AS t", params)
        steps = [
            (
                p if isinstance(p, date_type) else date_type.fromisoformat(p),
                u if u is None or isinstance(u, date_type) else date_type.fromisoformat(u),
                Decimal(str(a)),
                t,
            )
            for p, u, a, t in cursor.fetchall()
        ]
    for n in DAYS:
        d = day(n)
        on = [(a, t) for p, u, a, t in steps if p <= d and (u is None or d < u)]
        want = limit_on(history, d, period=PERIOD)
        # Then each day lies in one step at most, and it says what limit_on says
        assert len(on) <= 1, f"day {n}"
        amount, terms = on[0] if on else (Decimal(0), None)
        assert amount == want.amount, f"day {n}"
        if amount:
            assert terms == want.max_terms_days, f"day {n}"
