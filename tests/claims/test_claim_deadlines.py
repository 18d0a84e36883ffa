"""The claim deadlines job (DOMAIN.md's deadline step 4): after the notification it says from
when a claim may be filed, says so again when the waiting period ends, and warns 14 and 7 days
before the claim filing deadline and on the day; each once through exposure's ledger, whatever
the number of runs or workers, until a claim is filed."""

import threading
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from claims.services.claims import claim_file
from claims.services.deadlines import claim_deadlines_run, claim_deadlines_run_recorded
from core.models import JobRun, Notification
from exposure import services as exposure
from exposure import timeline
from exposure.models import DeadlineNotice
from tests import test_celery_worker as celery_worker
from tests.claims.conftest import NOTIFIED, WAITING_END, on

# A real Celery worker on Redis, as tests/test_celery_worker.py starts it.
worker = celery_worker.worker
wait_for, taken_by_the_worker = celery_worker.wait_for, celery_worker.taken_by_the_worker

# Notified 2026-04-01: the waiting period (180 days) ends 2026-09-28, and the claim filing
# deadline is 60 days later.
DEADLINE = WAITING_END + timedelta(days=60)


def kinds():
    return sorted(DeadlineNotice.objects.values_list("kind", flat=True))


def subjects(user):
    return [n.subject for n in Notification.objects.filter(user=user).order_by("id")]


@pytest.fixture(autouse=True)
def english(insured_user):
    insured_user.language = "en"  # the messages below are read in English
    insured_user.save()


def test_the_dates_are_exposures_timeline(notified, issued_policy):
    terms = timeline.Terms.of(issued_policy)

    assert timeline.waiting_period_end(NOTIFIED, terms) == WAITING_END
    assert timeline.claim_filing_deadline(NOTIFIED, None, terms) == DEADLINE


def test_the_first_run_after_the_notification_says_when_a_claim_may_be_filed(
    notified, insured_user
):
    first = claim_deadlines_run(today=NOTIFIED + timedelta(days=1))
    second = claim_deadlines_run(today=NOTIFIED + timedelta(days=2))

    assert (first["waiting_told"], second["waiting_told"]) == (1, 0)
    [notice] = DeadlineNotice.objects.all()
    assert (notice.kind, notice.due_on, notice.invoices) == (
        "claim_waiting",
        WAITING_END,
        ["F-1", "F-2"],
    )
    assert subjects(insured_user)[-1] == "A claim on Kalles Kaffe AB may be filed from 2026-09-28"
    body = Notification.objects.filter(user=insured_user).last().body
    assert "at the latest on 2026-11-27" in body
    assert Notification.objects.filter(user=insured_user).last().url == (
        f"/claims/collections/{notified.pk}/"
    )


@pytest.mark.parametrize("late_by", [0, 3])
def test_the_end_of_the_waiting_period_is_told_once_even_by_a_late_run(
    notified, insured_user, late_by
):
    claim_deadlines_run(today=NOTIFIED)
    day = WAITING_END + timedelta(days=late_by)

    assert claim_deadlines_run(today=day - timedelta(days=late_by + 1))["may_file_told"] == 0
    assert claim_deadlines_run(today=day)["may_file_told"] == 1
    assert claim_deadlines_run(today=day + timedelta(days=1))["may_file_told"] == 0
    assert kinds() == ["claim_may_file", "claim_waiting"]
    assert subjects(insured_user)[-1] == "A claim on Kalles Kaffe AB may now be filed"


@pytest.mark.parametrize(
    ("days_before", "kind"), [(14, "filing_warn_14"), (7, "filing_warn_7"), (0, "filing_today")]
)
def test_a_warning_before_the_filing_deadline_is_sent_once(
    notified, insured_user, days_before, kind
):
    today = DEADLINE - timedelta(days=days_before)

    first = claim_deadlines_run(today=today)
    second = claim_deadlines_run(today=today)

    assert (first["filing_warnings"], second["filing_warnings"]) == (1, 0)
    [notice] = DeadlineNotice.objects.filter(kind=kind)
    assert notice.due_on == DEADLINE and notice.amount == notified.overdue_amount
    assert subjects(insured_user)[-1] == (
        "Today is the last day to file a claim on Kalles Kaffe AB"
        if kind == "filing_today"
        else "File a claim on Kalles Kaffe AB by 2026-11-27"
    )
    assert claim_deadlines_run(today=today - timedelta(days=1))["filing_warnings"] == 0


