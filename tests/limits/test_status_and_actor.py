"""Services check the actor, and every status change goes through one helper that writes its
history row with the whole reason."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import NotFound
from debtors.models import RiskEvent
from limits import services
from limits.models import Limit, LimitChange, LimitRequest, RequestStatus, ReviewStatus
from limits.services.review import risk_event_mark_reviewed
from limits.services.risk import risk_events_alert
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture
def debtor(db):
    default_template()
    return CreditReportFactory().debtor


def submit(policy, user, debtor, amount="200000"):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount)
    )


# Services check the actor -------------------------------------------------------------------


def test_an_insured_user_cannot_request_a_limit_on_another_companys_policy(
    issued_policy, other_insured_user, debtor
):
    with pytest.raises(NotFound):
        submit(issued_policy, other_insured_user, debtor)
    assert not LimitRequest.objects.exists() and not Limit.objects.exists()


def test_an_insured_user_cannot_reduce_another_companys_limit(
    issued_policy, insured_user, other_insured_user, debtor
):
    submit(issued_policy, insured_user, debtor)
    limit = issued_policy.limits.get()

    with pytest.raises(NotFound):
        services.limit_reduce_by_insured(
            actor=other_insured_user, limit_id=limit.pk, amount=Decimal(0)
        )
    assert LimitChange.objects.count() == 1


def test_an_insured_user_cannot_withdraw_another_companys_request(
    issued_policy, insured_user, other_insured_user
):
    referred = submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor)
    assert referred.status == RequestStatus.REFERRED

    with pytest.raises(NotFound):
        services.limit_request_withdraw(actor=other_insured_user, request_id=referred.pk)
    referred.refresh_from_db()
    assert referred.status == RequestStatus.REFERRED


# Request history ----------------------------------------------------------------------------


def test_a_withdrawal_is_history_not_a_decision(issued_policy, insured_user, debtor):
    referred = submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor)

    services.limit_request_withdraw(actor=insured_user, request_id=referred.pk)

    referred.refresh_from_db()
    assert referred.status == RequestStatus.WITHDRAWN
    assert referred.decided_at is None and referred.decided_by is None
    last = referred.history.latest()
    assert (last.status, last.history_user) == ("withdrawn", insured_user)


def test_an_underwriters_reason_is_kept_whole_in_the_history(
    issued_policy, insured_user, underwriter
):
    referred = submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor)
    reason = "Accounts look thin; " * 20  # 400 characters

    services.limit_request_decide(
        actor=underwriter, request_id=referred.pk, outcome="refuse", reason=reason
    )

    statuses = [h.status for h in referred.history.order_by("history_date", "history_id")]
    assert statuses == ["referred", "refused"]
    last = referred.history.latest()
    assert last.history_change_reason == reason and last.history_user == underwriter


def test_a_withdrawn_request_shows_when_in_its_history(client, issued_policy, insured_user, debtor):
    referred = submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor)
    services.limit_request_withdraw(actor=insured_user, request_id=referred.pk)
    client.force_login(insured_user)

    page = client.get(f"/limits/requests/{referred.pk}/").content.decode()

    assert "Withdrawn on" in page and "History" in page


# Reviews after a risk event ----------------------------------------------------------------


def test_a_risk_event_puts_limits_up_for_review_with_a_history_row(
    issued_policy, insured_user, underwriter, debtor
):
    submit(issued_policy, insured_user, debtor)
    event = RiskEvent.objects.create(debtor=debtor, kind="payment_remark", occurred_on=date.today())

    risk_events_alert()

    limit = Limit.objects.get()
    assert limit.review == ReviewStatus.REQUESTED and limit.review_event == event
    assert limit.history.latest().history_change_reason.startswith("Risk event")

    risk_event_mark_reviewed(actor=underwriter, event_id=event.pk, keep_limits=True)

    limit.refresh_from_db()
    assert limit.review == ReviewStatus.NONE and limit.review_requested_at is None
    assert limit.history.latest().history_user == underwriter
