"""Recording the steps of collections on a notified debt (DOMAIN.md, "Overdue notification"):
staff record each step as it is taken; the order and the periods between steps are checked
against the debtor country's collection rules (claims.collections)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.exceptions import NotFound
from core.money import round_money
from exposure.models import OverdueNotification

from ..collections import Recorded, collection_plan, rules_for
from ..exceptions import CollectionStepInvalid
from ..models import CollectionStep, StepKind

# What must have been recorded before each step.
NEEDS = {
    StepKind.ENFORCEMENT: StepKind.DEMAND,
    StepKind.OBJECTION: StepKind.ENFORCEMENT,
    StepKind.COURT_DECISION: StepKind.COURT,
}


def case_plan(notice: OverdueNotification, *, today: date):
    """The plan of the notification's collections case (steps done and to come)."""
    steps = [
        Recorded(s.kind, s.done_on, s.pay_by)
        for s in sorted(notice.collection_steps.all(), key=lambda s: (s.done_on, s.pk))
    ]
    return collection_plan(
        notified_on=notice.notified_on,
        recorded=steps,
        rules=rules_for(notice.debtor.country),
        today=today,
        disputed=notice.disputed,
    )


@transaction.atomic
def collection_step_record(
    *,
    actor,
    notification_id: int,
    kind: str,
    done_on: date,
    note: str = "",
    fee: Decimal | None = None,
) -> CollectionStep:
    """Record a step of collections. A collection demand carries its fee (the country's
    statutory fee unless given) and the day it must be paid by."""
    if actor is not None and actor.role not in (Role.CLAIMS, Role.ADMIN):
        raise NotFound(field="notification")
    notice = (
        OverdueNotification.objects.select_for_update(of=("self",))
        .select_related("debtor", "policy")
        .filter(pk=notification_id)
        .first()
    )
    if notice is None:
        raise NotFound(field="notification")
    if kind not in StepKind.values:
        raise CollectionStepInvalid(_("Choose the step."), field="kind")
    today = timezone.localdate()
    if done_on is None:
        raise CollectionStepInvalid(_("Give the day of the step."), field="done_on")
    if done_on > today:
        raise CollectionStepInvalid(
            _("The date lies in the future."), field="done_on", code="in_future"
        )
    if done_on < notice.notified_on:
        raise CollectionStepInvalid(
            _("Collections start with the notification on %(day)s.")
            % {"day": notice.notified_on.isoformat()},
            field="done_on",
            code="before_notification",
        )
    if notice.closed_on is not None:
        raise CollectionStepInvalid(
            _("The case was closed on %(day)s.") % {"day": notice.closed_on.isoformat()},
            field="notification",
            code="closed",
        )
    recorded = {s.kind: s for s in notice.collection_steps.all()}
    rules = rules_for(notice.debtor.country)
    needed = NEEDS.get(kind)
    if needed and needed not in recorded:
        raise CollectionStepInvalid(
            _("Record the step “%(step)s” first.") % {"step": StepKind(needed).label},
            field="kind",
            code="out_of_order",
        )
    if kind == StepKind.COURT and not (notice.disputed or StepKind.OBJECTION in recorded):
        raise CollectionStepInvalid(
            _("A debt goes to court once it is disputed: record the debtor's objection first."),
            field="kind",
            code="out_of_order",
        )
    follows = recorded.get(needed) or (
        recorded.get(StepKind.OBJECTION) if kind == StepKind.COURT else None
    )
    if follows is not None and done_on < follows.done_on:
        raise CollectionStepInvalid(
            _("This step follows the step “%(step)s” of %(day)s: it cannot be dated before.")
            % {"step": StepKind(follows.kind).label, "day": follows.done_on.isoformat()},
            field="done_on",
            code="out_of_order",
        )
    if kind == StepKind.ENFORCEMENT:
        earliest = recorded[StepKind.DEMAND].done_on + timedelta(days=rules.enforcement_after_days)
        if done_on < earliest:
            raise CollectionStepInvalid(
                _(
                    "The enforcement authority takes an application no earlier than "
                    "%(days)s days after the collection demand: from %(day)s."
                )
                % {"days": rules.enforcement_after_days, "day": earliest.isoformat()},
                field="done_on",
                code="too_early",
            )
    pay_by = None
    if kind == StepKind.DEMAND:
        if fee is None:  # the statutory fee, where it is in the policy's currency
            fee = rules.fee if rules.fee_currency == notice.policy.currency else Decimal(0)
        fee = round_money(fee)
        pay_by = done_on + timedelta(days=rules.days_to_pay)
    elif fee is not None and round_money(fee) != 0:
        raise CollectionStepInvalid(
            _("Only a collection demand carries a fee."), field="fee", code="no_fee"
        )
    step = CollectionStep(
        notification=notice,
        kind=kind,
        done_on=done_on,
        fee=fee or 0,
        pay_by=pay_by,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    step.full_clean(exclude=["notification", "recorded_by"])
    step.save()
    return step
