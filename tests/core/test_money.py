"""Amounts as people write them: each language's grouping and decimal mark, ASCII digits."""

from decimal import Decimal

import pytest

from core.money import AmountSyntaxError, parse_decimal_text


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("sv", "1 234 567,89", "1234567.89"),
        ("sv", "1\u00a0234\u00a0567,89", "1234567.89"),
        ("sv", "1234567,89", "1234567.89"),
        ("sv", "1234567.89", "1234567.89"),
        ("sv", "2 500", "2500"),
        ("nl", "1.234.567,89", "1234567.89"),
        ("nl", "1234567,89", "1234567.89"),
        ("nl", "1.234", "1234"),
        ("nl", "1234.50", "1234.50"),
        ("en", "1,234,567.89", "1234567.89"),
        ("en", "1234567.89", "1234567.89"),
        ("en", " 42 ", "42"),
        ("sv", "-1 000,5", "-1000.5"),
    ],
)
def test_each_language_reads_its_own_grouping_and_decimal_mark(language, text, amount):
    assert parse_decimal_text(text, language) == Decimal(amount)


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        ("sv", "１２３", "digits"),
        ("nl", "١٢٣", "digits"),
        ("sv", "12 34,5", "grouping"),
        ("nl", "1.23.456", "grouping"),
        ("en", "1,23", "grouping"),
        ("sv", "1,2,3", "invalid"),
        ("en", "12a", "invalid"),
        ("sv", "", "invalid"),
        ("sv", ",5", "invalid"),
    ],
)
def test_what_is_no_amount_says_why(language, text, code):
    with pytest.raises(AmountSyntaxError) as refused:
        parse_decimal_text(text, language)

    assert refused.value.code == code
