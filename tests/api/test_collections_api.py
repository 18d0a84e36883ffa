"""Collections cases through the API: each overdue notification with its plan and next
action, open cases first; claims handlers record the steps in their order and periods; the
insured reads its own cases only."""

from datetime import date

from django.db import reset_queries

from claims.models import CollectionStep
from claims.services.claims import claim_assess, claim_file
from claims.services.settlement import claim_decide, claim_pay
from exposure.models import OverdueNotification
from tests.api.test_claims_api import (  # noqa: F401  (fixtures)
    another_debtor_notified,
    debtor_fixture,
    empty_cache,
    errors_of,
    notified_fixture,
)
from tests.claims.conftest import WAITING_END, on

COLLECTIONS = "/api/v1/collections/"


def other_notice(debtor) -> OverdueNotification:
    return OverdueNotification.objects.get(debtor=debtor)


def record(client, notice, **body):
    return client.post(f"{COLLECTIONS}{notice.pk}/steps/", body, format="json")


def test_the_insured_reads_its_case_with_the_plan_and_the_next_action(
    api_for, insured_user, notified
):
    with on(date(2026, 4, 2)):
        [case] = api_for(insured_user).get(COLLECTIONS).json()["results"]

    assert (case["notification"], case["overdue_amount"], case["open"], case["steps"]) == (
        notified.pk,
        "50000.00",
        True,
        [],
    )
    assert [(s["code"], s["who"], s["done"]) for s in case["plan"]][:2] == [
        ("reminder", "insurer", False),
        ("demand", "insurer", False),
    ]
    assert (case["next_action"]["code"], case["next_action"]["due_from"]) == (
        "reminder",
        "2026-04-01",
    )


def test_a_collection_demand_carries_its_fee_and_sets_when_enforcement_may_follow(
    api_for, claims_handler, notified
):
    client = api_for(claims_handler)

    with on(date(2026, 4, 12)):
        record(client, notified, kind="reminder", done_on="2026-04-02")
        response = record(client, notified, kind="demand", done_on="2026-04-12", note="By letter")

    assert response.status_code == 201
    case = response.json()
    demand = case["steps"][-1]
    assert (demand["kind"], demand["fee"], demand["pay_by"], demand["note"]) == (
        "demand",
        "180.00",
        "2026-04-20",
        "By letter",
    )
    assert (case["next_action"]["code"], case["next_action"]["due_by"]) == ("pay", "2026-04-20")
    enforcement = next(s for s in case["plan"] if s["code"] == "enforcement")
    assert enforcement["due_from"] == "2026-04-24"


def test_a_step_out_of_its_order_or_period_is_refused_naming_the_field(
    api_for, claims_handler, notified
):
    client = api_for(claims_handler)

    with on(date(2026, 4, 20)):
        record(client, notified, kind="demand", done_on="2026-04-12")
        too_early = record(client, notified, kind="enforcement", done_on="2026-04-20")
        out_of_order = record(client, notified, kind="court_decision", done_on="2026-04-20")
        unknown = record(client, notified, kind="threat", done_on="2026-04-20")
        future = record(client, notified, kind="reminder", done_on="2026-05-01")

    assert errors_of(too_early) == {"done_on": "too_early"}
    assert "2026-04-24" in too_early.json()["message"]
    assert errors_of(out_of_order) == {"kind": "out_of_order"}
    assert errors_of(unknown) == {"kind": "invalid"}
    assert errors_of(future) == {"done_on": "in_future"}
    assert list(CollectionStep.objects.values_list("kind", flat=True)) == ["demand"]


def test_the_insured_reads_its_cases_but_records_nothing_and_another_company_sees_none(
    api_for, insured_user, other_insured_user, underwriter, notified
):
    with on(date(2026, 4, 12)):
        by_insured = record(api_for(insured_user), notified, kind="reminder", done_on="2026-04-02")
        by_underwriter = record(
            api_for(underwriter), notified, kind="reminder", done_on="2026-04-02"
        )
        other = api_for(other_insured_user)
        listed = other.get(COLLECTIONS).json()["results"]
        detail = other.get(f"{COLLECTIONS}{notified.pk}/")
        mine = api_for(insured_user).get(f"{COLLECTIONS}{notified.pk}/")

    assert (by_insured.status_code, by_underwriter.status_code) == (403, 403)
    assert (listed, detail.status_code, mine.status_code) == ([], 404, 200)
    assert not CollectionStep.objects.exists()


def test_open_cases_come_first_and_filter_by_open_and_debtor(
    api_for,
    insured_user,
    claims_handler,
    issued_policy,
    debtor,
    notified,
):
    # Given the first debtor's claim paid (its case closes) and a second debtor notified
    with on(WAITING_END):
        claim = claim_file(
            actor=insured_user,
            policy_id=issued_policy.pk,
            debtor_id=debtor.pk,
            cause="protracted_default",
            evidence="No payment since January.",
        )
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        claim_decide(actor=claims_handler, claim_id=claim.pk, decision="approve")
        claim_pay(actor=claims_handler, claim_id=claim.pk)
    other = another_debtor_notified(insured_user, issued_policy, "Bullens Bageri AB")
    client = api_for(insured_user)

    def notices(query: str = "") -> list[int]:
        with on(WAITING_END):
            return [
                c["notification"] for c in client.get(f"{COLLECTIONS}?{query}").json()["results"]
            ]

    open_case = notices("open=true")
    assert notices() == [*open_case, notified.pk]
    assert len(open_case) == 1
    assert notices("open=false") == [notified.pk]
    assert notices(f"debtor={other.pk}") == open_case
    with on(WAITING_END):
        closed = client.get(f"{COLLECTIONS}{notified.pk}/").json()
    assert (closed["open"], closed["closed_on"], closed["next_action"]) == (
        False,
        WAITING_END.isoformat(),
        None,
    )


def test_the_cases_read_in_as_many_queries_for_two_as_for_one(
    api_for, insured_user, claims_handler, issued_policy, notified, django_assert_max_num_queries
):
    client = api_for(insured_user)
    with on(date(2026, 4, 12)):
        record(api_for(claims_handler), notified, kind="reminder", done_on="2026-04-02")
        reset_queries()  # each request resets the log the count reads
        with django_assert_max_num_queries(100) as first:
            client.get(COLLECTIONS)
        queries_for_one = len(first)
    other = another_debtor_notified(insured_user, issued_policy, "Bullens Bageri AB")
    with on(date(2026, 4, 12)):
        record(api_for(claims_handler), other_notice(other), kind="reminder", done_on="2026-04-03")

        reset_queries()
        with django_assert_max_num_queries(queries_for_one):
            cases = client.get(COLLECTIONS).json()["results"]

    assert [len(case["steps"]) for case in cases] == [1, 1]
