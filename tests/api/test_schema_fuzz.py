"""Schema fuzzing: schemathesis reads /api/schema/ and sends every operation requests it
generates from the schema (valid ones and invalid ones), as each role and as nobody. No answer
may be a 5xx, and every answer must be one the schema documents: its status code, its content
type, its headers and its body.

Bounded and deterministic: a fixed number of examples per operation and generation mode, with
Hypothesis derandomized (a fixed seed, no example database), so a run repeats the last one.
Run it alone with `pytest -m fuzz`.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections, transaction
from django.test import TestCase
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from tests.access_world import ADMIN, ANON, CLAIMS, INSURED_A, UNDERWRITER, World, build_world

pytestmark = pytest.mark.fuzz

EXAMPLES = 6  # per operation, role and generation mode: about 45 s for the module when idle
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def in_test_transaction():
    """Requests go through Django's WSGI handler in this thread, inside the test's
    transaction: keep the handler from closing the connection after each request, as
    Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The token throttle counts per address in the shared cache: this module's many token
    requests count neither against each other nor against the tests after it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> World:
    """Built once (two insureds' policies, requests, a limit, a letter, debtors), in a
    transaction rolled back after the module; each role's run rolls back what it wrote."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(TestCase.captureOnCommitCallbacks)
        transaction.set_rollback(True)


@pytest.fixture
def api_schema(shared_world, db, in_test_transaction):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


def _fuzz(operation, headers: dict, mode: GenerationMode) -> list[str]:
    failures: list[str] = []

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        try:
            with transaction.atomic():  # a failed request leaves the rest of the run usable
                case.call_and_validate(headers=headers, checks=CHECKS)
        except DatabaseError as exc:
            failures.append(f"{operation.label}: database error {exc}")
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected
            failures.append(f"{operation.label} ({mode.value}):\n{exc}")

    run()
    return failures


@pytest.mark.parametrize("role", [ANON, INSURED_A, UNDERWRITER, CLAIMS, ADMIN])
def test_every_operation_answers_as_its_schema_says(api_schema, shared_world, role):
    # Given the access world and this role's token
    world = shared_world
    headers = {}
    if role != ANON:
        headers["Authorization"] = f"Token {world.users[role].auth_token.key}"

    # When schemathesis sends each operation valid and invalid requests as this role
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(_fuzz(operation, headers, mode))

    # Then no answer was a server error or one the schema does not describe
    assert not failures, "\n\n".join(dict.fromkeys(failures))
