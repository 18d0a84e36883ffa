"""Benchmark: the claim calculation for a debtor with 10 000 invoices, and the claims queue with
10 000 claims.

1. `claims.selectors.calculate` (every unpaid invoice qualified or not with exposure's rules,
   the limit on each delivery date, the six steps, the maximum liability left) for one
   notified debtor with 10 000 invoices: a limit granted at the start and reduced since, a
   tenth paid, some paid in part, some disputed, some delivered on stop delivery, some on
   terms too long, some notified too late; beside a raw SQL SUM of the same invoices' unpaid
   amounts. Goal: 200 ms.
2. The claims queue with 10 000 claims in every status (50 insureds, one debtor each claim):
   `GET /api/v1/claims/?limit=50` and the page `/claims/` as a claims handler, each beside a
   bare DRF list of 50 claims (bench.urls: plain columns, no joins) timed in turn with the
   same client. Goal: 300 ms. The claims are a fixture written with bulk_create, not through
   the services.
"""

import statistics
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal

INVOICES = 10_000
CLAIMS = 10_000
COMPANIES = 50
RUNS = 20


def _ms(fn, n: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _interleaved(fn, bare, n: int) -> tuple[list[float], list[float]]:
    """Both timed in turn: the same moments of a noisy machine."""
    fn(), bare()
    a, b = [], []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        a.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        bare()
        b.append((time.perf_counter() - started) * 1000)
    return a, b


# 1. The calculation -------------------------------------------------------------------------


def _debtor_with_invoices(today):
    from accounts.models import InsuredCompany
    from core.bulk import copy_rows
    from debtors.models import Debtor
    from exposure.models import Invoice, OverdueNotification, StopDelivery
    from limits.models import Limit, LimitChange
    from policies.models import Policy, PolicyStatus

    company = InsuredCompany.objects.create(
        name="Claim Bench AB", country="SE", registration_number="CLB000001"
    )
    start = today - timedelta(days=330)
    policy = Policy.objects.create(
        number="CI-CLB-000001",
        insured=company,
        currency="SEK",
        start_date=start,
        end_date=start + timedelta(days=364),
        status=PolicyStatus.ISSUED,
        covered_countries=["SE"],
        minimum_premium=Decimal("1000000"),  # 30 million of maximum liability
    )
    debtor = Debtor.objects.create(
        country="SE", registration_number="CLB0000001", name="Big Buyer AB", legal_form="AB"
    )
    limit = Limit.objects.create(policy=policy, debtor=debtor)
    LimitChange.objects.bulk_create(
        [
            LimitChange(
                limit=limit, kind="granted", amount=Decimal("30000000"), effective_from=start
            ),
            LimitChange(
                limit=limit,
                kind="reduced",
                amount=Decimal("20000000"),
                effective_from=today - timedelta(days=120),
            ),
        ]
    )
    StopDelivery.objects.create(
        policy=policy, debtor=debtor, reason="past_extension", started_on=today - timedelta(days=20)
    )
    OverdueNotification.objects.create(
        policy=policy,
        debtor=debtor,
        notified_on=today - timedelta(days=40),
        reason="cash_flow",
        overdue_amount=Decimal("1"),
        exposure_amount=Decimal("1"),
    )
    rows = []
    for j in range(INVOICES):
        if j % 100 == 99:  # an old invoice, notified too late for cover
            delivered = start + timedelta(days=j % 60)
        else:  # delivered over the five months before the notification and since
            delivered = today - timedelta(days=160 - (j * 7) % 155)
        terms = 120 if j % 50 == 0 else (30, 60)[j % 2]  # one in fifty beyond the credit period
        net = Decimal(8000 + 10 * (j % 400))
        vat = (net / 4).quantize(Decimal("0.01"))
        if j % 10 == 3:
            unpaid = Decimal(0)  # paid
        elif j % 7 == 0:
            unpaid = net + vat - Decimal(2500)  # paid in part
        else:
            unpaid = net + vat
        rows.append(
            (
                f"CB-{j:05d}",
                net,
                vat,
                unpaid,
                delivered,
                delivered,
                delivered + timedelta(days=terms),
                delivered + timedelta(days=terms),
                terms,
                delivered + timedelta(days=20) if j % 25 == 11 else None,
            )
        )
    copy_rows(
        Invoice,
        (
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
        {
            "policy_id": policy.pk,
            "debtor_id": debtor.pk,
            "currency": "SEK",
            "reported_at": today,
        },
    )
    return policy, debtor


def _raw_sum(policy_id: int, debtor_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(open_amount) FROM exposure_invoice "
            "WHERE policy_id = %s AND debtor_id = %s AND open_amount > 0",
            [policy_id, debtor_id],
        )
        cursor.fetchone()


# 2. The queue -------------------------------------------------------------------------------


def _claims(today):
    """10 000 claims of 50 insureds, each on its own notified debtor, in every status."""
    from accounts.models import InsuredCompany, Role, User
    from claims.models import Cause, Claim, ClaimStatus
    from debtors.models import Debtor
    from exposure.models import OverdueNotification
    from policies.models import Policy, PolicyStatus

    handler = User.objects.create(username="claims-bench", role=Role.CLAIMS)
    other = User.objects.create(username="claims-bench-2", role=Role.CLAIMS)
    companies = InsuredCompany.objects.bulk_create(
        InsuredCompany(name=f"Queue {i} AB", country="SE", registration_number=f"QUE{i:06d}")
        for i in range(COMPANIES)
    )
    start = today - timedelta(days=330)
    policies = Policy.objects.bulk_create(
        Policy(
            number=f"CI-QUE-{i:06d}",
            insured=c,
            currency="SEK",
            start_date=start,
            end_date=start + timedelta(days=364),
            status=PolicyStatus.ISSUED,
            covered_countries=["SE"],
        )
        for i, c in enumerate(companies)
    )
    debtors = Debtor.objects.bulk_create(
        (
            Debtor(country="SE", registration_number=f"QD{i:08d}", name=f"Queue debtor {i} AB")
            for i in range(CLAIMS)
        ),
        batch_size=2_000,
    )
    notified = [today - timedelta(days=30 + i % 280) for i in range(CLAIMS)]
    notices = OverdueNotification.objects.bulk_create(
        (
            OverdueNotification(
                policy=policies[i % COMPANIES],
                debtor=d,
                notified_on=notified[i],
                reason="cash_flow",
                overdue_amount=Decimal("50000"),
                exposure_amount=Decimal("50000"),
            )
            for i, d in enumerate(debtors)
        ),
        batch_size=2_000,
    )
    statuses = list(ClaimStatus.values)
    decided = {"second_approval", "approved", "adjusted", "paid", "refused"}
    claims = []
    for i, (debtor, notice) in enumerate(zip(debtors, notices, strict=True)):
        status = statuses[i % len(statuses)]
        claimed = Decimal(10000 + 37 * (i % 1000))
        filed = notice.notified_on + timedelta(days=10)
        claims.append(
            Claim(
                number=f"CL-BENCH-{i:06d}",
                policy=notice.policy,
                debtor=debtor,
                notification=notice,
                currency="SEK",
                cause=(Cause.INSOLVENCY, Cause.PROTRACTED_DEFAULT)[i % 2],
                insolvency_kind="bankruptcy" if i % 2 == 0 else "",
                loss_date=notice.notified_on + timedelta(days=5),
                evidence="Bench",
                filed_on=filed,
                filing_deadline=filed + timedelta(days=180),
                policy_year=1,
                status=status,
                claimed_amount=claimed,
                indemnity=claimed if status in decided and status != "refused" else None,
                calculated_amount=claimed if status in decided else None,
                decided_by=(handler, other)[i % 2] if status in decided else None,
                paid_on=filed + timedelta(days=20) if status == "paid" else None,
            )
        )
    Claim.objects.bulk_create(claims, batch_size=2_000)
    return handler


def _analyze() -> None:
    from django.db import connection

    from accounts.models import InsuredCompany
    from claims.models import Claim
    from debtors.models import Debtor
    from exposure.models import Invoice, OverdueNotification, StopDelivery
    from limits.models import Limit, LimitChange
    from policies.models import Policy

    models = (Invoice, OverdueNotification, StopDelivery, Limit, LimitChange, Claim, Debtor)
    with connection.cursor() as cursor:
        for model in (*models, Policy, InsuredCompany):
            cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608 - model names


def _route(name: str) -> str | None:
    """The path of a route another part of the app provides, or None while it does not."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def run(percentile) -> None:
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from bench.urls import BARE_CLAIMS
    from claims.selectors import calculate

    today = timezone.localdate()

    def line(label, samples, bare, bare_label):
        p50, p95 = statistics.median(samples), percentile(samples, 95)
        b50 = statistics.median(bare)
        print(
            f"{label:<52} n={len(samples):<5} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
            f"(bare stack: {bare_label} p50 {b50:.1f} ms, ×{p50 / b50:.1f})"
        )

    started = time.perf_counter()
    policy, debtor = _debtor_with_invoices(today)
    handler = _claims(today)
    _analyze()
    print(
        f"\ndata: 1 debtor with {INVOICES} invoices; {CLAIMS} claims of {COMPANIES} insureds "
        f"(written in {time.perf_counter() - started:.1f} s)"
    )

    loss_date = today - timedelta(days=10)
    calc = calculate(policy, debtor.pk, today=today, loss_date=loss_date)
    reasons = Counter(line.reason or "qualifies" for line in calc.lines)
    print(
        f"  calculation: {len(calc.lines)} unpaid invoices "
        f"({', '.join(f'{n} {r}' for r, n in reasons.most_common())}); eligible loss "
        f"{calc.eligible_loss}, insured loss {calc.insured_loss}, indemnity {calc.indemnity}"
    )
    line(
        "claim calculation, debtor with 10 000 invoices",
        _ms(lambda: calculate(policy, debtor.pk, today=today, loss_date=loss_date), RUNS),
        _ms(lambda: _raw_sum(policy.pk, debtor.pk), RUNS),
        "raw SUM of the debtor",
    )

    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=handler).key}"
    client.force_login(handler)

    def get(path):
        def fetch():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return fetch

    bare = get(BARE_CLAIMS)
    api = _route("api-claim-list")
    if api is None:
        print(f"{'API claims list, 50 a page (claims handler)':<52} not available")
    else:
        samples, lookups = _interleaved(get(f"{api}?limit=50"), bare, RUNS)
        line("API claims list, 50 a page (claims handler)", samples, lookups, "DRF list of 50")
    page = _route("claim-list")
    if page is None:
        print(f"{'claims queue page (claims handler)':<52} not available")
    else:
        samples, lookups = _interleaved(get(page), bare, RUNS)
        line("claims queue page (claims handler)", samples, lookups, "DRF list of 50")
