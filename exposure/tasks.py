from celery import shared_task
from django.utils import timezone


@shared_task
def deadlines_run_task() -> dict:
    """DOMAIN.md's deadline steps 1 to 3 (hourly: a second run the same day sends nothing)."""
    from .services.deadlines import deadlines_run_recorded

    return deadlines_run_recorded(today=timezone.localdate())
