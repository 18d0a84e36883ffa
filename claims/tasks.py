from celery import shared_task
from django.utils import timezone


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def claim_statement_render_task(statement_id: int) -> None:
    from .pdf import statement_render

    statement_render(statement_id=statement_id)


@shared_task
def claim_deadlines_run_task() -> dict:
    """DOMAIN.md's deadline step 4 (hourly: a second run the same day sends nothing)."""
    from .services.deadlines import claim_deadlines_run_recorded

    return claim_deadlines_run_recorded(today=timezone.localdate())
