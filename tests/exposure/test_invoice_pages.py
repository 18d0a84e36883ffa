"""The invoice pages as they are clicked: the list with its cover, filters, sorting and
pages; reporting an invoice (input kept, errors on their field); one invoice's page with its
timeline; and what another company or a staff member may not do. Actions on an invoice are in
test_invoice_pages_actions.py, the underwriter's pages in test_invoice_pages_underwriting.py."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from exposure import services
from exposure.models import Invoice
from limits.models import ChangeKind, Limit, LimitChange
from policies import services as policy_services
from tests.exposure.conftest import invoice_data
from tests.factories.limits import DebtorFactory


def grant_limit(policy, debtor, amount, since=date(2026, 1, 1)) -> Limit:
    limit = Limit.objects.create(policy=policy, debtor=debtor)
    LimitChange.objects.create(
        limit=limit, kind=ChangeKind.GRANTED, amount=Decimal(amount), effective_from=since
    )
    return limit


def report(user, policy, debtor, n=1, **kw) -> Invoice:
    return services.invoice_report(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, **invoice_data(n, **kw)
    )


def form_data(policy, debtor=None, /, **changes) -> dict:
    data = {
        "policy": policy.pk,
        "debtor": debtor.pk if debtor else "",
        "number": "F-100",
        "net_amount": "8000",
        "vat_amount": "2000",
        "invoice_date": "2026-05-01",
        "delivery_date": "2026-05-01",
        "original_due_date": "2026-05-31",
        "payment_terms_days": "",
        "reference": "PO-1",
    }
    return {**data, **changes}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def page_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def other_policy(other_company, underwriter):
    draft = policy_services.policy_create(
        actor=underwriter, insured=other_company, start_date=date(2026, 1, 1), currency="EUR"
    )
    return policy_services.policy_issue(actor=underwriter, policy_id=draft.pk)


@pytest.fixture
def others_invoice(other_insured_user, other_policy, debtor):
    return report(other_insured_user, other_policy, debtor, 9, currency="EUR", number="B-SECRET")


# The list ----------------------------------------------------------------------------------


def test_the_insured_sees_its_invoices_with_the_covered_part_and_why_the_rest_is_not(
    client, insured_user, issued_policy, debtor, others_invoice
):
    # Given: a limit of 15 000 and two invoices of 10 000, the older delivered first
    grant_limit(issued_policy, debtor, "15000")
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 1))
    report(insured_user, issued_policy, debtor, 2, delivered=date(2026, 5, 10))
    client.force_login(insured_user)

    response = client.get(reverse("invoice-list"))

    # Then: the first is covered whole, the second 5 000 of it, above the limit
    rows = {i.number: i for i in response.context["rows"]}
    assert set(rows) == {"F-1", "F-2"}
    assert rows["F-1"].cover.covered == Decimal("10000.00") and rows["F-1"].cover.uncovered == 0
    assert rows["F-2"].cover.covered == Decimal("5000.00")
    page = page_of(response)
    assert "Above the limit" in page and "SEK\xa05,000.00 not covered" in page
    assert "B-SECRET" not in page and "Report an invoice" in page


def test_staff_see_every_companys_invoices_and_who_reported_them(
    client, underwriter, claims_handler, insured_user, issued_policy, debtor, others_invoice
):
    report(insured_user, issued_policy, debtor)
    for user in (underwriter, claims_handler):
        client.force_login(user)
        response = client.get(reverse("invoice-list"))
        assert {i.number for i in response.context["rows"]} == {"F-1", "B-SECRET"}
        page = page_of(response)
        assert "Nordic Steel AB" in page and "Other Trading BV" in page
        assert "Report an invoice" not in page


def test_the_list_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("invoice-list"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"status": "unpaid"}, {"F-1", "F-2", "F-3"}),
        ({"status": "overdue"}, {"F-1", "F-3"}),
        ({"status": "paid"}, {"F-4"}),
        ({"status": "disputed"}, {"F-3"}),
        ({"number": "f-2"}, {"F-2"}),
        ({"q": "Mocca"}, {"F-2"}),
        ({"q": "556000"}, {"F-2"}),
        ({"status": "nonsense"}, {"F-1", "F-2", "F-3", "F-4"}),
        ({"q": "Mocca\x00"}, {"F-1", "F-2", "F-3", "F-4"}),
        ({"policy": "99999999999999999999"}, {"F-1", "F-2", "F-3", "F-4"}),
    ],
)
def test_the_list_filters_by_state_number_and_debtor(
    client, insured_user, issued_policy, debtor, params, numbers
):
    # Given: F-1 overdue, F-2 not due yet (another debtor), F-3 overdue and disputed, F-4 paid
    other = DebtorFactory(name="Mocca Import AB", registration_number="556000-4615")
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 4, 1))
    report(insured_user, issued_policy, other, 2, delivered=date(2026, 6, 1))
    f3 = report(insured_user, issued_policy, debtor, 3, delivered=date(2026, 4, 1))
    services.invoice_dispute(
        actor=insured_user, invoice_id=f3.pk, since=date(2026, 6, 1), reason="Damaged goods"
    )
    f4 = report(insured_user, issued_policy, debtor, 4, delivered=date(2026, 4, 1))
    services.payment_record(
        actor=insured_user,
        policy_id=issued_policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("10000"),
        received_on=date(2026, 6, 1),
        invoice_id=f4.pk,
    )
    client.force_login(insured_user)

    response = client.get(reverse("invoice-list"), params)

    assert response.status_code == 200
    assert {i.number for i in response.context["rows"]} == numbers


@pytest.mark.parametrize(
    ("ordering", "first"),
    [
        ("number", "F-1"),
        ("-number", "F-3"),
        ("gross", "F-2"),
        ("-gross", "F-3"),
        ("delivered", "F-3"),
        ("-due", "F-1"),
        ("unpaid", "F-2"),
        ("debtor", "F-2"),
    ],
)
def test_the_list_sorts_by_each_column(
    client, insured_user, issued_policy, debtor, ordering, first
):
    other = DebtorFactory(name="Aalto Trading AB")
    report(insured_user, issued_policy, debtor, 1, delivered=date(2026, 5, 20), days=60)
    report(insured_user, issued_policy, other, 2, net_amount=Decimal("100"))
    report(
        insured_user,
        issued_policy,
        debtor,
        3,
        delivered=date(2026, 3, 1),
        vat_amount=Decimal("2500"),
    )
    client.force_login(insured_user)

    response = client.get(reverse("invoice-list"), {"ordering": ordering})

    assert response.context["rows"][0].number == first


def test_the_list_pages_in_a_fixed_number_of_queries_with_totals_of_the_filtered_set(
    client, insured_user, issued_policy, debtor, django_assert_max_num_queries
):
    # Given: 30 invoices of 10 000 to two debtors, one with a limit
    other = DebtorFactory(name="Second Debtor AB")
    grant_limit(issued_policy, debtor, "50000")
    items = [{"debtor": (debtor if n % 2 else other).pk, **invoice_data(n)} for n in range(30)]
    services.invoices_report(actor=insured_user, policy_id=issued_policy.pk, items=items)
    client.force_login(insured_user)
    client.get(reverse("invoice-list"))

    with django_assert_max_num_queries(12):
        response = client.get(reverse("invoice-list"))

    assert len(response.context["rows"]) == 25
    [total] = response.context["totals"]
    assert total["count"] == 30 and total["unpaid"] == Decimal("300000.00")
    assert "Total, 30 invoices in SEK" in page_of(response)
    second = client.get(reverse("invoice-list"), {"page": 2})
    assert len(second.context["rows"]) == 5
    assert client.get(reverse("invoice-list"), {"page": 9}).status_code == 404


def test_an_empty_list_says_what_to_do(client, insured_user, issued_policy):
    client.force_login(insured_user)

    page = page_of(client.get(reverse("invoice-list")))

    assert "You have reported no invoices yet" in page
