"""Two decisions on one request, or two requests on one debtor, never both apply. Real
threads against PostgreSQL: the row locks and constraints do the work."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import DomainError
from limits import services
from limits.models import LimitChange, LimitRequest, RequestStatus
from policies import services as policy_services
from tests.factories import CompanyFactory, UserFactory
from tests.factories.limits import CreditReportFactory, default_template

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Start every call at the same moment in its own thread; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def setting():
    company = CompanyFactory(language="en")
    insured = UserFactory(role="insured", company=company)
    underwriter = UserFactory(role="underwriter", company=None)
    policy = policy_services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="SEK"
    )
    policy_services.policy_issue(actor=underwriter, policy_id=policy.pk)
    default_template()
    return policy, insured, underwriter


def test_two_decisions_on_one_request_apply_once(setting):
    policy, insured, underwriter = setting
    # Given a referred request (rating 30 fails the template)
    debtor = CreditReportFactory(rating=30).debtor
    request = services.limit_request_submit(
        actor=insured, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal("100000")
    )
    assert request.status == RequestStatus.REFERRED
    # When two underwriters decide it at the same moment, differently
    results = run_together(
        lambda: services.limit_request_decide(
            actor=underwriter, request_id=request.pk, outcome="approve", reason="Good payer"
        ),
        lambda: services.limit_request_decide(
            actor=underwriter, request_id=request.pk, outcome="refuse", reason="Too risky"
        ),
    )
    # Then exactly one decision applies and the other is refused as already decided
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert errors[0].code == "limit_request_decided"
    assert LimitChange.objects.filter(request=request).count() <= 1
    # and the request carries the decision of the thread that won (the first approves)
    approved_first = isinstance(results[0], LimitRequest)
    request.refresh_from_db()
    assert request.status == (RequestStatus.APPROVED if approved_first else RequestStatus.REFUSED)


def test_two_requests_on_one_debtor_leave_one_pending(setting):
    policy, insured, _ = setting
    debtor = CreditReportFactory(rating=30).debtor
    results = run_together(
        *[
            (
                lambda amount=amount: services.limit_request_submit(
                    actor=insured, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount)
                )
            )
            for amount in ("100000", "150000", "200000")
        ]
    )
    made = [r for r in results if isinstance(r, LimitRequest)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(made) == 1 and len(errors) == 2
    assert {e.code for e in errors} == {"limit_request_pending"}
    assert LimitRequest.objects.filter(debtor=debtor, status=RequestStatus.REFERRED).count() == 1


def test_two_automatic_approvals_on_one_debtor_grant_one_limit(setting):
    policy, insured, _ = setting
    debtor = CreditReportFactory().debtor
    results = run_together(
        *[
            (
                lambda: services.limit_request_submit(
                    actor=insured,
                    policy_id=policy.pk,
                    debtor_id=debtor.pk,
                    amount=Decimal("200000"),
                )
            )
            for _ in range(2)
        ]
    )
    approved = [r for r in results if isinstance(r, LimitRequest)]
    assert len(approved) == 1
    assert isinstance(next(r for r in results if r not in approved), DomainError)
    assert LimitChange.objects.filter(limit__debtor=debtor).count() == 1
