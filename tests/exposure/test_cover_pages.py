"""The cover check pages as they are used: the insured asks and reads the answer on the same
page (htmx swaps it in; without scripts the page comes back with it), finds the debtor by
what it typed, reads a stored answer as proof; the box other pages include answers in short;
and no one reads another company's answers."""

import html
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from exposure.models import CoverCheck
from exposure.services.cover import cover_check
from tests.exposure.conftest import grant_limit
from tests.factories.limits import DebtorFactory

PAGE = "/exposure/cover-check/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "cover-panel"}
BOX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "cover-box-answer"}


@pytest.fixture
def limited(issued_policy, debtor):
    return grant_limit(issued_policy, debtor, 50000)


@pytest.fixture
def signed_in(client, insured_user):
    client.force_login(insured_user)
    return client


def form(debtor=None, **changes) -> dict:
    data = {"debtor": debtor.pk if debtor else "", "q": "", "amount": "30000", "terms_days": "30"}
    return {**data, **changes}


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def asked(actor, policy, debtor, amount="30000.00", terms=30):
    return cover_check(
        actor=actor,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal(amount),
        terms_days=terms,
    )


# Asking ---------------------------------------------------------------------------------------


def test_the_insured_asks_without_scripts_and_the_page_comes_back_with_the_answer(
    signed_in, issued_policy, debtor, limited
):
    response = signed_in.post(PAGE, form(debtor))

    check = CoverCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?answer={check.pk}"
    page = page_of(signed_in.get(response["Location"]))
    assert "Yes: covered" in page and str(check.pk) in page
    assert "Keep this id with your order as proof of this answer." in page
    assert 'value="30000.00"' in page or 'value="30,000.00"' in page  # the form keeps the input


def test_with_htmx_the_answer_is_swapped_in_without_the_layout(
    signed_in, issued_policy, debtor, limited
):
    response = signed_in.post(PAGE, form(debtor, amount="65000"), **HTMX)

    page = page_of(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="cover-panel"' in page
    assert 'id="cover-recent" hx-swap-oob="true"' in page  # the latest checks, updated too
    assert "No: only SEK\xa050,000.00 of SEK\xa065,000.00 is covered" in page
    assert "The amount is SEK\xa015,000.00 above the cover left" in page


def test_a_swedish_amount_is_read_with_its_grouping_and_decimal_comma(
    signed_in, issued_policy, debtor, limited
):
    signed_in.post(PAGE, form(debtor, amount="30 000,50"), HTTP_ACCEPT_LANGUAGE="sv")

    assert CoverCheck.objects.get().amount == Decimal("30000.50")


def test_every_reason_is_given_in_words_with_its_figures(signed_in, issued_policy, debtor, limited):
    response = signed_in.post(PAGE, form(debtor, terms_days="120"), **HTMX)

    page = page_of(response)
    assert "No: not covered" in page
    assert (
        "Payment terms of 120 days are longer than the policy's maximum credit period of 90 days."
        in page
    )


def test_a_registration_number_typed_finds_the_debtor_on_submit(signed_in, issued_policy, limited):
    # Given a debtor whose number the insured types without picking it from the results
    debtor = limited.debtor
    debtor.registration_number = "556677-8907"
    debtor.save()

    signed_in.post(PAGE, form(q="5566778907"))

    assert CoverCheck.objects.get().debtor == debtor


def test_several_matches_are_listed_to_choose_from_and_the_choice_is_checked(
    signed_in, issued_policy, debtor, limited
):
    DebtorFactory(name="Kalles Kakor AB")

    listed = signed_in.post(PAGE, form(q="Kalles"))
    chosen = signed_in.post(PAGE, {**form(q="Kalles"), "debtor": ["", str(debtor.pk)]})

    page = page_of(listed)
    assert "Several debtors match: choose one below." in page
    assert f'name="debtor" value="{debtor.pk}"' in page and "Kalles Kakor AB" in page
    assert chosen.status_code == 302
    assert CoverCheck.objects.get().debtor == debtor


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": ""}, "amount", "This field is required."),
        ({"amount": "abc"}, "amount", "Enter a number."),
        ({"amount": "0"}, "amount", ""),
        ({"terms_days": "-5"}, "terms_days", "greater than or equal to 0"),
        ({"delivery_date": "2027-12-31"}, "delivery_date", "Check deliveries up to a year ahead."),
        ({"debtor": "", "q": ""}, "q", "Find the debtor by its registration number or name"),
        ({"debtor": "", "q": "Nobody AB"}, "q", "No debtor in the register matches"),
    ],
)
def test_bad_input_is_named_on_its_field_kept_and_nothing_is_stored(
    signed_in, issued_policy, debtor, limited, change, field, message
):
    response = signed_in.post(PAGE, {**form(debtor), **change})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not CoverCheck.objects.exists()


