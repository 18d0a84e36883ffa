"""The API takes whole numbers for ids and counts, decimal strings for amounts, and the
digits 0-9 only: a JSON float is never truncated into an id, and "１０００" or "١٠٠٠" is no
amount. The rule is the API's JSON parser and its strict fields (core.api_input)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from limits.models import LimitRequest
from policies.models import Policy, TurnoverDeclaration
from tests.factories.limits import CreditReportFactory, default_template

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def in_february():
    with time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=STOCKHOLM), tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def only_error(response) -> tuple[str, str]:
    [error] = response.json()["errors"]
    return error["field"], error["code"]


@pytest.mark.parametrize("insured", [lambda pk: pk + 0.9, lambda pk: float(pk)])
def test_a_json_float_is_no_company_id(api_for, underwriter, company, insured):
    body = {"insured": insured(company.pk), "start_date": "2026-01-01"}

    response = api_for(underwriter).post("/api/v1/policies/", body, format="json")

    assert response.status_code == 400
    assert only_error(response) == ("insured", "float_not_allowed")
    assert not Policy.objects.exists()


def test_an_id_in_other_digits_is_refused(api_for, underwriter, company):
    arabic_indic = str(company.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    body = {"insured": arabic_indic, "start_date": "2026-01-01"}

    response = api_for(underwriter).post("/api/v1/policies/", body, format="json")

    assert response.status_code == 400
    assert only_error(response)[0] == "insured"
    assert not Policy.objects.exists()


@pytest.mark.parametrize(
    "turnover",
    ["１０００００", "١٠٠٠٠٠", "१०००००"],
    ids=["fullwidth", "arabic-indic", "devanagari"],
)
def test_an_amount_in_other_digits_is_refused(api_for, insured_user, issued_policy, turnover):
    body = {"policy": issued_policy.pk, "period_start": "2026-01-01", "turnover": turnover}

    response = api_for(insured_user).post("/api/v1/declarations/", body, format="json")

    assert response.status_code == 400
    assert only_error(response) == ("turnover", "non_ascii_digits")
    assert not TurnoverDeclaration.objects.exists()


def test_a_term_in_days_in_other_digits_is_refused(api_for, underwriter, company):
    body = {"insured": company.pk, "start_date": "2026-01-01", "max_credit_period_days": "٩٠"}

    response = api_for(underwriter).post("/api/v1/policies/", body, format="json")

    assert response.status_code == 400
    assert only_error(response)[0] == "max_credit_period_days"


def test_a_json_float_is_no_policy_id_for_a_declaration(api_for, insured_user, issued_policy):
    body = {"policy": issued_policy.pk + 0.0, "period_start": "2026-01-01", "turnover": "1000"}

    response = api_for(insured_user).post("/api/v1/declarations/", body, format="json")

    assert response.status_code == 400
    assert only_error(response) == ("policy", "float_not_allowed")


def test_json_floats_are_no_ids_for_a_limit_request(api_for, insured_user, issued_policy):
    default_template()
    debtor = CreditReportFactory().debtor
    body = {"policy": float(issued_policy.pk), "debtor": float(debtor.pk), "amount": "20000"}

    response = api_for(insured_user).post("/api/v1/limit-requests/", body, format="json")

    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"policy", "debtor"}
    assert not LimitRequest.objects.exists()


def test_whole_numbers_and_decimal_strings_still_pass(api_for, underwriter, company):
    body = {
        "insured": company.pk,
        "start_date": "2026-01-01",
        "max_credit_period_days": 60,
        "minimum_premium": "3000.50",
    }

    response = api_for(underwriter).post("/api/v1/policies/", body, format="json")

    assert response.status_code == 201
    assert response.json()["minimum_premium"] == "3000.50"
