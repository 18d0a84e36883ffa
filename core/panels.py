"""What core shows on the administrator's home page: the latest scheduled job runs."""

from datetime import date

from core.models import JobRun


def admin_home_panel(user, today: date) -> dict:
    """The ten latest job runs, newest first, with their summary or error."""
    return {"job_runs": list(JobRun.objects.all()[:10])}
