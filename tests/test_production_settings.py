"""Production settings need a cache every gunicorn worker shares: idempotency keys and
throttles kept in one worker's memory let a retry that reaches the other worker create twice."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role
from policies import services
from tests.factories import UserFactory
from tests.factories.limits import CreditReportFactory, default_template

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable


def production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_CACHE", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.update(extra)
    return env


def load_settings(env) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_shared_cache(tmp_path):
    done = load_settings(production_env(tmp_path))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "cache shared by every worker" in done.stderr
    assert "REDIS_URL" in done.stderr and "DATABASE_CACHE=true" in done.stderr


@pytest.mark.parametrize(
    ("extra", "backend"),
    [
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "django.core.cache.backends.redis.RedisCache"),
        ({"DATABASE_CACHE": "true"}, "django.core.cache.backends.db.DatabaseCache"),
    ],
)
def test_production_starts_with_redis_or_the_database_cache(tmp_path, extra, backend):
    done = load_settings(production_env(tmp_path, **extra))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == backend


# Two gunicorn workers, one Idempotency-Key ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def the_test_database_url() -> str:
    """DATABASE_URL pointing at the test database pytest-django created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


def post(url: str, token: str, body: bytes, key: str) -> tuple[int, bytes, str]:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Idempotent-Replayed")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), None


@pytest.fixture
def insured_with_a_referred_debtor(transactional_db):
    """An insured's token, a policy in force and a debtor whose request waits for an
    underwriter (so a second request on it is a 409 conflict)."""
    underwriter = UserFactory(role=Role.UNDERWRITER, company=None)
    insured = UserFactory(role=Role.INSURED)
    policy = services.policy_create(
        actor=underwriter,
        insured=insured.company,
        start_date=timezone.localdate().replace(day=1),
        currency="SEK",
    )
    services.policy_issue(actor=underwriter, policy_id=policy.pk)
    default_template()
    debtor = CreditReportFactory(rating=30).debtor
    token = Token.objects.create(user=insured)
    body = f'{{"policy": {policy.pk}, "debtor": {debtor.pk}, "amount": "200000.00"}}'
    return token.key, body.encode()


@pytest.mark.parametrize("cache_env", ["redis", "database"])
def test_two_workers_answer_every_retry_of_one_key_alike(
    tmp_path, insured_with_a_referred_debtor, cache_env
):
    token, body = insured_with_a_referred_debtor
    extra = {"DATABASE_URL": the_test_database_url()}
    if cache_env == "redis":
        extra["REDIS_URL"] = os.environ["REDIS_URL"]
        cache.clear()
    else:
        extra["DATABASE_CACHE"] = "true"
    env = production_env(tmp_path, **extra)
    if cache_env == "database":
        subprocess.run([PYTHON, "manage.py", "createcachetable"], cwd=BASE_DIR, env=env, check=True)
    # Given gunicorn with two workers on production settings, logging which worker answers
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--access-logformat",
                "worker=%(p)s %(s)s",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("Booting worker") < 2:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        time.sleep(0.5)
        url = f"http://127.0.0.1:{port}/api/v1/limit-requests/"
        # When the ERP sends one request with one key, then retries it at least six times
        # and until both workers have answered (two retries at once: a worker that is busy
        # leaves the other to answer, where sequential requests may all go to one)
        answers = [post(url, token, body, "erp-order-4711")]
        with ThreadPoolExecutor(max_workers=2) as pool:
            for _ in range(30):
                pair = [pool.submit(post, url, token, body, "erp-order-4711") for _ in range(2)]
                answers += [f.result() for f in pair]
                workers = set(re.findall(r"worker=<(\d+)>", log.read_text()))
                if len(answers) >= 7 and len(workers) == 2:
                    break
        assert len(workers) == 2, "one worker answered every request"
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Then the first created the request and every retry replayed it, whichever worker
    first_status, first_body, _ = answers[0]
    assert first_status == 201, log.read_text()[-3000:]
    assert [(status, replayed) for status, _, replayed in answers[1:]] == [(201, "true")] * (
        len(answers) - 1
    )
    assert {body for _, body, _ in answers} == {first_body}
