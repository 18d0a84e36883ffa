"""Every amount DOMAIN.md allows (at most 13 digits before the point) reads back exactly on
both databases, and so do the sums of many of them; a wider amount is refused wherever a limit
amount is typed. On main, the API's premium sums overflowed (500) and limit amounts with 14
digits were taken, which SQLite cannot read back (decimal.InvalidOperation, 500 on every
page showing them)."""

from decimal import Decimal

import pytest

from core.money import MONEY_MAX
from limits.forms import LimitReduceForm
from limits.serializers.limits import LimitReduceInputSerializer
from limits.uw_forms import DecisionForm
from tests.money_at_the_maximum import problems
from tests.test_embedded_smoke import embedded_env, manage

TOO_WIDE = "99999999999999.99"  # 14 digits before the point


@pytest.mark.django_db
def test_the_largest_turnover_in_every_month_reads_back_on_postgresql():
    assert problems() == []


def test_the_largest_turnover_in_every_month_reads_back_on_sqlite(tmp_path):
    # Given: an empty SQLite database, as `make run` makes it
    env = embedded_env(tmp_path)
    migrated = manage(env, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    # When: a policy has the largest turnover declared in every month, and its pages are read
    run = manage(env, "shell", "-c", "from tests.money_at_the_maximum import main; main()")
    # Then: every page and API answer shows it, and the amounts read back exactly
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert run.stdout.strip().endswith("OK")


@pytest.mark.parametrize(
    "form", [lambda d: LimitReduceForm(data=d), lambda d: DecisionForm(data=d)], ids=str
)
def test_a_limit_amount_with_14_digits_is_refused_in_forms(form):
    bound = form({"amount": TOO_WIDE, "reason": "x", "outcome": "partly_approve"})
    assert not bound.is_valid()
    assert "amount" in bound.errors


def test_a_limit_amount_with_14_digits_is_refused_in_the_api():
    serializer = LimitReduceInputSerializer(data={"amount": TOO_WIDE})
    assert not serializer.is_valid()
    assert serializer.errors["amount"][0].code == "max_whole_digits"
    assert LimitReduceInputSerializer(data={"amount": str(MONEY_MAX)}).is_valid()


def test_the_largest_amount_is_taken():
    assert LimitReduceForm(data={"amount": str(MONEY_MAX), "reason": ""}).is_valid()
    assert Decimal(str(MONEY_MAX)) == Decimal("9999999999999.99")
