from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def decision_letter_render_task(letter_id: int) -> None:
    from .pdf import letter_render

    letter_render(letter_id=letter_id)


@shared_task
def risk_events_alert_task() -> dict:
    from .services.risk import risk_events_alert_recorded

    return risk_events_alert_recorded()
