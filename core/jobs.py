"""Running a scheduled job so that it leaves a record staff can read."""

from collections.abc import Callable

from django.utils import timezone

from core.models import JobRun


def run_recorded(name: str, job: Callable[..., dict], *, pass_run: bool = False) -> dict:
    """Run `job` (given its JobRun with `pass_run`, to link what it writes to the run) and
    record when it started, ended, and its summary or error."""
    run = JobRun.objects.create(name=name, started_at=timezone.now())
    try:
        summary = job(run) if pass_run else job()
    except Exception as exc:
        run.error = repr(exc)
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        raise
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "finished_at"])
    return summary
