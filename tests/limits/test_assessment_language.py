"""The automatic assessment in the reader's language: its steps on the request page and the
underwriter's page, its reasons in the API and the letters, with numbers and amounts in the
language's notation. Requests assessed before steps had codes still show their English lines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from debtors.services import risk_event_record
from limits import services
from limits.reasons import describe, describe_step
from tests.factories.limits import CreditReportFactory, default_template

SPACES = str.maketrans({"\xa0": " ", "\u202f": " "})


def text(response) -> str:
    return response.content.decode().translate(SPACES)


@pytest.fixture
def template(db):
    return default_template()


def submit(policy, user, debtor, amount):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount)
    )


@pytest.fixture
def approved(issued_policy, insured_user, template):
    """A request the template approved: rating 70, turnover 10 000 000 SEK, 200 000 asked."""
    return submit(issued_policy, insured_user, CreditReportFactory().debtor, "200000")


def test_the_request_page_shows_the_steps_in_swedish(client, underwriter, approved):
    # Seen on main: on Swedish and Dutch pages the engine's step lines were English.
    client.force_login(underwriter)

    page = text(
        client.get(reverse("limit-request-detail", args=[approved.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    )

    assert "Rating 70 → Låg risk (60–79)" in page
    assert "5 % av omsättningen 10 000 000,00 kr = 500 000,00 kr" in page
    assert "Beslut: bevilja, 200 000,00 kr (begärt 200 000,00 kr)" in page
    assert "band low" not in page and "decision: approve" not in page


def test_the_underwriters_page_shows_the_steps_in_dutch(
    client, underwriter, issued_policy, insured_user, template
):
    weak = CreditReportFactory(rating=30).debtor
    referred = submit(issued_policy, insured_user, weak, "200000")
    client.force_login(underwriter)

    page = text(
        client.get(reverse("limit-request-decide", args=[referred.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    )

    assert "Rating: 30 (minimaal 40 vereist) → niet voldaan" in page
    assert "Rating: 30 (needs at least 40)" not in page


def test_steps_stored_as_english_lines_still_show(client, underwriter, approved):
    old = ["rating 70 → band low (60–79)", "decision: approve at 200 000 (requested 200 000)"]
    approved.assessment = {**approved.assessment, "steps": old}
    approved.save(update_fields=["assessment"])
    client.force_login(underwriter)

    page = text(
        client.get(reverse("limit-request-detail", args=[approved.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    )

    assert all(line in page for line in old)


def test_the_api_names_an_unreviewed_event_in_the_callers_language(
    api_for, issued_policy, insured_user, underwriter, template
):
    debtor = CreditReportFactory().debtor
    day = timezone.localdate() - timedelta(days=1)
    risk_event_record(actor=underwriter, debtor=debtor, kind="payment_remark", occurred_on=day)
    request = submit(issued_policy, insured_user, debtor, "200000")

    body = (
        api_for(insured_user)
        .get(f"/api/v1/limit-requests/{request.pk}/", HTTP_ACCEPT_LANGUAGE="sv")
        .json()
    )

    [reason] = [r for r in body["reasons"] if r["code"] == "risk_event_unreviewed"]
    assert (reason["values"]["kind"], reason["values"]["date"]) == ("payment_remark", str(day))
    assert "Betalningsanmärkning" in reason["message"]
    assert "granskats" in reason["message"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Gäldenären är på obestånd (Konkurs, 1 juni 2026)"),
        ("nl", "De debiteur is insolvent (Faillissement, 1 juni 2026)"),
    ],
)
def test_a_refusal_letter_names_the_insolvency_in_the_readers_language(language, expected):
    reason = {
        "code": "insolvency_event",
        "message": "Insolvency: bankruptcy on 2026-06-01; new requests are refused.",
        "values": {"kind": "bankruptcy", "date": "2026-06-01", "event_id": 3},
    }

    with translation.override(language):
        assert describe(reason, "SEK").startswith(expected)


def test_a_dcl_refused_for_the_very_high_band_says_so_in_swedish():
    step = {
        "code": "dcl_not_eligible",
        "values": {"reason": "very_high_risk", "rating": 5},
        "message": "no DCL: Rating 5: very high risk.",
    }

    with translation.override("sv"):
        line = describe_step(step, "SEK")

    assert line.startswith("Ingen egen kreditlimit: ")
    assert "5" in line and "very high" not in line


def test_the_api_gives_staff_the_steps_in_their_language_and_insureds_none(
    api_for, underwriter, insured_user, approved
):
    url = f"/api/v1/limit-requests/{approved.pk}/"

    staff = api_for(underwriter).get(url, HTTP_ACCEPT_LANGUAGE="nl").json()
    insured = api_for(insured_user).get(url, HTTP_ACCEPT_LANGUAGE="nl").json()

    [band] = [s for s in staff["assessment"]["steps"] if s["code"] == "band"]
    assert band["message"] == "Rating 70 → Laag risico (60–79)"
    assert band["values"] == {"rating": 70, "band": "low", "low": 60, "high": 79}
    assert insured["assessment"] is None
