"""The claims list: the insured's own company's claims, the claims handler's queue of every
claim, the open ones first and the oldest first; it sorts, filters (status, cause, search,
the second approvals a handler may give) and pages, in a fixed number of queries."""

import html
from datetime import date
from decimal import Decimal as D

import pytest

from claims.services.claims import claim_assess
from claims.services.settlement import claim_decide
from claims.views.listing import ClaimListView
from exposure.services.notifications import overdue_notify
from policies import services as policies
from tests.claims.conftest import NOTIFIED, WAITING_END, file_claim, notify, on, report
from tests.exposure.conftest import grant_limit
from tests.factories.limits import DebtorFactory

LIST = "/claims/"
FOUR_EYES_10K = pytest.mark.parametrize("policy_terms", [{"four_eyes_amount": D("10000")}])


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def numbers(response) -> list[str]:
    return [c.debtor.name for c in response.context["rows"]]


def claim_on(actor, policy, name: str, day: date, amount: str = "", **kw):
    """A claim on a new debtor `name`, notified on NOTIFIED: its invoices of 20 000 and
    30 000, or one invoice of `amount`, within a 40 000 limit."""
    debtor = DebtorFactory(name=name)
    if amount:
        grant_limit(policy, debtor, "40000.00", on=date(2026, 1, 1))
        with on(NOTIFIED):
            report(actor, policy, debtor, f"{name[:3]}-1", amount, date(2026, 1, 10))
            overdue_notify(actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, reason="other")
    else:
        notify(actor, policy, debtor, prefix=name[:3])
    with on(day):
        return file_claim(actor, policy, debtor, **kw)


@pytest.fixture
def three(insured_user, claims_handler, issued_policy):
    """Bankrupt Bygg (10 000 unpaid, insolvency, filed 1 June, refused), Långsam AB (50 000,
    filed 28 September, approved at 36 000) and Tyst AB (20 000, filed 20 October)."""
    bygg = claim_on(
        insured_user,
        issued_policy,
        "Bankrupt Bygg",
        date(2026, 6, 1),
        "10000.00",
        cause="insolvency",
        insolvency_kind="bankruptcy",
        loss_date=date(2026, 5, 20),
    )
    slow = claim_on(insured_user, issued_policy, "Långsam AB", WAITING_END)
    quiet = claim_on(insured_user, issued_policy, "Tyst AB", date(2026, 10, 20), "20000.00")
    with on(date(2026, 10, 21)):
        claim_decide(actor=claims_handler, claim_id=bygg.pk, decision="refuse", reason="Fraud")
        claim_decide(actor=claims_handler, claim_id=slow.pk, decision="approve")
    return bygg, slow, quiet


@pytest.fixture
def others_claim(other_insured_user, underwriter):
    draft = policies.policy_create(
        actor=underwriter,
        insured=other_insured_user.company,
        start_date=date(2026, 1, 1),
        currency="EUR",
    )
    policy = policies.policy_issue(actor=underwriter, policy_id=draft.pk)
    return claim_on(other_insured_user, policy, "Hemlig BV", WAITING_END)


def get(client, user, **params):
    client.force_login(user)
    with on(date(2026, 11, 1)):
        return client.get(LIST, params)


def test_the_insured_sees_its_own_claims_newest_first(client, insured_user, three, others_claim):
    response = get(client, insured_user)

    assert numbers(response) == ["Tyst AB", "Långsam AB", "Bankrupt Bygg"]
    page = page_of(response)
    assert "Hemlig BV" not in page and others_claim.number not in page
    assert "SEK\xa036,000.00" in page and "SEK\xa09,000.00" in page and "Refused" in page


