"""Ids in a limit request's body: an unknown debtor, or an id written with other digits, is a
400 naming the field, and nothing is written."""

import pytest

from limits.models import Limit, LimitRequest
from tests.factories.limits import CreditReportFactory, default_template

REQUESTS = "/api/v1/limit-requests/"


@pytest.fixture
def debtor(db):
    default_template()
    return CreditReportFactory().debtor


def post(client, body):
    return client.post(REQUESTS, {"amount": "100000.00", **body}, format="json")


def test_an_unknown_debtor_id_names_the_field(api_for, insured_user, issued_policy):
    response = post(api_for(insured_user), {"policy": issued_policy.pk, "debtor": 999999})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("debtor", "does_not_exist")
    assert not LimitRequest.objects.exists() and not Limit.objects.exists()


@pytest.mark.parametrize("field", ["policy", "debtor", "payment_terms_days"])
def test_ids_and_days_take_the_digits_0_to_9_only(
    api_for, insured_user, issued_policy, debtor, field
):
    body = {"policy": issued_policy.pk, "debtor": debtor.pk, "payment_terms_days": 30}
    body[field] = "".join(chr(0x0660 + int(ch)) for ch in str(body[field]))  # Arabic-Indic

    response = post(api_for(insured_user), body)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not LimitRequest.objects.exists()
