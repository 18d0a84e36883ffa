"""The insured's limit pages as they are clicked: a request decided at once and explained,
increases and reductions, what another company may not see, and lists that sort, filter and
paginate in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from limits import services
from limits.models import (
    ChangeKind,
    DecisionLetter,
    Limit,
    LimitKind,
    LimitRequest,
    RequestKind,
    RequestStatus,
)
from limits.selectors import limits_as_of
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture
def template(db):
    return default_template()


@pytest.fixture
def healthy_debtor(template):
    return CreditReportFactory(debtor__name="Healthy Trading AB").debtor


@pytest.fixture
def weak_debtor(template):
    return CreditReportFactory(rating=30, debtor__name="Shaky Builders AB").debtor


def form_data(policy, debtor=None, **changes) -> dict:
    data = {
        "policy": policy.pk,
        "debtor": debtor.pk if debtor else "",
        "country": "SE",
        "registration_number": "",
        "kind": RequestKind.NEW,
        "amount": "200000",
        "payment_terms_days": "30",
        "reference": "",
    }
    return {**data, **changes}


def submit(policy, user, debtor, amount, **kwargs) -> LimitRequest:
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount), **kwargs
    )


def amount_today(policy, debtor) -> Decimal:
    limit = Limit.objects.filter(policy=policy, debtor=debtor)
    return limits_as_of(limit, timezone.localdate()).get().amount


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Requesting a limit -------------------------------------------------------------------------


def test_the_form_preselects_the_only_policy_and_a_debtor_from_the_link(
    client, insured_user, issued_policy, healthy_debtor
):
    client.force_login(insured_user)

    response = client.get(reverse("limit-request-create"), {"debtor": healthy_debtor.pk})

    form = response.context["form"]
    assert form["policy"].value() == issued_policy.pk
    assert form["debtor"].value() == healthy_debtor.pk
    assert response.context["chosen"] == healthy_debtor
    page = response.content.decode()
    assert 'hx-get="/debtors/lookup/"' in page and "Amount (SEK)" in page
    assert "At most 90 days" in page


def test_the_form_approves_at_once_and_the_detail_shows_the_amount(
    client, insured_user, issued_policy, healthy_debtor
):
    client.force_login(insured_user)

    response = client.post(
        reverse("limit-request-create"),
        form_data(issued_policy, healthy_debtor, reference="PO-77"),
        follow=True,
    )

    request = LimitRequest.objects.get()
    assert response.redirect_chain == [(reverse("limit-request-detail", args=[request.pk]), 302)]
    assert request.status == RequestStatus.APPROVED and request.reference == "PO-77"
    page = response.content.decode()
    assert "Approved: SEK\xa0200,000.00" in page
    assert "Decided automatically" in page
    assert "within its guideline limit of SEK\xa0500,000.00" in page
    assert "Healthy Trading AB" in page
    assert amount_today(issued_policy, healthy_debtor) == Decimal("200000.00")


def test_a_referred_request_shows_each_reason_as_a_sentence(
    client, insured_user, issued_policy, weak_debtor
):
    client.force_login(insured_user)

    response = client.post(
        reverse("limit-request-create"), form_data(issued_policy, weak_debtor), follow=True
    )

    assert LimitRequest.objects.get().status == RequestStatus.REFERRED
    page = response.content.decode()
    assert "Referred to an underwriter" in page
    assert "The debtor&#x27;s rating of 30 is below the minimum of 40." in page
    assert "Withdraw" in page
    assert response.context["steps"] == []  # the engine's steps are for staff


def test_a_typed_registration_number_finds_the_debtor(
    client, insured_user, issued_policy, template
):
    debtor = CreditReportFactory(debtor__registration_number="556677-8907").debtor
    client.force_login(insured_user)

    client.post(
        reverse("limit-request-create"),
        form_data(issued_policy, registration_number="5566778907", amount="150000"),
    )

    assert LimitRequest.objects.get().debtor == debtor


def test_an_unknown_registration_number_names_the_field_and_keeps_the_input(
    client, insured_user, issued_policy, template
):
    client.force_login(insured_user)

    response = client.post(
        reverse("limit-request-create"),
        form_data(issued_policy, registration_number="559012-3450", reference="keep me"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["registration_number"]
    assert "559012-3450" in errors["registration_number"][0]
    assert "registered yet" in errors["registration_number"][0]
    page = response.content.decode()
    assert 'value="559012-3450"' in page and 'value="keep me"' in page
    register = response.context["register_url"]
    assert register.startswith(reverse("debtor-create") + "?country=SE&registration_number=559012")
    assert "next=%2Flimits%2Frequests%2Fnew%2F%3Fpolicy%3D" in register
    assert not LimitRequest.objects.exists()


def test_an_invalid_number_or_no_debtor_at_all_names_the_field(
    client, insured_user, issued_policy, template
):
    client.force_login(insured_user)
    url = reverse("limit-request-create")

    invalid = client.post(url, form_data(issued_policy, registration_number="556677-8900"))
    missing = client.post(url, form_data(issued_policy))

    assert "registration_number" in invalid.context["form"].errors
    assert "registration_number" in missing.context["form"].errors


def test_the_services_refusal_lands_on_its_field(
    client, insured_user, issued_policy, healthy_debtor
):
    client.force_login(insured_user)

    response = client.post(
        reverse("limit-request-create"),
        form_data(issued_policy, healthy_debtor, payment_terms_days="120"),
    )

    errors = response.context["form"].errors
    assert list(errors) == ["payment_terms_days"]
    assert "maximum credit period of 90 days" in errors["payment_terms_days"][0]
    assert response.context["chosen"] == healthy_debtor  # the picked debtor stays picked


def test_staff_cannot_request_limits(client, underwriter):
    client.force_login(underwriter)

    assert client.get(reverse("limit-request-create")).status_code == 403


# Increase, reduce, withdraw -----------------------------------------------------------------


def test_the_insured_asks_for_an_increase_from_the_limit_page(
    client, insured_user, issued_policy, healthy_debtor
):
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    limit = Limit.objects.get()
    client.force_login(insured_user)

    page = client.get(reverse("limit-detail", args=[limit.pk]))
    increase = page.context["request_url"]
    form = client.get(increase).context["form"]
    response = client.post(
        reverse("limit-request-create"),
        form_data(issued_policy, healthy_debtor, kind=form["kind"].value(), amount="300000"),
        follow=True,
    )

    assert "kind=increase" in increase and "Request increase" in page.content.decode()
    assert LimitRequest.objects.latest("id").kind == RequestKind.INCREASE
    assert "Approved: SEK\xa0300,000.00" in response.content.decode()
    history = client.get(reverse("limit-detail", args=[limit.pk])).context["history"]
    assert [c.kind for c in history] == [ChangeKind.INCREASED, ChangeKind.GRANTED]


def test_the_insured_reduces_its_limit_at_once(client, insured_user, issued_policy, healthy_debtor):
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    limit = Limit.objects.get()
    client.force_login(insured_user)
    url = reverse("limit-reduce", args=[limit.pk])

    too_high = client.post(url, {"amount": "250000"})
    response = client.post(url, {"amount": "50000", "reason": "Less trade"}, follow=True)

    assert "amount" in too_high.context["form"].errors
    assert messages_of(response) == [
        "Your limit on Healthy Trading AB is reduced to SEK\xa050,000.00; this takes effect today."
    ]
    assert amount_today(issued_policy, healthy_debtor) == Decimal("50000.00")
    assert "Reduced by the insured" in response.content.decode()


def test_cancelling_a_limit_says_so_and_hides_the_reduce_button(
    client, insured_user, issued_policy, healthy_debtor
):
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    limit = Limit.objects.get()
    client.force_login(insured_user)

    response = client.post(reverse("limit-reduce", args=[limit.pk]), {"amount": "0"}, follow=True)

    assert messages_of(response) == [
        "Your limit on Healthy Trading AB is cancelled; this takes effect today."
    ]
    assert response.context["can_reduce"] is False
    assert "kind=new" in response.context["request_url"]


def test_an_insurer_reduction_ahead_is_shown_with_the_cover_kept_until_then(
    client, insured_user, underwriter, issued_policy, healthy_debtor
):
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    limit = Limit.objects.get()
    services.limit_reduce_by_insurer(
        actor=underwriter, limit_id=limit.pk, amount=Decimal("80000"), reason="Weaker accounts"
    )
    client.force_login(insured_user)

    response = client.get(reverse("limit-detail", args=[limit.pk]))

    page = response.content.decode()
    assert "The insurer has reduced this limit to SEK\xa080,000.00 from" in page
    assert "stay covered at SEK\xa0200,000.00" in page
    assert response.context["limit"].amount == Decimal("200000.00")
    assert "scheduled" in page and "Weaker accounts" in page


def test_the_insured_withdraws_a_pending_request(client, insured_user, issued_policy, weak_debtor):
    request = submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(insured_user)

    response = client.post(reverse("limit-request-withdraw", args=[request.pk]), follow=True)
    again = client.post(reverse("limit-request-withdraw", args=[request.pk]), follow=True)

    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert messages_of(response) == ["Your request on Shaky Builders AB is withdrawn."]
    assert "already been decided or withdrawn" in messages_of(again)[0]


def test_underwriters_get_the_decide_and_reduce_buttons_and_the_steps(
    client, insured_user, underwriter, issued_policy, weak_debtor, healthy_debtor
):
    referred = submit(issued_policy, insured_user, weak_debtor, "200000")
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    limit = Limit.objects.get(debtor=healthy_debtor)
    client.force_login(underwriter)

    request_page = client.get(reverse("limit-request-detail", args=[referred.pk]))
    limit_page = client.get(reverse("limit-detail", args=[limit.pk])).content.decode()

    assert reverse("limit-request-decide", args=[referred.pk]) in request_page.content.decode()
    assert request_page.context["steps"] and request_page.context["can_withdraw"] is False
    assert reverse("limit-insurer-reduce", args=[limit.pk]) in limit_page
    assert reverse("limit-reduce", args=[limit.pk]) not in limit_page


# Another company's data ---------------------------------------------------------------------


def test_another_companys_limit_request_and_letter_are_not_found(
    client, insured_user, other_insured_user, issued_policy, healthy_debtor, weak_debtor
):
    approved = submit(issued_policy, insured_user, healthy_debtor, "200000")
    referred = submit(issued_policy, insured_user, weak_debtor, "200000")
    letter = DecisionLetter.objects.get(request=approved)
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.4 approval"), save=False)
    DecisionLetter.objects.filter(pk=letter.pk).update(status="ready", file=letter.file.name)
    limit = Limit.objects.get(debtor=healthy_debtor)
    client.force_login(other_insured_user)

    urls = [
        reverse("limit-detail", args=[limit.pk]),
        reverse("limit-reduce", args=[limit.pk]),
        reverse("limit-request-detail", args=[approved.pk]),
        reverse("letter-download", args=[letter.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 4
    assert client.post(reverse("limit-request-withdraw", args=[referred.pk])).status_code == 404
    assert client.get(reverse("limit-list")).context["paginator"].count == 0
    assert client.get(reverse("limit-request-list")).context["paginator"].count == 0

    client.force_login(insured_user)
    download = client.get(reverse("letter-download", args=[letter.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_letter_being_prepared_shows_a_badge_and_does_not_download(
    client, insured_user, issued_policy, healthy_debtor
):
    request = submit(issued_policy, insured_user, healthy_debtor, "200000")
    letter = DecisionLetter.objects.get(request=request)
    client.force_login(insured_user)

    page = client.get(reverse("limit-request-detail", args=[request.pk])).content.decode()

    assert "Being prepared" in page
    assert client.get(reverse("letter-download", args=[letter.pk])).status_code == 404


# Lists --------------------------------------------------------------------------------------


@pytest.fixture
def thirty_limits(issued_policy, insured_user, template):
    """Thirty debtors: 27 named limits of 20 000 + 1 000 × i, three DCLs of 5 000."""
    for i in range(30):
        debtor = CreditReportFactory(debtor__name=f"Debtor {i:02d} AB").debtor
        amount = "5000" if i % 10 == 9 else str(20000 + 1000 * i)
        submit(issued_policy, insured_user, debtor, amount)
    return issued_policy


def listed(response) -> list[str]:
    return [limit.debtor.name for limit in response.context["object_list"]]


def test_the_limit_list_sorts_filters_and_paginates(client, insured_user, thirty_limits):
    client.force_login(insured_user)
    url = reverse("limit-list")

    first = client.get(url, {"ordering": "-amount"})
    second = client.get(url, {"ordering": "-amount", "page": 2})
    by_name = client.get(url, {"ordering": "debtor"})
    dcls = client.get(url, {"kind": LimitKind.DCL})
    mine = client.get(url, {"policy": thirty_limits.pk, "q": "debtor 0"})

    assert first.context["paginator"].count == 30
    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert listed(first)[0] == "Debtor 28 AB" and listed(second)[-1] == "Debtor 29 AB"
    assert listed(by_name)[:2] == ["Debtor 00 AB", "Debtor 01 AB"]
    assert sorted(listed(dcls)) == ["Debtor 09 AB", "Debtor 19 AB", "Debtor 29 AB"]
    assert mine.context["paginator"].count == 10
    assert "My debtors" in first.content.decode() and "Request a limit" in first.content.decode()


def test_the_limit_list_shows_pending_requests_and_can_hide_limits_not_in_force(
    client, insured_user, issued_policy, healthy_debtor, weak_debtor
):
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    referred = submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(insured_user)

    everything = client.get(reverse("limit-list"))
    in_force = client.get(reverse("limit-list"), {"in_force": "1"})

    assert listed(everything) == ["Healthy Trading AB", "Shaky Builders AB"]
    assert listed(in_force) == ["Healthy Trading AB"]
    assert reverse("limit-request-detail", args=[referred.pk]) in everything.content.decode()


def test_the_request_list_filters_by_status_and_shows_staff_the_insured(
    client, insured_user, underwriter, issued_policy, healthy_debtor, weak_debtor
):
    submit(issued_policy, insured_user, healthy_debtor, "200000")
    submit(issued_policy, insured_user, weak_debtor, "200000")
    client.force_login(underwriter)
    url = reverse("limit-request-list")

    referred = client.get(url, {"status": "referred"})
    pending = client.get(url, {"status": "pending", "ordering": "-amount"})
    by_debtor = client.get(url, {"ordering": "-debtor"})

    assert [r.debtor.name for r in referred.context["object_list"]] == ["Shaky Builders AB"]
    assert pending.context["paginator"].count == 1
    assert [r.debtor.name for r in by_debtor.context["object_list"]] == [
        "Shaky Builders AB",
        "Healthy Trading AB",
    ]
    assert "Nordic Steel AB" in referred.content.decode()


def test_empty_lists_say_what_to_do(client, insured_user, issued_policy):
    client.force_login(insured_user)

    limits = client.get(reverse("limit-list")).content.decode()
    requests = client.get(reverse("limit-request-list")).content.decode()

    assert "You have no limits yet" in limits
    assert "You have not requested a limit yet" in requests


MAX_QUERIES = 12


@pytest.mark.parametrize("user_fixture", ["insured_user", "underwriter"])
@pytest.mark.parametrize("url_name", ["limit-list", "limit-request-list"])
def test_list_queries_do_not_grow_with_rows(
    client, request, thirty_limits, django_assert_max_num_queries, user_fixture, url_name
):
    client.force_login(request.getfixturevalue(user_fixture))
    client.get(reverse(url_name))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse(url_name))

    assert len(response.context["object_list"]) == 25
