from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def policy_document_render_task(document_id: int) -> None:
    services.document_render(document_id=document_id)


@shared_task
def policies_expire_task() -> dict:
    return services.policies_expire_recorded(today=timezone.localdate())


@shared_task
def policy_charges_settle_task() -> dict:
    """Daily, after the expiry job: the year-end premium (minimum-premium top-up and an
    invoice of every charge not yet invoiced) of each policy year that is over."""
    return services.policy_charges_settle_recorded(today=timezone.localdate())
