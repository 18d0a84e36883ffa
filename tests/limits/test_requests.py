from decimal import Decimal

import pytest
from django.utils import timezone

from limits import services
from limits.exceptions import RequestInvalid, RequestPending
from limits.models import LimitKind, RequestKind, RequestStatus
from limits.selectors import limits_as_of
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture
def template(db):
    return default_template()


@pytest.fixture
def healthy_debtor(template):
    return CreditReportFactory().debtor


def submit(policy, user, debtor, amount, **kwargs):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount), **kwargs
    )


def test_request_within_the_guideline_is_approved_at_once(
    issued_policy, insured_user, healthy_debtor
):
    # rating 70 → 5 % of 10 000 000 = 500 000 guideline
    request = submit(issued_policy, insured_user, healthy_debtor, "200000")
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by is None and request.decided_amount == Decimal("200000.00")
    limit = limits_as_of(issued_policy.limits.all(), timezone.localdate()).get()
    assert limit.amount == Decimal("200000.00") and limit.limit_kind == LimitKind.NAMED


def test_request_above_the_guideline_is_partly_approved(
    issued_policy, insured_user, healthy_debtor
):
    request = submit(issued_policy, insured_user, healthy_debtor, "900000")
    assert request.status == RequestStatus.PARTLY_APPROVED
    assert request.decided_amount == Decimal("500000.00")
    assert [r["code"] for r in request.reasons] == ["above_guideline"]


def test_a_failing_parameter_refers_the_request_with_its_reason(
    issued_policy, insured_user, template
):
    debtor = CreditReportFactory(rating=30).debtor
    request = submit(issued_policy, insured_user, debtor, "200000")
    assert request.status == RequestStatus.REFERRED
    assert "rating" in [r["code"] for r in request.reasons]


def test_small_request_is_a_dcl_at_once(issued_policy, insured_user, healthy_debtor):
    request = submit(issued_policy, insured_user, healthy_debtor, "8000")
    assert request.status == RequestStatus.APPROVED and request.is_dcl


def test_second_pending_request_is_refused(issued_policy, insured_user, template):
    debtor = CreditReportFactory(rating=30).debtor
    submit(issued_policy, insured_user, debtor, "200000")
    with pytest.raises(RequestPending):
        submit(issued_policy, insured_user, debtor, "300000")


def test_underwriter_decides_a_referred_request(issued_policy, insured_user, underwriter, template):
    debtor = CreditReportFactory(rating=30).debtor
    request = submit(issued_policy, insured_user, debtor, "200000")
    decided = services.limit_request_decide(
        actor=underwriter,
        request_id=request.pk,
        outcome="partly_approve",
        amount=Decimal("50000"),
        reason="Weak rating",
        max_terms_days=60,
    )
    assert decided.status == RequestStatus.PARTLY_APPROVED
    assert decided.decided_by == underwriter


def test_terms_beyond_the_credit_period_name_the_field(issued_policy, insured_user, healthy_debtor):
    with pytest.raises(RequestInvalid) as err:
        submit(issued_policy, insured_user, healthy_debtor, "200000", payment_terms_days=120)
    assert err.value.field == "payment_terms_days"


def test_increase_needs_a_limit(issued_policy, insured_user, healthy_debtor):
    with pytest.raises(RequestInvalid):
        submit(issued_policy, insured_user, healthy_debtor, "200000", kind=RequestKind.INCREASE)
