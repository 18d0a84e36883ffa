"""The credit decision engine read as tables: rating bands, guideline limits, every template
parameter with and without data, and the outcome a template gives a request."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from limits.engine import (
    DEFAULT_RULES,
    GUIDELINE_CAP_SEK,
    DatedEvent,
    DebtorFacts,
    OnFail,
    Outcome,
    Param,
    Rule,
    TemplateSpec,
    decide,
    guideline_limit,
    rating_band,
)

TODAY = date(2026, 6, 15)
SEK, EUR = Decimal(1), Decimal("11.5")
D = Decimal


def months_ago(months: int, days: int = 0) -> date:
    return TODAY - relativedelta(months=months) + relativedelta(days=days)


HEALTHY = DebtorFacts(
    rating=63,
    registered_on=date(2010, 3, 1),
    legal_form="AB",
    debt_balance=D(0),
    f_tax=True,
    vat=True,
    employer=True,
    turnover=D(12_000_000),
    equity_ratio=D(25),
    result=D(150_000),
    accounts_closed_on=date(2025, 12, 31),
    clean_audit=True,
    report_date=TODAY,
)

# One rule per parameter; the healthy debtor meets all of them.
EVERY_RULE = (
    Rule(Param.RATING, D(40)),
    Rule(Param.PAYMENT_REMARKS, D(0), months=12),
    Rule(Param.DEBT_BALANCE, D(0)),
    Rule(Param.HISTORIC_DEBT_BALANCE, D(0), months=12),
    Rule(Param.FAILED_DISTRAINT, D(0), months=36),
    Rule(Param.COMPANY_AGE, D(12)),
    Rule(Param.F_TAX),
    Rule(Param.VAT),
    Rule(Param.EMPLOYER),
    Rule(Param.BOARD_CHANGE, months=6),
    Rule(Param.TURNOVER, D(1_000_000)),
    Rule(Param.EQUITY_RATIO, D(10)),
    Rule(Param.RESULT, D(0)),
    Rule(Param.MONTHS_SINCE_ACCOUNTS, D(18)),
    Rule(Param.CLEAN_AUDIT),
)
RULE_OF = {rule.param: rule for rule in EVERY_RULE}


def decide_on(facts=HEALTHY, rules=EVERY_RULE, requested=100_000, **template):
    spec = TemplateSpec(rules=tuple(rules), **template)
    return decide(facts, spec, requested=D(requested), today=TODAY, sek_per_unit=SEK)


def guideline_of(sek_per_unit=SEK, **changes) -> Decimal:
    facts = replace(HEALTHY, **changes)
    return guideline_limit(facts, today=TODAY, sek_per_unit=sek_per_unit).amount


# Bands and guideline limits -------------------------------------------------------------------

BAND_EDGES = [  # rating, band, guideline on a turnover of 10 000 000 SEK
    (1, "very_high", "0.00"),
    (14, "very_high", "0.00"),
    (15, "high", "40000.00"),
    (39, "high", "40000.00"),
    (40, "medium", "400000.00"),
    (59, "medium", "400000.00"),
    (60, "low", "500000.00"),
    (79, "low", "500000.00"),
    (80, "very_low", "600000.00"),
    (100, "very_low", "600000.00"),
]


@pytest.mark.parametrize(("rating", "band", "guideline"), BAND_EDGES, ids=lambda v: str(v))
def test_band_edges_set_band_and_guideline(rating, band, guideline):
    assert rating_band(rating) == band
    assert guideline_of(rating=rating, turnover=D(10_000_000)) == D(guideline)


@pytest.mark.parametrize("rating", [0, 101, -5], ids=str)
def test_a_rating_outside_1_to_100_is_an_error(rating):
    with pytest.raises(ValueError):
        rating_band(rating)


def test_no_rating_has_no_band_and_no_guideline():
    assert rating_band(None) is None
    assert guideline_of(rating=None) == D("0.00")


def test_guideline_converts_and_rounds_down_with_its_steps():
    # Given rating 63, turnover 12 000 000 SEK and a EUR policy at 11.5 SEK a euro
    guideline = guideline_limit(HEALTHY, today=TODAY, sek_per_unit=EUR)

    # then 5 % is 600 000 SEK = 52 173.91 EUR, rounded down to whole euros
    assert guideline.amount == D("52173.00")
    assert [step["message"] for step in guideline.steps] == [
        "rating 63 → band low (60–79)",
        "5 % of turnover 12 000 000 SEK = 600 000 SEK",
        "in the policy currency at 11.5 SEK a unit = 52 173.91",
        "rounded down to whole units = 52 173",
    ]
    # and each step is a code with its values, for pages to say it in the reader's language
    assert [(step["code"], step["values"]) for step in guideline.steps] == [
        ("band", {"rating": 63, "band": "low", "low": 60, "high": 79}),
        ("turnover_share", {"percent": "5", "turnover": "12000000", "sek": "600000"}),
        ("converted", {"sek_per_unit": "11.5", "amount": "52173.91"}),
        ("rounded_down", {"amount": "52173.00"}),
    ]
    assert json.loads(json.dumps(guideline.steps)) == list(guideline.steps)  # storable


@pytest.mark.parametrize(
    ("registered_on", "rating", "turnover", "sek_per_unit", "expected"),
    [
        (months_ago(11), 41, D(10_000_000), SEK, "25000.00"),
        (months_ago(11), 40, D(10_000_000), SEK, "0.00"),
        (months_ago(11), 41, None, SEK, "25000.00"),
        (months_ago(11), 90, D(10_000_000), EUR, "2173.00"),
        (months_ago(12, days=1), 41, D(10_000_000), SEK, "25000.00"),
        (months_ago(12), 41, D(10_000_000), SEK, "400000.00"),
        (months_ago(12), 40, D(10_000_000), SEK, "400000.00"),
        (TODAY + relativedelta(days=3), 41, D(10_000_000), SEK, "25000.00"),
        (None, 41, D(10_000_000), SEK, "400000.00"),
    ],
    ids=[
        "11m-rating-41",
        "11m-rating-40",
        "11m-no-turnover",
        "11m-in-eur",
        "one-day-short-of-12m",
        "12m-rating-41-band-rule",
        "12m-rating-40-band-rule",
        "registered-in-future",
        "no-registration-date-band-rule",
    ],
)
def test_young_company_rule(registered_on, rating, turnover, sek_per_unit, expected):
    got = guideline_of(sek_per_unit, registered_on=registered_on, rating=rating, turnover=turnover)
    assert got == D(expected)


@pytest.mark.parametrize(
    ("sek_per_unit", "expected"),
    [(SEK, "500000000.00"), (EUR, "43478260.00"), (D("0.5"), "1000000000.00")],
    ids=["sek", "eur", "currency-worth-half-a-krona"],
)
def test_guideline_is_capped_at_500_million_sek(sek_per_unit, expected):
    assert guideline_of(sek_per_unit, rating=90, turnover=D(100_000_000_000)) == D(expected)


@pytest.mark.parametrize("turnover", [None, D(0), D(-5_000_000)], ids=["none", "zero", "negative"])
def test_no_turnover_figure_gives_no_guideline(turnover):
    assert guideline_of(turnover=turnover) == D("0.00")


@pytest.mark.parametrize("sek_per_unit", [D(0), D(-1)], ids=str)
def test_a_rate_that_is_not_positive_is_an_error(sek_per_unit):
    with pytest.raises(ValueError):
        guideline_of(sek_per_unit)


# Parameters with and without data -------------------------------------------------------------

NO_DATA = [  # parameter, what the debtor lacks, passes anyway
    (Param.RATING, {"rating": None}, False),
    (Param.PAYMENT_REMARKS, {"report_date": None}, False),
    (Param.DEBT_BALANCE, {"debt_balance": None}, False),
    (Param.HISTORIC_DEBT_BALANCE, {"report_date": None}, False),
    (Param.FAILED_DISTRAINT, {"report_date": None}, False),
    (Param.COMPANY_AGE, {"registered_on": None}, False),
    (Param.F_TAX, {"f_tax": None}, False),
    (Param.VAT, {"vat": None}, False),
    (Param.EMPLOYER, {"employer": None}, False),
    (Param.BOARD_CHANGE, {"report_date": None}, False),
    (Param.TURNOVER, {"turnover": None}, False),
    (Param.EQUITY_RATIO, {"equity_ratio": None}, False),
    (Param.RESULT, {"result": None}, False),
    (Param.MONTHS_SINCE_ACCOUNTS, {"accounts_closed_on": None}, True),
    (Param.CLEAN_AUDIT, {"clean_audit": None}, True),
]


@pytest.mark.parametrize(("param", "lacking", "passes"), NO_DATA, ids=[p[0] for p in NO_DATA])
def test_a_parameter_without_data_fails_except_two(param, lacking, passes):
    decision = decide_on(replace(HEALTHY, **lacking), rules=[RULE_OF[param]])

    if passes:
        assert decision.outcome == Outcome.APPROVE and decision.reasons == ()
    else:
        assert decision.outcome == Outcome.REFER and decision.amount == D("0.00")
        assert [(r.code, r.values["value"]) for r in decision.reasons] == [(param.value, None)]


FAILING = {  # what makes the healthy debtor fail each rule, and the value the reason shows
    Param.RATING: ({"rating": 39}, 39),
    Param.PAYMENT_REMARKS: ({"payment_remarks": (DatedEvent(months_ago(12)),)}, 1),
    Param.DEBT_BALANCE: ({"debt_balance": D("0.01")}, "0.01"),
    Param.HISTORIC_DEBT_BALANCE: ({"debt_balance_history": (DatedEvent(TODAY, D(9)),)}, 1),
    Param.FAILED_DISTRAINT: ({"failed_distraints": (DatedEvent(months_ago(35)),)}, 1),
    Param.COMPANY_AGE: ({"registered_on": months_ago(12, days=1)}, 11),
    Param.F_TAX: ({"f_tax": False}, False),
    Param.VAT: ({"vat": False}, False),
    Param.EMPLOYER: ({"employer": False}, False),
    Param.BOARD_CHANGE: ({"board_changed_on": months_ago(6)}, str(months_ago(6))),
    Param.TURNOVER: ({"turnover": D("999999.99")}, "999999.99"),
    Param.EQUITY_RATIO: ({"equity_ratio": D("9.9")}, "9.9"),
    Param.RESULT: ({"result": D(-1)}, "-1"),
    Param.MONTHS_SINCE_ACCOUNTS: ({"accounts_closed_on": months_ago(19)}, 19),
    Param.CLEAN_AUDIT: ({"clean_audit": False}, False),
}


@pytest.mark.parametrize("param", list(FAILING), ids=str)
def test_each_parameter_fails_just_past_its_threshold(param):
    changes, value = FAILING[param]
    rule = RULE_OF[param]

    decision = decide_on(replace(HEALTHY, **changes), rules=[rule])

    assert decision.outcome == Outcome.REFER
    [reason] = decision.reasons
    threshold = None if rule.threshold is None else str(rule.threshold)
    assert reason.code == param.value
    assert reason.values == {"value": value, "threshold": threshold, "months": rule.months}


@pytest.mark.parametrize(
    ("rule", "changes"),
    [
        (RULE_OF[Param.PAYMENT_REMARKS], {"payment_remarks": (DatedEvent(months_ago(12, -1)),)}),
        (RULE_OF[Param.BOARD_CHANGE], {"board_changed_on": months_ago(6, days=-1)}),
        (RULE_OF[Param.COMPANY_AGE], {"registered_on": months_ago(12)}),
        (RULE_OF[Param.MONTHS_SINCE_ACCOUNTS], {"accounts_closed_on": months_ago(18)}),
        (Rule(Param.PAYMENT_REMARKS, D(2)), {"payment_remarks": (DatedEvent(TODAY),) * 2}),
    ],
    ids=["remark-a-day-too-old", "board-a-day-too-old", "age-12m", "accounts-18m", "2-of-2"],
)
def test_each_parameter_passes_at_its_threshold(rule, changes):
    assert decide_on(replace(HEALTHY, **changes), rules=[rule]).outcome == Outcome.APPROVE


def test_every_failing_parameter_is_listed_not_only_the_first():
    # Given a debtor that fails all fifteen rules
    changes = {k: v for changes, _ in FAILING.values() for k, v in changes.items()}

    decision = decide_on(replace(HEALTHY, **changes))

    assert [r.code for r in decision.reasons] == [rule.param.value for rule in EVERY_RULE]
    assert json.loads(json.dumps([r.values for r in decision.reasons]))  # storable as JSON
    assert decision.outcome == Outcome.REFER


def test_the_default_rules_approve_a_healthy_debtor():
    assert [r.param for r in DEFAULT_RULES] == [
        *(Param.RATING, Param.PAYMENT_REMARKS, Param.DEBT_BALANCE, Param.COMPANY_AGE),
        *(Param.F_TAX, Param.VAT, Param.EQUITY_RATIO),
    ]
    assert all(r.on_fail == OnFail.REFER for r in DEFAULT_RULES)
    assert decide_on(rules=DEFAULT_RULES).outcome == Outcome.APPROVE


# Outcomes -------------------------------------------------------------------------------------


def test_an_insolvent_debtor_is_refused_whatever_the_rules_say():
    decision = decide_on(replace(HEALTHY, insolvent=True))

    assert (decision.outcome, decision.amount) == (Outcome.REFUSE, D("0.00"))
    assert [r.code for r in decision.reasons] == ["insolvent"]


def test_a_refusing_rule_beats_a_referring_one_and_both_are_listed():
    rules = [replace(RULE_OF[Param.RATING], on_fail=OnFail.REFUSE), RULE_OF[Param.VAT]]

    decision = decide_on(replace(HEALTHY, rating=20, vat=False), rules=rules)

    assert (decision.outcome, decision.amount) == (Outcome.REFUSE, D("0.00"))
    assert [r.code for r in decision.reasons] == ["rating", "vat"]


@pytest.mark.parametrize(
    ("above_guideline", "outcome", "amount"),
    [
        (Outcome.PARTLY_APPROVE, Outcome.PARTLY_APPROVE, "600000.00"),
        (Outcome.REFER, Outcome.REFER, "0"),
    ],
    ids=["partly-approve", "refer"],
)
def test_a_request_above_the_guideline_as_the_template_says(above_guideline, outcome, amount):
    # Given a guideline of 600 000 (rating 63: 5 % of 12 000 000)
    decision = decide_on(requested=D("600000.01"), above_guideline=above_guideline)

    assert (decision.outcome, decision.amount) == (outcome, D(amount))
    [reason] = decision.reasons
    assert reason.code == "above_guideline"
    assert reason.values == {"requested": "600000.01", "guideline": "600000.00"}


def test_a_request_at_the_guideline_is_approved_in_full():
    decision = decide_on(requested=D(600_000))

    assert (decision.outcome, decision.amount, decision.band) == (
        Outcome.APPROVE,
        D(600_000),
        "low",
    )
    assert decision.steps[-1]["message"] == "decision: approve at 600 000 (requested 600 000)"
    assert decision.steps[-1]["values"] == {
        "outcome": "approve",
        "amount": "600000.00",
        "requested": "600000.00",
    }


def test_each_rule_is_a_step_with_its_value_threshold_and_verdict():
    decision = decide_on(rules=[RULE_OF[Param.RATING], RULE_OF[Param.PAYMENT_REMARKS]])

    rating, remarks = [s for s in decision.steps if s["code"] == "param"]
    assert rating["values"] == {
        "param": "rating",
        "months": None,
        "value": 63,
        "threshold": "40",
        "passed": True,
    }
    assert rating["message"] == "Rating: 63 (needs at least 40) → pass"
    assert remarks["values"]["months"] == 12 and remarks["values"]["value"] == 0


def test_no_guideline_is_referred_even_when_every_rule_passes():
    decision = decide_on(replace(HEALTHY, rating=10), rules=[RULE_OF[Param.VAT]])

    assert decision.outcome == Outcome.REFER
    assert [r.code for r in decision.reasons] == ["no_guideline"]


@pytest.mark.parametrize("requested", [D(0), D(-100), D("0.001")], ids=str)
def test_a_request_must_be_positive(requested):
    with pytest.raises(ValueError):
        decide_on(requested=requested)


def test_a_template_neither_partly_approves_nor_refers_above_the_guideline_is_an_error():
    with pytest.raises(ValueError):
        TemplateSpec(rules=(), above_guideline=Outcome.APPROVE)


# Properties -----------------------------------------------------------------------------------

money = st.decimals(min_value=D("0.01"), max_value=D("1e12"), places=2)
facts_strategy = st.builds(
    DebtorFacts,
    rating=st.none() | st.integers(1, 100),
    registered_on=st.none() | st.dates(date(1990, 1, 1), date(2027, 1, 1)),
    legal_form=st.just("AB"),
    payment_remarks=st.lists(st.builds(DatedEvent, st.dates(date(2020, 1, 1), TODAY))).map(tuple),
    debt_balance=st.none() | money,
    f_tax=st.none() | st.booleans(),
    vat=st.none() | st.booleans(),
    turnover=st.none() | st.decimals(min_value=0, max_value=D("1e13"), places=2),
    equity_ratio=st.none() | st.decimals(min_value=-100, max_value=100, places=1),
    report_date=st.none() | st.just(TODAY),
    insolvent=st.booleans(),
)
rates = st.decimals(min_value=D("0.001"), max_value=D(1000), places=4)
templates = st.builds(
    TemplateSpec,
    rules=st.lists(
        st.sampled_from(EVERY_RULE).flatmap(
            lambda rule: st.sampled_from(OnFail).map(lambda on_fail: replace(rule, on_fail=on_fail))
        )
    ).map(tuple),
    above_guideline=st.sampled_from([Outcome.PARTLY_APPROVE, Outcome.REFER]),
)


@given(facts=facts_strategy, template=templates, requested=money, sek_per_unit=rates)
def test_property_decisions_stay_within_request_and_guideline(
    facts, template, requested, sek_per_unit
):
    decision = decide(facts, template, requested=requested, today=TODAY, sek_per_unit=sek_per_unit)

    assert decision.amount <= decision.requested == requested
    assert decision.amount <= decision.guideline
    assert decision.amount.as_tuple().exponent == -2
    assert (decision.outcome == Outcome.APPROVE) == (not decision.reasons)
    if decision.outcome in (Outcome.REFER, Outcome.REFUSE):
        assert decision.amount == 0


@given(facts=facts_strategy, sek_per_unit=rates)
def test_property_guideline_never_exceeds_the_cap(facts, sek_per_unit):
    guideline = guideline_limit(facts, today=TODAY, sek_per_unit=sek_per_unit)

    assert D(0) <= guideline.amount <= GUIDELINE_CAP_SEK / sek_per_unit
    assert guideline.amount == guideline.amount.to_integral_value()
