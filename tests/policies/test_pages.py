"""The policy pages as their users click them: forms that keep input and name the field,
what each insured may see, and lists that sort, filter and paginate in a fixed number of
queries."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from policies import services
from policies.forms import PolicyTermsForm
from policies.models import (
    DocumentKind,
    Policy,
    PolicyDocument,
    PolicyStatus,
    TurnoverDeclaration,
)
from tests.forms import posted

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def new_policy_data(**changes) -> dict:
    return posted(PolicyTermsForm(), **changes)


def terms_data(policy: Policy, **changes) -> dict:
    require_reason = policy.status == PolicyStatus.ISSUED
    return posted(PolicyTermsForm(instance=policy, require_reason=require_reason), **changes)


def on(day: date):
    """Travel to noon of `day` in the site's time zone."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Drafting and editing ------------------------------------------------------------------------


def test_underwriter_creates_a_draft_and_lands_on_its_page(client, underwriter, company):
    client.force_login(underwriter)
    data = new_policy_data(insured=company.pk, currency="SEK", start_date="2026-03-01")

    response = client.post(reverse("policy-create"), data, follow=True)

    policy = Policy.objects.get(insured=company)
    assert response.redirect_chain == [(reverse("policy-detail", args=[policy.pk]), 302)]
    assert policy.status == PolicyStatus.DRAFT and policy.currency == "SEK"
    assert policy.end_date == date(2027, 2, 28)
    assert messages_of(response) == [f"Draft policy {policy.number} created."]


def test_a_draft_covers_the_insureds_country_and_the_eu_unless_told_otherwise(
    client, underwriter, company
):
    client.force_login(underwriter)
    url = reverse("policy-create")

    client.post(url, new_policy_data(insured=company.pk, start_date="2026-03-01"))
    client.post(
        url,
        new_policy_data(
            insured=company.pk, start_date="2026-04-01", cover_eu=False, covered_countries="no"
        ),
    )

    default, chosen = Policy.objects.filter(insured=company).order_by("start_date")
    assert {"SE", "DE", "NL", "FI"} <= set(default.covered_countries)
    assert chosen.covered_countries == ["NO", "SE"]


def test_invalid_terms_name_their_fields_and_keep_the_input(client, underwriter, company):
    client.force_login(underwriter)
    data = new_policy_data(
        insured=company.pk, currency="XYZ", start_date="2026-03-01", insured_percentage="120"
    )

    response = client.post(reverse("policy-create"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "XYZ is not the ISO 4217 code of a currency in use." in errors["currency"]
    assert errors["insured_percentage"] == ["Ensure this value is less than or equal to 100."]
    html = response.content.decode()
    assert 'value="XYZ"' in html and 'value="120"' in html
    assert 'aria-invalid="true"' in html
    assert not Policy.objects.exists()


def test_changing_an_issued_policy_needs_a_reason_and_issues_an_endorsement(
    client, underwriter, issued_policy
):
    client.force_login(underwriter)
    url = reverse("policy-terms", args=[issued_policy.pk])

    # Without a reason: the form says so on the reason field, nothing changes
    response = client.post(url, terms_data(issued_policy, insured_percentage="85"))
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert 'value="85"' in response.content.decode()
    issued_policy.refresh_from_db()
    assert issued_policy.insured_percentage == 90

    # With a reason: saved, and an endorsement carries the reason
    data = terms_data(issued_policy, insured_percentage="85", reason="Higher risk appetite")
    response = client.post(url, data, follow=True)
    issued_policy.refresh_from_db()
    assert issued_policy.insured_percentage == 85
    endorsement = PolicyDocument.objects.get(policy=issued_policy, kind=DocumentKind.ENDORSEMENT)
    assert endorsement.reason == "Higher risk appetite" and endorsement.version == 1
    assert messages_of(response) == ["Terms changed; an endorsement is being issued."]


def test_underwriter_cancels_a_policy_with_a_reason(client, underwriter, issued_policy):
    client.force_login(underwriter)
    url = reverse("policy-cancel", args=[issued_policy.pk])

    without = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "Premium not paid"}, follow=True)

    assert without.context["form"].errors["reason"] == ["This field is required."]
    issued_policy.refresh_from_db()
    assert issued_policy.status == PolicyStatus.CANCELLED
    assert issued_policy.history.latest().history_change_reason == "Premium not paid"
    assert messages_of(response) == [f"Policy {issued_policy.number} cancelled."]


# Declarations --------------------------------------------------------------------------------


def test_insured_declares_an_ended_period_through_the_form(client, insured_user, issued_policy):
    client.force_login(insured_user)
    url = reverse("declaration-create", args=[issued_policy.pk])

    with on(date(2026, 2, 15)):
        form = client.get(url, {"period_start": "2026-01-01"})
        response = client.post(
            url, {"period_start": "2026-01-01", "turnover": "1500000.00"}, follow=True
        )

    # Only January has ended; it is offered and chosen
    assert form.context["form"]["period_start"].field.choices == [
        ("2026-01-01", "2026-01-01 – 2026-01-31")
    ]
    declaration = TurnoverDeclaration.objects.get(policy=issued_policy)
    assert declaration.turnover == 1500000 and declaration.premium == 3000
    assert not declaration.is_late
    assert response.redirect_chain[-1][0] == reverse("policy-detail", args=[issued_policy.pk])
    assert "Premium for the period: SEK\u00a03,000.00;" in messages_of(response)[0]


