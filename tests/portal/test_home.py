"""Each role's home page is put together from the panels the apps offer: limits (requests,
queue, risk events), policies (declarations, policies at a glance, drafts), accounts (users by
role) and core (job runs). The portal merges them; the page shows what needs doing next."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import panels as account_panels
from core import panels as core_panels
from core.models import JobRun
from limits import panels as limit_panels
from limits import services as limit_services
from limits.models import RequestStatus
from policies import panels as policy_panels
from policies import services as policy_services
from tests.factories.limits import CreditReportFactory, default_template

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 2, 15)


@pytest.fixture(autouse=True)
def mid_february():
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=STOCKHOLM), tick=True):
        yield


@pytest.fixture
def referred(issued_policy, insured_user):
    # A rating of 30 fails the standard template: the request goes to an underwriter.
    default_template()
    debtor = CreditReportFactory(rating=30, debtor__name="Shaky Builders AB").debtor
    request = limit_services.limit_request_submit(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("200000"),
    )
    assert request.status == RequestStatus.REFERRED
    return request


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


def test_the_insured_home_shows_a_referred_request_and_an_upcoming_declaration(
    client, insured_user, referred
):
    response = home(client, insured_user)

    # From the limits panel: the request waiting for an underwriter
    assert response.context["referred_requests"] == [referred]
    # From the policies panel: January is due by 2 March
    states = [(s.period.start, s.state) for s in response.context["outstanding"]]
    assert states == [(date(2026, 1, 1), "due")]
    html = response.content.decode()
    assert "Requests with an underwriter" in html and "Shaky Builders AB" in html
    assert "1 turnover declaration to make" in html
    assert [t.name for t in response.templates][0] == "portal/home_insured.html"


def test_the_underwriter_home_shows_the_queue_and_the_policies_to_issue(
    client, underwriter, referred, company
):
    draft = policy_services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 3, 1), currency="EUR"
    )

    response = home(client, underwriter)

    assert response.context["queue"] == [referred] and response.context["queue_count"] == 1
    assert response.context["drafts"] == [draft]
    html = response.content.decode()
    assert reverse("limit-request-decide", args=[referred.pk]) in html
    assert "Shaky Builders AB" in html and draft.number in html


def test_the_admin_home_adds_users_by_role_and_the_latest_job_runs(client, admin_user, referred):
    JobRun.objects.create(name="risk_events_alert", started_at=timezone.now(), summary={"n": 0})

    response = home(client, admin_user)

    assert ("Administrator", 1) in response.context["users_by_role"]
    assert [r.name for r in response.context["job_runs"]] == ["risk_events_alert"]
    assert response.context["queue"] == [referred]  # the underwriter's panels too
    assert "risk_events_alert" in response.content.decode()


def test_the_claims_home_lists_policies_in_force_a_page_at_a_time(
    client, claims_handler, issued_policy
):
    response = home(client, claims_handler)

    assert [p for p, _ in response.context["active_policies"]] == [issued_policy]
    assert response.context["page_obj"].number == 1
    assert issued_policy.number in response.content.decode()


@pytest.mark.parametrize(
    ("user_fixture", "panels"),
    [
        ("insured_user", [limit_panels.insured_home_panel, policy_panels.insured_home_panel]),
        (
            "underwriter",
            [limit_panels.underwriter_home_panel, policy_panels.underwriter_home_panel],
        ),
        ("claims_handler", [policy_panels.claims_home_panel]),
        (
            "admin_user",
            [
                limit_panels.underwriter_home_panel,
                policy_panels.underwriter_home_panel,
                account_panels.admin_home_panel,
                core_panels.admin_home_panel,
            ],
        ),
    ],
)
def test_each_roles_home_is_the_merge_of_its_panels(
    client, request, issued_policy, user_fixture, panels
):
    user = request.getfixturevalue(user_fixture)
    expected = {}
    for panel in panels:
        expected.update(panel(user, TODAY))

    response = home(client, user)

    for key, value in expected.items():
        if key == "page_obj":
            assert list(response.context[key]) == list(value)
        else:
            assert response.context[key] == value, key


def test_the_home_page_remembers_the_visit_for_since_your_last_visit(client, insured_user):
    assert insured_user.last_seen_home is None

    first = home(client, insured_user)
    insured_user.refresh_from_db()
    first_visit = insured_user.last_seen_home
    second = client.get(reverse("home"))

    assert first.context["last_seen"] is None
    assert first_visit is not None and second.context["last_seen"] == first_visit
