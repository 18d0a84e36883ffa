from celery import shared_task
from django.utils import timezone

from core.models import Notification
from core.notify import notification_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_email_task(notification_ids: list[int]) -> int:
    """Email each notification once (a retry skips those already sent)."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for n in pending.select_related("user", "user__company"):
        if not n.user.email:
            continue
        notification_email(n).send()
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@shared_task
def import_job_run_task(job_id: int) -> None:
    """Run an uploaded import (core.imports); a second delivery does nothing."""
    from core.imports.services import import_job_run

    import_job_run(job_id)
