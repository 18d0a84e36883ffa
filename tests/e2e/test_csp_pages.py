"""Every page, for every role, runs under the Content-Security-Policy with no console error:
each role follows every link it is shown (one page of each kind) over the demo data."""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from portal.management.commands.demo_data import DEMO_PASSWORD

ROLES = ["insured", "underwriter", "claims", "admin"]
# Links that download a file or leave the pages this policy is about.
SKIP = re.compile(r"/download/|\.pdf$|/logout/|/admin/.+|/api/(schema|v1)/|^mailto:|^tel:")
MAX_PAGES = 45


def kind(path: str) -> str:
    """One page of each kind: /limits/12/ and /limits/13/ are the same template."""
    return re.sub(r"/\d+/", "/N/", path)


@pytest.mark.e2e
@pytest.mark.parametrize("username", ROLES)
def test_every_page_runs_under_the_policy(
    live_server, page: Page, failed_requests, console_errors, username
):
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(".")).first).to_be_visible()

    to_visit, seen, visited = ["/"], {"/"}, []
    while to_visit and len(visited) < MAX_PAGES:
        path = to_visit.pop(0)
        response = page.goto(base + path)
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
        page.wait_for_load_state("networkidle")
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            url = urlsplit(urldefrag(href)[0])
            if f"{url.scheme}://{url.netloc}" != base or SKIP.search(url.path):
                continue
            if kind(url.path) not in seen:
                seen.add(kind(url.path))
                to_visit.append(url.path)
    # The API documentation and the admin's front page, which no menu lists for every role
    for path in ("/api/docs/", "/admin/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert len(visited) > 5, visited
    assert console_errors == [], "\n".join(console_errors)
    assert failed_requests == [], failed_requests


@pytest.mark.e2e
def test_an_inline_script_is_refused_and_fails_the_test(live_server, page: Page, console_errors):
    # The check the other browser tests rely on: an inline script the policy refuses is a
    # console error, which fails the test that met it.
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.inlineRan = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in error for error in console_errors), console_errors
    console_errors.clear()  # this one was expected
