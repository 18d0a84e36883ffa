from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory


def test_login_takes_each_role_to_its_own_home_page(client, db):
    # Given a user of every role
    for role, heading in [
        (Role.UNDERWRITER, "Underwriting"),
        (Role.CLAIMS, "Claims"),
        (Role.ADMIN, "Administration"),
    ]:
        user = UserFactory(role=role, company=None, is_staff=role == Role.ADMIN)
        # When they sign in
        response = client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
        )
        # Then they land on their home page
        assert response.status_code == 200
        assert heading in response.content.decode()
        client.post(reverse("logout"))


def test_wrong_password_keeps_the_username_and_says_why(client, insured_user):
    response = client.post(
        reverse("login"), {"username": insured_user.username, "password": "wrong"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in body
    assert f'value="{insured_user.username}"' in body


def test_repeated_failed_logins_lock_the_account_out(client, insured_user):
    # Given five failed attempts
    for _ in range(5):
        client.post(reverse("login"), {"username": insured_user.username, "password": "x"})
    # When the right password follows
    response = client.post(
        reverse("login"), {"username": insured_user.username, "password": PASSWORD}
    )
    # Then the sign-in is refused for a while
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_token_requests_are_locked_out_too(db, insured_user):
    from rest_framework.test import APIClient

    api = APIClient()
    url = reverse("api-token")
    for _ in range(5):
        api.post(url, {"username": insured_user.username, "password": "x"}, format="json")
    response = api.post(
        url, {"username": insured_user.username, "password": PASSWORD}, format="json"
    )
    # Locked out, even with the right password: throttled (API.md: 429 with Retry-After),
    # not a wrong password (400) nor a missing role (403)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert "token" not in body
    assert body["code"] == "throttled"
    assert "Too many failed sign-in attempts" in body["message"]


def test_logout_needs_a_post_and_ends_the_session(client, insured_user):
    client.force_login(insured_user)
    client.post(reverse("logout"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
