"""The DCL rule read as a table: a request is granted at once as a discretionary credit limit
only when it is a new limit, with none in force, at or below the policy's DCL, on a credit
report young enough, and the debtor has no negative information (DOMAIN.md)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from limits.engine import DatedEvent, DebtorFacts, RiskEventFact, dcl_eligible
from limits.models import RequestStatus
from limits.services import limit_request_submit
from tests.factories.limits import CreditReportFactory, default_template

TODAY = date(2026, 6, 15)
D = Decimal

CLEAN = DebtorFacts(
    rating=63,
    registered_on=date(2010, 3, 1),
    legal_form="AB",
    debt_balance=D(0),
    equity_ratio=D(25),
    report_date=TODAY - relativedelta(months=3),
)


def verdict(facts=CLEAN, *, requested="10000", kind_is_new=True, has_limit=False, age=12):
    return dcl_eligible(
        facts,
        requested=D(requested),
        dcl=D("10000.00"),
        report_max_age_months=age,
        today=TODAY,
        kind_is_new=kind_is_new,
        has_limit=has_limit,
    )


def codes(result) -> list[str]:
    return [reason.code for reason in result.reasons]


def test_a_new_request_at_the_dcl_on_a_clean_debtor_is_a_dcl():
    result = verdict(requested="10000.00")

    assert result.eligible and result.reasons == ()
    assert [step["code"] for step in result.steps] == ["dcl_eligible"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"requested": "10000.01"}, "dcl_above"),
        ({"kind_is_new": False}, "dcl_not_new"),
        ({"has_limit": True}, "dcl_has_limit"),
    ],
    ids=["amount-above-the-dcl", "kind-not-new", "existing-limit"],
)
def test_the_request_itself_can_rule_out_a_dcl(changes, code):
    result = verdict(**changes)

    assert not result.eligible and codes(result) == [code]


def test_without_a_credit_report_there_is_no_dcl():
    assert codes(verdict(replace(CLEAN, report_date=None))) == ["dcl_no_report"]


def test_a_report_older_than_the_policy_allows_gives_no_dcl_one_of_exactly_that_age_does():
    too_old = replace(CLEAN, report_date=TODAY - relativedelta(months=12, days=1))
    just_right = replace(CLEAN, report_date=TODAY - relativedelta(months=12))

    result = verdict(too_old)
    assert codes(result) == ["dcl_report_too_old"]
    assert result.reasons[0].values == {"report_date": "2025-06-14", "months": 12}
    assert verdict(just_right).eligible


NEGATIVE = {  # each kind of negative information (DOMAIN.md) and the reason that names it
    "payment-remark": ({"payment_remarks": (DatedEvent(date(2019, 1, 1)),)}, "has_payment_remarks"),
    "debt-balance": ({"debt_balance": D("0.01")}, "has_debt_balance"),
    "failed-distraint": (
        {"failed_distraints": (DatedEvent(date(2024, 1, 1)),)},
        "has_failed_distraint",
    ),
    "insolvency": ({"insolvent": True}, "insolvent"),
    "rating-14": ({"rating": 14}, "very_high_risk"),
    "rating-1": ({"rating": 1}, "very_high_risk"),
    "unreviewed-event": (
        {"unreviewed_events": (RiskEventFact("payment_remark", date(2026, 6, 1), 7),)},
        "risk_event_unreviewed",
    ),
}


@pytest.mark.parametrize(("changes", "code"), NEGATIVE.values(), ids=NEGATIVE.keys())
def test_each_kind_of_negative_information_rules_out_a_dcl(changes, code):
    result = verdict(replace(CLEAN, **changes))

    assert not result.eligible and codes(result) == [code]


def test_the_unreviewed_event_is_named_in_the_reason_and_the_step():
    event = RiskEventFact("payment_remark", date(2026, 6, 1), 7)

    result = verdict(replace(CLEAN, unreviewed_events=(event,)))

    named = {"kind": "payment_remark", "date": "2026-06-01", "event_id": 7}
    assert result.reasons[0].values == named
    assert result.steps[0]["values"] == {"reason": "risk_event_unreviewed", **named}


def test_rating_15_is_not_very_high_risk():
    assert verdict(replace(CLEAN, rating=15)).eligible


def test_every_reason_against_a_dcl_is_listed():
    facts = replace(CLEAN, rating=5, debt_balance=D(100), report_date=None)

    result = verdict(facts, requested="90000", has_limit=True)

    assert codes(result) == ["dcl_has_limit", "dcl_above", "dcl_no_report"] + [
        "has_debt_balance",
        "very_high_risk",
    ]


# Through the service ------------------------------------------------------------------------


@pytest.fixture
def dcl_policy(issued_policy):
    """A policy with a DCL of 100 000 SEK."""
    issued_policy.discretionary_limit = D("100000")
    issued_policy.save(update_fields=["discretionary_limit"])
    default_template()
    return issued_policy


def submit(policy, user, debtor, amount):
    return limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=D(amount)
    )


def test_a_debtor_rated_5_with_negative_equity_gets_no_dcl(dcl_policy, insured_user):
    # Seen on main: a debtor rated 5 with −40 % equity got a 90 000 SEK DCL.
    debtor = CreditReportFactory(rating=5, equity_ratio=D("-40")).debtor

    request = submit(dcl_policy, insured_user, debtor, "90000")

    assert not request.is_dcl
    assert request.status == RequestStatus.REFERRED
    assert {"rating", "equity_ratio"} <= {r["code"] for r in request.reasons}


def test_a_clean_debtor_within_the_dcl_still_gets_it_at_once(dcl_policy, insured_user):
    debtor = CreditReportFactory().debtor

    request = submit(dcl_policy, insured_user, debtor, "90000")

    assert request.is_dcl and request.status == RequestStatus.APPROVED
