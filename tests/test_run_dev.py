"""`make run` (scripts/run-dev.sh) serves on the address given in PORT, and the links in the
emails it sends point at that address (SITE_URL), not at the default one."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("", "http://127.0.0.1:8000"),
        ("8123", "http://127.0.0.1:8123"),
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("localhost:9000", "http://localhost:9000"),
        ("[::1]:8001", "http://[::1]:8001"),
        ("0.0.0.0:8000", f"http://{socket.gethostname()}:8000"),
    ],
)
def test_the_site_url_is_the_address_the_server_binds(address, url):
    from config.settings.env import site_url_for_bind

    assert site_url_for_bind(address) == url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C for the script's whole process group; it stops its server and worker."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def test_make_run_links_its_emails_to_the_address_it_serves_on(tmp_path):
    # Given: make run on a port of its own, with SQLite and the file queue under tmp_path
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SITE_URL", "ALLOWED_HOSTS")
    }
    env.update(VAR_DIR=str(tmp_path), PORT=f"127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run-dev.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # When: the demo data's decisions are emailed by the worker (to the console)
        deadline = time.monotonic() + 180
        while "Subject:" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.5)
        time.sleep(2)  # the rest of the first email
        output = log.read_text()
        assert "Subject:" in output, output[-3000:]

        # Then: the emails link to the address the app serves on, and it answers there
        links = re.findall(r"https?://[^\s/]+/(?:limits|policies)/\S*", output)
        assert links, output[-3000:]
        assert all(link.startswith(f"http://127.0.0.1:{port}/") for link in links), links
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as page:
            assert page.status == 200
    finally:
        stop(process)
