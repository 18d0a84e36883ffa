"""The claim amount read as tables (DOMAIN.md's worked examples and every edge of the six
steps), then as properties over random debts."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.calculation import Calculation, Line, claim_amount
from core.money import round_money

D = Decimal
DAY = date(2026, 1, 10)
NO_CAP = D("9999999999.00")


def line(n, unpaid, limit, *, paid="0", vat="0", reason=None, delivered=None):
    """Invoice n: `unpaid` + `paid` net (plus `vat`), `paid` of it (gross) paid so far."""
    net = D(unpaid) + D(paid)
    return Line(
        invoice_id=n,
        number=f"F-{n}",
        delivery_date=delivered or DAY + timedelta(days=n),
        net_amount=net,
        vat_amount=D(vat),
        open_amount=net + D(vat) - D(paid),
        limit_amount=D(limit),
        reason=reason,
    )


def calc(lines, *, pct="90", threshold="0", vat_insured=False, left=NO_CAP):
    return claim_amount(
        lines,
        insured_percentage=D(pct),
        threshold=D(threshold),
        vat_insured=vat_insured,
        max_liability_left=D(left),
    )


# DOMAIN.md's worked examples -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "indemnity"),
    [
        # seed 004: limit 25 000, nothing paid (30 000 unpaid)
        ([line(1, "30000", "25000")], "22500.00"),
        # deliveries of 50 000 within a 50 000 limit, bankrupt, nothing recovered
        ([line(1, "20000", "50000"), line(2, "30000", "50000")], "45000.00"),
        # the debtor paid part of it: only the unpaid balance counts
        ([line(1, "12000", "50000", paid="8000"), line(2, "30000", "50000")], "37800.00"),
        # an insurer's blog: 950 000 unpaid within 1 000 000; 800 000 beyond 500 000
        ([line(1, "950000", "1000000")], "855000.00"),
        ([line(1, "800000", "500000")], "450000.00"),
    ],
)
def test_the_worked_examples_pay_what_domain_md_says(lines, indemnity):
    assert calc(lines).indemnity == D(indemnity)


def test_the_combined_example_shows_every_step():
    # 60 000 unpaid: 8 000 delivered on stop delivery, 5 000 paid before the date of loss
    result = calc(
        [
            line(1, "25000", "40000", paid="5000"),
            line(2, "22000", "40000"),
            line(3, "8000", "40000", reason="stop_delivery"),
        ]
    )
    assert (result.invoiced, result.deductions, result.eligible_loss) == (
        D("52000.00"),
        D("5000.00"),
        D("47000.00"),
    )
    assert (result.not_qualifying, result.above_limit, result.insured_loss) == (
        D("8000.00"),
        D("7000.00"),
        D("40000.00"),
    )
    assert (result.indemnity_before_cap, result.indemnity) == (D("36000.00"), D("36000.00"))
    assert [s["step"] for s in result.steps] == [1, 2, 3, 4, 5, 6]
    assert [s["amount"] for s in result.steps] == [
        D("52000.00"),
        D("47000.00"),
        D("40000.00"),
        D("0"),
        D("36000.00"),
        D("36000.00"),
    ]
    assert [(r.number, r.reason, r.covered) for r in result.lines] == [
        ("F-1", None, D("25000")),
        ("F-2", None, D("15000")),
        ("F-3", "stop_delivery", D("0.00")),
    ]


# Edges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unpaid", "threshold", "indemnity"),
    [
        ("500.00", "500.00", "0.00"),  # at the threshold: nothing
        ("500.01", "500.00", "450.01"),  # a cent above: paid (450.009 rounds up)
        ("0.01", "0.00", "0.01"),  # no threshold: every loss (0.009 rounds up)
        ("499.99", "500.00", "0.00"),
    ],
)
def test_the_threshold_pays_nothing_at_or_below_it(unpaid, threshold, indemnity):
    result = calc([line(1, unpaid, "100000")], threshold=threshold)
    assert result.indemnity == D(indemnity)
    assert result.below_threshold is (indemnity == "0.00")


def test_nothing_qualifying_pays_nothing_even_without_a_threshold():
    result = calc([line(1, "1000", "5000", reason="disputed")], threshold="0")
    assert (result.insured_loss, result.below_threshold, result.indemnity) == (
        D("0.00"),
        True,
        D("0.00"),
    )


def test_vat_is_left_out_unless_insured_and_a_partly_paid_invoice_keeps_its_net_share():
    # 8 000 net + 2 000 VAT, 5 000 of the 10 000 paid: 4 000 net unpaid
    partly = line(1, "3000", "100000", vat="2000", paid="5000")
    assert partly.open_amount == D("5000")
    net = calc([partly]).lines[0]
    gross = calc([partly], vat_insured=True).lines[0]
    assert (net.invoiced, net.deducted, net.unpaid) == (D("8000"), D("4000.00"), D("4000.00"))
    assert (gross.invoiced, gross.deducted, gross.unpaid) == (D("10000"), D("5000"), D("5000"))


def test_the_net_share_of_an_open_amount_is_rounded_half_up():
    # 1.00 net + 1.00 VAT with 0.01 open: the net share 0.005 is 0.01
    almost_paid = Line(1, "F-1", DAY, D("1.00"), D("1.00"), D("0.01"), D("100"))
    [result] = calc([almost_paid]).lines
    assert (result.invoiced, result.unpaid, result.deducted) == (D("1.00"), D("0.01"), D("0.99"))


@pytest.mark.parametrize(
    ("loss", "pct", "indemnity"),
    [("1000.01", "90", "900.01"), ("1000.05", "90", "900.05"), ("0.05", "50", "0.03")],
)
def test_the_percentage_is_rounded_half_up_to_the_cent(loss, pct, indemnity):
    assert calc([line(1, loss, "100000")], pct=pct).indemnity == D(indemnity)


@pytest.mark.parametrize(
    ("left", "indemnity", "capped"),
    [("50000", "36000.00", False), ("10000.5", "10000.50", True), ("0", "0.00", True)],
)
def test_the_maximum_liability_left_caps_the_indemnity(left, indemnity, capped):
    result = calc([line(1, "40000", "40000")], left=left)
    assert (str(result.indemnity), result.capped_by_liability) == (indemnity, capped)
    assert result.indemnity_before_cap == D("36000.00")


def test_a_negative_liability_left_counts_as_nothing_left():
    assert calc([line(1, "40000", "40000")], left="-5").indemnity == D("0.00")


def test_growth_on_an_old_delivery_can_lower_the_cover_of_a_later_one_when_the_limit_rose():
    """The rule, as in exposure: the limit is shared oldest delivery first, each invoice
    counting its whole unpaid amount against the limit on the next ones' delivery dates."""
    before = calc([line(1, "8000", "10000"), line(2, "30000", "40000")])
    after = calc([line(1, "15000", "10000"), line(2, "30000", "40000")])
    assert [r.covered for r in before.lines] == [D("8000"), D("30000")]
    assert [r.covered for r in after.lines] == [D("10000"), D("25000")]
    assert (before.insured_loss, after.insured_loss) == (D("38000"), D("35000"))


