from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def claim_statement_render_task(statement_id: int) -> None:
    from .pdf import statement_render

    statement_render(statement_id=statement_id)