def test_the_form_is_preset_from_the_link(signed_in, issued_policy, debtor):
    response = signed_in.get(PAGE, {"debtor": debtor.pk, "amount": "1200", "terms_days": "45"})

    page = page_of(response)
    assert "Kalles Kaffe AB" in page and 'value="45"' in page
    assert response.context["chosen"] == debtor


# The box on other pages -----------------------------------------------------------------------


def test_the_box_answers_in_short_with_the_id(signed_in, issued_policy, debtor, limited):
    response = signed_in.post(PAGE, form(debtor), **BOX)

    page = page_of(response)
    check = CoverCheck.objects.get()
    assert "<html" not in page and "Yes: SEK\xa030,000.00 to Kalles Kaffe AB is covered." in page
    assert reverse("cover-check-detail", args=[check.pk]) in page


def test_the_box_says_what_to_correct(signed_in, issued_policy, debtor):
    response = signed_in.post(PAGE, form(debtor, amount=""), **BOX)

    assert "Please correct:" in page_of(response) and not CoverCheck.objects.exists()


def test_the_box_renders_for_insured_users_with_their_policies(insured_user, issued_policy):
    request = RequestFactory().get("/limits/")
    request.user = insured_user

    html = render_to_string(
        "exposure/cover_box.html", {"cover_policies": [issued_policy]}, request=request
    )

    assert 'action="/exposure/cover-check/"' in html
    assert f'name="policy" value="{issued_policy.pk}"' in html
    assert 'name="amount"' in html and 'name="terms_days"' in html and 'name="q"' in html


def test_the_box_is_not_shown_to_staff(underwriter):
    request = RequestFactory().get("/limits/")
    request.user = underwriter

    assert render_to_string("exposure/cover_box.html", {}, request=request).strip() == ""


# The stored answer, and who may read it -------------------------------------------------------


def test_a_stored_answer_reads_as_proof_and_staff_read_it_too(
    client, insured_user, claims_handler, issued_policy, debtor, limited
):
    check = asked(insured_user, issued_policy, debtor)
    url = reverse("cover-check-detail", args=[check.pk])

    for user in (insured_user, claims_handler):
        client.force_login(user)
        page = page_of(client.get(url))
        assert str(check.pk) in page and "Yes: covered" in page
        assert "Nordic Steel AB" in page and "data-print" in page


def test_another_company_never_reads_the_answers(
    client, insured_user, other_insured_user, issued_policy, debtor, limited
):
    check = asked(insured_user, issued_policy, debtor)
    client.force_login(other_insured_user)

    assert client.get(reverse("cover-check-detail", args=[check.pk])).status_code == 404
    shown = client.get(PAGE, {"answer": str(check.pk)})
    assert shown.context["answer"] is None and "Answer id" not in page_of(shown)


def test_another_companys_policy_is_not_on_offer(
    client, other_insured_user, issued_policy, debtor, limited
):
    client.force_login(other_insured_user)

    response = client.post(PAGE, {**form(debtor), "policy": issued_policy.pk})

    assert "policy" in response.context["form"].errors and not CoverCheck.objects.exists()


def test_the_page_is_the_insureds(client, underwriter, db):
    assert client.get(PAGE).status_code == 302  # to the login page
    client.force_login(underwriter)
    assert client.get(PAGE).status_code == 403


def test_an_insured_without_a_policy_in_force_is_told_so(signed_in, draft_policy):
    page = page_of(signed_in.get(PAGE))

    assert "You have no policy in force" in page and "cover-check-form" not in page


def test_the_latest_checks_are_listed_with_their_ids(
    signed_in, insured_user, issued_policy, debtor, limited
):
    check = asked(insured_user, issued_policy, debtor, "70000.00")

    page = page_of(signed_in.get(PAGE))

    assert "latest checks" in page and str(check.pk)[:8] in page
    assert "SEK\xa050,000.00 covered" in page
