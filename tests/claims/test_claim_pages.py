"""Filing a claim in the browser: the form offers the debtors notified overdue, shows beside it
what the claim would pay today line by line (and again through htmx as the choices change),
files, and names the field when the rules refuse (the waiting period, the filing deadline)
with the input kept. The list and queue are in test_claim_pages_list.py, one claim's page in
test_claim_pages_detail.py, the handler's actions in test_claim_pages_settlement.py."""

import html
from datetime import date

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatus
from tests.claims.conftest import FILING_DEADLINE, NOTIFIED, WAITING_END, file_claim, on

NEW = "/claims/new/"
PREVIEW = "/claims/preview/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def form(policy, debtor, /, **changes) -> dict:
    data = {
        "policy": policy.pk,
        "debtor": debtor.pk,
        "cause": "protracted_default",
        "insolvency_kind": "",
        "loss_date": "",
        "evidence": "No payment since January; three reminders unanswered.",
    }
    return {**data, **changes}


@pytest.fixture
def signed_in(client, insured_user):
    client.force_login(insured_user)
    return client


# Before filing ----------------------------------------------------------------------------------


def test_the_form_opened_for_a_debtor_shows_what_the_claim_would_pay_line_by_line(
    signed_in, notified, issued_policy, debtor
):
    with on(WAITING_END):
        response = signed_in.get(NEW, {"policy": issued_policy.pk, "debtor": debtor.pk})

    page = page_of(response)
    form_ = response.context["form"]
    assert form_["debtor"].value() == debtor.pk
    assert form_["cause"].value() == "protracted_default"  # the waiting period has ended
    assert "What this claim would pay today" in page
    preview = response.context["preview"]
    assert preview["calc"].indemnity == 36000
    assert [(r["code"], r["amount"]) for r in preview["steps"]] == [
        ("qualifying", 50000),
        ("eligible_loss", 50000),
        ("insured_loss", 40000),
        ("threshold", 500),
        ("percentage", 36000),
        ("indemnity", 36000),
    ]
    assert "SEK\xa036,000.00" in page and "F-1" in page and "F-2" in page
    assert "3. Capped at the limit on the delivery dates: insured loss" in page
    assert "SEK\xa010,000.00 above the limit" in page
    assert "27 November 2026" in page  # the claim filing deadline


def test_before_the_waiting_period_ends_the_preview_names_the_day_a_claim_may_be_filed(
    signed_in, notified, issued_policy, debtor
):
    with on(date(2026, 6, 1)):
        response = signed_in.get(NEW, {"debtor": debtor.pk})

    page = page_of(response)
    assert response.context["form"]["cause"].value() is None
    assert "Choose the cause of loss" in page
    assert "SEK\xa036,000.00" in page
    with on(date(2026, 6, 1)):
        fragment = page_of(
            signed_in.get(
                PREVIEW,
                {"policy": issued_policy.pk, "debtor": debtor.pk, "cause": "protracted_default"},
                **HTMX,
            )
        )
    assert "<html" not in fragment and 'id="claim-preview"' not in fragment  # its content
    assert "may be filed from that day" in fragment and "28 September 2026" in fragment


def test_an_insolvent_debtor_is_preset_to_insolvency_on_the_register_date(
    signed_in, notified, issued_policy, debtor
):
    debtor.insolvent_since = date(2026, 5, 4)
    debtor.save()

    with on(date(2026, 6, 1)):
        response = signed_in.get(NEW, {"debtor": debtor.pk})

    assert response.context["form"]["cause"].value() == "insolvency"
    assert response.context["form"]["loss_date"].value() == date(2026, 5, 4)
    page = page_of(response)
    assert "from the debtor register" in page
    assert "31 October 2026" in page  # 180 days after the insolvency


def test_only_debtors_notified_overdue_without_an_open_claim_are_offered(
    signed_in, notified, insured_user, issued_policy, debtor
):
    with on(WAITING_END):
        before = signed_in.get(NEW)
        file_claim(insured_user, issued_policy, debtor)
        after = signed_in.get(NEW)

    assert [c.debtor.pk for c, _from in before.context["candidates"]] == [debtor.pk]
    assert after.context["candidates"] == []
    assert "You have no debtor to claim on" in page_of(after)


def test_political_risk_is_offered_only_where_a_policy_covers_it(
    signed_in, notified, issued_policy, debtor
):
    with on(WAITING_END):
        choices = dict(signed_in.get(NEW).context["form"].fields["cause"].choices)

    assert set(choices) == {"insolvency", "protracted_default"}


