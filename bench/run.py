"""Benchmarks: run by `make bench` against the PostgreSQL and Redis it starts.

Prints figures, asserts nothing. Beside each figure: what the bare stack reaches on this
machine (shared/MACHINE.md), so a regression shows as a distance from it.

`bench/run.py claims exposure` runs only those parts (`make bench BENCH="claims"`); without
arguments, every part.
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench_database() -> None:
    """A fresh database `cia_bench` on the server DATABASE_URL points at."""
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    admin = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS cia_bench")
        conn.execute("CREATE DATABASE cia_bench")
    os.environ["DATABASE_URL"] = urlunparse(url._replace(path="/cia_bench"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(label: str, fn, n: int, reference: str) -> None:
    fn()  # warm up
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<52} n={n:<5} p50 {statistics.median(samples):7.1f} ms   "
        f"p95 {percentile(samples, 95):7.1f} ms   (bare stack: {reference})"
    )


def main() -> None:
    _bench_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "bench.urls"  # the app plus a bare DRF lookup to compare with
    clear_url_caches()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    parts = sys.argv[1:] or list(PARTS)
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        sys.exit(f"No benchmark {', '.join(unknown)}; choose from {', '.join(PARTS)}.")
    for name in PARTS:
        if name in parts:
            PARTS[name]()


def _policies() -> None:
    """The policy API and the schedule PDF over 500 insureds with two policies each."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import InsuredCompany, Role, User
    from policies import services
    from policies.models import Policy, PolicyStatus, TurnoverDeclaration

    # Given: 500 insured companies with two issued policies each and a year of declarations.
    uw = User.objects.create(username="bench-uw", role=Role.UNDERWRITER)
    companies = InsuredCompany.objects.bulk_create(
        InsuredCompany(name=f"Bench {i} AB", country="SE", registration_number=f"BENCH{i:06d}")
        for i in range(500)
    )
    policies = Policy.objects.bulk_create(
        Policy(
            number=f"CI-2026-{i:06d}",
            insured=c,
            currency=("SEK", "EUR")[i % 2],
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            status=PolicyStatus.ISSUED,
            covered_countries=["SE", "NO"],
        )
        for i, c in enumerate(companies * 2)
    )
    TurnoverDeclaration.objects.bulk_create(
        TurnoverDeclaration(
            policy=p,
            period_start=date(2026, m, 1),
            period_end=date(2026, m + 1, 1) - timedelta(days=1),
            turnover=Decimal("1000000.00"),
            premium_rate=Decimal(2),
            premium=Decimal("2000.00"),
            due_date=date(2026, m + 1, 28),
            declared_at=timezone.now(),
            declared_by=uw,
        )
        for p in policies
        for m in range(1, 10)
    )
    insured = User.objects.create(username="bench-insured", role=Role.INSURED, company=companies[7])
    print(
        f"data: {len(companies)} insured companies, {len(policies)} policies, "
        f"{TurnoverDeclaration.objects.count()} declarations ({connection.vendor})\n"
    )

    uw_client, insured_client = Client(), Client()
    uw_client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=uw).key}"
    insured_client.defaults["HTTP_AUTHORIZATION"] = (
        f"Token {Token.objects.create(user=insured).key}"
    )
    own = Policy.objects.filter(insured=companies[7]).first()

    def get(client, path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    timed(
        "API policy detail (insured, terms+premium+docs)",
        lambda: get(insured_client, f"/api/v1/policies/{own.pk}/"),
        300,
        "DRF single-row lookup p99 27 ms under 16 connections",
    )
    timed(
        "API policy list, 50 a page (underwriter)",
        lambda: get(uw_client, "/api/v1/policies/?limit=50&ordering=number"),
        200,
        "DRF single-row lookup p99 27 ms under 16 connections",
    )
    timed(
        "API declarations list, 50 a page (underwriter)",
        lambda: get(uw_client, "/api/v1/declarations/?limit=50"),
        200,
        "DRF single-row lookup p99 27 ms under 16 connections",
    )

    # PDFs are rendered by the worker, never on the request path; time one render.
    company = InsuredCompany.objects.create(
        name="PDF AB", country="SE", registration_number="PDF000001", language="sv"
    )
    draft = services.policy_create(
        actor=uw, insured=company, start_date=date(2026, 1, 1), currency="SEK"
    )
    from django.db import transaction

    with transaction.atomic():
        services.policy_issue(actor=uw, policy_id=draft.pk)
    from policies.pdf import render_policy_document

    schedule = draft.documents.get(kind="schedule")
    timed(
        "policy schedule PDF render (WeasyPrint)",
        lambda: render_policy_document(schedule),
        5,
        "2-page A4 with a 50-row table about 800 ms",
    )


def _part(module: str, *args):
    def run():
        import importlib

        importlib.import_module(f"bench.{module}").run(*args)

    return run


PARTS = {
    "policies": _policies,
    "decisions": _part("decisions", percentile),
    "debtor_import": _part("debtor_import"),
    "exposure": _part("exposure", percentile),
    "claims": _part("claims", percentile),
}


if __name__ == "__main__":
    main()
