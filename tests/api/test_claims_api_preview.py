"""What a claim would pay today, before filing it: the same calculation the handler decides
on, invoice by invoice, for the insured on its own policies and for staff on any."""

from datetime import date

from claims.models import Claim
from debtors.models import Debtor
from exposure.models import Invoice
from exposure.services import invoice_dispute
from policies import services as policies
from tests.api.test_claims_api import (  # noqa: F401  (fixtures)
    CLAIMS,
    debtor_fixture,
    empty_cache,
    errors_of,
    file,
    notified_fixture,
)
from tests.claims.conftest import WAITING_END, on

PREVIEW = f"{CLAIMS}preview/"


def test_the_preview_says_what_a_claim_would_pay_today_without_filing_it(
    api_for, insured_user, underwriter, issued_policy, debtor, notified
):
    body = {"policy": issued_policy.pk, "debtor": debtor.pk, "cause": "protracted_default"}

    with on(WAITING_END):
        mine = api_for(insured_user).post(PREVIEW, body, format="json")
        staff = api_for(underwriter).post(PREVIEW, body, format="json")

    assert mine.status_code == 200
    preview = mine.json()
    assert (preview["loss_date"], preview["notification"]) == ("2026-09-28", notified.pk)
    calc = preview["calculation"]
    # 50 000 unpaid, capped at the 40 000 limit: 90 % is 36 000
    assert (calc["eligible_loss"], calc["insured_loss"], calc["indemnity"]) == (
        "50000.00",
        "40000.00",
        "36000.00",
    )
    assert staff.json()["calculation"] == calc
    assert not Claim.objects.exists()


def test_an_invoice_that_does_not_qualify_is_shown_with_the_reason(
    api_for, insured_user, issued_policy, debtor, notified
):
    # Given the debtor disputes the larger invoice
    disputed = Invoice.objects.get(policy=issued_policy, number="F-2")
    with on(date(2026, 5, 1)):
        invoice_dispute(
            actor=insured_user, invoice_id=disputed.pk, since=date(2026, 5, 1), reason="Damaged"
        )

    with on(WAITING_END):
        calc = (
            api_for(insured_user)
            .post(PREVIEW, {"policy": issued_policy.pk, "debtor": debtor.pk}, format="json")
            .json()["calculation"]
        )

    assert [
        (x["number"], x["qualifies"], x["reason"], x["reason_message"]) for x in calc["lines"]
    ] == [
        ("F-1", True, None, ""),
        ("F-2", False, "disputed", "Disputed"),
    ]
    assert (calc["not_qualifying"], calc["insured_loss"], calc["indemnity"]) == (
        "30000.00",
        "20000.00",
        "18000.00",
    )


def test_an_insolvency_counts_from_the_date_the_register_knows(
    api_for, insured_user, issued_policy, debtor, notified
):
    Debtor.objects.filter(pk=debtor.pk).update(insolvent_since=date(2026, 6, 20))

    with on(WAITING_END):
        preview = api_for(insured_user).post(
            PREVIEW,
            {"policy": issued_policy.pk, "debtor": debtor.pk, "cause": "insolvency"},
            format="json",
        )

    assert (preview.json()["cause"], preview.json()["loss_date"]) == ("insolvency", "2026-06-20")


def test_a_preview_on_a_policy_not_in_force_or_an_unknown_debtor_is_refused(
    api_for, underwriter, company, issued_policy, debtor
):
    draft = policies.policy_create(
        actor=underwriter, insured=company, start_date=date(2027, 1, 1), currency="SEK"
    )
    client = api_for(underwriter)

    with on(WAITING_END):
        on_draft = client.post(PREVIEW, {"policy": draft.pk, "debtor": debtor.pk}, format="json")
        unknown = client.post(
            PREVIEW, {"policy": issued_policy.pk, "debtor": debtor.pk + 1000}, format="json"
        )

    assert (on_draft.status_code, errors_of(on_draft)) == (400, {"policy": "policy_not_in_force"})
    assert errors_of(unknown) == {"debtor": "does_not_exist"}


def test_another_company_can_neither_preview_on_the_policy_nor_see_the_claim(
    api_for, insured_user, other_insured_user, underwriter, issued_policy, debtor, notified
):
    with on(WAITING_END):
        claim = file(api_for(insured_user), issued_policy, debtor).json()
        other = api_for(other_insured_user)
        preview = other.post(
            PREVIEW, {"policy": issued_policy.pk, "debtor": debtor.pk}, format="json"
        )
        detail = other.get(f"{CLAIMS}{claim['id']}/")
        withdraw = other.post(f"{CLAIMS}{claim['id']}/withdraw/", {"reason": "x"}, format="json")
        listed = other.get(CLAIMS).json()["results"]
        staff = api_for(underwriter).get(CLAIMS).json()["results"]

    assert errors_of(preview) == {"policy": "does_not_exist"}
    assert (detail.status_code, withdraw.status_code, listed) == (404, 404, [])
    assert [c["id"] for c in staff] == [claim["id"]]
