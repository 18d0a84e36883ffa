"""The claims panels of the home pages: the claims handler's open claims by status and age, the
settlements waiting for a second approval and the recoveries to record; the insured's open
claims with what it must do, and the debtors it may claim on with their dates."""

import html
from datetime import date
from decimal import Decimal as D

import pytest

from accounts.models import Role
from claims import panels
from claims.services.claims import claim_assess, claim_documents_ask
from claims.services.recoveries import recovery_record
from claims.services.settlement import claim_decide, claim_pay
from policies import services as policies
from tests.claims.conftest import NOTIFIED, WAITING_END, file_claim, notify, on
from tests.factories import UserFactory
from tests.factories.limits import DebtorFactory


@pytest.fixture
def kaffe(db):
    return DebtorFactory(country="SE", name="Kalles Kaffe AB")


@pytest.fixture
def notice(insured_user, issued_policy, kaffe):
    """Invoices of 20 000 and 30 000 within a 40 000 limit, notified overdue on NOTIFIED."""
    return notify(insured_user, issued_policy, kaffe)


@pytest.fixture
def filed(notice, insured_user, issued_policy, kaffe):
    """The claim for protracted default, filed when the waiting period ends: 36 000."""
    with on(WAITING_END):
        return file_claim(insured_user, issued_policy, kaffe)


@pytest.fixture
def other_handler(db):
    return UserFactory(username="ch2", role=Role.CLAIMS, company=None)


@pytest.fixture
def four_eyes_claim(company, underwriter, insured_user):
    """A claim of 36 000 under a policy whose four-eyes amount is 10 000."""
    draft = policies.policy_create(
        actor=underwriter,
        insured=company,
        start_date=date(2026, 1, 1),
        currency="SEK",
        four_eyes_amount=D("10000"),
    )
    policy = policies.policy_issue(actor=underwriter, policy_id=draft.pk)
    debtor = DebtorFactory(name="Fyra Ögon AB")
    notify(insured_user, policy, debtor)
    with on(WAITING_END):
        return file_claim(insured_user, policy, debtor)


def home(client, user, day) -> str:
    client.force_login(user)
    with on(day):
        return html.unescape(client.get("/").content.decode())


def another_claim(actor, policy, name: str, day: date):
    other = DebtorFactory(name=name)
    notify(actor, policy, other, prefix=name[:3])
    with on(day):
        return file_claim(actor, policy, other)


def test_the_handler_sees_open_claims_by_status_and_age(
    claims_handler, insured_user, issued_policy, filed
):
    claim = filed
    another_claim(insured_user, issued_policy, "Sen AB", date(2026, 11, 20))
    with on(date(2026, 11, 20)):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        panel = panels.claims_home_panel(claims_handler, date(2026, 12, 30))

    rows = [(r["status"], r["n"], r["bands"], r["oldest_days"]) for r in panel["claims_by_status"]]
    assert rows == [("filed", 1, [0, 1, 0], 40), ("assessment", 1, [0, 0, 1], 93)]
    assert panel["claims_open_total"] == 2
    assert [c.debtor.name for c in panel["oldest_open_claims"]] == ["Kalles Kaffe AB", "Sen AB"]


def test_the_handler_home_lists_second_approvals_with_who_decided(
    client, claims_handler, other_handler, four_eyes_claim
):
    claim = four_eyes_claim
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")

    mine = home(client, claims_handler, WAITING_END)
    theirs = home(client, other_handler, WAITING_END)

    assert "Settlements waiting for a second approval" in theirs
    assert claim.number in theirs and "decided by ch on" in theirs
    assert "another claims handler must approve" in mine
    assert "another claims handler must approve" not in theirs


def test_paid_claims_without_a_recovery_are_listed_to_record_one(client, claims_handler, filed):
    claim = filed
    with on(WAITING_END):
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        claim_pay(actor=claims_handler, claim_id=claim.pk, reference="P-1")

    listed = panels.claims_home_panel(claims_handler, date(2027, 9, 1))["recoveries_to_record"]
    too_old = panels.claims_home_panel(claims_handler, date(2027, 10, 1))["recoveries_to_record"]
    page = home(client, claims_handler, date(2026, 10, 1))
    with on(date(2026, 10, 1)):
        recovery_record(
            actor=claims_handler,
            claim_id=claim.pk,
            amount=D("100"),
            received_on=date(2026, 10, 1),
        )
        after = panels.claims_home_panel(claims_handler, date(2026, 10, 1))

    assert [c.pk for c in listed] == [claim.pk] and too_old == []
    assert "Recoveries to record" in page and f"{claim.number}</a> · Kalles Kaffe AB" in page
    assert after["recoveries_to_record"] == []


def test_the_insured_home_names_the_documents_asked_for(
    client, insured_user, claims_handler, filed
):
    claim = filed
    with on(WAITING_END):
        claim_documents_ask(
            actor=claims_handler,
            claim_id=claim.pk,
            kinds=["correspondence"],
            message="Your emails with the debtor.",
        )

    page = home(client, insured_user, WAITING_END)

    assert "Documents asked for on your claims" in page
    assert "Correspondence with the debtor" in page and "Your emails with the debtor." in page
    assert "your turn: add the documents asked for" in page


def test_the_insured_home_lists_the_debtors_it_may_claim_on_with_their_dates(
    client, insured_user, issued_policy, notice, kaffe
):
    debtor = kaffe
    early = home(client, insured_user, date(2026, 6, 1))
    due = home(client, insured_user, WAITING_END)
    with on(WAITING_END):
        file_claim(insured_user, issued_policy, debtor)
    after = panels.insured_home_panel(insured_user, WAITING_END)

    assert "Debtors you may claim on" in early
    assert "a claim may be filed from 2026-09-28" in early
    assert "filing deadline 2026-11-27" in early
    assert "a claim may be filed now" in due
    assert f"/claims/new/?policy={issued_policy.pk}&debtor={debtor.pk}" in due
    assert after["claimable_debtors"] == [] and len(after["open_claims"]) == 1


def test_another_company_sees_none_of_it(other_insured_user, filed):
    panel = panels.insured_home_panel(other_insured_user, WAITING_END)

    assert panel["open_claims"] == [] and panel["claimable_debtors"] == []


def test_nothing_open_says_so(client, claims_handler):
    page = home(client, claims_handler, NOTIFIED)

    assert "No claim is open." in page
    assert "No settlement is waiting for a second approval." in page