def test_the_queue_shows_every_claim_open_first_the_oldest_first(
    client, claims_handler, three, others_claim
):
    response = get(client, claims_handler)

    assert numbers(response) == ["Långsam AB", "Hemlig BV", "Tyst AB", "Bankrupt Bygg"]
    rows = {c.debtor.name: c.age for c in response.context["rows"]}
    assert rows == {"Långsam AB": 34, "Tyst AB": 12, "Hemlig BV": 34, "Bankrupt Bygg": None}
    assert "Other Trading BV" in page_of(response)  # the insured's name for the handler


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("filed", ["Bankrupt Bygg", "Långsam AB", "Tyst AB"]),
        ("-claimed", ["Långsam AB", "Tyst AB", "Bankrupt Bygg"]),
        ("age", ["Tyst AB", "Långsam AB", "Bankrupt Bygg"]),
        ("-age", ["Långsam AB", "Tyst AB", "Bankrupt Bygg"]),
        ("status", ["Långsam AB", "Tyst AB", "Bankrupt Bygg"]),
        ("claimed", ["Bankrupt Bygg", "Tyst AB", "Långsam AB"]),
        ("-indemnity", ["Långsam AB", "Bankrupt Bygg", "Tyst AB"]),  # none yet: last
    ],
)
def test_the_list_sorts_by_each_column(client, insured_user, three, ordering, expected):
    assert numbers(get(client, insured_user, ordering=ordering)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, ["Tyst AB", "Långsam AB"]),
        ({"status": "refused"}, ["Bankrupt Bygg"]),
        ({"cause": "insolvency"}, ["Bankrupt Bygg"]),
        ({"q": "tyst"}, ["Tyst AB"]),
        ({"q": "CL-2026"}, ["Tyst AB", "Långsam AB", "Bankrupt Bygg"]),
        ({"status": "nonsense", "cause": "\x00"}, ["Tyst AB", "Långsam AB", "Bankrupt Bygg"]),
    ],
)
def test_the_list_filters(client, insured_user, three, params, expected):
    assert numbers(get(client, insured_user, **params)) == expected


def test_a_search_by_policy_number_finds_its_claims(
    client, claims_handler, issued_policy, three, others_claim
):
    response = get(client, claims_handler, q=issued_policy.number)

    assert "Hemlig BV" not in numbers(response) and len(numbers(response)) == 3


@FOUR_EYES_10K
def test_a_handler_filters_the_second_approvals_it_may_give(
    client, insured_user, claims_handler, second_handler, issued_policy
):
    claim = claim_on(insured_user, issued_policy, "Långsam AB", WAITING_END)
    claim_on(insured_user, issued_policy, "Tyst AB", WAITING_END)
    with on(WAITING_END):
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")

    assert numbers(get(client, second_handler, second="1")) == ["Långsam AB"]
    assert numbers(get(client, claims_handler, second="1")) == []


def test_empty_states_say_what_to_do(client, insured_user, claims_handler, three):
    assert "No claim matches these filters" in page_of(get(client, insured_user, q="nobody"))


def test_an_insured_without_claims_is_told_how_to_file_one(client, insured_user):
    page = page_of(get(client, insured_user))

    assert "You have filed no claims" in page and "/claims/new/" in page


def test_the_list_pages(client, insured_user, three, monkeypatch):
    monkeypatch.setattr(ClaimListView, "paginate_by", 2)

    first = get(client, insured_user)
    second = get(client, insured_user, page=2)

    assert numbers(first) == ["Tyst AB", "Långsam AB"] and numbers(second) == ["Bankrupt Bygg"]
    assert "Page 1 of 2" in page_of(first)


def test_the_queue_reads_a_fixed_number_of_queries(
    client, claims_handler, insured_user, issued_policy, three, django_assert_max_num_queries
):
    client.force_login(claims_handler)
    with on(date(2026, 11, 1)), django_assert_max_num_queries(8):
        client.get(LIST)
    for n in range(4):
        claim_on(insured_user, issued_policy, f"Fler {n} AB", WAITING_END)
    with on(date(2026, 11, 1)), django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 7


def test_underwriters_read_the_claims_without_acting_on_them(client, underwriter, three):
    # Given an underwriter, who watches debtor risk
    client.force_login(underwriter)

    # When it opens the claims and one claim
    listing = client.get(LIST)
    claim = three[1]
    detail = page_of(client.get(f"/claims/{claim.pk}/"))

    # Then it reads them all, with no form to settle or to add documents
    assert listing.status_code == 200 and len(listing.context["rows"]) == 3
    assert claim.number in detail
    assert f"/claims/{claim.pk}/decide/" not in detail
    assert f"/claims/{claim.pk}/documents/" not in detail
