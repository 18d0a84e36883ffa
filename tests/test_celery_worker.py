"""A real Celery worker on the Redis of REDIS_URL takes the tasks the services queue after
commit: the schedule PDF is rendered, and the nightly expiry runs and leaves its record.

The worker runs in a thread of this process with its own database connection, so it sees
only committed rows: hence `transactional_db`. There is no result backend; the tests poll
the database for the outcome.
"""

import os
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from config.celery import app
from core.models import JobRun
from policies import services
from policies.models import DocumentKind, DocumentStatus, PolicyDocument, PolicyStatus
from policies.tasks import policies_expire_task

pytestmark = pytest.mark.worker


@pytest.fixture(autouse=True)
def _redis_required():
    assert os.environ.get("REDIS_URL"), "needs REDIS_URL: run through `make test`"


TIMEOUT = 30


@pytest.fixture
def worker(transactional_db):
    """A solo worker consuming from Redis while tasks are sent to it, not run eagerly.
    Yields the tasks it ran: (name, ran eagerly?, thread)."""
    ran = []

    def record(task, **kwargs):
        ran.append((task.name, bool(task.request.is_eager), threading.current_thread()))

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    task_postrun.connect(record, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            yield ran
    finally:
        task_postrun.disconnect(record)
        app.conf.task_always_eager = eager


def taken_by_the_worker(ran, name: str) -> bool:
    return any(
        task == name and not eager and thread is not threading.current_thread()
        for task, eager, thread in ran
    )


def wait_for(check, what: str):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"After {TIMEOUT} s still waiting for {what}")


def test_the_worker_renders_the_schedule_of_an_issued_policy(worker, company, underwriter):
    # Given: a draft, issued in a transaction that commits (the render is queued on commit)
    draft = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="SEK"
    )
    policy = services.policy_issue(actor=underwriter, policy_id=draft.pk)
    schedule = PolicyDocument.objects.get(policy=policy, kind=DocumentKind.SCHEDULE)

    # When: the worker takes the task
    ready = wait_for(
        lambda: PolicyDocument.objects.filter(pk=schedule.pk, status=DocumentStatus.READY).first(),
        "the schedule to be rendered",
    )

    # Then: the stored file is the PDF
    with ready.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert ready.sha256 and ready.rendered_at
    assert taken_by_the_worker(worker, "policies.tasks.policy_document_render_task")


def test_the_worker_expires_ended_policies_and_records_the_run(worker, company, underwriter):
    # Given: an issued policy whose period ended
    draft = services.policy_create(actor=underwriter, insured=company, start_date=date(2024, 1, 1))
    ended = services.policy_issue(actor=underwriter, policy_id=draft.pk)
    assert ended.end_date < date.today()

    # When: the nightly task is sent to the worker
    policies_expire_task.delay()

    # Then: the policy is expired and the run's record names it
    run = wait_for(
        lambda: JobRun.objects.filter(name="policies_expire", finished_at__isnull=False).first(),
        "the expiry run to finish",
    )
    assert run.error == ""
    assert run.summary == {"expired": [ended.number]}
    assert taken_by_the_worker(worker, "policies.tasks.policies_expire_task")
    ended.refresh_from_db()
    assert ended.status == PolicyStatus.EXPIRED
    assert ended.history.latest().history_change_reason == "Expired at the end of the period"


def test_the_worker_runs_the_deadline_job_and_a_second_run_tells_nothing_again(
    worker, company, underwriter, insured_user
):
    from datetime import timedelta

    from exposure import services as exposure_services
    from exposure.models import DeadlineNotice
    from exposure.tasks import deadlines_run_task
    from tests.factories.limits import DebtorFactory

    # Given: an invoice of the insured, unpaid 70 days after its due date
    policy = services.policy_issue(
        actor=underwriter,
        policy_id=services.policy_create(
            actor=underwriter, insured=company, start_date=date.today() - timedelta(days=200)
        ).pk,
    )
    delivered = date.today() - timedelta(days=100)
    exposure_services.invoice_report(
        actor=insured_user,
        policy_id=policy.pk,
        debtor_id=DebtorFactory(country="SE").pk,
        number="F-1",
        net_amount=Decimal("1000.00"),
        currency=policy.currency,
        invoice_date=delivered,
        delivery_date=delivered,
        original_due_date=delivered + timedelta(days=30),
    )
    DeadlineNotice.objects.all().delete()  # the report started the stop; the job tells of it

    # When: the hourly task goes to the worker, twice
    for n in (1, 2):
        deadlines_run_task.delay()
        wait_for(
            lambda n=n: (
                JobRun.objects.filter(name="exposure_deadlines", finished_at__isnull=False).count()
                == n
                or None
            ),
            f"deadline run {n} to finish",
        )

    # Then: the stop was told once, by the first run
    first, second = JobRun.objects.filter(name="exposure_deadlines").order_by("started_at")
    assert first.summary["stops_told"] == 1 and second.summary["stops_told"] == 0
    assert list(DeadlineNotice.objects.values_list("kind", flat=True)) == ["stop_delivery"]
    assert taken_by_the_worker(worker, "exposure.tasks.deadlines_run_task")
