"""Recording the steps of collections (claims.services.collections): their order and periods
by the debtor country's rules, the demand's fee, who may record them, and the case's plan."""

from datetime import date
from decimal import Decimal

import pytest

from claims.exceptions import CollectionStepInvalid
from claims.models import CollectionStep
from claims.services.collections import case_plan, collection_step_record
from claims.services.settlement import claim_decide, claim_pay
from core.exceptions import NotFound
from exposure.services.notifications import overdue_notify
from tests.claims.conftest import NOTIFIED, WAITING_END, notify, on, report
from tests.exposure.conftest import grant_limit
from tests.factories.limits import DebtorFactory

DEMAND = date(2026, 4, 10)


def step(notice, actor, kind, done_on, today=None, **kw):
    with on(today or date(2026, 6, 1)):
        return collection_step_record(
            actor=actor, notification_id=notice.pk, kind=kind, done_on=done_on, **kw
        )


def test_a_demand_in_sweden_costs_180_sek_and_is_paid_within_8_days(notified, claims_handler):
    demand = step(notified, claims_handler, "demand", DEMAND, note="Inkassokrav sent")
    assert (demand.fee, demand.pay_by, demand.note, demand.recorded_by) == (
        Decimal("180.00"),
        date(2026, 4, 18),
        "Inkassokrav sent",
        claims_handler,
    )


def test_a_demand_elsewhere_or_in_another_currency_carries_no_statutory_fee(
    insured_user, claims_handler, issued_policy
):
    german = notify(insured_user, issued_policy, DebtorFactory(country="DE"))
    assert step(german, claims_handler, "demand", DEMAND).fee == Decimal("0.00")
    with pytest.raises(CollectionStepInvalid) as no_fee:
        step(german, claims_handler, "reminder", DEMAND, fee=Decimal("50"))
    assert (no_fee.value.field, no_fee.value.code) == ("fee", "no_fee")


@pytest.mark.parametrize("policy_terms", [{"currency": "EUR"}])
def test_a_swedish_demand_under_a_euro_policy_carries_no_sek_fee(notified, claims_handler):
    assert step(notified, claims_handler, "demand", DEMAND).fee == Decimal("0.00")


@pytest.mark.parametrize(
    ("kind", "before"),
    [
        ("enforcement", []),
        ("objection", ["demand"]),
        ("court", ["demand"]),
        ("court_decision", []),
    ],
)
def test_a_step_comes_after_the_one_it_needs(notified, claims_handler, kind, before):
    for earlier in before:
        step(notified, claims_handler, earlier, DEMAND)
    with pytest.raises(CollectionStepInvalid) as refused:
        step(notified, claims_handler, kind, date(2026, 5, 20))
    assert (refused.value.field, refused.value.code) == ("kind", "out_of_order")


@pytest.mark.parametrize(
    ("day", "allowed"), [(date(2026, 4, 21), False), (date(2026, 4, 22), True)]
)
def test_enforcement_is_applied_for_no_earlier_than_12_days_after_the_demand(
    notified, claims_handler, day, allowed
):
    step(notified, claims_handler, "demand", DEMAND)
    if allowed:
        assert step(notified, claims_handler, "enforcement", day).fee == 0
        return
    with pytest.raises(CollectionStepInvalid) as refused:
        step(notified, claims_handler, "enforcement", day)
    assert (refused.value.field, refused.value.code) == ("done_on", "too_early")
    assert "2026-04-22" in str(refused.value.message)


def test_the_debtors_objection_takes_the_case_to_court_and_to_its_decision(
    notified, claims_handler
):
    for kind, day in [
        ("reminder", date(2026, 4, 2)),
        ("demand", DEMAND),
        ("enforcement", date(2026, 4, 22)),
        ("objection", date(2026, 4, 30)),
        ("court", date(2026, 5, 4)),
        ("court_decision", date(2026, 5, 30)),
    ]:
        step(notified, claims_handler, kind, day)
    plan = case_plan(notified, today=date(2026, 6, 1))
    assert plan.disputed and plan.next is None
    assert [s.code for s in plan.steps if s.done] == [
        "reminder",
        "demand",
        "pay",
        "enforcement",
        "objection",
        "court",
        "court_decision",
    ]


ENFORCED = ("enforcement", date(2026, 4, 22))
OBJECTED = ("objection", date(2026, 4, 25))


@pytest.mark.parametrize(
    ("before", "kind", "day"),
    [
        ([ENFORCED], "objection", date(2026, 4, 21)),
        ([ENFORCED, OBJECTED], "court", date(2026, 4, 24)),
        ([ENFORCED, OBJECTED, ("court", date(2026, 5, 4))], "court_decision", date(2026, 5, 3)),
    ],
)
def test_a_step_is_not_dated_before_the_step_it_follows(
    notified, claims_handler, before, kind, day
):
    for earlier in [("demand", DEMAND), *before]:
        step(notified, claims_handler, *earlier)
    with pytest.raises(CollectionStepInvalid) as refused:
        step(notified, claims_handler, kind, day)
    assert (refused.value.field, refused.value.code) == ("done_on", "out_of_order")


def test_a_debt_disputed_when_notified_goes_to_court_without_an_objection(
    insured_user, claims_handler, issued_policy, debtor
):
    grant_limit(issued_policy, debtor, "40000.00", on=date(2026, 1, 1))
    with on(NOTIFIED):
        report(insured_user, issued_policy, debtor, "F-1", "20000.00", date(2026, 1, 10))
        notice = overdue_notify(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            reason="dispute",
            disputed=True,
        )
    court = step(notice, claims_handler, "court", date(2026, 4, 15))
    assert court.kind == "court"
    assert case_plan(notice, today=date(2026, 4, 16)).next.code == "court_decision"


@pytest.mark.parametrize(
    ("day", "code"), [(date(2026, 6, 2), "in_future"), (date(2026, 3, 31), "before_notification")]
)
def test_a_step_is_dated_between_the_notification_and_today(notified, claims_handler, day, code):
    with pytest.raises(CollectionStepInvalid) as refused:
        step(notified, claims_handler, "reminder", day)
    assert (refused.value.field, refused.value.code) == ("done_on", code)
    assert not CollectionStep.objects.exists()


def test_only_claims_handlers_and_admins_record_steps(
    notified, insured_user, underwriter, admin_user
):
    for actor in (insured_user, underwriter):
        with pytest.raises(NotFound):
            step(notified, actor, "reminder", NOTIFIED)
    assert step(notified, admin_user, "reminder", NOTIFIED).recorded_by == admin_user
    with pytest.raises(NotFound):
        collection_step_record(
            actor=admin_user, notification_id=0, kind="reminder", done_on=NOTIFIED
        )


def test_a_closed_case_takes_no_more_steps(claim, claims_handler, notified, statements_queued):
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        claim_pay(actor=claims_handler, claim_id=claim.pk)
    with pytest.raises(CollectionStepInvalid) as refused:
        step(notified, claims_handler, "reminder", NOTIFIED, today=date(2026, 10, 1))
    assert (refused.value.field, refused.value.code) == ("notification", "closed")


def test_an_unknown_step_is_refused(notified, claims_handler):
    with pytest.raises(CollectionStepInvalid) as refused:
        step(notified, claims_handler, "letter", NOTIFIED)
    assert refused.value.field == "kind"
