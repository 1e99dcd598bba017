"""Signing in (with a username or an email address) and out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
ERROR = "Enter a correct username/email and password"


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_sign_in_page_is_a_govuk_form(client: Client) -> None:
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Username or email address" in html
    assert 'type="password"' in html
    assert "<title>Sign in" in html


def test_sign_in_with_username_goes_home(client: Client) -> None:
    user = UserFactory(username="amara")
    response = client.post(SIGN_IN, {"username": "amara", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert _signed_in_user_id(client) == str(user.pk)


def test_sign_in_with_email_address_any_case(client: Client) -> None:
    user = UserFactory(username="ben", email="ben.jones@example.org")
    response = client.post(SIGN_IN, {"username": "Ben.Jones@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(user.pk)


def test_wrong_password_shows_error_in_summary_and_next_to_field(client: Client) -> None:
    UserFactory(username="cara")
    response = client.post(SIGN_IN, {"username": "cara", "password": "not-the-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    # once in the summary (linked to the field) and once next to the field
    assert f'<a href="#id_username">{ERROR}</a>' in html
    assert html.count(ERROR) == 2
    assert "govuk-error-message" in html
    assert _signed_in_user_id(client) is None


def test_unknown_email_is_refused_with_the_same_error(client: Client) -> None:
    response = client.post(SIGN_IN, {"username": "nobody@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert ERROR in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_inactive_account_cannot_sign_in(client: Client) -> None:
    UserFactory(username="dora", is_active=False)
    response = client.post(SIGN_IN, {"username": "dora", "password": PASSWORD})
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None


def test_empty_form_asks_for_both_fields(client: Client) -> None:
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    html = response.content.decode()
    assert "Enter your username or email address" in html
    assert "Enter your password" in html


def test_sign_in_follows_a_safe_next(client: Client) -> None:
    UserFactory(username="eli")
    response = client.post(f"{SIGN_IN}?next=/account/", {"username": "eli", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/", "http://evil.example"]
)
def test_sign_in_refuses_an_external_next(client: Client, next_url: str) -> None:
    UserFactory(username="fay")
    response = client.post(SIGN_IN, {"username": "fay", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_login_required_page_sends_anonymous_to_sign_in_with_next(client: Client) -> None:
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/account/"


def test_sign_out_get_shows_a_button_and_keeps_you_signed_in(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("accounts:sign-out"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post"' in html
    assert ">Sign out</button>" in html
    assert _signed_in_user_id(client) == str(user.pk)


def test_sign_out_post_signs_out_and_goes_home(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert _signed_in_user_id(client) is None


def test_sign_out_get_when_anonymous_goes_home(client: Client) -> None:
    response = client.get(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
