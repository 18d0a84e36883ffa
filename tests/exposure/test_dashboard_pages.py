"""The exposure dashboard, a debtor's exposure for underwriters, the scheduled jobs page and
the home pages' exposure panels."""

import json
import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from exposure import services
from exposure.services.deadlines import deadlines_run_recorded
from tests.exposure.conftest import grant_limit, invoice_data


def report(actor, policy, debtor, n, **kw):
    return services.invoice_report(
        actor=actor, policy_id=policy.pk, debtor_id=debtor.pk, **invoice_data(n, **kw)
    )


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_insured_sees_its_policys_exposure_covered_and_not(
    client, insured_user, issued_policy, debtor
):
    grant_limit(issued_policy, debtor, 15000)
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1))
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 5, 2))

    response = page(client, insured_user, reverse("exposure-dashboard"))

    assert response.status_code == 200
    total = response.context["total"]
    assert (total.unpaid, total.covered, total.uncovered["above_limit"]) == (
        Decimal("20000.00"),
        Decimal("15000.00"),
        Decimal("5000.00"),
    )
    [row] = response.context["rows"]
    assert row["debtor"] == debtor and row["main_reason"] == "Above the limit"
    chart = json.loads(
        re.search(
            r'<script id="exposure-chart-data" type="application/json">(.*?)</script>',
            response.content.decode(),
        )[1]
    )
    assert chart["covered"] == ["15000.00"] and chart["limit"] == ["15000.00"]
    assert "Request an increase" in response.content.decode()


def test_another_companys_policy_is_not_found(client, other_insured_user, issued_policy):
    url = reverse("exposure-dashboard") + f"?policy={issued_policy.pk}"
    assert page(client, other_insured_user, url).status_code == 404


def test_staff_choose_the_policy_and_filter_debtors_with_something_overdue(
    client, underwriter, insured_user, issued_policy, debtor
):
    from tests.factories.limits import DebtorFactory

    other = DebtorFactory(country="SE")
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 4, 1))  # overdue
    report(insured_user, issued_policy, other, 2, delivered=date(2026, 6, 10))  # not due
    base = reverse("exposure-dashboard")

    assert page(client, underwriter, base).context["policy"] is None
    response = client.get(f"{base}?policy={issued_policy.pk}&only=overdue&ordering=debtor")
    assert [r["debtor"] for r in response.context["rows"]] == [debtor]
    assert response.context["stopped"] == 0


def test_underwriters_see_every_insureds_exposure_on_a_debtor_and_an_insured_its_own(
    client, underwriter, claims_handler, insured_user, issued_policy, debtor
):
    grant_limit(issued_policy, debtor, 50000)
    report(insured_user, issued_policy, debtor, 1)
    url = reverse("debtor-exposure", args=[debtor.pk])

    response = page(client, underwriter, url)

    [row] = response.context["rows"]
    assert (row["limit"], row["exposure"].unpaid) == (Decimal("50000.00"), Decimal("10000.00"))
    assert page(client, claims_handler, url).status_code == 403
    mine = page(client, insured_user, url).context["rows"]
    assert [r["policy"] for r in mine] == [issued_policy]


def test_staff_read_what_each_deadline_run_did(
    client, underwriter, insured_user, issued_policy, debtor, today
):
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 3, 1), days=20)
    deadlines_run_recorded(today=today)

    listing = page(client, underwriter, reverse("job-run-list"))
    [run] = listing.context["object_list"]
    detail = client.get(reverse("job-run-detail", args=[run.pk]))

    assert detail.status_code == 200
    assert [n.kind for n in detail.context["notices"]] == ["stop_delivery"]
    assert page(client, insured_user, reverse("job-run-list")).status_code == 403


def test_the_home_pages_show_what_needs_doing_on_exposure(
    client, insured_user, underwriter, claims_handler, issued_policy, debtor
):
    from exposure.services.notifications import overdue_notify

    invoice = report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 3, 1), days=30)
    # due 2026-03-31: the notification deadline 2026-06-29 is 14 days away
    home = page(client, insured_user, reverse("home"))
    [soon] = home.context["deadlines_soon"]
    assert (soon["deadline"], soon["days_left"]) == (date(2026, 6, 29), 14)
    assert [s.debtor for s in home.context["stops_in_force"]] == [debtor]

    services.invoice_extend(
        actor=insured_user, invoice_id=invoice.pk, due_date=date(2026, 9, 1), reason="Harvest"
    )
    assert len(page(client, underwriter, reverse("home")).context["extensions_waiting"]) == 1
    overdue_notify(
        actor=insured_user, policy_id=issued_policy.pk, debtor_id=debtor.pk, reason="cash_flow"
    )
    assert len(page(client, claims_handler, reverse("home")).context["recent_notifications"]) == 1
