"""In-app inbox and email: one message per user, written in that user's language from an
email template triplet (templates/email/<name>_subject.txt, _body.txt, _body.html)."""

from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.models import Notification


def user_language(user) -> str:
    company = getattr(user, "company", None)
    return user.language or (company.language if company else "") or "en"


def notify_users(
    users: Iterable, *, template: str, context: dict, url: str = ""
) -> list[Notification]:
    """Write an inbox message for each user and send it by email after commit."""
    from core.tasks import notification_email_task

    notifications = []
    for user in users:
        with translation.override(user_language(user)):
            ctx = {**context, "user": user, "url": url}
            subject = " ".join(render_to_string(f"email/{template}_subject.txt", ctx).split())
            body = render_to_string(f"email/{template}_body.txt", ctx).strip()
        notifications.append(Notification(user=user, subject=subject[:200], body=body, url=url))
    created = Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: notification_email_task.delay(ids))
    return created
