"""The overdue notification (DOMAIN.md, "Overdue"): the insured tells the insurer that a
debtor does not pay. It names the overdue invoices and the whole exposure (invoices not yet
due included), is checked against the notification deadline (a late notice is recorded with
the cover it costs), and starts stop delivery from its date."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.exceptions import Conflict, DomainError
from core.status import save_with_history
from debtors.models import Debtor
from policies.models import Policy

from ..models import NonPaymentReason, OverdueNotification
from ..selectors import overdue_preview
from .invoices import policy_for_reporting
from .stop_delivery import stop_delivery_refresh

ZERO = Decimal("0.00")


class NotificationInvalid(DomainError):
    code = "invalid"


class AlreadyNotified(Conflict):
    code = "already_notified"


@transaction.atomic
def overdue_notify(
    *,
    actor,
    policy_id: int,
    debtor_id: int,
    reason: str,
    details: str = "",
    disputed: bool = False,
    notified_on: date | None = None,
) -> OverdueNotification:
    """Notify the debtor overdue under the policy, today unless `notified_on` is earlier (a
    notice sent by other means on that day)."""
    today = timezone.localdate()
    notified_on = notified_on or today
    policy = policy_for_reporting(actor, policy_id)
    Policy.objects.select_for_update().filter(pk=policy.pk).first()  # one notice at a time
    if not Debtor.objects.filter(pk=debtor_id).exists():
        raise NotificationInvalid(field="debtor", code="does_not_exist")
    if reason not in NonPaymentReason.values:
        raise NotificationInvalid(
            _("Choose the reason the debtor gives for not paying."), field="reason"
        )
    if notified_on > today:
        raise NotificationInvalid(
            _("The date lies in the future."), field="notified_on", code="in_future"
        )
    figures = overdue_preview(policy, debtor_id, notified_on)  # what the form showed ahead
    if figures.open_notice is not None:
        raise AlreadyNotified(
            _("This debtor was already notified overdue on %(day)s.")
            % {"day": figures.open_notice.notified_on.isoformat()},
            field="debtor",
        )
    if not figures.invoices:
        raise NotificationInvalid(
            _("Nothing of this debtor is overdue under this policy: there is nothing to notify."),
            field="debtor",
            code="nothing_overdue",
        )
    notice = OverdueNotification(
        policy=policy,
        debtor_id=debtor_id,
        notified_on=notified_on,
        reason=reason,
        details=(details or "").strip(),
        disputed=bool(disputed),
        overdue_amount=figures.overdue,
        exposure_amount=figures.exposure,
        deadline=figures.deadline,
        late=figures.late,
        cover_lost=figures.lost,
        created_by=actor,
    )
    notice.full_clean(exclude=["policy", "debtor", "created_by"])
    save_with_history(notice, actor=actor, reason=_("Notified overdue"))
    notice.invoices.set([invoice.pk for invoice in figures.invoices])
    stop_delivery_refresh(today=today, actor=actor, policy_id=policy.pk, debtor_id=debtor_id)
    transaction.on_commit(lambda: _tell_claims_handlers(notice.pk))
    return notice


def notification_close_if_paid(*, actor, policy_id: int, debtor_id: int, day: date) -> None:
    """Close the debtor's open notification (its collections case) once every invoice it
    notified is paid or credited."""
    notice = (
        OverdueNotification.objects.select_for_update()
        .filter(policy_id=policy_id, debtor_id=debtor_id, closed_on__isnull=True)
        .first()
    )
    if notice is None or notice.invoices.filter(open_amount__gt=0).exists():
        return
    notice.closed_on = max(day, notice.notified_on)
    save_with_history(notice, actor=actor, reason=_("Everything notified was paid"))


def _tell_claims_handlers(notice_id: int) -> None:
    from core.notify import notify_users

    notice = OverdueNotification.objects.select_related("policy__insured", "debtor").get(
        pk=notice_id
    )
    with transaction.atomic():
        notify_users(
            User.objects.filter(role=Role.CLAIMS, is_active=True),
            template="overdue_notified",
            context={"notice": notice},
            url=f"/exposure/notifications/{notice.pk}/",
        )
