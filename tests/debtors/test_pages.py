"""The debtor pages as their users click them: finding a debtor, what each role may see of
it, registering one, importing reports, recording a risk event."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from debtors.models import CreditReport, Debtor, RiskEvent
from tests.factories.limits import CreditReportFactory, DebtorFactory

RISK_MARK = "Latest credit report"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Finding ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["Byggvaror", "byggvaror i norr", "556677-8907", "5566778907"])
def test_the_list_finds_a_debtor_by_name_or_number(client, insured_user, rated_debtor, q):
    DebtorFactory(name="Other AB")
    client.force_login(insured_user)

    response = client.get(reverse("debtor-list"), {"q": q})

    assert list(response.context["object_list"]) == [rated_debtor]


def test_the_list_sorts_filters_and_paginates(client, underwriter, db):
    for n in range(30):
        DebtorFactory(name=f"Company {n:02d}", country="BE" if n % 2 else "SE")
    client.force_login(underwriter)

    page1 = client.get(reverse("debtor-list"), {"country": "SE", "ordering": "-name"})

    names = [d.name for d in page1.context["object_list"]]
    assert names[0] == "Company 28" and len(names) == 15
    assert all(d.country == "SE" for d in page1.context["object_list"])
    page2 = client.get(reverse("debtor-list"), {"page": 2})
    assert len(page2.context["object_list"]) == 5


def test_the_list_takes_the_same_queries_for_many_debtors(
    client, insured_user, db, django_assert_max_num_queries, limit_of
):
    for _ in range(20):
        limit_of(CreditReportFactory().debtor)
    client.force_login(insured_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("debtor-list"))

    assert response.status_code == 200 and len(response.context["object_list"]) == 20


def test_an_insured_sees_ratings_only_where_it_holds_a_limit(client, insured_user, limit_of):
    mine = CreditReportFactory(rating=81, debtor=DebtorFactory(name="Mine AB")).debtor
    CreditReportFactory(rating=12, debtor=DebtorFactory(name="Theirs AB"))
    limit_of(mine)
    client.force_login(insured_user)

    html = client.get(reverse("debtor-list")).content.decode()

    assert "Theirs AB" in html and "Mine AB" in html
    assert "Very low risk" in html and "Very high risk" not in html


def test_the_lookup_fragment_lists_matches_to_pick(client, insured_user, rated_debtor):
    client.force_login(insured_user)

    response = client.get(reverse("debtor-lookup"), {"q": "5566778907"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert f'data-debtor-id="{rated_debtor.pk}"' in html and "Byggvaror i Norr AB" in html


def test_the_lookup_offers_to_register_an_unknown_number(client, insured_user, db):
    client.force_login(insured_user)

    response = client.get(
        reverse("debtor-lookup"),
        {"q": "556036-0793"},
        HTTP_HX_CURRENT_URL="http://testserver/limits/requests/new/?policy=1",
    )

    html = response.content.decode()
    assert "No debtor in the register matches" in html
    assert (
        "registration_number=556036-0793" in html and "next=%2Flimits%2Frequests%2Fnew%2F" in html
    )


# Reading ---------------------------------------------------------------------------------------


def test_staff_see_the_full_risk_data(client, claims_handler, rated_debtor):
    client.force_login(claims_handler)

    response = client.get(reverse("debtor-detail", args=[rated_debtor.pk]))

    html = response.content.decode()
    assert RISK_MARK in html and "Low risk" in html and "Report history" in html
    assert response.context["age"][0] >= 15  # registered 2010-05-01


def test_an_insured_without_a_limit_sees_identity_only(client, insured_user, rated_debtor):
    client.force_login(insured_user)

    response = client.get(reverse("debtor-detail", args=[rated_debtor.pk]))

    html = response.content.decode()
    assert "556677-8907" in html and "Umeå" in html
    assert RISK_MARK not in html and "Low risk" not in html
    request_url = reverse("limit-request-create") + f"?debtor={rated_debtor.pk}"
    assert request_url in html


def test_an_insured_with_a_limit_sees_the_risk_data(client, insured_user, rated_debtor, limit_of):
    limit_of(rated_debtor)
    client.force_login(insured_user)

    response = client.get(reverse("debtor-detail", args=[rated_debtor.pk]))

    assert RISK_MARK in response.content.decode() and response.context["show_risk"]


def test_another_companys_limit_does_not_show_the_risk_data(
    client, other_insured_user, rated_debtor, limit_of
):
    limit_of(rated_debtor)  # insured_user's company, not other_insured_user's
    client.force_login(other_insured_user)

    response = client.get(reverse("debtor-detail", args=[rated_debtor.pk]))

    assert RISK_MARK not in response.content.decode()


# Registering -----------------------------------------------------------------------------------


def test_an_insured_registers_a_debtor(client, insured_user, db):
    client.force_login(insured_user)
    data = {"country": "BE", "registration_number": "0403.170.701", "name": "Brussels NV"}

    response = client.post(reverse("debtor-create"), data, follow=True)

    debtor = Debtor.objects.get()
    assert debtor.registration_number == "0403170701"
    assert response.redirect_chain == [(reverse("debtor-detail", args=[debtor.pk]), 302)]
    assert messages_of(response) == ["Brussels NV is now in the register."]


def test_a_bad_check_digit_names_the_field_and_keeps_the_input(client, insured_user, db):
    client.force_login(insured_user)
    data = {
        "country": "SE",
        "registration_number": "556677-8908",
        "name": "Typo AB",
        "city": "Lund",
    }

    response = client.post(reverse("debtor-create"), data)

    form = response.context["form"]
    assert response.status_code == 200 and list(form.errors) == ["registration_number"]
    assert "check digit is wrong" in form.errors["registration_number"][0]
    html = response.content.decode()
    assert 'value="Typo AB"' in html and 'value="Lund"' in html and 'value="556677-8908"' in html
    assert not Debtor.objects.exists()


def test_registering_a_known_debtor_links_to_it(client, insured_user, rated_debtor):
    client.force_login(insured_user)
    data = {"country": "SE", "registration_number": "5566778907", "name": "Byggvaror"}

    response = client.post(reverse("debtor-create"), data)

    assert "already in the register" in response.context["form"].errors["registration_number"][0]
    assert reverse("debtor-detail", args=[rated_debtor.pk]) in response.content.decode()


def test_registering_from_the_request_form_goes_back_to_it(client, insured_user, db):
    client.force_login(insured_user)
    back = reverse("limit-request-create") + "?policy=3"
    data = {"country": "NL", "registration_number": "12345678", "name": "Delft BV", "next": back}

    response = client.post(reverse("debtor-create"), data)

    debtor = Debtor.objects.get()
    assert response.url == f"{back}&debtor={debtor.pk}"


def test_an_outside_next_address_is_ignored(client, insured_user, db):
    client.force_login(insured_user)
    data = {
        "country": "NL",
        "registration_number": "12345678",
        "name": "Delft BV",
        "next": "https://evil.example/",
    }

    response = client.post(reverse("debtor-create"), data)

    assert response.url == reverse("debtor-detail", args=[Debtor.objects.get().pk])


# Importing and events --------------------------------------------------------------------------


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("reports.csv", text.encode(), content_type="text/csv")


def test_an_underwriter_imports_a_file(
    client, underwriter, sent_tasks, django_capture_on_commit_callbacks
):
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    client.force_login(underwriter)
    text = f"country,registration_number,name,as_of,rating\nSE,5566778907,Acme AB,{day},72\n"

    # The upload answers with the import job's page; the job runs once the upload commits
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("debtor-import"), {"file": upload(text)})
    response = client.get(posted["Location"])

    assert "1 debtor registered, 1 report added, 0 events recorded." in response.content.decode()
    assert CreditReport.objects.get().source == "import:reports.csv"


def test_an_import_with_errors_lists_them_and_writes_nothing(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    text = "country,registration_number,name,as_of,rating\nSE,5566778907,Acme AB,2026-01-01,140\n"

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("debtor-import"), {"file": upload(text)})
    response = client.get(posted["Location"])

    html = response.content.decode()
    assert "1 line has errors. Nothing was imported." in html
    assert "<tr><td>2</td><td>rating</td><td>140 is not between 1 and 100.</td></tr>" in html
    assert not Debtor.objects.exists()


@pytest.mark.parametrize("route", ["debtor-import"])
def test_insureds_and_claims_handlers_may_not_import(client, insured_user, claims_handler, route):
    for user in (insured_user, claims_handler):
        client.force_login(user)
        assert client.get(reverse(route)).status_code == 403


def test_an_underwriter_records_a_risk_event(
    client, underwriter, rated_debtor, sent_tasks, django_capture_on_commit_callbacks
):
    client.force_login(underwriter)
    day = timezone.localdate() - timedelta(days=1)
    url = reverse("risk-event-create", args=[rated_debtor.pk])
    data = {"kind": "bankruptcy", "occurred_on": day.isoformat(), "details": "Case K 123-26"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    again = client.post(url, data, follow=True)

    event = RiskEvent.objects.get()
    assert (event.kind, event.occurred_on, event.recorded_by) == ("bankruptcy", day, underwriter)
    assert "Bankruptcy recorded." in messages_of(response)[0]
    assert "already recorded" in messages_of(again)[0]
    assert sent_tasks == ["limits.tasks.risk_events_alert_task"]


def test_a_future_event_date_is_refused_on_its_field(client, underwriter, rated_debtor):
    client.force_login(underwriter)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(
        reverse("risk-event-create", args=[rated_debtor.pk]),
        {"kind": "bankruptcy", "occurred_on": tomorrow},
    )

    assert list(response.context["form"].errors) == ["occurred_on"]
    assert not RiskEvent.objects.exists()


def test_an_insured_may_not_record_events(client, insured_user, rated_debtor):
    client.force_login(insured_user)

    response = client.get(reverse("risk-event-create", args=[rated_debtor.pk]))

    assert response.status_code == 403
