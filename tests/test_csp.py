"""Every page carries a Content-Security-Policy that allows no inline code, and no template
relies on inline code (the browser tests under tests/e2e check that pages run under it)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# PDFs are rendered by WeasyPrint and emails read by mail clients: no browser policy there.
NOT_PAGES = ("pdf", "email")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_pages_send_a_policy_without_inline_code(client, insured_user):
    client.force_login(insured_user)
    for name in ("home", "inbox", "limit-request-create", "policy-list", "account-token"):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_the_api_docs_page_runs_its_inline_script_by_nonce(client, insured_user):
    client.force_login(insured_user)
    response = client.get("/api/docs/")
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["script-src"][-1]).group(1)
    body = response.content.decode()
    assert f'<script nonce="{nonce}">' in body
    assert f'<style nonce="{nonce}">' in body


def test_no_page_template_has_inline_scripts_styles_or_event_handlers():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] in NOT_PAGES:
            continue
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, STYLE_ATTRIBUTE, EVENT_HANDLER):
            offenders += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert offenders == []
