"""Running a scheduled job so that it leaves a record staff can read."""

from collections.abc import Callable

from django.utils import timezone

from core.models import JobRun


def run_recorded(name: str, job: Callable[[], dict]) -> dict:
    run = JobRun.objects.create(name=name, started_at=timezone.now())
    try:
        summary = job()
    except Exception as exc:
        run.error = repr(exc)
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        raise
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "finished_at"])
    return summary
