"""Limit fees: every named-limit decision writes a fee charge that the policy invoices; a
discretionary limit costs nothing."""

from decimal import Decimal

import pytest

from limits import services
from limits.models import RequestStatus
from policies.models import ChargeKind, PolicyCharge
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture
def debtor(db):
    default_template()
    return CreditReportFactory().debtor


def submit(policy, user, debtor, amount):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount)
    )


def fees(policy):
    return list(
        PolicyCharge.objects.filter(policy=policy, kind=ChargeKind.LIMIT_FEE).values_list(
            "reference", "amount"
        )
    )


def test_an_automatic_approval_is_charged_the_policys_limit_fee(
    issued_policy, insured_user, debtor
):
    request = submit(issued_policy, insured_user, debtor, "200000")
    assert fees(issued_policy) == [(f"limit-request:{request.pk}", issued_policy.limit_fee)]


def test_a_discretionary_limit_is_not_charged(issued_policy, insured_user, debtor):
    assert submit(issued_policy, insured_user, debtor, "8000").is_dcl
    assert fees(issued_policy) == []


def test_an_underwriters_refusal_is_a_decision_and_is_charged(
    issued_policy, insured_user, underwriter
):
    referred = submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor, "50000")
    assert referred.status == RequestStatus.REFERRED and fees(issued_policy) == []

    services.limit_request_decide(
        actor=underwriter, request_id=referred.pk, outcome="refuse", reason="Weak rating"
    )

    assert fees(issued_policy) == [(f"limit-request:{referred.pk}", issued_policy.limit_fee)]
