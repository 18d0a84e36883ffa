"""Benchmark: exposure over 50 000 unpaid invoices, and the cover check an ERP calls on every
order.

One issued policy with 500 debtors, a limit on each (granted at the policy's start, some
reduced since), 100 invoices per debtor delivered over the year, a tenth disputed or paid in
part, some debtors on stop delivery. Timed in the same run:

1. exposure per debtor of the whole policy (`exposure_by_debtor`: the limit on every delivery
   date, the reasons, the shared limit in delivery order), beside a raw SQL sum of the unpaid
   amounts per debtor (the bare stack: one grouped aggregate over the same rows);
2. the dashboard page of the policy, beside the same raw aggregate;
3. `POST /api/v1/cover-check/` on a debtor with 100 invoices, beside the bare DRF lookup with
   the same client.
"""

import json
import time
from datetime import timedelta
from decimal import Decimal

DEBTORS = 500
PER_DEBTOR = 100
CHECKS = 300


def _world(today):
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from accounts.models import InsuredCompany, Role, User
    from core.bulk import copy_rows
    from debtors.models import Debtor
    from exposure.models import Invoice, StopDelivery
    from limits.models import Limit, LimitChange
    from policies.models import Policy, PolicyStatus

    company = InsuredCompany.objects.create(
        name="Exposure Bench AB", country="SE", registration_number="EXPB000001"
    )
    start = today - timedelta(days=300)
    policy = Policy.objects.create(
        number="CI-EXP-000001",
        insured=company,
        currency="SEK",
        start_date=start,
        end_date=start + timedelta(days=364),
        status=PolicyStatus.ISSUED,
        covered_countries=["SE"],
    )
    debtors = Debtor.objects.bulk_create(
        Debtor(country="SE", registration_number=f"EX{i:08d}", name=f"Exposure debtor {i} AB")
        for i in range(DEBTORS)
    )
    limits = Limit.objects.bulk_create(Limit(policy=policy, debtor=d) for d in debtors)
    LimitChange.objects.bulk_create(
        LimitChange(limit=limit, kind="granted", amount=Decimal("2000000"), effective_from=start)
        for limit in limits
    )
    LimitChange.objects.bulk_create(
        LimitChange(
            limit=limit,
            kind="reduced",
            amount=Decimal("1500000"),
            effective_from=today - timedelta(days=60),
        )
        for limit in limits[::7]
    )
    StopDelivery.objects.bulk_create(
        StopDelivery(
            policy=policy, debtor=d, reason="past_extension", started_on=today - timedelta(days=30)
        )
        for d in debtors[::25]
    )
    rows = []
    for i, debtor in enumerate(debtors):
        for j in range(PER_DEBTOR):
            delivered = start + timedelta(days=(j * 3 + i) % 290)
            terms = (30, 60, 120)[(i + j) % 3 if j % 10 == 0 else 0]
            gross = Decimal(20000 + 100 * ((i * j) % 50))
            paid = gross / 2 if j % 10 == 3 else Decimal(0)
            rows.append(
                (
                    debtor.pk,
                    f"F-{i}-{j}",
                    gross,
                    Decimal(0),
                    gross - paid,
                    delivered,
                    delivered,
                    delivered + timedelta(days=terms),
                    delivered + timedelta(days=terms),
                    terms,
                    delivered + timedelta(days=5) if j % 10 == 7 else None,
                )
            )
    copy_rows(
        Invoice,
        (
            "debtor_id",
            "number",
            "net_amount",
            "vat_amount",
            "open_amount",
            "invoice_date",
            "delivery_date",
            "original_due_date",
            "due_date",
            "terms_days",
            "disputed_since",
        ),
        rows,
        {"policy_id": policy.pk, "currency": "SEK", "reported_at": today},
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exposure_invoice; ANALYZE limits_limitchange; ANALYZE limits_limit")
    user = User.objects.create(username="exposure-bench", role=Role.INSURED, company=company)
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    client.force_login(user)
    return policy, debtors, client


def _raw_aggregate(policy_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT debtor_id, SUM(open_amount) FROM exposure_invoice "
            "WHERE policy_id = %s AND open_amount > 0 GROUP BY debtor_id",
            [policy_id],
        )
        cursor.fetchall()


def _ms(fn, n: int) -> list[float]:
    fn()
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def run(percentile) -> None:
    import statistics

    from django.utils import timezone

    from bench.urls import BARE_LOOKUP
    from exposure.models import Invoice
    from exposure.selectors import exposure_by_debtor

    today = timezone.localdate()
    policy, debtors, client = _world(today)
    print(
        f"\ndata: 1 policy, {DEBTORS} debtors with limits, {DEBTORS * PER_DEBTOR} unpaid invoices"
    )

    def line(label, samples, bare, bare_label):
        p50, p95 = statistics.median(samples), percentile(samples, 95)
        b50 = statistics.median(bare)
        print(
            f"{label:<52} n={len(samples):<5} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
            f"(bare stack: {bare_label} p50 {b50:.1f} ms, ×{p50 / b50:.1f})"
        )

    invoices = Invoice.objects.filter(policy=policy)
    aggregate = _ms(lambda: _raw_aggregate(policy.pk), 10)
    line(
        "exposure per debtor, 50 000 invoices (SQL)",
        _ms(lambda: exposure_by_debtor(invoices, today=today), 10),
        aggregate,
        "raw SUM per debtor",
    )
    page = f"/exposure/?policy={policy.pk}"

    def dashboard():
        response = client.get(page)
        assert response.status_code == 200, response.status_code

    line("exposure dashboard page (insured)", _ms(dashboard, 10), aggregate, "raw SUM per debtor")

    debtor = debtors[1]
    body = json.dumps(
        {"policy": policy.pk, "debtor": debtor.pk, "amount": "50000.00", "terms_days": 30}
    )

    def check():
        response = client.post("/api/v1/cover-check/", body, content_type="application/json")
        assert response.status_code == 201, (response.status_code, response.content[:300])

    def bare():
        response = client.get(BARE_LOOKUP.format(pk=debtor.pk))
        assert response.status_code == 200

    checks, lookups = [], []
    check(), bare()
    for _ in range(CHECKS):  # interleaved: the same moments of a noisy machine
        started = time.perf_counter()
        check()
        checks.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        bare()
        lookups.append((time.perf_counter() - started) * 1000)
    line("API cover check, debtor with 100 invoices", checks, lookups, "DRF single-row lookup")
