from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def decision_letter_render_task(letter_id: int) -> None:
    from .pdf import letter_render

    letter_render(letter_id=letter_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def limit_decision_followup_task(request_id: int, letter_id: int | None = None) -> None:
    """What follows a decision once it is committed: its letter is rendered and the insured is
    told, each in a task of its own, so a retry of one never repeats the other. The decision's
    HTTP request publishes only this task."""
    if letter_id is not None:
        decision_letter_render_task.delay(letter_id)
    limit_decision_notify_task.delay(request_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def limit_decision_notify_task(request_id: int) -> None:
    from .services.decisions import limit_decision_notify

    limit_decision_notify(request_id=request_id)


@shared_task
def risk_events_alert_task() -> dict:
    from .services.risk import risk_events_alert_recorded

    return risk_events_alert_recorded()


@shared_task
def limit_dates_apply_task() -> dict:
    """Insurer reductions announced on their dates, expiries written as rows (daily)."""
    from django.utils import timezone

    from .services.dates import limit_dates_apply_recorded

    return limit_dates_apply_recorded(today=timezone.localdate())