def test_insured_home_shows_late_and_due_declarations(client, insured_user, issued_policy):
    client.force_login(insured_user)
    with on(date(2026, 2, 15)):
        services.declaration_submit(
            actor=insured_user,
            policy_id=issued_policy.pk,
            period_start=date(2026, 1, 1),
            turnover=Decimal(1000),
        )

    with on(date(2026, 4, 10)):
        response = client.get(reverse("home"))

    # February ended on the 28th and was due 30 days later: late; March is due on 30 April
    states = [(s.period.start, s.state) for s in response.context["outstanding"]]
    assert states == [(date(2026, 2, 1), "late"), (date(2026, 3, 1), "due")]
    html = response.content.decode()
    assert "2 turnover declarations to make" in html
    assert ">Late</span>" in html and ">Due</span>" in html


def test_an_insured_never_sees_another_companys_policy(
    client, underwriter, insured_user, issued_policy, other_company
):
    other = services.policy_create(
        actor=underwriter, insured=other_company, start_date=date(2026, 1, 1)
    )
    services.policy_issue(actor=underwriter, policy_id=other.pk)
    client.force_login(insured_user)

    policies = client.get(reverse("policy-list"))
    declarations = client.get(reverse("declaration-list"))
    filtered = client.get(reverse("declaration-list"), {"policy": other.pk})

    assert list(policies.context["object_list"]) == [issued_policy]
    assert {row.policy for row in declarations.context["page_obj"].paginator.object_list} == {
        issued_policy
    }
    assert filtered.context["rows"] == []
    for response in (policies, declarations, filtered):
        html = response.content.decode()
        assert other.number not in html and other_company.name not in html


# Lists ---------------------------------------------------------------------------------------


@pytest.fixture
def thirty_policies(underwriter, company):
    """30 policies of `company`, 27 issued, 3 drafts; starting in different months."""
    policies = []
    for i in range(30):
        policy = services.policy_create(
            actor=underwriter,
            insured=company,
            start_date=date(2024 + i // 12, 1 + i % 12, 1),
            currency="EUR" if i % 3 == 0 else "SEK",
        )
        if i % 10 != 9:
            services.policy_issue(actor=underwriter, policy_id=policy.pk)
        policies.append(policy)
    return policies


def listed(response) -> list[str]:
    return [p.number for p in response.context["object_list"]]


def test_policy_list_sorts_by_the_chosen_column(client, underwriter, thirty_policies):
    client.force_login(underwriter)
    url = reverse("policy-list")
    numbers = sorted(p.number for p in thirty_policies)

    assert listed(client.get(url, {"ordering": "number"})) == numbers[:25]
    descending = client.get(url, {"ordering": "-number"})
    assert listed(descending) == numbers[::-1][:25]
    # The header links to the other direction
    assert 'href="?ordering=number"' in descending.content.decode()


def test_policy_list_filters_and_paginates_keeping_the_filter(
    client, underwriter, thirty_policies, other_company
):
    client.force_login(underwriter)
    url = reverse("policy-list")

    drafts = client.get(url, {"status": "draft"})
    euro = client.get(url, {"currency": "eur"})
    by_name = client.get(url, {"q": "nordic"})
    first = client.get(url, {"q": "nordic", "ordering": "start"})
    second = client.get(url, {"q": "nordic", "ordering": "start", "page": 2})

    assert len(listed(drafts)) == 3
    assert all(p.status == PolicyStatus.DRAFT for p in drafts.context["object_list"])
    assert len(listed(euro)) == 10
    assert by_name.context["paginator"].count == 30
    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert 'href="?q=nordic&amp;ordering=start&amp;page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    starts = [p.start_date for p in first.context["object_list"]]
    assert starts == sorted(starts)


def test_declaration_and_document_lists_filter(client, underwriter, thirty_policies):
    client.force_login(underwriter)

    with on(date(2026, 11, 20)):
        late = client.get(reverse("declaration-list"), {"state": "late"})
    schedules = client.get(reverse("document-list"), {"kind": "schedule"})
    endorsements = client.get(reverse("document-list"), {"kind": "endorsement"})

    assert {row.state for row in late.context["page_obj"].paginator.object_list} == {"late"}
    assert late.context["page_obj"].paginator.count > 25
    assert schedules.context["paginator"].count == 27
    assert endorsements.context["paginator"].count == 0


# Queries: a page costs the same with 30 policies as with one.

MAX_QUERIES = 20


@pytest.mark.parametrize(
    ("user_fixture", "url_name"),
    [
        ("underwriter", "policy-list"),
        ("insured_user", "policy-list"),
        ("underwriter", "home"),
        ("admin_user", "home"),
        ("insured_user", "home"),
        ("claims_handler", "home"),
    ],
)
def test_page_queries_do_not_grow_with_policies(
    client, request, thirty_policies, django_assert_max_num_queries, user_fixture, url_name
):
    client.force_login(request.getfixturevalue(user_fixture))
    client.get(reverse(url_name))  # the session and first-visit writes are not the point

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse(url_name))

    assert response.status_code == 200
