"""The insurer's identity (name, address, registration number, contact, logo) is set once, in
the settings from the environment, and every page header, PDF and email shows it."""

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from core.models import Notification
from core.tasks import notification_email_task
from policies import services
from policies.models import DocumentKind, PolicyDocument
from policies.pdf import render_policy_document

ROOT = Path(__file__).resolve().parent.parent
NOORD = {
    "INSURER_NAME": "Kredietverzekering Noord NV",
    "INSURER_ADDRESS": "Postbus 99; 1000 AA Amsterdam; Nederland",
    "INSURER_REGISTRATION": "KvK 87654321",
    "INSURER_EMAIL": "polis@noord.example",
    "INSURER_PHONE": "+31 20 123 4567",
    "INSURER_WEBSITE": "",
    "INSURER_LOGO_STATIC": "img/insurer-logo.svg",
}


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_every_page_header_names_the_insurer_of_the_settings(client, insured_user):
    client.force_login(insured_user)

    with override_settings(**NOORD):
        html = client.get(reverse("home")).content.decode()

    brand = html.split('class="navbar-brand', 1)[1].split("</a>", 1)[0]
    assert "Kredietverzekering Noord NV" in brand
    assert '<img src="/static/img/insurer-logo.svg"' in brand
    assert "<title>" in html and "· Kredietverzekering Noord NV</title>" in html
    assert "Credit insurance" not in brand


def test_the_page_footer_gives_the_insurers_address_registration_and_contact(client, db):
    with override_settings(**NOORD):
        html = client.get(reverse("login")).content.decode()

    footer = html.split("<footer", 1)[1]
    assert "Postbus 99, 1000 AA Amsterdam, Nederland" in footer
    assert "KvK 87654321" in footer
    assert "mailto:polis@noord.example" in footer and "+31 20 123 4567" in footer


def test_without_a_logo_the_header_shows_the_name_alone(client, db):
    with override_settings(**{**NOORD, "INSURER_LOGO_STATIC": ""}):
        html = client.get(reverse("login")).content.decode()

    brand = html.split('class="navbar-brand', 1)[1].split("</a>", 1)[0]
    assert "<img" not in brand and "Kredietverzekering Noord NV" in brand


def test_a_pdf_names_the_insurer_with_its_address_registration_and_contact(company, underwriter):
    company.language = "en"
    company.save()
    policy = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="SEK"
    )
    policy = services.policy_issue(actor=underwriter, policy_id=policy.pk)
    document = PolicyDocument.objects.get(policy=policy, kind=DocumentKind.SCHEDULE)

    with override_settings(**NOORD):
        text = pdf_text(render_policy_document(document))

    assert "Kredietverzekering Noord NV" in text
    assert "Postbus 99, 1000 AA Amsterdam, Nederland" in text
    assert "KvK 87654321" in text
    assert "polis@noord.example" in text and "+31 20 123 4567" in text
    assert "Credit Insurance" not in text


def test_every_pdf_template_takes_the_insurer_from_the_shared_frame():
    templates = (ROOT / "templates" / "pdf").rglob("*.html")
    pages = [t for t in templates if "{% extends" in t.read_text() or t.name == "base.html"]
    frames = {t.read_text().split("%}", 1)[0] for t in pages if t.name != "base.html"}

    assert pages, "no PDF templates found"
    assert all('"pdf/base.html"' in f or '"pdf/limits/letter.html"' in f for f in frames)


@pytest.fixture
def message(insured_user):
    return Notification.objects.create(
        user=insured_user,
        subject="Credit limit approved: Delft BV",
        body="Your request is approved in full.",
        url="/limits/requests/7/",
    )


def test_an_email_is_sent_in_the_insurers_name_and_signed_with_its_identity(message):
    with override_settings(**NOORD, DEFAULT_FROM_EMAIL="no-reply@noord.example"):
        notification_email_task([message.pk])

    (email,) = mail.outbox
    assert email.from_email == "Kredietverzekering Noord NV <no-reply@noord.example>"
    assert email.reply_to == ["polis@noord.example"]
    assert email.body.startswith("Your request is approved in full.")
    signature = email.body.split("\n-- \n", 1)[1]
    assert signature.splitlines()[0] == "Kredietverzekering Noord NV"
    assert "1000 AA Amsterdam" in signature and "KvK 87654321" in signature
    assert "polis@noord.example" in signature and "+31 20 123 4567" in signature


def test_a_sender_named_in_the_settings_is_kept(message):
    with override_settings(**NOORD, DEFAULT_FROM_EMAIL="Claims desk <claims@noord.example>"):
        notification_email_task([message.pk])

    assert mail.outbox[0].from_email == "Claims desk <claims@noord.example>"


def test_an_email_links_to_the_page_at_the_site_url(message):
    with override_settings(**NOORD, SITE_URL="http://credit.example:8123"):
        notification_email_task([message.pk])

    # in the reader's language (the insured company writes Swedish)
    body = mail.outbox[0].body
    assert "Öppna i tjänsten: http://credit.example:8123/limits/requests/7/" in body
    assert "Organisationsnummer KvK 87654321" in body


def run_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    """Python with the project's settings loaded in a fresh process, with `env` added."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_identity_comes_from_the_environment(tmp_path):
    logo = tmp_path / "brand" / "noord.svg"
    logo.parent.mkdir()
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    env = {
        "VAR_DIR": str(tmp_path / "var"),
        "INSURER_NAME": "Kredietverzekering Noord NV",
        "INSURER_LOGO": str(logo),
    }
    code = (
        "from django.conf import settings; from django.contrib.staticfiles import finders; "
        "from core.insurer import insurer; i = insurer(); "
        "print(i.name); print(i.logo); print(finders.find(i.logo)); "
        "print(settings.DEFAULT_FROM_EMAIL)"
    )

    done = run_settings(env, code)

    assert done.returncode == 0, done.stderr
    name, static_name, found, sender = done.stdout.splitlines()[-4:]
    assert name == "Kredietverzekering Noord NV"
    assert static_name == "insurer/noord.svg" and found == str(logo)
    assert sender == "Kredietverzekering Noord NV <no-reply@localhost>"


def test_a_logo_file_that_is_not_there_stops_the_start(tmp_path):
    env = {"VAR_DIR": str(tmp_path / "var"), "INSURER_LOGO": str(tmp_path / "missing.svg")}

    done = run_settings(env, "pass")

    assert done.returncode != 0 and "INSURER_LOGO" in done.stderr


def test_the_favicon_answers_at_the_address_browsers_ask_for(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")


def test_every_page_links_its_icon(client, db):
    html = client.get(reverse("login")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/favicon.ico"' in html
