"""DOMAIN.md "Money and time" on the policy: currencies in use, fixed once issued; amounts
positive unless 0 means something; at most 13 digits before the point; the VAT number
checked for the insured's country."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import InsuredCompany
from accounts.services import insured_company_create
from policies import services
from policies.forms import CompanyForm, PolicyTermsForm
from policies.models import Policy
from tests.forms import posted

POLICIES = "/api/v1/policies/"


def error_fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


def draft(company, underwriter, **terms):
    return services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), **terms
    )


# Currencies -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XDR", "DDM", "DEM", "HRK"])
def test_a_code_that_is_no_currency_in_use_is_refused(api_for, underwriter, company, code):
    response = api_for(underwriter).post(
        POLICIES,
        {"insured": company.pk, "start_date": "2026-01-01", "currency": code},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == {"currency"}
    assert not Policy.objects.exists()


@pytest.mark.parametrize("code", ["SEK", "EUR", "NOK", "USD", "GBP"])
def test_currencies_in_use_are_taken(company, underwriter, code):
    assert draft(company, underwriter, currency=code).currency == code


def test_the_api_refuses_to_change_an_issued_policys_currency(api_for, underwriter, issued_policy):
    response = api_for(underwriter).patch(
        f"{POLICIES}{issued_policy.pk}/",
        {"currency": "EUR", "reason": "Relabel"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "policy_term_fixed"
    assert error_fields(response) == {"currency"}
    issued_policy.refresh_from_db()
    assert issued_policy.currency == "SEK"
    assert issued_policy.documents.count() == 1  # the schedule; no endorsement


def test_the_service_refuses_to_change_an_issued_policys_currency(issued_policy, underwriter):
    from policies.exceptions import PolicyTermFixed

    with pytest.raises(PolicyTermFixed) as refused:
        services.policy_update_terms(
            actor=underwriter, policy_id=issued_policy.pk, reason="Relabel", currency="EUR"
        )

    assert refused.value.field == "currency"


def test_the_form_refuses_to_change_an_issued_policys_currency(issued_policy):
    form = PolicyTermsForm(
        posted(
            PolicyTermsForm(instance=issued_policy, require_reason=True),
            currency="EUR",
            reason="Relabel",
        ),
        instance=issued_policy,
        require_reason=True,
    )

    assert not form.is_valid()
    assert "fixed once the policy is issued" in form.errors["currency"][0]


def test_a_drafts_currency_still_changes(draft_policy, underwriter):
    policy = services.policy_update_terms(
        actor=underwriter, policy_id=draft_policy.pk, currency="EUR"
    )

    assert policy.currency == "EUR"


# Zero and positive amounts ---------------------------------------------------------------------


@pytest.mark.parametrize("term", ["premium_rate", "minimum_premium", "limit_fee"])
def test_terms_where_zero_means_nothing_must_be_above_zero(api_for, underwriter, company, term):
    response = api_for(underwriter).post(
        POLICIES,
        {"insured": company.pk, "start_date": "2026-01-01", term: "0"},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == {term}


def test_zero_is_taken_where_it_has_a_meaning(company, underwriter):
    policy = draft(
        company,
        underwriter,
        intervention_threshold=Decimal(0),
        discretionary_limit=Decimal(0),
        four_eyes_amount=Decimal(0),
    )

    assert policy.intervention_threshold == policy.discretionary_limit == 0


def test_the_form_says_what_zero_means(underwriter):
    form = PolicyTermsForm()

    assert "0: no threshold" in str(form.fields["intervention_threshold"].help_text)
    assert "0: no discretionary limits" in str(form.fields["discretionary_limit"].help_text)
    assert "0: every settlement needs one" in str(form.fields["four_eyes_amount"].help_text)


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [("9999999999999.99", True), ("10000000000000.00", False), ("99999999999999", False)],
)
def test_an_amount_has_at_most_13_digits_before_the_point(
    api_for, underwriter, company, amount, accepted
):
    response = api_for(underwriter).post(
        POLICIES,
        {"insured": company.pk, "start_date": "2026-01-01", "four_eyes_amount": amount},
        format="json",
    )

    assert response.status_code == (201 if accepted else 400)
    if not accepted:
        assert error_fields(response) == {"four_eyes_amount"}


# The insured's VAT number -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("SE", "SE 5561234567 01", "SE556123456701"),
        ("SE", "556123456701", "SE556123456701"),
        ("NL", "NL004495445B01", "NL004495445B01"),
        ("BE", "0403.019.261", "BE0403019261"),
    ],
)
def test_a_vat_number_is_checked_and_kept_compact(underwriter, country, typed, stored):
    company = insured_company_create(
        actor=underwriter,
        name="Acme",
        country=country,
        registration_number="5561234567" if country == "SE" else "12345678",
        vat_number=typed,
    )

    assert company.vat_number == stored


@pytest.mark.parametrize(
    ("country", "number"),
    [("SE", "SE556123456702"), ("NL", "NL004495446B01"), ("SE", "DE136695976")],
)
def test_a_wrong_vat_number_is_refused_naming_the_field(underwriter, country, number):
    with pytest.raises(ValidationError) as refused:
        insured_company_create(
            actor=underwriter,
            name="Acme",
            country=country,
            registration_number="5561234567",
            vat_number=number,
        )

    assert set(refused.value.message_dict) == {"vat_number"}
    assert not InsuredCompany.objects.exists()


def test_the_company_form_names_a_wrong_vat_number(db):
    form = CompanyForm(
        {
            "name": "Acme AB",
            "country": "SE",
            "registration_number": "556123-4567",
            "vat_number": "SE556123456702",
            "language": "sv",
        }
    )

    assert not form.is_valid()
    assert "not a valid VAT number in Sweden" in form.errors["vat_number"][0]


def test_an_insured_percentage_of_zero_is_refused(draft_policy):
    # 0 % would insure nothing: the share the insurer pays is above 0 and at most 100.
    draft_policy.insured_percentage = Decimal(0)
    with pytest.raises(ValidationError) as refused:
        draft_policy.full_clean()
    assert "insured_percentage" in refused.value.message_dict
