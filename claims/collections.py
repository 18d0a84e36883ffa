"""The plan of a collections case (DOMAIN.md, "Overdue notification", seeds 001 and 002): the
steps in their order, each done (with its date) or still to come (who takes it, from or by
when), and the next action. A pure function of the notification's date, the steps recorded
and the collection rules of the debtor's country.

Sweden's rules are the seeds' (a collection demand costs 180 SEK and gives 8 days to pay; the
enforcement authority takes an application no earlier than 12 days after the demand; the
debtor then has 10 days to object). Elsewhere the same periods apply, without a statutory fee.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import StepKind


@dataclass(frozen=True)
class Rules:
    fee: Decimal
    fee_currency: str
    days_to_pay: int
    enforcement_after_days: int
    days_to_object: int


DEFAULT_RULES = Rules(Decimal("0"), "", 8, 12, 10)
RULES = {"SE": Rules(Decimal("180"), "SEK", 8, 12, 10)}


def rules_for(country: str) -> Rules:
    return RULES.get(country, DEFAULT_RULES)


INSURER, INSURED, DEBTOR, COURT = "insurer", "insured", "debtor", "court"
WHO = {
    INSURER: _("Insurer's collections"),
    INSURED: _("Insured"),
    DEBTOR: _("Debtor"),
    COURT: _("Court"),
}

ACTIONS = {
    StepKind.REMINDER: _("Send the debtor a reminder"),
    StepKind.DEMAND: _("Send a collection demand"),
    "pay": _("The debtor pays the demand"),
    StepKind.ENFORCEMENT: _("Apply to the enforcement authority"),
    "object": _("The debtor may object"),
    StepKind.OBJECTION: _("The debtor objected: the debt is disputed"),
    StepKind.COURT: _("Take the disputed debt to court"),
    StepKind.COURT_DECISION: _("Record the court's decision"),
    "order": _("The enforcement authority orders payment"),
}


@dataclass(frozen=True)
class Recorded:
    kind: str
    done_on: date
    pay_by: date | None = None


@dataclass(frozen=True)
class PlanStep:
    code: str
    who: str
    done_on: date | None = None  # when it was done
    due_from: date | None = None  # not before
    due_by: date | None = None  # at the latest

    @property
    def label(self) -> str:
        return str(ACTIONS[self.code])

    @property
    def who_label(self) -> str:
        return str(WHO[self.who])

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def when(self) -> date | None:
        return self.done_on or self.due_by or self.due_from


@dataclass(frozen=True)
class Plan:
    steps: list[PlanStep]
    disputed: bool

    @property
    def next(self) -> PlanStep | None:
        """The first step still to come after the last one done (a step passed over, such as
        a reminder never sent before the demand, is not the next action)."""
        done = [i for i, s in enumerate(self.steps) if s.done]
        after = done[-1] + 1 if done else 0
        return next((s for s in self.steps[after:] if not s.done), None)


def collection_plan(
    *,
    notified_on: date,
    recorded: list[Recorded],
    rules: Rules,
    today: date,
    disputed: bool = False,
) -> Plan:
    """The case's steps: the ones recorded, then the ones still to come, in order. A step
    that is the debtor's (to pay, to object) counts as passed once its day is over or a
    later step was recorded."""
    last = {}
    for step in sorted(recorded, key=lambda s: s.done_on):
        last[step.kind] = step
    disputed = disputed or StepKind.OBJECTION in last or StepKind.COURT in last
    steps = []

    def done(kind):
        return last[kind].done_on if kind in last else None

    reminder = done(StepKind.REMINDER)
    steps.append(PlanStep(StepKind.REMINDER, INSURER, reminder, due_from=notified_on))
    demand = last.get(StepKind.DEMAND)
    demand_from = (reminder + timedelta(days=rules.days_to_pay)) if reminder else notified_on
    steps.append(PlanStep(StepKind.DEMAND, INSURER, done(StepKind.DEMAND), due_from=demand_from))
    if demand is not None:
        pay_by = demand.pay_by or demand.done_on + timedelta(days=rules.days_to_pay)
        steps.append(PlanStep("pay", DEBTOR, due_by=pay_by))
    if disputed:
        # what was recorded before the dispute stays in the plan: the enforcement
        # application and the debtor's objection
        if StepKind.ENFORCEMENT in last:
            steps.append(PlanStep(StepKind.ENFORCEMENT, INSURER, done(StepKind.ENFORCEMENT)))
        if StepKind.OBJECTION in last:
            steps.append(PlanStep(StepKind.OBJECTION, DEBTOR, done(StepKind.OBJECTION)))
        court_from = done(StepKind.OBJECTION) or notified_on
        steps.append(PlanStep(StepKind.COURT, INSURER, done(StepKind.COURT), due_from=court_from))
        steps.append(PlanStep(StepKind.COURT_DECISION, COURT, done(StepKind.COURT_DECISION)))
        return Plan(_passed(steps, today), disputed=True)
    enforcement_from = (
        demand.done_on + timedelta(days=rules.enforcement_after_days) if demand else None
    )
    enforcement = done(StepKind.ENFORCEMENT)
    steps.append(PlanStep(StepKind.ENFORCEMENT, INSURER, enforcement, due_from=enforcement_from))
    if enforcement is not None:
        object_by = enforcement + timedelta(days=rules.days_to_object)
        steps.append(PlanStep("object", DEBTOR, due_by=object_by))
        steps.append(PlanStep("order", INSURER, due_from=object_by + timedelta(days=1)))
    return Plan(_passed(steps, today), disputed=False)


def _passed(steps: list[PlanStep], today: date) -> list[PlanStep]:
    out = []
    for i, step in enumerate(steps):
        if step.who == DEBTOR and not step.done:
            later = any(s.done for s in steps[i + 1 :])
            if later or (step.due_by is not None and step.due_by < today):
                step = PlanStep(step.code, step.who, step.due_by, due_by=step.due_by)
        out.append(step)
    return out