def test_every_line_keeps_its_reason_and_the_limit_skips_lines_that_do_not_qualify():
    reasons = [None, "disputed", "notified_late", "no_limit", "terms_too_long", None]
    result = calc([line(n, "1000", "1500", reason=r) for n, r in enumerate(reasons)])
    assert [r.reason for r in result.lines] == reasons
    assert [r.covered for r in result.lines] == [D("1000")] + [D("0.00")] * 4 + [D("500")]


def test_the_calculation_reads_back_from_json_as_it_was():
    result = calc(
        [line(1, "3000", "40000", vat="2000", paid="5000"), line(2, "9", "0", reason="no_limit")],
        threshold="500",
        left="1234.56",
    )
    data = json.loads(json.dumps(result.as_json()))
    assert Calculation.from_json(data) == result
    assert data["lines"][0]["delivery_date"] == "2026-01-11"


# Properties ----------------------------------------------------------------------------------

money = st.decimals("0.01", "2000000", places=2)
pcts = st.decimals("1", "100", places=2)
reasons = st.sampled_from([None, None, None, "disputed", "stop_delivery"])


@st.composite
def debts(draw, *, one_limit=False):
    limit = draw(money)
    n = draw(st.integers(1, 6))
    return [
        line(
            i,
            draw(money),
            limit if one_limit else draw(money),
            vat=draw(st.sampled_from(["0", "250.00", "1000.00"])),
            reason=draw(reasons),
        )
        for i in range(1, n + 1)
    ]


@given(lines=debts(), pct=pcts, threshold=money, left=money, vat=st.booleans())
def test_the_indemnity_stays_within_the_limit_the_percentage_and_the_liability_left(
    lines, pct, threshold, left, vat
):
    result = calc(lines, pct=pct, threshold=threshold, left=left, vat_insured=vat)
    limits = [x.limit_amount for x in lines if x.reason is None]
    assert result.indemnity <= round_money(max(limits, default=D(0)) * pct / 100)
    assert result.indemnity <= left
    assert result.insured_loss > threshold or result.indemnity == 0
    assert result.indemnity.as_tuple().exponent == -2  # money: two places
    assert D(0) <= result.insured_loss <= result.eligible_loss


@given(lines=debts(one_limit=True), pct=pcts, threshold=money, data=st.data())
def test_with_one_limit_more_unpaid_on_any_line_never_pays_less(lines, pct, threshold, data):
    i = data.draw(st.integers(0, len(lines) - 1))
    grown = list(lines)
    grown[i] = line(
        lines[i].invoice_id,
        lines[i].net_amount + data.draw(money),
        lines[i].limit_amount,
        vat=str(lines[i].vat_amount),
        reason=lines[i].reason,
    )
    before = calc(lines, pct=pct, threshold=threshold)
    assert calc(grown, pct=pct, threshold=threshold).indemnity >= before.indemnity


@given(lines=debts(), pct=pcts, threshold=money, extra=money, limit=money)
def test_with_varying_limits_a_newer_delivery_or_more_on_the_newest_never_pays_less(
    lines, pct, threshold, extra, limit
):
    before = calc(lines, pct=pct, threshold=threshold).indemnity
    newer = line(len(lines) + 1, extra, limit)
    assert calc([*lines, newer], pct=pct, threshold=threshold).indemnity >= before
    newest = lines[-1]
    grown = line(
        newest.invoice_id,
        newest.net_amount + extra,
        newest.limit_amount,
        vat=str(newest.vat_amount),
        reason=newest.reason,
    )
    assert calc([*lines[:-1], grown], pct=pct, threshold=threshold).indemnity >= before
