"""The overdue notification pages as they are used: the insured sees, before sending, the
invoices and the whole exposure it will notify and what a late notice costs; notifies; reads
the notification with its invoices and the deadlines that follow. Staff read every
notification; no one reads another company's."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from exposure import services
from exposure.models import OverdueNotification
from exposure.services.notifications import overdue_notify
from tests.exposure.conftest import invoice_data
from tests.factories.limits import DebtorFactory

LIST = "/exposure/notifications/"
NEW = "/exposure/notifications/new/"
PREVIEW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "notification-preview"}


def report(actor, policy, debtor, n, **kw):
    return services.invoice_report(
        actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, **invoice_data(n, **kw)
    )


@pytest.fixture
def overdue(insured_user, issued_policy, debtor):
    """F-1 due 2026-05-31 (overdue; deadline 2026-08-29) and F-2 not yet due: 10 000 each."""
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1), days=30)
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 6, 10), days=30)


@pytest.fixture
def late_debtor(insured_user, issued_policy):
    """G-1 due 2026-02-28: its deadline (day 90) was 2026-05-29."""
    debtor = DebtorFactory(name="Sena Betalare AB")
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 1, 29), days=30)
    return debtor


@pytest.fixture
def signed_in(client, insured_user):
    client.force_login(insured_user)
    return client


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def notify(actor, policy, debtor, reason="cash_flow"):
    return overdue_notify(actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, reason=reason)


def form(policy, debtor, **changes) -> dict:
    data = {
        "policy": policy.pk,
        "debtor": debtor.pk,
        "reason": "cash_flow",
        "details": "",
        "notified_on": "",
    }
    return {**data, **changes}


# Before sending -------------------------------------------------------------------------------


def test_the_form_opened_for_a_debtor_shows_what_will_be_notified(
    signed_in, issued_policy, debtor, overdue
):
    response = signed_in.get(NEW, {"policy": issued_policy.pk, "debtor": debtor.pk})

    page = page_of(response)
    assert response.context["form"]["debtor"].value() == debtor.pk
    assert "What will be notified: Kalles Kaffe AB" in page
    assert "Overdue (1 invoice)" in page and "SEK\xa010,000.00" in page
    assert "SEK\xa020,000.00" in page and "of which SEK\xa010,000.00 not yet due" in page
    assert "F-1" in page and "F-2" not in page
    assert "the notice is in time" in page and "in 75 days" in page


def test_a_passed_deadline_is_warned_of_with_the_cover_it_costs(
    signed_in, issued_policy, late_debtor
):
    page = page_of(signed_in.get(NEW, {"debtor": late_debtor.pk}))

    assert "The notification deadline has passed" in page
    assert "The deadline was 29 May 2026" in page
    assert "the invoice past its deadline loses its cover, SEK\xa010,000.00 unpaid" in page


def test_htmx_swaps_in_the_preview_as_the_debtor_changes(signed_in, issued_policy, debtor, overdue):
    response = signed_in.get(NEW, {"policy": issued_policy.pk, "debtor": debtor.pk}, **PREVIEW)

    page = page_of(response)
    assert "<html" not in page and page.lstrip().startswith('<div id="notification-preview"')
    assert "F-1" in page


def test_without_scripts_the_preview_button_shows_it_and_sends_nothing(
    signed_in, issued_policy, debtor, overdue
):
    response = signed_in.post(NEW, {**form(issued_policy, debtor), "preview": "1"})

    assert response.status_code == 200 and "What will be notified" in page_of(response)
    assert not OverdueNotification.objects.exists()


def test_debtors_with_something_overdue_are_listed_soonest_deadline_first(
    signed_in, issued_policy, debtor, overdue, late_debtor
):
    response = signed_in.get(NEW)

    rows = [(c["debtor__name"], c["overdue"]) for c in response.context["candidates"]]
    assert rows == [
        ("Sena Betalare AB", Decimal("10000.00")),
        ("Kalles Kaffe AB", Decimal("10000.00")),
    ]
    page = page_of(response)
    assert f"?policy={issued_policy.pk}&debtor={debtor.pk}" in page


# Notifying ------------------------------------------------------------------------------------


def test_notifying_confirms_and_opens_the_notification_with_what_follows(
    signed_in, issued_policy, debtor, overdue
):
    response = signed_in.post(NEW, form(issued_policy, debtor, details="Promised next week"))

    notice = OverdueNotification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notification-detail", args=[notice.pk])
    page = page_of(signed_in.get(response["Location"]))
    assert "Kalles Kaffe AB is notified overdue (SEK\xa010,000.00) on 15 June 2026, in time" in page
    assert "notified in time" in page and "Promised next week" in page
    assert "End of the waiting period" in page and "12 December 2026" in page
    assert "Claim filing deadline" in page and "10 February 2027" in page
    assert "F-1" in page


def test_a_late_notice_is_confirmed_with_the_cover_lost(signed_in, issued_policy, late_debtor):
    response = signed_in.post(NEW, form(issued_policy, late_debtor), follow=True)

    page = page_of(response)
    assert "after the deadline: SEK\xa010,000.00 of invoices lose their cover" in page
    assert "Notified after the deadline: SEK\xa010,000.00 lost its cover" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": ""}, "reason", "This field is required."),
        ({"notified_on": "2026-06-16"}, "notified_on", "The date lies in the future."),
        ({"notified_on": "someday"}, "notified_on", "Enter a valid date."),
        ({"debtor": ""}, "debtor", "Choose the debtor that does not pay."),
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_is_written(
    signed_in, issued_policy, debtor, overdue, change, field, message
):
    response = signed_in.post(NEW, {**form(issued_policy, debtor), **change})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not OverdueNotification.objects.exists()


def test_a_debtor_with_nothing_overdue_is_refused_on_the_debtor_field(
    signed_in, insured_user, issued_policy, debtor
):
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 6, 10), days=30)

    response = signed_in.post(NEW, form(issued_policy, debtor, details="Kept text"))

    assert "there is nothing to notify" in " ".join(response.context["form"].errors["debtor"])
    assert "Kept text" in page_of(response)
    assert not OverdueNotification.objects.exists()


def test_a_debtor_already_notified_says_so_before_and_on_sending(
    signed_in, insured_user, issued_policy, debtor, overdue
):
    notice = notify(insured_user, issued_policy, debtor)

    before = page_of(signed_in.get(NEW, {"debtor": debtor.pk}))
    sent = signed_in.post(NEW, form(issued_policy, debtor))

    assert "already notified overdue under this policy" in before
    assert reverse("notification-detail", args=[notice.pk]) in before
    assert "already notified" in " ".join(sent.context["form"].errors["debtor"])


# Reading, and who may ---------------------------------------------------------------------------


def test_the_list_filters_and_sorts(
    signed_in, insured_user, issued_policy, debtor, overdue, late_debtor
):
    in_time = notify(insured_user, issued_policy, debtor)
    late = notify(insured_user, issued_policy, late_debtor)

    def listed(**params):
        return [n.pk for n in signed_in.get(LIST, params).context["object_list"]]

    assert set(listed()) == {in_time.pk, late.pk}
    assert listed(late="yes") == [late.pk]
    assert listed(late="no") == [in_time.pk]
    assert listed(q="Sena") == [late.pk]
    assert listed(ordering="-deadline") == [in_time.pk, late.pk]
    assert listed(state="closed") == []
    assert "No notification matches these filters." in page_of(
        signed_in.get(LIST, {"state": "closed"})
    )


def test_staff_read_every_notification_with_its_insured(
    client, insured_user, underwriter, claims_handler, issued_policy, debtor, overdue
):
    notice = notify(insured_user, issued_policy, debtor)

    for user in (underwriter, claims_handler):
        client.force_login(user)
        assert "Nordic Steel AB" in page_of(client.get(LIST))
        assert client.get(reverse("notification-detail", args=[notice.pk])).status_code == 200
        assert client.get(NEW).status_code == 403


def test_another_company_never_sees_the_notifications(
    client, insured_user, other_insured_user, issued_policy, debtor, overdue
):
    notice = notify(insured_user, issued_policy, debtor)
    client.force_login(other_insured_user)

    assert list(client.get(LIST).context["object_list"]) == []
    assert client.get(reverse("notification-detail", args=[notice.pk])).status_code == 404
    refused = client.post(NEW, form(issued_policy, debtor))
    assert "policy" in refused.context["form"].errors
    assert OverdueNotification.objects.count() == 1


def test_another_companys_debtors_are_not_offered(
    client, other_insured_user, issued_policy, debtor, overdue
):
    client.force_login(other_insured_user)

    response = client.get(NEW, {"policy": issued_policy.pk, "debtor": debtor.pk})

    assert response.context["candidates"] == [] and response.context["preview"] is None


def test_the_pages_ask_anonymous_users_to_sign_in(client, db):
    for url in (LIST, NEW, reverse("notification-detail", args=[1])):
        assert client.get(url).status_code == 302


def test_the_list_reads_in_a_fixed_number_of_queries(
    signed_in,
    insured_user,
    issued_policy,
    debtor,
    overdue,
    late_debtor,
    django_assert_max_num_queries,
):
    notify(insured_user, issued_policy, debtor)
    notify(insured_user, issued_policy, late_debtor)

    with django_assert_max_num_queries(12):
        signed_in.get(LIST)
