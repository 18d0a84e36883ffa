"""In-app inbox and email: one message per user, written in that user's language from an
email template pair (templates/email/<name>_subject.txt, _body.txt). The email wraps the
message in templates/email/message.txt: the link into the app (from SITE_URL) and the
insurer's signature (core.insurer)."""

from collections.abc import Iterable
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.insurer import insurer
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


def site_link(url: str) -> str:
    """An absolute link into the app: SITE_URL + the page's path."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL.rstrip('/')}/{url.lstrip('/')}"


def from_address() -> str:
    """DEFAULT_FROM_EMAIL, under the insurer's name unless the setting names a sender itself."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return settings.DEFAULT_FROM_EMAIL if name else formataddr((insurer().name, address))


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The email of an inbox message, in its reader's language, signed by the insurer."""
    user = notification.user
    identity = insurer()
    with translation.override(user_language(user)):
        text = render_to_string(
            "email/message.txt",
            {
                "body": notification.body,
                "link": site_link(notification.url),
                "insurer": identity,
                "user": user,
            },
        ).strip()
    return EmailMultiAlternatives(
        notification.subject,
        text + "\n",
        from_address(),
        [user.email],
        reply_to=[identity.email] if identity.email else None,
    )
