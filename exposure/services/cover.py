"""The cover check (DOMAIN.md, "Cover check"): "may I deliver this amount to this debtor on
these terms on this day?" Covered yes or no, the amount covered, the cover left, and every
reason that applies with its figures. Each answer is stored (CoverCheck) with an id the ERP
keeps: proof of what was said at the time of delivery.

Reasons are stored as a code and values, and read in the reader's language
(`reason_message`)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import ensure_acts_for
from core.currencies import format_money
from core.exceptions import DomainError, NotFound
from core.money import validate_money_digits
from debtors.models import Debtor
from limits.models import Limit
from limits.selectors import limit_history
from limits.timeline import limit_on, scheduled_reductions
from policies.models import Policy

from ..models import CoverCheck, Invoice, StopReason
from ..selectors import exposure_by_debtor
from .stop_delivery import open_stop, stop_triggers

ZERO = Decimal("0.00")
MAX_TERMS = 3650
MAX_DAYS_AHEAD = 366

# Reasons that make a delivery not covered, and one that only informs.
REASONS = {
    "policy_not_in_force": _(
        "The policy does not cover deliveries on %(day)s (its period is %(start)s to %(end)s, "
        "its status %(status)s)."
    ),
    "country_not_covered": _("The policy does not cover debtors in %(country)s."),
    "terms_too_long": _(
        "Payment terms of %(terms)s days are longer than the policy's maximum credit period "
        "of %(max)s days."
    ),
    "terms_above_limit": _(
        "Payment terms of %(terms)s days are longer than the %(max)s days the limit allows."
    ),
    "stop_delivery": _("Stop delivery since %(since)s: %(why)s."),
    "no_limit": _("There is no credit limit on this debtor on %(day)s."),
    "limit_expired": _("The limit expired on %(expired)s."),
    "limit_exceeded": _(
        "The amount is %(by)s above the cover left (%(left)s of the %(limit)s limit)."
    ),
}
NOTES = {
    "insurer_reduction": _(
        "The insurer reduces the limit to %(amount)s from %(from)s: deliveries from that day "
        "are covered only within the new amount."
    ),
}
BLOCKING = frozenset(REASONS)


class CoverCheckInvalid(DomainError):
    code = "invalid"


def reason_message(reason: dict, currency: str) -> str:
    """A stored reason in the reader's language, its amounts formatted."""
    values = dict(reason.get("values") or {})
    for key in ("by", "left", "limit", "amount"):
        if key in values:
            values[key] = format_money(Decimal(values[key]), currency)
    if key_why := values.get("why"):
        values["why"] = str(StopReason(key_why).label) if key_why in StopReason.values else key_why
    text = REASONS.get(reason["code"]) or NOTES.get(reason["code"]) or reason["code"]
    return str(text) % values


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


@transaction.atomic
def cover_check(
    *,
    actor,
    policy_id: int,
    debtor_id: int,
    amount: Decimal,
    terms_days: int,
    delivery_date: date | None = None,
) -> CoverCheck:
    today = timezone.localdate()
    day = delivery_date or today
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(field="policy")
    ensure_acts_for(actor, policy.insured_id, field="policy")
    debtor = Debtor.objects.filter(pk=debtor_id).first()
    if debtor is None:
        raise CoverCheckInvalid(
            _("No debtor with id %(id)s is in the register.") % {"id": debtor_id},
            field="debtor",
            code="does_not_exist",
        )
    if amount is None or amount <= 0:
        raise CoverCheckInvalid(_("Enter an amount above 0."), field="amount", code="not_positive")
    try:
        validate_money_digits(amount)
    except Exception:
        raise CoverCheckInvalid(_("The amount is too large."), field="amount") from None
    if terms_days is None or not 0 <= terms_days <= MAX_TERMS:
        raise CoverCheckInvalid(
            _("Give payment terms of 0 to %(max)s days.") % {"max": MAX_TERMS},
            field="terms_days",
        )
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise CoverCheckInvalid(
            _("Check deliveries up to a year ahead."), field="delivery_date", code="too_far"
        )

    reasons: list[dict] = []

    def add(code: str, **values) -> None:
        reasons.append(
            {
                "code": code,
                "values": {
                    k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()
                },
            }
        )

    if not policy.is_active_on(day):
        add(
            "policy_not_in_force",
            day=day,
            start=policy.start_date,
            end=policy.end_date,
            status=str(policy.get_status_display()),
        )
    if debtor.country not in policy.covered_countries:
        add("country_not_covered", country=debtor.country)
    if terms_days > policy.max_credit_period_days:
        add("terms_too_long", terms=terms_days, max=policy.max_credit_period_days)
    stop = open_stop(policy.pk, debtor.pk)
    if stop is not None and stop.started_on <= day:
        add("stop_delivery", since=stop.started_on, why=stop.reason)
    elif trigger := stop_triggers(today=today, policy_id=policy.pk, debtor_id=debtor.pk).get(
        (policy.pk, debtor.pk)
    ):
        add("stop_delivery", since=trigger.since, why=trigger.reason)

    limit = Limit.objects.filter(policy=policy, debtor=debtor).first()
    history = limit_history(limit.pk) if limit else []
    period = (policy.start_date, policy.end_date)
    on_day = limit_on(history, day, period=period)
    if limit is not None and on_day.max_terms_days and terms_days > on_day.max_terms_days:
        add("terms_above_limit", terms=terms_days, max=on_day.max_terms_days)
    if on_day.amount <= 0:
        if on_day.expires_on is not None and on_day.expires_on < day:
            add("limit_expired", expired=on_day.expires_on)
        elif not any(r["code"] == "policy_not_in_force" for r in reasons):
            add("no_limit", day=day)

    exposure = exposure_by_debtor(
        Invoice.objects.filter(policy=policy, debtor=debtor), today=today
    ).get((policy.pk, debtor.pk))
    used = (exposure.covered + exposure.uncovered["above_limit"]) if exposure else ZERO
    left = max(ZERO, on_day.amount - used)
    blocked = any(r["code"] in BLOCKING for r in reasons)
    if not blocked and amount > left:
        add(
            "limit_exceeded",
            by=_money(amount - left),
            left=_money(left),
            limit=_money(on_day.amount),
        )
    for index, _before in scheduled_reductions(history, day, period=period):
        entry = history[index]
        add("insurer_reduction", amount=_money(entry.amount), **{"from": entry.effective_from})
    covered_amount = ZERO if blocked else min(amount, left)
    check = CoverCheck(
        policy=policy,
        debtor=debtor,
        amount=amount,
        currency=policy.currency,
        terms_days=terms_days,
        delivery_date=day,
        covered=not any(r["code"] in BLOCKING for r in reasons),
        covered_amount=covered_amount,
        cover_left=ZERO if blocked else left,
        limit_amount=on_day.amount,
        reasons=reasons,
        asked_by=actor,
    )
    check.save()
    return check
