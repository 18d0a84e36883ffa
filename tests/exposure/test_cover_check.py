"""The cover check: covered or not, the amount covered, the cover left, and every reason with
its figures; each answer stored with its id."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import NotFound
from exposure import services
from exposure.models import CoverCheck
from exposure.services.cover import cover_check, reason_message
from limits.models import LimitChange
from tests.exposure.conftest import grant_limit, invoice_data


def check(actor, policy, debtor, amount, terms=30, **kw):
    return cover_check(
        actor=actor,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal(amount),
        terms_days=terms,
        **kw,
    )


def codes(answer):
    return [r["code"] for r in answer.reasons]


def test_within_the_limit_is_covered_and_the_cover_left_counts_the_unpaid_invoices(
    insured_user, issued_policy, debtor
):
    grant_limit(issued_policy, debtor, 50000)
    services.invoice_report(
        actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, **invoice_data(1)
    )

    answer = check(insured_user, issued_policy, debtor, "30000.00")

    assert (answer.covered, answer.covered_amount, answer.cover_left) == (
        True,
        Decimal("30000.00"),
        Decimal("40000.00"),
    )
    assert answer.reasons == [] and CoverCheck.objects.get(pk=answer.pk) == answer


def test_above_the_cover_left_says_by_how_much(insured_user, issued_policy, debtor):
    grant_limit(issued_policy, debtor, 50000)

    answer = check(insured_user, issued_policy, debtor, "65000.00")

    assert (answer.covered, answer.covered_amount) == (False, Decimal("50000.00"))
    [reason] = answer.reasons
    assert reason == {
        "code": "limit_exceeded",
        "values": {"by": "15000.00", "left": "50000.00", "limit": "50000.00"},
    }
    assert "15" in reason_message(reason, "SEK")


def test_every_reason_that_applies_is_named(insured_user, issued_policy, debtor):
    limit = grant_limit(issued_policy, debtor, 50000, max_terms_days=45)
    LimitChange.objects.create(
        limit=limit, kind="reduced", amount=20000, effective_from=date(2026, 7, 15)
    )

    answer = check(insured_user, issued_policy, debtor, "1000.00", terms=120)

    assert codes(answer) == ["terms_too_long", "terms_above_limit", "insurer_reduction"]
    assert not answer.covered and answer.covered_amount == 0


def test_no_limit_a_stop_and_a_policy_not_in_force(insured_user, issued_policy, debtor):
    services.invoice_report(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        **invoice_data(1, delivered=date(2026, 2, 1), days=30),
    )
    assert codes(check(insured_user, issued_policy, debtor, "100.00")) == [
        "stop_delivery",
        "no_limit",
    ]
    answer = check(insured_user, issued_policy, debtor, "100.00", delivery_date=date(2027, 1, 5))
    assert codes(answer)[0] == "policy_not_in_force"


def test_another_companys_policy_is_not_found(other_insured_user, issued_policy, debtor):
    with pytest.raises(NotFound):
        check(other_insured_user, issued_policy, debtor, "100.00")
