"""How a recovery after payment is shared between the insurer and the insured (DOMAIN.md,
"Recoveries after payment"), by tables and over random sequences of recoveries."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.calculation import recovery_split

D = Decimal
# DOMAIN.md's combined example: eligible loss 47 000, insured loss 40 000, 36 000 paid
COMBINED = {
    "insured_loss": D("40000.00"),
    "eligible_loss": D("47000.00"),
    "insured_percentage": D("90"),
    "paid": D("36000.00"),
}


def split(amount, returned_before="0", **terms):
    terms = {**COMBINED, **{k: D(v) for k, v in terms.items()}}
    return recovery_split(D(amount), **terms, returned_before=D(returned_before))


def test_the_combined_example_puts_40_47_of_a_recovery_on_the_insured_loss():
    result = split("10000.00")
    # 10 000 × 40/47 = 8 510.638… → 8 510.64; 90 % of that = 7 659.576 → 7 659.58
    assert (result.on_insured_loss, result.on_excess) == (D("8510.64"), D("1489.36"))
    assert (result.insurer_share, result.to_insurer, result.to_insured) == (
        D("7659.58"),
        D("7659.58"),
        D("2340.42"),
    )
    assert result.share_of_insured_loss == "40000.00 / 47000.00"


def test_a_loss_within_the_limit_shares_all_of_a_recovery_by_the_percentage():
    result = split("10000.00", insured_loss="50000", eligible_loss="50000", paid="45000")
    assert (result.on_insured_loss, result.on_excess) == (D("10000.00"), D("0.00"))
    assert (result.to_insurer, result.to_insured) == (D("9000.00"), D("1000.00"))


@pytest.mark.parametrize(
    ("amount", "on_loss", "to_insurer"),
    [
        ("0.01", "0.01", "0.01"),  # 0.0085… → 0.01; 90 % of 0.01 = 0.009 → 0.01
        ("0.05", "0.04", "0.04"),  # 0.0425… → 0.04; 0.036 → 0.04
        ("4.70", "4.00", "3.60"),
    ],
)
def test_each_share_is_rounded_half_up_to_the_cent(amount, on_loss, to_insurer):
    result = split(amount)
    assert (result.on_insured_loss, result.to_insurer) == (D(on_loss), D(to_insurer))
    assert result.to_insurer + result.to_insured == D(amount)


def test_the_insurer_never_gets_back_more_than_it_paid_over_several_recoveries():
    returned = D("0")
    got = []
    for amount in ("20000.00", "20000.00", "20000.00"):
        result = split(amount, returned_before=returned)
        got.append((result.insurer_share, result.to_insurer, result.to_insured))
        returned += result.to_insurer
    # 90 % of 40/47 of 20 000 is 15 319.15 each time; the third is held at what is left
    assert got == [
        (D("15319.15"), D("15319.15"), D("4680.85")),
        (D("15319.15"), D("15319.15"), D("4680.85")),
        (D("15319.15"), D("5361.70"), D("14638.30")),
    ]
    assert returned == D("36000.00")
    assert split("500.00", returned_before=returned).to_insurer == D("0.00")


def test_an_adjusted_indemnity_caps_what_the_insurer_gets_back():
    result = split("47000.00", paid="20000.00")
    assert (result.insurer_share, result.to_insurer, result.to_insured) == (
        D("36000.00"),
        D("20000.00"),
        D("27000.00"),
    )


def test_nothing_falls_on_the_insured_loss_when_nothing_was_eligible():
    result = split("100.00", insured_loss="0", eligible_loss="0")
    assert (result.on_insured_loss, result.to_insurer, result.to_insured) == (
        D("0.00"),
        D("0.00"),
        D("100.00"),
    )


# Properties ----------------------------------------------------------------------------------

money = st.decimals("0.01", "1000000", places=2)


@st.composite
def claims(draw):
    eligible = draw(money)
    insured = draw(st.decimals("0", str(eligible), places=2))
    pct = draw(st.decimals("1", "100", places=2))
    paid = draw(st.decimals("0", str(insured), places=2))
    return {
        "insured_loss": insured,
        "eligible_loss": eligible,
        "insured_percentage": pct,
        "paid": paid,
    }


@given(terms=claims(), amounts=st.lists(money, min_size=1, max_size=8))
def test_over_any_recoveries_the_insurer_gets_back_at_most_what_it_paid(terms, amounts):
    returned = D("0")
    for amount in amounts:
        result = recovery_split(amount, **terms, returned_before=returned)
        assert result.to_insurer + result.to_insured == amount
        assert result.on_insured_loss + result.on_excess == amount
        assert D(0) <= result.to_insurer <= result.insurer_share <= result.on_insured_loss
        assert result.to_insured >= result.on_excess
        returned += result.to_insurer
        assert returned <= terms["paid"]