def test_nothing_is_told_after_the_deadline(notified):
    summary = claim_deadlines_run(today=DEADLINE + timedelta(days=1))

    assert summary == {"waiting_told": 0, "may_file_told": 0, "filing_warnings": 0}


def test_after_an_insolvency_the_deadline_counts_from_it(notified, debtor, issued_policy):
    debtor.insolvent_since = date(2026, 5, 10)
    debtor.save()
    deadline = timeline.claim_filing_deadline(
        NOTIFIED, debtor.insolvent_since, timeline.Terms.of(issued_policy)
    )

    assert claim_deadlines_run(today=deadline - timedelta(days=7))["filing_warnings"] == 1
    assert claim_deadlines_run(today=DEADLINE - timedelta(days=7))["filing_warnings"] == 0
    [warning] = DeadlineNotice.objects.filter(kind="filing_warn_7")
    assert warning.due_on == deadline == date(2026, 11, 6)


def test_a_claim_filed_stops_the_warnings(notified, insured_user, issued_policy, debtor):
    with on(WAITING_END):
        claim_file(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            cause="protracted_default",
            evidence="No payment since January.",
        )

    assert claim_deadlines_run(today=WAITING_END)["may_file_told"] == 0
    assert claim_deadlines_run(today=DEADLINE - timedelta(days=7))["filing_warnings"] == 0
    assert kinds() == []


def test_a_debt_paid_in_full_is_not_told(notified, insured_user, issued_policy, debtor):
    with on(date(2026, 4, 10)):
        exposure.payment_record(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            amount=notified.overdue_amount,
            received_on=date(2026, 4, 10),
        )

    assert claim_deadlines_run(today=WAITING_END)["may_file_told"] == 0


def test_a_run_is_recorded_and_listed_on_the_scheduled_jobs_page(notified, client, claims_handler):
    claim_deadlines_run_recorded(today=DEADLINE)

    run = JobRun.objects.get(name="claim_deadlines")
    assert run.finished_at and run.summary["filing_warnings"] == 1
    assert {n.run for n in DeadlineNotice.objects.all()} == {run}
    client.force_login(claims_handler)
    assert "claim_deadlines" in client.get(reverse("job-run-list")).content.decode()
    detail = client.get(reverse("job-run-detail", args=[run.pk])).content.decode()
    assert "Claim filing deadline today" in detail


def test_the_job_runs_hourly_from_the_beat_schedule():
    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "claims.tasks.claim_deadlines_run_task"
    ]
    assert entry["schedule"].hour == set(range(24))


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_tell_everything_once(notified, insured_user):
    errors = []

    def run():
        try:
            claim_deadlines_run(today=DEADLINE - timedelta(days=14))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert kinds() == ["claim_may_file", "filing_warn_14"]
    told = [s for s in subjects(insured_user) if "claim" in s.lower()]
    assert len(told) == 2


@pytest.mark.worker
def test_the_worker_runs_the_job_and_a_second_run_tells_nothing_again(
    worker, insured_user, underwriter, company
):
    from claims.tasks import claim_deadlines_run_task
    from exposure.services.notifications import overdue_notify
    from policies import services as policies
    from tests.claims.conftest import report
    from tests.factories.limits import DebtorFactory

    # Given: a debtor notified overdue today (committed: the worker has its own connection)
    today = date.today()
    policy = policies.policy_issue(
        actor=underwriter,
        policy_id=policies.policy_create(
            actor=underwriter, insured=company, start_date=today - timedelta(days=200)
        ).pk,
    )
    debtor = DebtorFactory(country="SE")
    report(insured_user, policy, debtor, "F-1", "1000.00", today - timedelta(days=100))
    overdue_notify(actor=insured_user, policy_id=policy.pk, debtor_id=debtor.pk, reason="cash_flow")

    # When: the hourly task goes to the worker, twice
    for n in (1, 2):
        claim_deadlines_run_task.delay()
        wait_for(
            lambda n=n: (
                JobRun.objects.filter(name="claim_deadlines", finished_at__isnull=False).count()
                == n
                or None
            ),
            f"claim deadline run {n} to finish",
        )

    # Then: the waiting period was told once, by the first run
    first, second = JobRun.objects.filter(name="claim_deadlines").order_by("started_at")
    assert first.summary["waiting_told"] == 1 and second.summary["waiting_told"] == 0
    assert kinds() == ["claim_waiting"]
    assert taken_by_the_worker(worker, "claims.tasks.claim_deadlines_run_task")
