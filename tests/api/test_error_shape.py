"""Every answer under /api/ is JSON in the one error shape (core.api), whether DRF or Django
answers it: a path no route matches, an id that is not a whole number, a method the
operation does not offer, a body that is not JSON, an answer the client does not accept."""

import re

import pytest
from rest_framework.test import APIClient

from tests.api.test_schema import operations

ERROR_KEYS = {"code", "message", "errors"}


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.json()


def is_error_shape(response, code: str) -> bool:
    if not response["Content-Type"].startswith("application/json"):
        return False
    body = response.json()
    return set(body) == ERROR_KEYS and body["code"] == code and body["message"]


def test_every_operation_with_an_id_answers_json_404_for_a_fractional_id(
    api_schema, api_for, underwriter
):
    # Given every operation of the schema that names a resource by id (17 of them)
    with_id = [
        (name.split()[0], re.sub(r"\{id\}", "0.5", name.split()[1]))
        for name, _ in operations(api_schema)
        if "{id}" in name
    ]
    assert len(with_id) >= 17
    client = api_for(underwriter)

    # When each is called with the id 0.5
    answers = {
        f"{method} {path}": client.generic(method, path, "{}", content_type="application/json")
        for method, path in with_id
    }

    # Then each answers 404 in the one error shape, not Django's HTML page
    wrong = {
        name: (r.status_code, r["Content-Type"])
        for name, r in answers.items()
        if r.status_code != 404 or not is_error_shape(r, "not_found")
    }
    assert wrong == {}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/policies/0.5/", "/api/v1/nothing-here/", "/api/v2/policies/", "/api/"],
)
def test_a_path_under_api_that_no_route_matches_answers_json_404(db, path):
    response = APIClient().get(path)

    assert response.status_code == 404
    assert is_error_shape(response, "not_found")


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/policies/0.5/"])
def test_under_debug_too_a_path_under_api_that_no_route_matches_answers_json_404(
    db, settings, path
):
    # Given the settings of `make run`, where Django shows its technical 404 page
    settings.DEBUG = True

    response = APIClient().get(path)

    assert response.status_code == 404
    assert is_error_shape(response, "not_found")


def test_under_debug_an_api_path_without_its_slash_is_still_redirected(db, settings):
    settings.DEBUG = True

    response = APIClient().get("/api/v1/policies")

    assert response.status_code == 301 and response["Location"] == "/api/v1/policies/"


def test_a_page_that_does_not_exist_still_answers_the_html_page(client, db):
    response = client.get("/policies/0.5/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_operation_does_not_offer_answers_json_405(api_for, underwriter):
    response = api_for(underwriter).delete("/api/v1/policies/")

    assert response.status_code == 405
    assert is_error_shape(response, "method_not_allowed")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "username=insured-a&password=x"),
        ("multipart/form-data; boundary=B", '--B\r\nContent-Disposition: form-data; name="a"'),
        ("text/plain", "hello"),
    ],
)
def test_the_api_takes_json_only_and_says_so_with_415(api_for, insured_user, content_type, body):
    for client, path in [
        (APIClient(), "/api/v1/auth/token/"),
        (api_for(insured_user), "/api/v1/limit-requests/"),
        (api_for(insured_user), "/api/v1/declarations/"),
    ]:
        response = client.generic("POST", path, body, content_type=content_type)

        assert response.status_code == 415, path
        assert is_error_shape(response, "unsupported_media_type"), path


def test_an_answer_the_client_does_not_accept_is_a_json_406(api_for, underwriter):
    response = api_for(underwriter).get("/api/v1/policies/", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert is_error_shape(response, "not_acceptable")


def test_the_token_endpoint_takes_json(db, insured_user, password):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "insured-a", "password": password}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["token"]
