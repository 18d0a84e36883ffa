"""Turnover declarations: the insured declares one period's turnover, the period's premium is
charged (and a year's minimum premium top-up corrected) and every charge not yet invoiced goes
on the premium invoice that follows."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import DeclarationExists, DeclarationInvalid
from ..models import ChargeKind, PolicyCharge, TurnoverDeclaration
from ..premium import declaration_periods, period_premium, policy_year_of, policy_years
from ..selectors import DECLARABLE_STATUSES
from .charges import _charge_write, _invoice_issue, _year_topup
from .policies import _locked, policy_check_actor


@transaction.atomic
def declaration_submit(
    *, actor, policy_id: int, period_start: date, turnover: Decimal, note: str = ""
) -> TurnoverDeclaration:
    """The insured declares one period's turnover, also after the policy has ended (late
    after the period's due date). The period's premium is charged, and every charge not yet
    invoiced goes on the premium invoice that follows as a PDF."""
    policy = _locked(policy_id)
    policy_check_actor(actor, policy)
    if policy.status not in DECLARABLE_STATUSES:
        raise DeclarationInvalid(
            _("Only an issued or expired policy takes declarations."), field="policy"
        )
    if turnover is None or turnover < 0:
        raise DeclarationInvalid(_("Turnover cannot be negative."), field="turnover")
    periods = {
        p.start: p
        for p in declaration_periods(
            policy.start_date,
            policy.end_date,
            policy.declaration_frequency,
            policy.declaration_due_days,
        )
    }
    period = periods.get(period_start)
    if period is None:
        raise DeclarationInvalid(
            _("%(date)s does not start a declaration period of this policy.")
            % {"date": period_start.isoformat()},
            field="period_start",
        )
    today = timezone.localdate()
    if period.end >= today:
        raise DeclarationInvalid(
            _("The period ends on %(date)s; declare it after that.")
            % {"date": period.end.isoformat()},
            field="period_start",
        )
    if TurnoverDeclaration.objects.filter(policy=policy, period_start=period.start).exists():
        raise DeclarationExists(field="period_start")
    declaration = TurnoverDeclaration(
        policy=policy,
        period_start=period.start,
        period_end=period.end,
        turnover=turnover,
        premium_rate=policy.premium_rate,
        premium=period_premium(turnover, policy.premium_rate),
        due_date=period.due,
        declared_at=timezone.now(),
        declared_by=actor,
        note=note,
    )
    try:
        declaration.full_clean()
    except ValidationError as exc:
        raise DeclarationInvalid(" ".join(exc.messages), field="turnover") from exc
    declaration._history_user = actor
    declaration.save()
    _charge_write(
        policy,
        kind=ChargeKind.TURNOVER_PREMIUM,
        amount=declaration.premium,
        on=today,
        period=(period.start, period.end),
        reference=f"declaration:{declaration.pk}",
        actor=actor,
        declaration=declaration,
    )
    # A year whose top-up was charged before this declaration came in: correct the top-up.
    year = policy_year_of(policy_years(policy.start_date, policy.end_date), period.start)
    if PolicyCharge.objects.filter(
        policy=policy,
        kind=ChargeKind.MINIMUM_TOPUP,
        period_start=year.start,
    ).exists():
        _year_topup(
            policy, year, today=today, actor=actor, reference=f"declaration:{declaration.pk}"
        )
    _invoice_issue(
        policy,
        actor=actor,
        reason=_("Premium for %(start)s – %(end)s")
        % {"start": period.start.isoformat(), "end": period.end.isoformat()},
        declaration=declaration,
    )
    return declaration
