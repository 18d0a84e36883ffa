"""The schema says what the API answers and what it takes: every status an operation answers
is documented, a value that can be null is declared nullable, and every request body is
JSON, the one content type the API parses (but for a claim document's file upload)."""

import pytest
from rest_framework.test import APIClient

from limits.models import DecisionLetter, LetterKind, LetterStatus
from tests.api.test_schema import operations

TOKEN = "/api/v1/auth/token/"
LETTERS = "/api/v1/letters/"


@pytest.fixture
def schema(db) -> dict:
    return APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def component(schema: dict, reference: str) -> dict:
    return schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def test_every_request_body_in_the_schema_is_json_only(schema):
    content_types = {
        name: sorted(op["requestBody"]["content"])
        for name, op in operations(schema)
        if "requestBody" in op
    }

    # The one exception: a claim's document is uploaded as a file.
    assert {
        name: types for name, types in content_types.items() if types != ["application/json"]
    } == {"POST /api/v1/claims/{id}/documents/": ["multipart/form-data"]}


def test_the_token_operation_documents_its_refusals_in_the_error_shape(schema, db, insured_user):
    operation = schema["paths"][TOKEN]["post"]
    answer = APIClient().post(TOKEN, {"username": "insured-a", "password": "wrong"}, format="json")

    assert answer.status_code == 400
    assert {"200", "400", "429"} <= set(operation["responses"])
    error = component(
        schema, operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert set(answer.json()) == set(error["properties"]) == {"code", "message", "errors"}
    assert list(operation["requestBody"]["content"]) == ["application/json"]


def test_a_letter_not_yet_rendered_answers_a_null_download_url_the_schema_allows(
    schema, api_for, underwriter, issued_policy
):
    # Given a decision letter still waiting to be rendered
    DecisionLetter.objects.create(
        policy=issued_policy, kind=LetterKind.APPROVAL, language=issued_policy.insured.language
    )

    # When an underwriter reads the letters (an insured sees only ready ones)
    [letter] = api_for(underwriter).get(LETTERS).json()["results"]

    # Then the download URL is null, and the schema says it may be
    assert (letter["status"], letter["download_url"]) == (LetterStatus.PENDING, None)
    response = schema["paths"][f"{LETTERS}{{id}}/"]["get"]["responses"]["200"]
    field = component(schema, response["content"]["application/json"]["schema"]["$ref"])
    assert field["properties"]["download_url"].get("nullable") is True
