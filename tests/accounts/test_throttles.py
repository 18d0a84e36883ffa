"""The token endpoint's throttle and the sign-in lockout count per client address, and the
address is what the trusted proxies say (NUM_PROXIES), never what the client writes."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
LIMIT = 30  # accounts.apis.TokenThrottle


@pytest.fixture(autouse=True)
def empty_cache():
    # Throttle counts live in the cache (Redis in tests), which outlives each test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trusting_one_proxy(settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def guess(api: APIClient, n: int, **headers):
    """A wrong password for a different made-up user each time (no lockout, only the rate)."""
    return api.post(TOKEN_URL, {"username": f"nobody-{n}", "password": "x"}, **headers)


def use_up_the_limit(api: APIClient, **headers) -> None:
    for n in range(LIMIT):
        assert guess(api, n, **headers).status_code == 400


def test_a_forged_forwarded_for_does_not_lift_the_token_throttle(db):
    # Given the limit used up from one address
    api = APIClient()
    use_up_the_limit(api)
    # When 20 more requests each claim another address in X-Forwarded-For
    answers = [
        guess(api, 100 + n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(20)
    ]
    # Then every one is throttled: with no trusted proxy the header is ignored
    assert answers == [429] * 20


def test_a_valid_token_does_not_skip_the_token_throttle(insured_user):
    token = Token.objects.create(user=insured_user)
    api = APIClient()
    use_up_the_limit(api)
    # When the guesser sends some account's valid token along
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    answers = [guess(api, 100 + n).status_code for n in range(20)]
    # Then it is throttled all the same
    assert answers == [429] * 20
    throttled = guess(api, 200)
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


def test_behind_a_trusted_proxy_the_address_it_appended_counts(db, trusting_one_proxy):
    api = APIClient()
    # Given the limit used up by the client the proxy saw as 198.51.100.7
    use_up_the_limit(api, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    # Then a different left-hand part written by that client changes nothing
    assert guess(api, 100, HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.7").status_code == 429
    # And another client behind the same proxy is not throttled with it
    assert guess(api, 101, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.8").status_code == 400


def test_the_sign_in_lockout_reads_the_same_address(client, insured_user, trusting_one_proxy):
    # Given five failed sign-ins from the client the proxy saw as 198.51.100.7
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": insured_user.username, "password": "x"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    right = {"username": insured_user.username, "password": PASSWORD}
    # Then that client is locked out, even with the right password
    locked = client.post(reverse("login"), right, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
    # And the same user from another address behind the proxy signs in
    other = client.post(reverse("login"), right, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302
    assert "_auth_user_id" in client.session


def test_without_a_trusted_proxy_the_lockout_ignores_forwarded_for(client, insured_user):
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": insured_user.username, "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": insured_user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
