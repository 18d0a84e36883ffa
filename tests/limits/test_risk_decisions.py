"""Risk events count at once (DOMAIN.md): while a debtor has a risk event no underwriter has
reviewed, no request on it is approved automatically and no DCL is granted, the request is
referred naming the event; after an insolvency event new requests are refused."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from debtors.services import risk_event_record
from limits.engine import DebtorFacts, Outcome, RiskEventFact, TemplateSpec, decide
from limits.models import RequestStatus
from limits.services import limit_request_submit
from limits.services.review import risk_event_mark_reviewed
from tests.factories.limits import CreditReportFactory, default_template

TODAY = date(2026, 6, 15)
D = Decimal
HEALTHY = DebtorFacts(
    rating=63,
    registered_on=date(2010, 3, 1),
    legal_form="AB",
    turnover=D(12_000_000),
    report_date=TODAY,
)
REMARK = RiskEventFact("payment_remark", date(2026, 6, 1), 7)
BANKRUPTCY = RiskEventFact("bankruptcy", date(2026, 6, 10), 8)


def decide_on(facts, requested="100000"):
    return decide(
        facts, TemplateSpec(rules=()), requested=D(requested), today=TODAY, sek_per_unit=D(1)
    )


# The engine ---------------------------------------------------------------------------------


def test_an_unreviewed_event_refers_a_request_the_template_would_approve():
    assert decide_on(HEALTHY).outcome == Outcome.APPROVE

    decision = decide_on(replace(HEALTHY, unreviewed_events=(REMARK,)))

    assert (decision.outcome, decision.amount) == (Outcome.REFER, D("0.00"))
    [reason] = decision.reasons
    assert reason.code == "risk_event_unreviewed"
    assert reason.values == {"kind": "payment_remark", "date": "2026-06-01", "event_id": 7}
    assert "payment remark on 2026-06-01" in reason.message


def test_every_unreviewed_event_is_named():
    other = RiskEventFact("rating_drop", date(2026, 6, 2), 9)

    decision = decide_on(replace(HEALTHY, unreviewed_events=(REMARK, other)))

    assert [r.values["event_id"] for r in decision.reasons] == [7, 9]


def test_an_insolvency_event_refuses_and_names_the_event():
    decision = decide_on(replace(HEALTHY, insolvent=True, unreviewed_events=(BANKRUPTCY,)))

    assert decision.outcome == Outcome.REFUSE
    assert [(r.code, r.values["kind"]) for r in decision.reasons] == [
        ("insolvency_event", "bankruptcy")
    ]


def test_a_recorded_insolvency_still_refuses_once_its_event_is_reviewed():
    decision = decide_on(replace(HEALTHY, insolvent=True))

    assert decision.outcome == Outcome.REFUSE
    assert [r.code for r in decision.reasons] == ["insolvent"]


def test_the_event_is_a_step_of_the_assessment():
    decision = decide_on(replace(HEALTHY, unreviewed_events=(REMARK,)))

    assert "risk_event_unreviewed" in [step["code"] for step in decision.steps]


# Through the service ------------------------------------------------------------------------


@pytest.fixture
def dcl_policy(issued_policy):
    issued_policy.discretionary_limit = D("100000")
    issued_policy.save(update_fields=["discretionary_limit"])
    default_template()
    return issued_policy


@pytest.fixture
def remarked_debtor(db, underwriter):
    """A healthy debtor (guideline 500 000) with a payment remark nobody has reviewed."""
    debtor = CreditReportFactory().debtor
    risk_event_record(
        actor=underwriter,
        debtor=debtor,
        kind="payment_remark",
        occurred_on=timezone.localdate() - timedelta(days=2),
    )
    return debtor


def submit(policy, user, debtor, amount):
    return limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=D(amount)
    )


@pytest.mark.parametrize("amount", ["50000", "200000"], ids=["within-the-dcl", "above-it"])
def test_an_unreviewed_payment_remark_event_is_neither_a_dcl_nor_approved(
    dcl_policy, insured_user, remarked_debtor, amount
):
    # Seen on main: after such an event a DCL and two automatic approvals were granted.
    request = submit(dcl_policy, insured_user, remarked_debtor, amount)

    assert request.status == RequestStatus.REFERRED and not request.is_dcl
    [reason] = [r for r in request.reasons if r["code"] == "risk_event_unreviewed"]
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert (reason["values"]["kind"], reason["values"]["date"]) == ("payment_remark", day)


def test_once_reviewed_the_event_no_longer_blocks(
    dcl_policy, insured_user, underwriter, remarked_debtor
):
    event = remarked_debtor.risk_events.get()
    risk_event_mark_reviewed(actor=underwriter, event_id=event.pk)

    request = submit(dcl_policy, insured_user, remarked_debtor, "50000")

    assert request.status == RequestStatus.APPROVED and request.is_dcl


def test_after_a_bankruptcy_new_requests_are_refused(dcl_policy, insured_user, underwriter):
    debtor = CreditReportFactory().debtor
    risk_event_record(
        actor=underwriter, debtor=debtor, kind="bankruptcy", occurred_on=timezone.localdate()
    )

    request = submit(dcl_policy, insured_user, debtor, "200000")

    assert request.status == RequestStatus.REFUSED and not request.is_dcl
    assert [r["code"] for r in request.reasons] == ["insolvency_event"]
