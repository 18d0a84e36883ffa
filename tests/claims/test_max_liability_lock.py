"""The policy year's maximum liability is shared by its claims: two settlements decided at once
on PostgreSQL, in two threads, never both use the same amount left (the policy row lock in
claims.services.settlement)."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from claims.models import Claim, ClaimStatus
from claims.selectors import liability
from claims.services import settlement
from tests.claims.conftest import WAITING_END, file_claim, notify, on
from tests.factories.limits import DebtorFactory

D = Decimal
# maximum liability: 20 × the minimum premium of 2 500 = 50 000; each claim calculates 36 000
SMALL_LIABILITY = pytest.mark.parametrize(
    "policy_terms", [{"max_liability_multiple": D("20"), "minimum_premium": D("2500")}]
)


@pytest.fixture
def two_claims(insured_user, issued_policy, debtor):
    other = DebtorFactory(country="SE", name="Lisas Lampor AB")
    notify(insured_user, issued_policy, debtor, prefix="F")
    notify(insured_user, issued_policy, other, prefix="G")
    with on(WAITING_END):
        return [file_claim(insured_user, issued_policy, d) for d in (debtor, other)]


@pytest.fixture
def slow_calculation(monkeypatch):
    """Each decision dwells a moment after calculating, as a busy database would: without
    the lock both decisions would read the same liability left."""
    calculate = settlement.calculate

    def slowly(*args, **kwargs):
        result = calculate(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(settlement, "calculate", slowly)


@SMALL_LIABILITY
@pytest.mark.django_db(transaction=True)
def test_two_settlements_at_once_never_share_the_liability_left(
    two_claims, claims_handler, second_handler, issued_policy, slow_calculation
):
    assert connection.vendor == "postgresql"
    start = threading.Barrier(2)
    errors = []

    def decide(claim, handler):
        try:
            start.wait(timeout=10)
            settlement.claim_decide(actor=handler, claim_id=claim.pk, decision="approve")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(claim, handler))
        for claim, handler in zip(two_claims, (claims_handler, second_handler), strict=True)
    ]
    with on(WAITING_END):
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        year = liability(issued_policy, 1, today=WAITING_END)

    assert errors == []
    decided = Claim.objects.filter(pk__in=[c.pk for c in two_claims])
    assert {c.status for c in decided} == {ClaimStatus.APPROVED}
    # the first took its 36 000; the second waited and got what was left of 50 000
    assert sorted(c.indemnity for c in decided) == [D("14000.00"), D("36000.00")]
    assert year.year.max_liability == D("50000.00")
    assert (year.used, year.left) == (D("50000.00"), D("0.00"))
