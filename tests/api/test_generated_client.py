"""An ERP integrator generates a Python client from the schema (openapi-python-client) and
makes the first call anyone makes, the token, then reads a resource: against a live server,
over HTTP, with nothing but the generated code."""

import importlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.cache import cache

PACKAGE = "cia_client"
CONFIG = f"project_name_override: cia-client\npackage_name_override: {PACKAGE}\npost_hooks: []\n"


@pytest.fixture
def generated_client(live_server, tmp_path):
    """The package openapi-python-client writes from the live server's schema, importable."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(httpx.get(f"{live_server.url}/api/schema/?format=json").content)
    (tmp_path / "config.yml").write_text(CONFIG)
    generator = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(tmp_path / "config.yml"),
            "--output-path",
            str(tmp_path / "client"),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path / "client"))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_generated_client_logs_in_and_reads_the_policies(
    live_server, generated_client, insured_user, password, issued_policy
):
    # Given the generated token and policy operations (the token module must import)
    cache.clear()  # the token throttle counts per address in the shared cache
    auth = importlib.import_module(f"{PACKAGE}.api.auth.auth_token_create")
    policies = importlib.import_module(f"{PACKAGE}.api.policies.policies_list")
    models = importlib.import_module(f"{PACKAGE}.models")

    # When the insured logs in with the generated client and lists its policies with the token
    anonymous = generated_client.Client(base_url=live_server.url)
    login = auth.sync_detailed(
        client=anonymous,
        body=models.AuthTokenRequest(username=insured_user.username, password=password),
    )
    signed_in = generated_client.AuthenticatedClient(
        base_url=live_server.url, token=login.parsed.token, prefix="Token"
    )
    listed = policies.sync(client=signed_in)

    # Then the login answered a token and the list holds the insured's policy
    assert login.status_code == 200, login.content
    assert [policy.number for policy in listed.results] == [issued_policy.number]