def test_without_scripts_the_preview_button_shows_it_and_files_nothing(
    signed_in, notified, issued_policy, debtor
):
    with on(WAITING_END):
        response = signed_in.post(NEW, {**form(issued_policy, debtor), "preview": "1"})

    assert response.status_code == 200
    assert response.context["preview"]["calc"].indemnity == 36000
    assert not Claim.objects.exists()


# Filing -----------------------------------------------------------------------------------------


def test_filing_confirms_and_opens_the_claim(signed_in, notified, issued_policy, debtor):
    with on(WAITING_END):
        response = signed_in.post(NEW, form(issued_policy, debtor))
        claim = Claim.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("claim-detail", args=[claim.pk])
        page = page_of(signed_in.get(response["Location"]))

    assert claim.status == ClaimStatus.FILED and claim.claimed_amount == 36000
    assert f"Claim {claim.number} on Kalles Kaffe AB is filed: today it would pay" in page
    assert "SEK\xa036,000.00" in page


def test_before_the_waiting_period_ends_the_refusal_names_the_cause_and_the_day(
    signed_in, notified, issued_policy, debtor
):
    with on(date(2026, 6, 1)):
        response = signed_in.post(NEW, form(issued_policy, debtor, evidence="Kept text"))

    errors = " ".join(response.context["form"].errors["cause"])
    assert "once the waiting period has ended, on 2026-09-28" in errors
    assert "Kept text" in page_of(response)
    assert not Claim.objects.exists()


def test_after_the_filing_deadline_the_refusal_names_the_field(
    signed_in, notified, issued_policy, debtor
):
    with on(date(2026, 11, 28)):
        late = signed_in.post(NEW, form(issued_policy, debtor))
        insolvency = signed_in.post(
            NEW,
            form(
                issued_policy,
                debtor,
                cause="insolvency",
                insolvency_kind="bankruptcy",
                loss_date="2026-04-02",
            ),
        )

    assert f"deadline was {FILING_DEADLINE.isoformat()}" in " ".join(
        late.context["form"].errors["cause"]
    )
    assert "deadline was 2026-09-29" in " ".join(insolvency.context["form"].errors["loss_date"])
    assert insolvency.context["form"]["insolvency_kind"].value() == "bankruptcy"
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"evidence": ""}, "evidence", "Say what happened"),
        ({"cause": ""}, "cause", "Choose the cause of loss."),
        ({"debtor": ""}, "debtor", "Choose the debtor you claim on."),
        ({"cause": "insolvency"}, "insolvency_kind", "Say which insolvency"),
        (
            {"cause": "insolvency", "insolvency_kind": "bankruptcy"},
            "loss_date",
            "Give the date of the insolvency.",
        ),
        (
            {"cause": "insolvency", "insolvency_kind": "bankruptcy", "loss_date": "2026-12-01"},
            "loss_date",
            "The date lies in the future.",
        ),
        ({"loss_date": "someday"}, "loss_date", "Enter a valid date."),
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_is_filed(
    signed_in, notified, issued_policy, debtor, change, field, message
):
    with on(WAITING_END):
        response = signed_in.post(NEW, form(issued_policy, debtor, **change))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Claim.objects.exists()


def test_an_insured_cannot_claim_under_another_companys_policy(
    client, other_insured_user, notified, issued_policy, debtor
):
    client.force_login(other_insured_user)
    with on(WAITING_END):
        response = client.post(NEW, form(issued_policy, debtor))
        preview = client.get(PREVIEW, {"policy": issued_policy.pk, "debtor": debtor.pk})

    assert "policy" in response.context["form"].errors
    assert preview.context["preview"] == {"item": None}
    assert "SEK\xa036,000.00" not in page_of(preview)
    assert not Claim.objects.exists()


def test_staff_do_not_file_claims(client, claims_handler, notified):
    client.force_login(claims_handler)

    assert client.get(NEW).status_code == 403
    assert client.get(PREVIEW).status_code == 403


def test_the_notification_page_links_to_filing_a_claim(signed_in, notified):
    with on(NOTIFIED):
        page = page_of(signed_in.get(reverse("notification-detail", args=[notified.pk])))

    assert f"/claims/new/?policy={notified.policy_id}&debtor={notified.debtor_id}" in page
