"""The limit over time as an insured and an underwriter meet it: through the services, the
API's `?as_of=`, the pages and the letters (issue 6, "The limit timeline")."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from core.models import ExchangeRate
from limits import services
from limits.exceptions import RequestInvalid
from limits.models import (
    DecisionLetter,
    LetterKind,
    Limit,
    LimitKind,
    RequestKind,
    RequestStatus,
)
from limits.pdf import previous_amount
from limits.reasons import describe_all
from limits.selectors import limits_as_of, upcoming_reductions
from policies import services as policy_services
from tests.factories.limits import CreditReportFactory, default_template

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 6, 1)
DAY_30 = TODAY + timedelta(days=30)
LIMITS = "/api/v1/limits/"


@pytest.fixture(autouse=True)
def in_june():
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture
def template(db):
    return default_template()


@pytest.fixture
def debtor(template):
    return CreditReportFactory().debtor  # guideline 500 000 SEK


def submit(policy, user, debtor, amount, kind=RequestKind.NEW):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount), kind=kind
    )


def amount_on(limit: Limit, day: date) -> Decimal:
    return limits_as_of(Limit.objects.filter(pk=limit.pk), day).get().amount


def api_amount(client, limit, day: date) -> str:
    rows = client.get(LIMITS, {"as_of": day.isoformat()}).json()["results"]
    return next(row["amount"] for row in rows if row["id"] == limit.pk)


@pytest.fixture
def cancelled_after_reduction(issued_policy, insured_user, underwriter, debtor):
    """400 000 granted; the insurer reduces it to 300 000 after its 30 days' notice; the
    insured then cancels it at once."""
    submit(issued_policy, insured_user, debtor, "400000")
    limit = issued_policy.limits.get(debtor=debtor)
    services.limit_reduce_by_insurer(
        actor=underwriter, limit_id=limit.pk, amount=Decimal("300000"), reason="Weaker accounts"
    )
    services.limit_reduce_by_insured(actor=insured_user, limit_id=limit.pk, amount=Decimal(0))
    return limit


# A cancellation, a reduction waiting for its date, and a later approval -----------------------


def test_a_cancellation_is_not_undone_by_the_insurers_older_reduction(
    cancelled_after_reduction, insured_user, api_for, client
):
    limit = cancelled_after_reduction
    assert amount_on(limit, TODAY) == 0
    assert amount_on(limit, DAY_30) == 0
    assert api_amount(api_for(insured_user), limit, DAY_30) == "0.00"
    # Nothing tells the insured that a 300 000 limit is coming
    assert upcoming_reductions(insured_user, TODAY) == []
    client.force_login(insured_user)
    page = client.get(f"/limits/{limit.pk}/").content.decode()
    assert "The insurer has reduced this limit" not in page
    assert "will not apply" in page


def test_the_underwriter_sees_the_reduction_will_not_apply(
    cancelled_after_reduction, underwriter, client
):
    client.force_login(underwriter)
    page = client.get(f"/limits/{cancelled_after_reduction.pk}/insurer-reduce/").content.decode()
    assert "will not apply" in page and "scheduled" not in page


def test_a_later_approval_replaces_a_reduction_still_waiting_for_its_date(
    cancelled_after_reduction, issued_policy, insured_user, debtor, api_for
):
    limit = cancelled_after_reduction

    request = submit(issued_policy, insured_user, debtor, "400000")

    assert request.status == RequestStatus.APPROVED
    assert amount_on(limit, DAY_30) == Decimal("400000.00")
    assert api_amount(api_for(insured_user), limit, DAY_30) == "400000.00"
    assert api_amount(api_for(insured_user), limit, DAY_30 + timedelta(days=100)) == "400000.00"


def test_the_reduction_letter_names_the_amount_before_it(
    issued_policy, insured_user, underwriter, debtor
):
    submit(issued_policy, insured_user, debtor, "400000")
    limit = issued_policy.limits.get(debtor=debtor)
    services.limit_reduce_by_insured(actor=insured_user, limit_id=limit.pk, amount=Decimal(350000))

    change = services.limit_reduce_by_insurer(
        actor=underwriter, limit_id=limit.pk, amount=Decimal("300000"), reason="Weaker accounts"
    )

    assert previous_amount(change) == Decimal("350000.00")


# Deciding an increase never lowers the limit ---------------------------------------------------


@pytest.fixture
def eur_policy(company, underwriter):
    ExchangeRate.objects.create(currency="EUR", sek_per_unit=Decimal("11.5"), as_of=TODAY)
    draft = policy_services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="EUR"
    )
    return policy_services.policy_issue(actor=underwriter, policy_id=draft.pk)


@pytest.fixture
def eur_limit(eur_policy, insured_user, underwriter, template):
    """150 000 EUR with conditions, granted by an underwriter on a debtor whose guideline is
    52 173 EUR (5 % of 12 000 000 SEK at 11.5 SEK a euro)."""
    debtor = CreditReportFactory(turnover=Decimal("12000000")).debtor
    template.above_guideline = "refer"
    template.save()
    request = submit(eur_policy, insured_user, debtor, "150000")
    assert request.status == RequestStatus.REFERRED
    services.limit_request_decide(
        actor=underwriter,
        request_id=request.pk,
        outcome="approve",
        reason="Known buyer",
        max_terms_days=60,
        expires_on=date(2026, 11, 30),
    )
    return eur_policy.limits.get(debtor=debtor)


def test_an_increase_whose_guideline_is_below_the_limit_is_refused_and_the_limit_stays(
    eur_limit, eur_policy, insured_user, template
):
    template.above_guideline = "partly_approve"
    template.save()

    request = submit(eur_policy, insured_user, eur_limit.debtor, "200000", RequestKind.INCREASE)

    assert request.status == RequestStatus.REFUSED
    assert "not_above_limit" in [r["code"] for r in request.reasons]
    with translation.override("sv"):
        sentences = describe_all(request.reasons, "EUR")
    assert any("52\xa0173,00" in line and "150\xa0000,00" in line for line in sentences)
    limit = limits_as_of(Limit.objects.filter(pk=eur_limit.pk), TODAY).get()
    assert (limit.amount, limit.max_terms_days, limit.expires_on) == (
        Decimal("150000.00"),
        60,
        date(2026, 11, 30),
    )
    assert not DecisionLetter.objects.filter(kind=LetterKind.REDUCTION).exists()
    assert eur_limit.changes.count() == 1


def test_an_underwriter_cannot_lower_a_limit_by_partly_approving_an_increase(
    eur_limit, eur_policy, insured_user, underwriter
):
    request = submit(eur_policy, insured_user, eur_limit.debtor, "200000", RequestKind.INCREASE)
    assert request.status == RequestStatus.REFERRED

    with pytest.raises(RequestInvalid) as refused:
        services.limit_request_decide(
            actor=underwriter,
            request_id=request.pk,
            outcome="partly_approve",
            amount=Decimal("52173"),
            reason="Guideline",
        )

    assert refused.value.field == "amount"
    assert amount_on(eur_limit, TODAY) == Decimal("150000.00")


def test_an_increase_keeps_the_limits_conditions_unless_it_sets_new_ones(
    eur_limit, eur_policy, insured_user, underwriter
):
    request = submit(eur_policy, insured_user, eur_limit.debtor, "200000", RequestKind.INCREASE)

    services.limit_request_decide(
        actor=underwriter,
        request_id=request.pk,
        outcome="partly_approve",
        amount=Decimal("170000"),
        reason="Part of it",
    )

    limit = limits_as_of(Limit.objects.filter(pk=eur_limit.pk), TODAY).get()
    assert (limit.amount, limit.max_terms_days, limit.expires_on) == (
        Decimal("170000.00"),
        60,
        date(2026, 11, 30),
    )


# No limit outside its policy's period ---------------------------------------------------------


def test_after_the_policys_end_no_limit_is_in_force(issued_policy, insured_user, debtor, api_for):
    submit(issued_policy, insured_user, debtor, "200000")
    limit = issued_policy.limits.get()
    client = api_for(insured_user)
    after = issued_policy.end_date + timedelta(days=1)

    assert api_amount(client, limit, issued_policy.end_date) == "200000.00"
    assert api_amount(client, limit, after) == "0.00"
    in_force = client.get(LIMITS, {"as_of": after.isoformat(), "in_force": "true"}).json()
    assert in_force["results"] == []


def test_a_dcl_granted_late_in_a_policy_ends_with_it(issued_policy, insured_user, debtor):
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=STOCKHOLM), tick=False):
        request = submit(issued_policy, insured_user, debtor, "8000")
    limit = issued_policy.limits.get()
    assert request.is_dcl
    assert limit.changes.get().expires_on == issued_policy.end_date
    assert amount_on(limit, date(2027, 1, 4)) == 0


# A DCL ends with any decision of the insurer ----------------------------------------------------


@pytest.fixture
def dcl(issued_policy, insured_user, debtor):
    assert submit(issued_policy, insured_user, debtor, "8000").is_dcl
    return issued_policy.limits.get(debtor=debtor)


def test_an_approval_replaces_the_dcl_with_a_named_limit(dcl, issued_policy, insured_user):
    submit(issued_policy, insured_user, dcl.debtor, "50000")
    limit = limits_as_of(Limit.objects.filter(pk=dcl.pk), TODAY).get()
    assert (limit.amount, limit.limit_kind, limit.expires_on) == (
        Decimal("50000.00"),
        LimitKind.NAMED,
        None,
    )


def test_a_refusal_ends_the_dcl_at_once(dcl, issued_policy, insured_user, underwriter, template):
    template.above_guideline = "refer"
    template.save()
    request = submit(issued_policy, insured_user, dcl.debtor, "900000")
    assert request.status == RequestStatus.REFERRED

    services.limit_request_decide(
        actor=underwriter, request_id=request.pk, outcome="refuse", reason="Too large"
    )

    assert amount_on(dcl, TODAY) == 0
