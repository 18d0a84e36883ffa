"""Benchmark: automatic limit decisions through `POST /api/v1/limit-requests/`.

50 000 debtors in the register (each with one credit report), 50 insured companies with one
issued policy each, the default credit decision template, and 1 000 requests timed one by one,
each on a new debtor (so no 409): most approved at once, some partly approved at the
guideline, some discretionary limits, one in ten referred (rating 30).

Tasks queued on commit (decision letter PDF, notification email) go to the Redis broker as in
production, not run in the request (the test settings run them eagerly).
"""

import json
import statistics
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

DEBTORS = 50_000
COMPANIES = 50
REQUESTS = 1_000
WARM_UP = 5
PROFILED = 4
PATH = "/api/v1/limit-requests/"


def _register_debtors(today) -> list[int]:
    """50 000 debtors and one report each, in bulk; `latest_report` set by one UPDATE ... FROM.
    One in ten is rated 30 (the default template refers it), the rest are healthy."""
    from django.db import connection

    from debtors.models import CreditReport, Debtor

    Debtor.objects.bulk_create(
        (
            Debtor(
                country="SE",
                registration_number=f"BD{i:08d}",
                name=f"Bench debtor {i} AB",
                legal_form="AB",
            )
            for i in range(DEBTORS)
        ),
        batch_size=5_000,
    )
    ids = list(
        Debtor.objects.filter(registration_number__startswith="BD")
        .order_by("registration_number")
        .values_list("id", flat=True)
    )
    CreditReport.objects.bulk_create(
        (
            CreditReport(
                debtor_id=debtor_id,
                source="bench",
                as_of=today - timedelta(days=10),
                rating=30 if i % 10 == 0 else 70,
                turnover=Decimal("10000000.00"),
                result=Decimal("500000.00"),
                equity_ratio=Decimal("35.00"),
                registered_on=today - timedelta(days=15 * 365),
                legal_form="AB",
                f_tax=True,
                vat_registered=True,
                employer_registered=True,
                clean_audit=True,
                debt_balance=Decimal("0"),
            )
            for i, debtor_id in enumerate(ids)
        ),
        batch_size=5_000,
    )
    debtor_table, report_table = Debtor._meta.db_table, CreditReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {debtor_table} AS d SET latest_report_id = r.id "  # noqa: S608 - model names
            f"FROM {report_table} AS r WHERE r.debtor_id = d.id AND r.source = 'bench'"
        )
        cursor.execute(f"ANALYZE {debtor_table}; ANALYZE {report_table}")
    return ids


def _insured_clients(today) -> list:
    """One issued policy and one insured user (with its API token) per company."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from accounts.models import InsuredCompany, Role, User
    from policies.models import Policy, PolicyStatus

    companies = InsuredCompany.objects.bulk_create(
        InsuredCompany(name=f"Decider {i} AB", country="SE", registration_number=f"DEC{i:06d}")
        for i in range(COMPANIES)
    )
    start = today - timedelta(days=60)
    policies = Policy.objects.bulk_create(
        Policy(
            number=f"CI-DEC-{i:06d}",
            insured=company,
            currency="SEK",
            start_date=start,
            end_date=start + timedelta(days=364),
            status=PolicyStatus.ISSUED,
            covered_countries=["SE"],
        )
        for i, company in enumerate(companies)
    )
    out = []
    for i, (company, policy) in enumerate(zip(companies, policies, strict=True)):
        user = User.objects.create(username=f"decider-{i}", role=Role.INSURED, company=company)
        client = Client()
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
        out.append((client, policy.pk))
    return out


def _default_template() -> None:
    """The DOMAIN.md example template for every legal form, partly approving above the
    guideline."""
    from limits.engine import DEFAULT_RULES
    from limits.models import DecisionTemplate, TemplateRule

    template = DecisionTemplate.objects.create(legal_form="", name="Standard")
    TemplateRule.objects.bulk_create(
        TemplateRule(
            template=template,
            param=rule.param.value,
            threshold=rule.threshold,
            months=rule.months,
            on_fail=rule.on_fail.value,
        )
        for rule in DEFAULT_RULES
    )


def _amount(i: int) -> str:
    if i % 25 == 1:
        return "900000.00"  # above the 500 000 guideline: partly approved
    if i % 50 == 3:
        return "8000.00"  # within the discretionary limit
    return "100000.00"


@contextmanager
def _tasks_to_the_broker():
    """Queue tasks to Redis, as production does, instead of running them in the request."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


