"""The calendar feed: each user subscribes to a private address that lists its deadlines as
all-day events with stable ids, in its language, and only its own company's; a new address
makes the old one answer 404."""

from datetime import date, timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.services.claims import claim_assess, claim_documents_ask, claim_file
from exposure.services.notifications import overdue_notify
from policies import services as policies
from portal.calendar import calendar_feed_make
from portal.models import CalendarFeed
from tests.claims.conftest import NOTIFIED, WAITING_END, on, report
from tests.exposure.conftest import grant_limit
from tests.factories.limits import DebtorFactory

TODAY = date(2026, 6, 15)
FILING_DEADLINE = WAITING_END + timedelta(days=60)


@pytest.fixture(autouse=True)
def today():
    with on(TODAY):
        yield TODAY


@pytest.fixture
def world(insured_user, issued_policy, other_company, underwriter):
    """A: an invoice due 2026-05-31, not notified. B: notified on 2026-04-01. Another
    company's debtor with an unpaid invoice."""
    a = DebtorFactory(country="SE", name="Alfa Bygg AB")
    b = DebtorFactory(country="SE", name="Beta Kaffe AB")
    report(insured_user, issued_policy, a, "A-1", "1000.00", date(2026, 5, 1))
    grant_limit(issued_policy, b, "40000.00", on=date(2026, 1, 1), expires_on=date(2026, 9, 30))
    with on(NOTIFIED):
        report(insured_user, issued_policy, b, "B-1", "2000.00", date(2026, 1, 10))
        notice = overdue_notify(
            actor=insured_user, policy_id=issued_policy.pk, debtor_id=b.pk, reason="cash_flow"
        )
    theirs = policies.policy_issue(
        actor=underwriter,
        policy_id=policies.policy_create(
            actor=underwriter, insured=other_company, start_date=date(2026, 1, 1), currency="EUR"
        ).pk,
    )
    report(
        underwriter,
        theirs,
        DebtorFactory(name="Gamma Trading BV"),
        "G-1",
        "500.00",
        date(2026, 5, 1),
    )
    return {"a": a, "b": b, "notice": notice, "policy": issued_policy}


@pytest.fixture(autouse=True)
def english(insured_user):
    """The insured reads English here (its company writes Swedish); one test switches."""
    insured_user.language = "en"
    insured_user.save(update_fields=["language"])


def feed_of(client, user) -> tuple[dict[str, icalendar.Event], str]:
    feed = calendar_feed_make(actor=user)
    response = client.get(reverse("calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    return events, response.content.decode()


def day_of(event) -> date:
    return event.decoded("dtstart")


def test_the_insured_sees_its_deadlines_as_all_day_events(client, world, insured_user):
    p, a, notice = world["policy"].pk, world["a"].pk, world["notice"].pk

    events, text = feed_of(client, insured_user)

    assert {uid: day_of(e) for uid, e in events.items()} == {
        f"notification-deadline-{p}-{a}": date(2026, 8, 29),
        f"stop-delivery-{p}-{a}": date(2026, 7, 31),
        f"waiting-period-end-{notice}": WAITING_END,
        f"claim-filing-deadline-{notice}": FILING_DEADLINE,
    }
    deadline = events[f"notification-deadline-{p}-{a}"]
    assert str(deadline["summary"]) == "Last day to notify Alfa Bygg AB overdue"
    assert deadline.decoded("dtend") == date(2026, 8, 30)  # all day: the next day, exclusive
    assert str(deadline["url"]).endswith(f"/exposure/notifications/new/?policy={p}&debtor={a}")
    assert "Gamma Trading BV" not in text


def test_the_events_keep_their_ids_as_dates_move(client, world, insured_user):
    first, _ = feed_of(client, insured_user)
    report(insured_user, world["policy"], world["a"], "A-0", "700.00", date(2026, 4, 20))
    second, _ = feed_of(client, insured_user)

    uid = f"notification-deadline-{world['policy'].pk}-{world['a'].pk}"
    assert set(first) == set(second)
    assert day_of(second[uid]) < day_of(first[uid])


def test_the_feed_is_in_the_users_language(client, world, insured_user):
    insured_user.language = "sv"
    insured_user.save()

    events, _ = feed_of(client, insured_user)

    uid = f"notification-deadline-{world['policy'].pk}-{world['a'].pk}"
    assert "augusti 2026" in str(events[uid]["description"])


def test_another_company_sees_none_of_it(client, world, other_insured_user):
    events, text = feed_of(client, other_insured_user)

    assert "Alfa Bygg AB" not in text and "Beta Kaffe AB" not in text
    assert all(not uid.startswith(("waiting", "claim")) for uid in events)
    assert any("Gamma Trading BV" in str(e["summary"]) for e in events.values())


def test_a_claims_handler_sees_filing_deadlines_and_next_actions(client, world, claims_handler):
    notice = world["notice"].pk

    events, text = feed_of(client, claims_handler)

    assert day_of(events[f"claim-filing-deadline-{notice}"]) == FILING_DEADLINE
    assert day_of(events[f"collection-next-{notice}"]) == NOTIFIED  # the reminder, from then
    assert "Send the debtor a reminder: Beta Kaffe AB" in str(
        events[f"collection-next-{notice}"]["summary"]
    )
    assert not any(uid.startswith("notification-deadline") for uid in events)


def test_an_underwriter_sees_the_limits_that_expire(client, world, underwriter):
    events, _ = feed_of(client, underwriter)

    [expiry] = [e for uid, e in events.items() if uid.startswith("limit-expiry")]
    assert day_of(expiry) == date(2026, 9, 30)
    assert "Beta Kaffe AB" in str(expiry["summary"])


def test_documents_asked_for_show_and_a_filed_claim_ends_its_deadline(
    client, world, insured_user, claims_handler
):
    with on(WAITING_END):
        claim = claim_file(
            actor=insured_user,
            policy_id=world["policy"].pk,
            debtor_id=world["b"].pk,
            cause="protracted_default",
            evidence="No payment since January.",
        )
        claim_assess(actor=claims_handler, claim_id=claim.pk)
        claim_documents_ask(
            actor=claims_handler, claim_id=claim.pk, kinds=["proof_of_delivery"], message=""
        )
        events, _ = feed_of(client, insured_user)

    asked = events[f"claim-documents-{claim.pk}"]
    assert day_of(asked) == WAITING_END
    assert "Proof of delivery" in str(asked["description"])
    assert f"claim-filing-deadline-{world['notice'].pk}" not in events


def test_the_feed_reads_set_based(client, world, insured_user, issued_policy):
    feed = calendar_feed_make(actor=insured_user)
    url = reverse("calendar-feed", args=[feed.token])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        report(insured_user, issued_policy, DebtorFactory(), f"M-{n}", "100.00", date(2026, 5, 2))
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content

    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 4 + 2 * 3
    assert len(many) == len(few)


def test_a_new_address_ends_the_old_one(client, world, insured_user):
    client.force_login(insured_user)
    assert client.post(reverse("calendar")).status_code == 302
    old = CalendarFeed.objects.get(user=insured_user).token
    assert old in client.get(reverse("calendar")).content.decode()

    client.post(reverse("calendar"))
    new = CalendarFeed.objects.get(user=insured_user).token
    client.logout()

    assert new != old
    assert client.get(reverse("calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[new])).status_code == 200


def test_an_unknown_or_inactive_address_answers_404(client, world, insured_user):
    feed = calendar_feed_make(actor=insured_user)
    insured_user.is_active = False
    insured_user.save()

    assert client.get(reverse("calendar-feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("calendar")).status_code == 302  # the page needs signing in
