import pytest
from rest_framework.test import APIClient

TOKEN = "/api/v1/auth/token/"


def test_the_token_endpoint_returns_a_token_that_authenticates(insured_user, password):
    client = APIClient()

    response = client.post(TOKEN, {"username": "insured-a", "password": password}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/policies/").status_code == 200


def test_a_wrong_password_is_a_400_in_the_error_shape(insured_user):
    response = APIClient().post(
        TOKEN, {"username": "insured-a", "password": "not-the-password"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"] and "token" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/policies/",
        "/api/v1/policies/1/",
        "/api/v1/declarations/",
        "/api/v1/documents/",
        "/api/v1/documents/1/download/",
    ],
)
def test_an_unauthenticated_request_is_a_401(db, url):
    response = APIClient().get(url)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = client.get("/api/v1/policies/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