def _bare_lookup(client, debtor_id: int) -> None:
    from bench.urls import BARE_LOOKUP

    response = client.get(BARE_LOOKUP.format(pk=debtor_id))
    assert response.status_code == 200, (response.status_code, response.content[:300])


def _post(client, policy_id: int, debtor_id: int, amount: str):
    body = {"policy": policy_id, "debtor": debtor_id, "amount": amount, "reference": "bench"}
    response = client.post(PATH, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, (response.status_code, response.content[:300])
    return response


class _SqlTimer:
    """A connection execute wrapper adding up the wall time of every query."""

    def __init__(self):
        self.count, self.ms = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.ms += (time.perf_counter() - start) * 1000


def _profile(clients, debtor_ids) -> None:
    """Queries per request by outcome, and the time spent waiting for PostgreSQL."""
    from django.db import connection

    print("  profile, one request each (BEGIN/COMMIT not counted):")
    cases = (
        ("approved", 1, "100000.00"),
        ("partly approved", 2, "900000.00"),
        ("discretionary", 3, "8000.00"),
        ("referred", 0, "100000.00"),
    )
    for n, (label, index, amount) in enumerate(cases[:PROFILED]):
        # Debtors past the measured ones; i % 10 == 0 is a weak one.
        debtor_id = debtor_ids[REQUESTS + 10 * (n + 2) + index]
        client, policy_id = clients[n % len(clients)]
        sql = _SqlTimer()
        with connection.execute_wrapper(sql):
            start, cpu = time.perf_counter(), time.process_time()
            response = _post(client, policy_id, debtor_id, amount)
            elapsed = (time.perf_counter() - start) * 1000
            cpu_ms = (time.process_time() - cpu) * 1000
        print(
            f"    {label:<16} {response.json()['status']:<16} {sql.count:3d} queries, "
            f"SQL {sql.ms:5.1f} ms, Python CPU {cpu_ms:5.1f} ms, of {elapsed:5.1f} ms"
        )


def run(percentile) -> None:
    from django.utils import timezone

    from limits.models import LimitRequest

    today = timezone.localdate()
    started = time.perf_counter()
    debtor_ids = _register_debtors(today)
    clients = _insured_clients(today)
    _default_template()
    print(
        f"\ndata: {len(debtor_ids)} debtors with a credit report, {len(clients)} issued "
        f"policies, default template ({time.perf_counter() - started:.1f} s to load)"
    )

    samples, cpu_samples, bare, outcomes = [], [], [], Counter()
    with _tasks_to_the_broker():
        for i in range(WARM_UP):
            client, policy_id = clients[i % len(clients)]
            _post(client, policy_id, debtor_ids[-1 - i], "100000.00")
            _bare_lookup(client, debtor_ids[-1 - i])
        # Each decision is followed by a bare lookup with the same client, so both figures
        # meet the same machine at the same moment.
        for i in range(REQUESTS):
            client, policy_id = clients[i % len(clients)]
            start, cpu = time.perf_counter(), time.process_time()
            response = _post(client, policy_id, debtor_ids[i], _amount(i))
            samples.append((time.perf_counter() - start) * 1000)
            cpu_samples.append((time.process_time() - cpu) * 1000)
            body = response.json()
            outcomes["dcl" if body["is_dcl"] else body["status"]] += 1
            start = time.perf_counter()
            _bare_lookup(client, debtor_ids[i])
            bare.append((time.perf_counter() - start) * 1000)

    p50, p95 = statistics.median(samples), percentile(samples, 95)
    bare50, bare95 = statistics.median(bare), percentile(bare, 95)
    print(
        f"{'API limit request, decided in the call (insured)':<52} n={REQUESTS:<5} "
        f"p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
    )
    print(
        f"{'  bare DRF single-row lookup, same client, same run':<52} n={REQUESTS:<5} "
        f"p50 {bare50:7.1f} ms   p95 {bare95:7.1f} ms"
    )
    print(
        f"{'  ratio decision / bare lookup':<52} {'':<7} "
        f"p50 {p50 / bare50:7.1f} ×    p95 {p95 / bare95:7.1f} ×   (goal: at most 6 ×)"
    )
    print(
        f"  of which this process's CPU: p50 {statistics.median(cpu_samples):.1f} ms, "
        f"p95 {percentile(cpu_samples, 95):.1f} ms (the rest is waiting for PostgreSQL, "
        "Redis, or a CPU)"
    )
    print(
        "  outcomes: "
        + ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))
        + f"; requests stored {LimitRequest.objects.filter(reference='bench').count()}"
    )
    with _tasks_to_the_broker():
        _profile(clients, debtor_ids)
