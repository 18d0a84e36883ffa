"""The underwriter's and administrator's limit pages as they are clicked: the queue of
referred requests, deciding one, the insurer's reduction with its notice period, risk events
to review, and who may open them. The template editor is in test_uw_template_editor.py."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from debtors.models import RiskEvent, RiskEventKind
from limits import services
from limits.models import Limit, LimitChange, LimitRequest, RequestStatus
from limits.selectors import limits_as_of
from limits.services.risk import risk_events_alert
from policies import services as policy_services
from tests.factories.limits import CreditReportFactory, default_template

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def mid_june():
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=STOCKHOLM), tick=True):
        yield


@pytest.fixture
def template(db):
    return default_template()


@pytest.fixture
def weak_debtor(template):
    return CreditReportFactory(rating=30, debtor__name="Shaky Builders AB").debtor


def submit(policy, user, debtor, amount, **kwargs) -> LimitRequest:
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount), **kwargs
    )


def submitted_ago(request: LimitRequest, **delta) -> LimitRequest:
    LimitRequest.objects.filter(pk=request.pk).update(
        submitted_at=timezone.now() - timedelta(**delta)
    )
    return request


def limit_on(policy, debtor, day=TODAY) -> Decimal:
    return limits_as_of(Limit.objects.filter(policy=policy, debtor=debtor), day).get().amount


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def other_policy(other_company, underwriter):
    draft = policy_services.policy_create(
        actor=underwriter, insured=other_company, start_date=date(2026, 1, 1), currency="SEK"
    )
    return policy_services.policy_issue(actor=underwriter, policy_id=draft.pk)


# The queue -----------------------------------------------------------------------------------


def test_queue_lists_referred_requests_oldest_first_with_age_and_what_failed(
    client, underwriter, issued_policy, insured_user, template
):
    # Given two referred requests, the newer one submitted first in the table's id order
    newer = submitted_ago(
        submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor, "200000"),
        hours=2,
    )
    older = submitted_ago(
        submit(issued_policy, insured_user, CreditReportFactory(rating=20).debtor, "300000"), days=3
    )
    client.force_login(underwriter)

    response = client.get(reverse("underwriting-queue"))

    assert [r.pk for r in response.context["rows"]] == [older.pk, newer.pk]
    html = response.content.decode()
    assert "3\xa0days" in html and "2\xa0hours" in html
    assert "Rating 20 &lt; 40" in html
    assert reverse("limit-request-decide", args=[older.pk]) in html


def test_queue_sorts_by_amount_and_filters_by_insured_and_country(
    client, underwriter, issued_policy, other_policy, insured_user, other_insured_user, template
):
    small = submit(issued_policy, insured_user, CreditReportFactory(rating=30).debtor, "150000")
    large = submit(
        other_policy, other_insured_user, CreditReportFactory(rating=30).debtor, "900000"
    )
    client.force_login(underwriter)
    url = reverse("underwriting-queue")

    by_amount = client.get(url, {"ordering": "-amount"}).context["rows"]
    only_other = client.get(url, {"insured": other_policy.insured_id}).context["rows"]
    elsewhere = client.get(url, {"country": "NL"})

    assert [r.pk for r in by_amount] == [large.pk, small.pk]
    assert [r.pk for r in only_other] == [large.pk]
    assert elsewhere.context["rows"] == []
    assert "No referred request matches these filters." in elsewhere.content.decode()


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_and_risk_events_read_in_a_fixed_number_of_queries(
    client, underwriter, issued_policy, insured_user, template
):
    def add_referred_with_event():
        debtor = CreditReportFactory(rating=30).debtor
        submit(issued_policy, insured_user, debtor, "200000")
        RiskEvent.objects.create(
            debtor=debtor, kind=RiskEventKind.RATING_DROP, occurred_on=TODAY, source="UC"
        )

    add_referred_with_event()
    client.force_login(underwriter)
    pages = [reverse("underwriting-queue"), reverse("risk-event-list")]
    few = [queries_for(client, url) for url in pages]
    for _ in range(4):
        add_referred_with_event()

    assert [queries_for(client, url) for url in pages] == few


# Deciding ------------------------------------------------------------------------------------


def test_underwriter_partly_approves_with_a_reason_and_the_limit_is_written(
    client, underwriter, issued_policy, insured_user, weak_debtor
):
    request = submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(underwriter)

    response = client.post(
        reverse("limit-request-decide", args=[request.pk]),
        {
            "outcome": "partly_approve",
            "amount": "75000",
            "reason": "Weak rating, long history",
            "max_terms_days": "45",
        },
        follow=True,
    )

    request.refresh_from_db()
    assert response.redirect_chain == [(reverse("underwriting-queue"), 302)]
    assert request.status == RequestStatus.PARTLY_APPROVED
    assert (
        request.decided_by == underwriter and request.decision_note == "Weak rating, long history"
    )
    assert limit_on(issued_policy, weak_debtor) == Decimal("75000.00")
    assert "partly approved" in messages_of(response)[0]


def test_a_decision_without_reason_names_the_field_and_keeps_the_input(
    client, underwriter, issued_policy, insured_user, weak_debtor
):
    request = submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(underwriter)

    response = client.post(
        reverse("limit-request-decide", args=[request.pk]),
        {"outcome": "partly_approve", "amount": "75000", "reason": "", "max_terms_days": "45"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"] == ["Give the reason the insured will read."]
    html = response.content.decode()
    assert 'value="75000"' in html and 'value="45"' in html
    request.refresh_from_db()
    assert request.status == RequestStatus.REFERRED


def test_a_partial_approval_of_the_whole_amount_is_refused_on_the_amount_field(
    client, underwriter, issued_policy, insured_user, weak_debtor
):
    request = submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(underwriter)

    response = client.post(
        reverse("limit-request-decide", args=[request.pk]),
        {"outcome": "partly_approve", "amount": "250000", "reason": "Fine"},
    )

    assert "below the" in response.context["form"].errors["amount"][0]


def test_deciding_twice_says_so_and_changes_nothing(
    client, underwriter, issued_policy, insured_user, weak_debtor
):
    request = submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(underwriter)
    url = reverse("limit-request-decide", args=[request.pk])
    client.post(url, {"outcome": "approve", "reason": "Known to us for years"}, follow=True)
    changes = LimitChange.objects.count()

    response = client.post(url, {"outcome": "refuse", "reason": "Second thoughts"})

    assert response.status_code == 409
    assert messages_of(response) == ["This request was already approved; nothing was changed."]
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert LimitChange.objects.count() == changes
    assert "Known to us for years" in response.content.decode()  # the decision, not the form
    assert response.context["is_pending"] is False


def test_request_page_shows_risk_data_failing_parameters_and_every_insureds_limit(
    client, underwriter, issued_policy, other_policy, insured_user, other_insured_user, template
):
    # Given another insured with a limit and a third pending request on the same debtor
    debtor = CreditReportFactory(rating=70, source="UC", debtor__name="Shared Debtor AB").debtor
    submit(other_policy, other_insured_user, debtor, "300000")
    CreditReportFactory(debtor=debtor, rating=35, source="Creditsafe")
    request = submit(issued_policy, insured_user, debtor, "200000")
    client.force_login(underwriter)

    response = client.get(reverse("limit-request-decide", args=[request.pk]))

    ctx = response.context
    assert [(x.policy_id, x.amount) for x in ctx["limits"]] == [
        (other_policy.pk, Decimal("300000.00"))
    ]
    assert ctx["limit_totals"] == ["SEK\xa0300,000.00"]
    assert [f["label"] for f in ctx["failing"]] == ["Rating at least"]
    assert ctx["failing"][0]["value"] == "35" and ctx["failing"][0]["threshold"] == "40"
    assert [r.source for r in ctx["reports"]] == ["Creditsafe", "UC"]
    html = response.content.decode()
    assert "below the minimum of 40" in html and "Other Trading BV" in html


# Who may open the pages -------------------------------------------------------------------


UNDERWRITING_PAGES = [
    ("underwriting-queue", False),
    ("limit-request-decide", "request"),
    ("limit-insurer-reduce", "limit"),
    ("risk-event-list", False),
    ("template-list", False),
    ("template-create", False),
    ("template-edit", "template"),
]


@pytest.fixture
def objects(issued_policy, insured_user, weak_debtor, template):
    request = submit(issued_policy, insured_user, weak_debtor, "200000")
    limit = Limit.objects.get(policy=issued_policy, debtor=weak_debtor)
    return {"request": request.pk, "limit": limit.pk, "template": template.pk}


@pytest.mark.parametrize("role", ["insured_user", "claims_handler"])
@pytest.mark.parametrize(("name", "obj"), UNDERWRITING_PAGES)
def test_insured_users_and_claims_handlers_may_not_open_underwriting_pages(
    client, request, objects, role, name, obj
):
    client.force_login(request.getfixturevalue(role))
    url = reverse(name, args=[objects[obj]] if obj else [])

    # The role is refused before the method is looked at: a POST to a page without a form
    # is refused for the role (403) too, not answered "method not allowed" (405)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_insured_users_may_not_review_risk_events(client, insured_user, weak_debtor):
    event = RiskEvent.objects.create(
        debtor=weak_debtor, kind=RiskEventKind.RATING_DROP, occurred_on=TODAY, source="UC"
    )
    client.force_login(insured_user)

    assert client.post(reverse("risk-event-review", args=[event.pk])).status_code == 403
    assert RiskEvent.objects.get(pk=event.pk).reviewed_at is None


@pytest.mark.parametrize(("name", "obj"), UNDERWRITING_PAGES)
def test_underwriters_open_underwriting_pages_but_not_the_template_editor(
    client, underwriter, admin_user, objects, name, obj
):
    url = reverse(name, args=[objects[obj]] if obj else [])
    client.force_login(underwriter)
    status = client.get(url).status_code
    client.force_login(admin_user)

    assert status == (403 if name.startswith("template") else 200)
    assert client.get(url).status_code == 200


# The insurer's reduction ---------------------------------------------------------------------


@pytest.fixture
def approved_limit(issued_policy, insured_user, template):
    debtor = CreditReportFactory(debtor__name="Steady Supplies AB").debtor
    submit(issued_policy, insured_user, debtor, "200000")
    return Limit.objects.get(policy=issued_policy, debtor=debtor)


def test_insurer_reduction_shows_its_effective_date_before_and_writes_a_future_change(
    client, underwriter, approved_limit
):
    client.force_login(underwriter)
    url = reverse("limit-insurer-reduce", args=[approved_limit.pk])
    in_30_days = TODAY + timedelta(days=30)

    page = client.get(url)
    response = client.post(url, {"amount": "50000", "reason": "Rating dropped"}, follow=True)

    assert page.context["effective"] == in_30_days
    assert date_format(in_30_days, "DATE_FORMAT") in page.content.decode()
    change = LimitChange.objects.filter(limit=approved_limit).latest("id")
    assert (change.amount, change.effective_from) == (Decimal("50000.00"), in_30_days)
    assert change.recorded_by == underwriter
    assert limit_on(approved_limit.policy, approved_limit.debtor) == Decimal("200000.00")
    assert limit_on(approved_limit.policy, approved_limit.debtor, in_30_days) == Decimal("50000.00")
    assert response.redirect_chain == [(reverse("limit-detail", args=[approved_limit.pk]), 302)]
    assert (
        f"reduced to SEK\xa050,000.00 from {date_format(in_30_days, 'DATE_FORMAT')}"
        in messages_of(response)[0]
    )


def test_insurer_reduction_of_an_insolvent_debtor_takes_effect_at_once(
    client, underwriter, approved_limit
):
    approved_limit.debtor.insolvent_since = TODAY
    approved_limit.debtor.save()
    client.force_login(underwriter)
    url = reverse("limit-insurer-reduce", args=[approved_limit.pk])

    page = client.get(url)
    client.post(url, {"amount": "0", "reason": "Bankrupt"})

    assert page.context["effective"] == TODAY and "at once" in page.content.decode()
    assert limit_on(approved_limit.policy, approved_limit.debtor) == Decimal("0")


def test_insurer_reduction_without_reason_names_the_field(client, underwriter, approved_limit):
    client.force_login(underwriter)

    response = client.post(
        reverse("limit-insurer-reduce", args=[approved_limit.pk]), {"amount": "90000"}
    )

    assert response.context["form"].errors["reason"] == ["Give the reason the insured will read."]
    assert 'value="90000"' in response.content.decode()
    assert not LimitChange.objects.filter(limit=approved_limit, amount=Decimal("90000")).exists()


# Risk events ---------------------------------------------------------------------------------


@pytest.fixture
def risk_event(approved_limit):
    event = RiskEvent.objects.create(
        debtor=approved_limit.debtor,
        kind=RiskEventKind.PAYMENT_REMARK,
        occurred_on=TODAY,
        details="Remark of 12 000 SEK",
        source="UC",
    )
    risk_events_alert()  # alerts the insured and puts the limit up for review
    return event


def test_risk_events_list_shows_unreviewed_events_with_the_limits_on_their_debtor(
    client, underwriter, risk_event, approved_limit
):
    client.force_login(underwriter)

    response = client.get(reverse("risk-event-list"))
    queue = client.get(reverse("underwriting-queue"))

    [event] = response.context["unreviewed"]
    assert event.pk == risk_event.pk and len(event.limits) == 1
    assert event.totals == ["SEK\xa0200,000.00"]
    assert "Remark of 12 000 SEK" in response.content.decode()
    assert queue.context["unreviewed_events"] == 1
    assert [x.pk for x in queue.context["under_review"]] == [approved_limit.pk]


def test_marking_reviewed_and_keeping_the_limits_takes_them_off_the_review_list(
    client, underwriter, risk_event, approved_limit
):
    client.force_login(underwriter)
    url = reverse("risk-event-review", args=[risk_event.pk])

    response = client.post(url, {"keep_limits": "on"}, follow=True)
    again = client.post(url, {}, follow=True)

    risk_event.refresh_from_db()
    approved_limit.refresh_from_db()
    assert risk_event.reviewed_by == underwriter and risk_event.reviewed_at is not None
    assert approved_limit.review_requested_at is None
    assert messages_of(response) == [
        "Payment remark of Steady Supplies AB marked reviewed. 1 limit kept as it is."
    ]
    assert messages_of(again) == ["This risk event was already reviewed."]
    assert [e.pk for e in response.context["reviewed"]] == [risk_event.pk]
    assert response.context["unreviewed"] == []


def test_marking_reviewed_without_keeping_leaves_the_limits_under_review(
    client, underwriter, risk_event, approved_limit
):
    client.force_login(underwriter)

    client.post(reverse("risk-event-review", args=[risk_event.pk]))

    approved_limit.refresh_from_db()
    assert approved_limit.review_requested_at is not None
