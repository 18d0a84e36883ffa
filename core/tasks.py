from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from core.models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_email_task(notification_ids: list[int]) -> int:
    """Email each notification once (a retry skips those already sent)."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for n in pending.select_related("user"):
        if not n.user.email:
            continue
        text = f"{n.body}\n\n{settings.SITE_URL}{n.url}" if n.url else n.body
        EmailMultiAlternatives(n.subject, text, settings.DEFAULT_FROM_EMAIL, [n.user.email]).send()
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
