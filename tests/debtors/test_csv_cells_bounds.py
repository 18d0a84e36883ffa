"""Credit-report cells keep the project's bounds: amounts of at most 13 digits before the
point, and names without control or bidi characters."""

from datetime import date
from decimal import Decimal

import pytest

from debtors.csv_import.cells import MONEY_MAX, CellError, Parsers


def test_an_amount_of_thirteen_digits_is_read_and_fourteen_is_too_large():
    parsers = Parsers(date(2026, 11, 28))
    assert parsers.decimal("9999999999999.99", MONEY_MAX, False) == Decimal("9999999999999.99")
    with pytest.raises(CellError, match="too large"):
        parsers.decimal("10000000000000.00", MONEY_MAX, False)


@pytest.mark.parametrize("name", ["Acme\u202eBA", "Acme\u200fAB", "Acme\x1bAB"])
def test_a_name_with_a_control_or_bidi_character_is_refused(name):
    with pytest.raises(CellError, match="control character"):
        Parsers(date(2026, 11, 28)).text(name, 200)
