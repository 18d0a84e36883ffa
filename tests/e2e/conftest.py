"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against
pytest-django's live server."""

import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach hosts it cannot.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # English pages, the site's time zone, and a desktop-sized window (the menu expanded).
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/Stockholm",
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def failed_requests(page):
    """Every request of the page that failed or answered 4xx/5xx, e.g. a missing stylesheet."""
    failed = []

    def on_failed(request):
        # A link that answers with an attachment ends its navigation as a download.
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/download/"):
            return
        # The browser drops a favicon fetch still running when the page navigates on.
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.svg"):
            return
        failed.append(f"{request.failure} {request.url}")

    page.on("requestfailed", on_failed)
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return failed


@pytest.fixture(autouse=True)
def console_errors(page):
    """Every browser test fails on a console error or an uncaught exception: a script the
    Content-Security-Policy refused (Chromium reports each refusal as a console error, and
    the listener added below names the directive), a missing file, a broken script."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    # Init scripts run outside the page's CSP, so this listener sees every violation.
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) =>
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));"""
    )
    yield errors
    assert errors == [], "\n".join(errors)
