"""A collections case's plan (claims.collections): the steps in their order and dates, who
takes each, the next action; Sweden's rules; a disputed debt going to court."""

from datetime import date
from decimal import Decimal

import pytest

from claims.collections import (
    COURT,
    DEBTOR,
    DEFAULT_RULES,
    INSURER,
    Recorded,
    collection_plan,
    rules_for,
)

NOTIFIED = date(2026, 4, 1)
SE = rules_for("SE")


def plan(today, *recorded, disputed=False, rules=SE):
    return collection_plan(
        notified_on=NOTIFIED,
        recorded=[Recorded(kind, day) for kind, day in recorded],
        rules=rules,
        today=today,
        disputed=disputed,
    )


def rows(p):
    return [(s.code, s.who, s.done_on, s.due_from, s.due_by) for s in p.steps]


def test_sweden_charges_180_sek_gives_8_days_then_12_before_enforcement_and_10_to_object():
    assert (SE.fee, SE.fee_currency) == (Decimal("180"), "SEK")
    assert (SE.days_to_pay, SE.enforcement_after_days, SE.days_to_object) == (8, 12, 10)
    assert rules_for("NO") == DEFAULT_RULES and DEFAULT_RULES.fee == 0


def test_a_new_case_starts_with_a_reminder_from_the_day_of_notification():
    p = plan(date(2026, 4, 2))
    assert rows(p) == [
        ("reminder", INSURER, None, NOTIFIED, None),
        ("demand", INSURER, None, NOTIFIED, None),
        ("enforcement", INSURER, None, None, None),
    ]
    assert (p.next.code, p.next.who_label, p.next.when) == (
        "reminder",
        "Insurer's collections",
        NOTIFIED,
    )
    assert p.next.label == "Send the debtor a reminder" and not p.disputed


def test_after_the_demand_the_debtor_has_8_days_and_enforcement_waits_12():
    p = plan(date(2026, 4, 20), ("reminder", date(2026, 4, 3)), ("demand", date(2026, 4, 15)))
    assert rows(p) == [
        ("reminder", INSURER, date(2026, 4, 3), NOTIFIED, None),
        ("demand", INSURER, date(2026, 4, 15), date(2026, 4, 11), None),
        ("pay", DEBTOR, None, None, date(2026, 4, 23)),
        ("enforcement", INSURER, None, date(2026, 4, 27), None),
    ]
    assert (p.next.code, p.next.who_label, p.next.when) == ("pay", "Debtor", date(2026, 4, 23))


@pytest.mark.parametrize(
    ("today", "passed"),
    [(date(2026, 4, 23), False), (date(2026, 4, 24), True)],
)
def test_the_debtors_days_to_pay_count_as_passed_once_their_last_day_is_over(today, passed):
    p = plan(today, ("demand", date(2026, 4, 15)))
    pay = p.steps[2]
    assert (pay.code, pay.done) == ("pay", passed)
    assert p.next.code == ("enforcement" if passed else "pay")
    if passed:
        assert pay.done_on == date(2026, 4, 23)


def test_a_demands_own_day_to_pay_by_is_kept():
    p = collection_plan(
        notified_on=NOTIFIED,
        recorded=[Recorded("demand", date(2026, 4, 15), pay_by=date(2026, 4, 30))],
        rules=SE,
        today=date(2026, 4, 20),
    )
    assert p.steps[2].due_by == date(2026, 4, 30)


def test_after_enforcement_the_debtor_has_10_days_to_object_before_the_order():
    steps = (("demand", date(2026, 4, 15)), ("enforcement", date(2026, 4, 28)))
    during = plan(date(2026, 5, 1), *steps)
    assert rows(during)[-3:] == [
        ("enforcement", INSURER, date(2026, 4, 28), date(2026, 4, 27), None),
        ("object", DEBTOR, None, None, date(2026, 5, 8)),
        ("order", INSURER, None, date(2026, 5, 9), None),
    ]
    assert during.steps[2].done  # the days to pay passed: a later step was recorded
    assert during.next.code == "object"
    assert plan(date(2026, 5, 9), *steps).next.code == "order"


def test_a_debtors_step_passes_as_soon_as_a_later_step_is_recorded():
    # the demand gave until 30 April; enforcement was applied for on the 27th
    recorded = [
        Recorded("demand", date(2026, 4, 15), pay_by=date(2026, 4, 30)),
        Recorded("enforcement", date(2026, 4, 27)),
    ]
    p = collection_plan(notified_on=NOTIFIED, recorded=recorded, rules=SE, today=date(2026, 4, 28))
    pay = p.steps[2]
    assert (pay.code, pay.done) == ("pay", True)
    assert p.next.code == "object"


def test_an_objection_takes_the_case_to_court_keeping_the_steps_recorded_before():
    p = plan(
        date(2026, 5, 10),
        ("reminder", date(2026, 4, 3)),
        ("demand", date(2026, 4, 15)),
        ("enforcement", date(2026, 4, 28)),
        ("objection", date(2026, 5, 5)),
    )
    assert p.disputed
    assert [(s.code, s.who, s.done_on) for s in p.steps] == [
        ("reminder", INSURER, date(2026, 4, 3)),
        ("demand", INSURER, date(2026, 4, 15)),
        ("pay", DEBTOR, date(2026, 4, 23)),
        ("enforcement", INSURER, date(2026, 4, 28)),
        ("objection", DEBTOR, date(2026, 5, 5)),
        ("court", INSURER, None),
        ("court_decision", COURT, None),
    ]
    assert (p.next.code, p.next.due_from) == ("court", date(2026, 5, 5))


def test_a_debt_disputed_from_the_start_goes_to_court_without_enforcement():
    p = plan(date(2026, 4, 20), ("reminder", date(2026, 4, 3)), disputed=True)
    assert [s.code for s in p.steps] == ["reminder", "demand", "court", "court_decision"]
    assert p.disputed and p.next.code == "demand"
    decided = plan(
        date(2026, 6, 1),
        ("court", date(2026, 4, 20)),
        ("court_decision", date(2026, 5, 30)),
        disputed=True,
    )
    assert decided.next is None
    assert decided.steps[-1].who_label == "Court"


def test_a_reminder_passed_over_is_not_the_next_action():
    p = plan(date(2026, 4, 10), ("demand", date(2026, 4, 2)))
    assert not p.steps[0].done
    assert p.next.code == "pay"


def test_elsewhere_the_same_periods_apply_without_a_fee():
    p = plan(date(2026, 4, 20), ("demand", date(2026, 4, 15)), rules=rules_for("DE"))
    assert [(s.code, s.due_from or s.due_by) for s in p.steps[2:]] == [
        ("pay", date(2026, 4, 23)),
        ("enforcement", date(2026, 4, 27)),
    ]
