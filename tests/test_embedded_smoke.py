"""The embedded default, as `make run` starts it: no DATABASE_URL and no REDIS_URL, so SQLite
and kombu's filesystem broker under VAR_DIR. It needs no server, so it runs with the suite."""

import http.cookiejar
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DEMO_PASSWORD = "demo-pass-2026"
QUEUE_FOLDERS = ("celery/out", "celery/processed", "celery/control")


def embedded_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {
        **env,
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answering(url: str, server: subprocess.Popen, log: Path, seconds=30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"runserver exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"runserver did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def sign_in(base: str, username: str, password: str):
    """Sign in through the login form like a browser: cookie jar, CSRF token from the form.
    Returns the opener (with the session) and the page the login redirected to."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/login/") as response:
        assert response.status == 200
        form = response.read().decode()
    assert "Sign in" in form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"}
    ).encode()
    with opener.open(urllib.request.Request(f"{base}/login/", data=body)) as response:
        return opener, response.status, response.url, response.read().decode()


def test_make_run_serves_the_demo_data_with_no_servers(tmp_path):
    # Given: an empty VAR_DIR, prepared as scripts/run-dev.sh prepares var/
    for folder in QUEUE_FOLDERS:
        (tmp_path / folder).mkdir(parents=True)
    env = embedded_env(tmp_path)
    for command in (("migrate", "--no-input", "-v", "0"), ("demo_data",)):
        done = manage(env, *command)
        assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    assert (tmp_path / "db.sqlite3").exists()

    # When: the development server runs
    port = free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/login/", server, log)

        # Then: the demo insured signs in and sees its company's home page, styled
        opener, status, url, home = sign_in(base, "insured", DEMO_PASSWORD)
        assert (status, url) == (200, f"{base}/")
        assert "Nordisk Stålhandel AB" in home
        with opener.open(f"{base}/static/css/app.css") as css:
            assert css.status == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_demo_data_loads_into_an_empty_var_dir(tmp_path):
    env = embedded_env(tmp_path)
    assert manage(env, "migrate", "--no-input", "-v", "0").returncode == 0

    done = manage(env, "demo_data")

    assert done.returncode == 0, done.stderr[-2000:]
