import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(db) -> dict:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def has_example(operation: dict) -> bool:
    bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
    return any(
        media.get("examples") for body in bodies for media in body.get("content", {}).values()
    )


def test_the_schema_is_public_and_lists_the_policy_api(schema):
    assert {"/api/v1/policies/", "/api/v1/declarations/", "/api/v1/documents/"} <= set(
        schema["paths"]
    )


def test_every_operation_has_a_summary_a_tag_and_an_example(schema):
    missing = [
        name
        for name, op in operations(schema)
        if not (op.get("summary") and op.get("tags") and has_example(op))
    ]

    assert missing == []


def test_amounts_are_strings_in_the_schema(schema):
    declaration = schema["components"]["schemas"]["DeclarationCreateInputRequest"]

    assert declaration["properties"]["turnover"]["type"] == "string"


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    GENERATOR_STATS.reset()

    # raises SchemaGenerationError on any warning or an invalid OpenAPI document
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )


def test_the_interactive_docs_are_served(db):
    assert APIClient().get("/api/docs/").status_code == 200
